"""A programme across two countries for the library's tests: Alta (Norway) has a practice of
a shared strategy; Évora (Portugal) reads it and takes it up."""

from dataclasses import dataclass

from networks.models import Role
from strategies.models import Strategy

from .. import factories as f


@dataclass
class Scene:
    programme: object
    norway: object  # network
    portugal: object  # network
    alta: object
    hammerfest: object  # Alta's neighbour in the Norwegian network
    evora: object
    indicator: object
    strategy: object  # Alta's, shared
    measure: object  # Alta's, tied to the indicator
    evora_strategy: object
    users: dict


def make_scene(*, status=Strategy.Status.SHARED) -> Scene:
    programme = f.ProgrammeFactory(acronym="CEMSDI")
    no = f.CountryFactory(code="NO", name="Norway")
    pt = f.CountryFactory(code="PT", name="Portugal")
    alta = f.MunicipalityFactory(name="Alta", region__country=no, population=21_000)
    hammerfest = f.MunicipalityFactory(name="Hammerfest", region=alta.region, population=11_000)
    evora = f.MunicipalityFactory(name="Évora", region__country=pt, population=53_000)
    norway = f.NetworkFactory(
        programme=programme, region=alta.region, members=[alta, hammerfest], language="nb"
    )
    portugal = f.NetworkFactory(
        programme=programme, region=evora.region, members=[evora], language="pt"
    )
    indicator = f.IndicatorFactory(name_en="Digital services", decimals=1, higher_is_better=True)
    strategy = f.StrategyFactory(
        network=norway, municipality=alta, status=status, language="nb", baseline_year=2020
    )
    measure = f.MeasureFactory(
        strategy=strategy,
        title="Digital post til innbyggerne",
        description="Kommunene innførte digital post.",
        status="done",
        progress=100,
        indicator=indicator,
    )
    evora_strategy = f.StrategyFactory(
        network=portugal, municipality=evora, status="shared", language="pt"
    )
    users = {
        "alta_chief": f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, username="alta_chief"),
        "alta_staff": f.municipal(Role.Kind.MUNICIPAL_STAFF, alta, username="alta_staff"),
        "alta_mayor": f.municipal(Role.Kind.MAYOR, alta, username="alta_mayor"),
        "hammerfest_chief": f.municipal(
            Role.Kind.CHIEF_EXECUTIVE, hammerfest, username="hammerfest_chief"
        ),
        "evora_chief": f.municipal(Role.Kind.CHIEF_EXECUTIVE, evora, username="evora_chief"),
        "evora_mayor": f.municipal(Role.Kind.MAYOR, evora, username="evora_mayor"),
        "norway_facilitator": f.facilitator_of(norway, username="norway_facilitator"),
        "portugal_facilitator": f.facilitator_of(portugal, username="portugal_facilitator"),
        "officer": f.project_officer_of(programme, username="officer"),
        "stranger_facilitator": f.facilitator_of(f.NetworkFactory(), username="stranger"),
        "admin": f.UserFactory(username="admin", is_staff=True, is_superuser=True),
    }
    return Scene(
        programme=programme,
        norway=norway,
        portugal=portugal,
        alta=alta,
        hammerfest=hammerfest,
        evora=evora,
        indicator=indicator,
        strategy=strategy,
        measure=measure,
        evora_strategy=evora_strategy,
        users=users,
    )


def observe(indicator, municipality, values: dict[int, float]) -> None:
    for year, value in values.items():
        f.ObservationFactory(indicator=indicator, municipality=municipality, year=year, value=value)


def publish_data(**overrides) -> dict:
    data = {
        "title": "Digital post til innbyggerne",
        "what": "Kommunene innførte digital post for alle innbyggere.",
        "why": "Brev på papir tok tid.",
        "benefit": "Raskere svar.",
        "cost": 120_000,
        "contact": None,
    }
    return {**data, **overrides}
