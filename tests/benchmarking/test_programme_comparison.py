""" "The programme" as a comparison set: every municipality of the programme's counted
networks, in every country, compared only on the figures defined alike across countries,
each row naming its unit and source; a national figure beside other countries'
municipalities carries a warning. Figures worked out here from the rows themselves."""

import re
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from benchmarking import charts
from benchmarking.comparability import defined_alike_across_countries, not_comparable_warning
from benchmarking.models import Indicator, Observation
from networks.models import Network
from tests import factories as f

from .test_pages import _cells, _get, _row, _text

pytestmark = pytest.mark.django_db


def _network_in(programme, code, name, *, members=2, state=Network.State.RUNNING):
    country = f.CountryFactory(code=code, name=name)
    region = f.RegionFactory(country=country)
    municipalities = [f.MunicipalityFactory(region=region) for _ in range(members)]
    f.NetworkFactory(programme=programme, region=region, members=municipalities, state=state)
    return municipalities


@pytest.fixture
def programme(world):
    """The world's two Norwegian networks, an Italian one and a draft Portuguese one; three
    figures: Eurostat's (international), the self-assessment's (international) and SSB's
    KOSTRA (national). Values: a different one for each municipality."""
    world.italians = _network_in(world.programme, "IT", "Italy")
    world.draft = _network_in(world.programme, "PT", "Portugal", state=Network.State.DRAFT)
    world.eurostat = Indicator.objects.create(
        code="demo_r_pjanaggr3", name_en="Population aged 65 and over", unit="%",
        decimals=1, source="ESTAT", higher_is_better=None, comparable_across_countries=True,
    )  # fmt: skip
    world.maturity = Indicator.objects.create(
        code="DM-DMA-overall", name_en="Digital maturity: overall score", unit="points",
        decimals=1, source="Self-assessment: Digital maturity (v1)", higher_is_better=True,
        comparable_across_countries=True,
    )  # fmt: skip
    world.kostra = Indicator.objects.create(
        code="KOSAG110000", name_en="Free income per inhabitant", unit="kr", decimals=0,
        source="ssb", higher_is_better=True,
    )  # fmt: skip
    everyone = [
        world.municipality, world.neighbour, world.other_municipality, *world.italians,
        *world.draft,
    ]  # fmt: skip
    world.values = {}
    for n, municipality in enumerate(everyone):
        for indicator, base in ((world.eurostat, 20), (world.maturity, 50), (world.kostra, 7e4)):
            value = base + 3.5 * n
            Observation.objects.create(
                indicator=indicator, municipality=municipality, year=2024, value=value
            )
            world.values[(indicator.pk, municipality.pk)] = value
    world.compare = f"programme-{world.programme.pk}"
    return world


def _url(world, compare):
    url = reverse("municipality_keyfigures", args=[world.municipality.pk])
    return f"{url}?compare={compare}"


def test_the_programme_is_offered_beside_the_other_comparisons(client, programme):
    html = _get(client, programme.users["chief_executive"], _url(programme, "country"))
    assert f'value="{programme.compare}"' in html
    assert "the programme: CEMSDI, every country" in html
    assert 'value="country"' in html


def test_the_programme_compares_only_the_figures_defined_alike_across_countries(client, programme):
    html = _get(client, programme.users["chief_executive"], _url(programme, programme.compare))
    counted = [
        programme.municipality,
        programme.neighbour,
        programme.other_municipality,
        *programme.italians,
    ]  # fmt: skip — the draft network's members are not the programme's yet
    assert f"({len(counted)} municipalities)" in html
    assert f'id="indicator-{programme.kostra.pk}"' not in html
    assert "1 national figure of this municipality is left out" in html
    for indicator in (programme.eurostat, programme.maturity):
        values = [programme.values[(indicator.pk, m.pk)] for m in counted]
        own = programme.values[(indicator.pk, programme.municipality.pk)]
        cells = _cells(_row(html, f"indicator-{indicator.pk}"))
        assert cells[2] == charts.format_number(statistics.mean(values), 1)
        assert cells[3] == charts.format_number(statistics.median(values), 1)
        rank = 1 + sum(v > own for v in values)  # higher first (also "by value")
        assert cells[4].startswith(f"{rank} of {len(counted)}")
        assert indicator.unit_label in cells[0]
    eurostat = _cells(_row(html, f"indicator-{programme.eurostat.pk}"))[0]
    assert "Source: Eurostat" in eurostat
    maturity = _cells(_row(html, f"indicator-{programme.maturity.pk}"))[0]
    assert "Source: the self-assessment" in maturity
    assert "Not comparable" not in html


def test_a_national_figure_beside_other_countries_municipalities_is_marked(client, programme):
    chief = programme.users["chief_executive"]
    own = f.ComparisonSetFactory(owner=chief, municipalities=programme.italians)
    html = _get(client, chief, _url(programme, f"set-{own.pk}"))
    kostra = _text(_row(html, f"indicator-{programme.kostra.pk}"))
    with translation.override("en"):
        warning = not_comparable_warning(programme.kostra)
    assert warning == (
        "Defined by Statistics Norway for its own country: not comparable with other "
        "countries' figures."
    )
    assert f"Not comparable: {warning}" in kostra
    assert "Source: Statistics Norway" in kostra
    eurostat = _text(_row(html, f"indicator-{programme.eurostat.pk}"))
    assert "Not comparable" not in eurostat
    # Within Norway the same figure is comparable: no warning.
    html = _get(client, chief, _url(programme, "country"))
    assert "Not comparable" not in html


def test_whoever_may_see_the_key_figures_may_compare_with_the_programme(client, programme):
    for user in ("chief_executive", "facilitator", "project_officer", "staff"):
        html = _get(client, programme.users[user], _url(programme, programme.compare))
        assert "Compared with the programme: CEMSDI, every country" in html, user
    client.force_login(programme.users["no_role"])
    assert client.get(_url(programme, programme.compare)).status_code == 404


def test_another_programme_is_not_a_comparison_of_this_municipality(client, programme):
    other = f.ProgrammeFactory(acronym="OTHER")
    html = _get(
        client, programme.users["chief_executive"], _url(programme, f"programme-{other.pk}")
    )
    assert "That comparison is not available here" in html
    assert "OTHER" not in re.sub(r"<option[^>]*>.*?</option>", "", html)


def _queries(client, world, countries):
    programme = f.ProgrammeFactory()
    municipalities = []
    for code in ["NO", "IT", "PT", "ES"][:countries]:
        municipalities += _network_in(programme, code, code, members=3)
    indicator = Indicator.objects.get(code="demo_r_pjanaggr3")
    for n, m in enumerate(municipalities):
        Observation.objects.create(indicator=indicator, municipality=m, year=2024, value=n)
    subject = municipalities[0]
    user = f.project_officer_of(programme)
    client.force_login(user)
    url = reverse("municipality_keyfigures", args=[subject.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}?compare=programme-{programme.pk}&year=2024")
    assert response.status_code == 200
    assert f"({len(municipalities)} municipalities)" in response.content.decode()
    return len(captured)


def test_the_programme_comparison_runs_the_same_queries_with_two_and_four_countries(
    client, programme
):
    assert _queries(client, programme, 2) == _queries(client, programme, 4)


@pytest.mark.parametrize(
    ("code", "source", "alike"),
    [
        ("demo_r_pjanaggr3", "ESTAT", True),
        ("tgs00096", "Eurostat, regional statistics", True),
        ("DM-DMA-overall", "Self-assessment: Digital maturity (v1)", True),
        ("REG-population", "SSB, register file", True),
        ("KOSAG110000", "ssb", False),
        ("N00945", "kolada", False),
    ],
)
def test_which_figures_are_defined_alike_across_countries(code, source, alike):
    assert defined_alike_across_countries(code=code, source=source) is alike


def test_the_registers_structure_is_stored_as_comparable_across_countries(db):
    from benchmarking.services import register_keyfigures_write
    from benchmarking.structure import REGISTER_INDICATORS

    municipality = f.MunicipalityFactory(population=1200, area_km2=30)
    register_keyfigures_write(country=municipality.country, year=2024, source="SSB, register")
    stored = Indicator.objects.filter(code__in=[spec.code for spec in REGISTER_INDICATORS])
    assert stored.count() == len(REGISTER_INDICATORS)
    assert all(indicator.comparable_across_countries for indicator in stored)
