"""Demo community: a handful of practices from the Norwegian pilots, one of them featured and
taken up by Sevilla, and two experts.

The Norwegian pilots' done measures track no key figure in the strategies' demo
(strategies/demo.py), and the library is about figures that moved: so the course in digital
leadership that each has done is tied here to its self-assessment score for competence and
capacity, which the demo's rounds of 2010 and 2011 give (assessment/demo.py), and two
governance sections to the governance score. Only those whose score rose are published, from
shared or adopted strategies, through the library's own service (``practice_publish``), so the
values before and after are read from the key figures as they are for a person. The texts are
in Norwegian, the strategies' language; the municipalities are real, the texts invented, and
each practice says so at its end. Running it again changes nothing.
"""

from django.db import transaction

from assessment.models import Theme
from benchmarking.models import Indicator
from networks.models import Network, Role
from strategies import services as strategy_services
from strategies.models import Measure, Section, Strategy

from . import services
from .models import Adoption, ExpertProfile, Practice

COURSE = "Kurs i digital ledelse"  # the done measure of every demo action plan
INVENTED = "Demoeksempel: kommunen er ekte, teksten og egenvurderingen er oppdiktet."

# (municipality code, the source: the course or a section kind, the key figure's code, title,
# what was done, why, benefit, cost in NOK)
PRACTICES = [
    (
        "5618",  # Måsøy, eKommune Finnmark: featured, and taken up by Sevilla
        COURSE,
        "DM-dm1-competence",
        "Lederkurs i digital ledelse med hjemmeoppgaver",
        "Hele ledergruppen tok et kurs i digital ledelse over fire samlinger, med "
        "hjemmeoppgaver mellom samlingene knyttet til kommunens egne tjenester. Hver leder "
        "valgte én tjeneste i egen enhet og laget en plan for å digitalisere den.",
        "Egenvurderingen viste at kompetanse var vårt svakeste område: lederne visste for lite "
        "om hva digitalisering kan gi, og tiltakene stoppet opp i linjen.",
        "Lederne eier nå digitaliseringstiltakene i egen enhet, og planene fra kurset er blitt "
        "tiltak i handlingsplanen.",
        120_000,
    ),
    (
        "5612",  # Kautokeino
        COURSE,
        "DM-dm1-competence",
        "Superbrukere i hver enhet",
        "Vi lærte opp én superbruker i hver enhet, som hjelper kollegene med nye fagsystemer "
        "og selvbetjeningsløsninger. Superbrukerne møtes hver måned og deler erfaringer på "
        "tvers av enhetene.",
        "Nye systemer ble tatt i bruk ulikt i enhetene, og mange ansatte ventet på hjelp fra "
        "IKT-avdelingen.",
        "Færre henvendelser til IKT-avdelingen og raskere opplæring av nyansatte.",
        80_000,
    ),
    (
        "5620",  # Nordkapp
        COURSE,
        "DM-dm1-competence",
        "Digitalisering i lederavtalene",
        "Alle ledere fikk mål for digitalisering i lederavtalen sin og tok kurs i digital "
        "ledelse. Rådmannen følger opp målene i medarbeidersamtalene.",
        "Digitalisering ble sett på som IKT-avdelingens ansvar, ikke ledernes.",
        "Tydelig ansvar i linjen, og bedre oppfølging av tiltakene i handlingsplanen.",
        60_000,
    ),
    (
        "5540",  # Kåfjord, eKommune Midt- og Nord-Troms
        COURSE,
        "DM-dm1-competence",
        "Kurs i digital ledelse sammen med nabokommunene",
        "Vi holdt kurset i digital ledelse sammen med nabokommunene i Nord-Troms, som nettkurs "
        "mellom samlingene og med én fysisk samling, slik at lederne ble kjent med hverandre "
        "og kunne dele løsninger.",
        "Som liten kommune har vi ikke nok fagfolk alene; samarbeid gir et større fagmiljø.",
        "Et nettverk av ledere på tvers av kommunene, og lavere kostnad per deltaker.",
        40_000,
    ),
    (
        "5520",  # Bardu: a section of the strategy
        Section.Kind.GOVERNANCE,
        "DM-dm1-governance",
        "Ledergruppen som styringsgruppe for digitalisering",
        "Rådmannens ledergruppe er styringsgruppe for digitaliseringen og behandler "
        "porteføljen av tiltak hvert kvartal. IKT-lederen bestiller på vegne av kommunen fra "
        "det regionale IKT-samarbeidet.",
        "Før ble IKT kjøpt inn enhet for enhet, uten felles prioritering.",
        "Én prioritert portefølje og en bedre forhandlingsposisjon overfor leverandørene.",
        None,
    ),
    (
        "1816",  # Vevelstad, eKommune Helgeland: a section
        Section.Kind.GOVERNANCE,
        "DM-dm1-governance",
        "Felles styringsråd for IKT med nabokommunene",
        "Kommunen deltar i et felles styringsråd for IKT med nabokommunene på Helgeland, med "
        "felles handlingsplan og felles avtaler. Hver kommune har én representant fra "
        "ledergruppen.",
        "En liten kommune får ikke gode avtaler alene og har få IKT-ansatte.",
        "Felles avtaler, felles drift og mindre sårbarhet ved fravær.",
        None,
    ),
]
FEATURED = "5618"
ADOPTER = "chief-es"  # Sevilla's chief executive takes Måsøy's course up (Évora: the journey's)

# (username, summary, theme codes, languages): people the demo lists as experts.
EXPERTS = [
    (
        "ce-5618",
        "Digital ledelse i små kommuner: hvordan vi løftet kompetansen i hele ledergruppen.",
        ("competence", "strategy"),
        ["nb", "en"],
    ),
    (
        "chief-it",
        "Gestione associata dell'ICT tra piccoli comuni; governance della transizione digitale.",
        ("governance", "security"),
        ["it", "en"],
    ),
]


def _source(strategy: Strategy, source: str, indicator: Indicator):
    """The measure (tied here to the key figure from the first round's year, once) or the
    section to publish; None when its score did not rise."""
    before, after = _scores(strategy, indicator)
    if before is None or after is None or after <= before:
        return None, None
    if source in Section.Kind.values:
        return None, strategy.sections.filter(kind=source).first()
    measure = strategy.measures.filter(title=source, status=Measure.Status.DONE).first()
    if measure is not None and measure.indicator_id is None:
        measure = strategy_services.measure_save(
            strategy=strategy,
            measure=measure,
            data={
                "indicator": indicator,
                "baseline_year": before[0],
                "target_year": after[0],
                "target_value": min(100.0, round(before[1] + 25, 1)),
            },
        )
    return measure, None


def _scores(strategy: Strategy, indicator: Indicator):
    years = list(
        indicator.observations.filter(municipality_id=strategy.municipality_id, value__isnull=False)
        .order_by("year")
        .values_list("year", "value")
    )
    if len(years) < 2:
        return None, None
    return years[0], years[-1]


def _publish(strategy: Strategy, spec) -> Practice | None:
    _code, source, indicator_code, title, what, why, benefit, cost = spec
    indicator = Indicator.objects.filter(code=indicator_code).first()
    chief = (
        Role.objects.filter(municipality=strategy.municipality, kind=Role.Kind.CHIEF_EXECUTIVE)
        .select_related("user")
        .first()
    )
    if indicator is None or chief is None:
        return None
    measure, section = _source(strategy, source, indicator)
    if measure is None and section is None:
        return None
    data = {
        "title": title,
        "what": f"{what}\n\n{INVENTED}",
        "why": why,
        "benefit": benefit,
        "cost": cost,
        "contact": chief.user,
        "contact_agrees": True,
    }
    if section is not None:
        data.update(indicator=indicator, status=Measure.Status.DONE)
    return services.practice_publish(measure=measure, section=section, data=data, user=chief.user)


def _adopt(practice: Practice) -> None:
    role = (
        Role.objects.filter(user__username=ADOPTER, kind=Role.Kind.CHIEF_EXECUTIVE)
        .select_related("user", "municipality")
        .first()
    )
    strategy = role and Strategy.objects.filter(municipality=role.municipality).first()
    if strategy is None or Adoption.objects.filter(practice=practice, strategy=strategy).exists():
        return
    services.practice_adopt(practice=practice, strategy=strategy, user=role.user)


def _experts() -> None:
    """Two demo people opt in as experts, through the service the profile page uses."""
    themes = {t.code: t for t in Theme.objects.filter(questionnaire__isnull=False)}
    users = {
        r.user.username: r.user
        for r in Role.objects.filter(user__username__in=[e[0] for e in EXPERTS]).select_related(
            "user"
        )
    }
    for username, summary, codes, languages in EXPERTS:
        user = users.get(username)
        if user is None or ExpertProfile.objects.filter(user=user).exists():
            continue
        services.expert_profile_save(
            user=user,
            listed=True,
            summary=summary,
            themes=[themes[c] for c in codes if c in themes],
            dla_priorities=[],
            languages=languages,
        )


@transaction.atomic
def seed_community() -> None:
    strategies = {
        s.municipality.code: s
        for s in Strategy.objects.filter(
            network__programme__acronym="CEMSDI",
            network__language="nb",
            municipality__code__in=[spec[0] for spec in PRACTICES],
            status__in=(Strategy.Status.SHARED, Strategy.Status.ADOPTED),
        ).select_related("municipality__country", "network")
    }
    for spec in PRACTICES:
        strategy = strategies.get(spec[0])
        if strategy is None or Practice.objects.filter(strategy=strategy).exists():
            continue
        practice = _publish(strategy, spec)
        if practice is not None and spec[0] == FEATURED:
            facilitator = Role.objects.filter(
                network=strategy.network, kind=Role.Kind.FACILITATOR
            ).first()
            services.practice_feature(
                practice=practice, user=facilitator and facilitator.user, featured=True
            )
    featured = Practice.objects.filter(
        municipality__code=FEATURED, strategy__network__in=Network.objects.filter(language="nb")
    ).first()
    if featured is not None:
        _adopt(featured)
    _experts()
