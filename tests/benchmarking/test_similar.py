"""Similar municipalities: the nearest neighbours by structural figures (benchmarking/
similar.py), computed from the real register (networks/data/norge-data_kommuner-2025.json).

Stable (the same figures give the same sets, whatever order they are read in), explained (the
page names the method, the variables, their treatment and N), never the municipality itself,
within its country, and fair to a municipality that lacks a figure."""

import json
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking import services, similar
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Indicator, Observation, SimilarMunicipality
from benchmarking.readers import ReadOptions
from benchmarking.structure import AREA, DENSITY, POPULATION
from networks.models import Country, Municipality, Region, Role
from networks.register import MUNICIPALITIES_FILE, REGISTER_YEAR, register_load_norway
from tests import factories as f

pytestmark = pytest.mark.django_db

REGISTER = json.loads(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
BY_NAME = {row["k_name_no"]: row for row in REGISTER}


@pytest.fixture
def norway(settings):
    settings.SIMILAR_MUNICIPALITIES_COUNT = 10
    country = register_load_norway()
    services.register_keyfigures_write(country=country, year=REGISTER_YEAR, source="register")
    similar.similar_refresh(country_ids=[country.pk])
    return country


def _sets(country) -> dict[str, list[str]]:
    """Each municipality's neighbours by code, nearest first."""
    sets: dict[str, list[str]] = {}
    for code, neighbour in (
        SimilarMunicipality.objects.filter(municipality__country=country)
        .order_by("municipality__code", "rank")
        .values_list("municipality__code", "neighbour__code")
    ):
        sets.setdefault(code, []).append(neighbour)
    return sets


def _register_figures(rows):
    """Population, density and area of each municipality in the register file."""
    return {
        r["k_id"]: (r["k_population"], r["k_population"] / r["k_area"], r["k_area"]) for r in rows
    }


def _by_hand(rows, subject_code, count, figures=None):
    """The documented method in plain Python, for one municipality: log of population,
    density and area, standardised over the country (population standard deviation), the
    root mean square of the differences, ties by code."""
    figures = {
        code: [math.log(x) for x in values]
        for code, values in (figures or _register_figures(rows)).items()
    }
    columns = list(zip(*figures.values(), strict=True))
    means = [sum(c) / len(c) for c in columns]
    stds = [
        math.sqrt(sum((x - m) ** 2 for x in c) / len(c))
        for c, m in zip(columns, means, strict=True)
    ]
    z = {
        code: [(x - m) / s for x, m, s in zip(values, means, stds, strict=True)]
        for code, values in figures.items()
    }
    mine = z[subject_code]
    distances = sorted(
        (math.sqrt(sum((a - b) ** 2 for a, b in zip(mine, theirs, strict=True)) / 3), code)
        for code, theirs in z.items()
        if code != subject_code
    )
    return [code for _d, code in distances[:count]]


# --- The register's figures as key figures --------------------------------------------------


def test_register_figures_are_key_figures_read_from_the_file(norway):
    alta = BY_NAME["Alta"]
    values = dict(
        Observation.objects.filter(municipality__code=alta["k_id"], year=REGISTER_YEAR)
        .filter(indicator__code__startswith="REG-")
        .values_list("indicator__code", "value")
    )
    assert values[POPULATION.code] == alta["k_population"]
    assert values[AREA.code] == alta["k_area"]
    assert values[DENSITY.code] == pytest.approx(alta["k_population"] / alta["k_area"])
    indicators = Indicator.objects.filter(code__in=[POPULATION.code, AREA.code, DENSITY.code])
    assert {i.category for i in indicators} == {"structure"}
    assert {i.higher_is_better for i in indicators} == {None}
    assert Municipality.objects.get(code=alta["k_id"]).area_km2 == alta["k_area"]


def test_writing_the_register_figures_again_changes_nothing(norway):
    before = list(
        Observation.objects.filter(indicator__code__startswith="REG-")
        .order_by("pk")
        .values_list("pk", "value")
    )
    sets = _sets(norway)
    services.register_keyfigures_write(country=norway, year=REGISTER_YEAR, source="register")
    similar.similar_refresh(country_ids=[norway.pk])
    after = list(
        Observation.objects.filter(indicator__code__startswith="REG-")
        .order_by("pk")
        .values_list("pk", "value")
    )
    assert after == before
    assert len(before) == 3 * len(REGISTER)
    assert _sets(norway) == sets


# --- The sets -------------------------------------------------------------------------------


def test_every_municipality_has_n_neighbours_never_itself(norway):
    sets = _sets(norway)
    assert set(sets) == {r["k_id"] for r in REGISTER}
    for code, neighbours in sets.items():
        assert len(neighbours) == 10
        assert code not in neighbours
        assert len(set(neighbours)) == 10


def test_alta_is_compared_with_municipalities_of_its_size(norway):
    alta = BY_NAME["Alta"]
    found = _sets(norway)[alta["k_id"]]
    assert found == _by_hand(REGISTER, alta["k_id"], 10)
    by_code = {r["k_id"]: r for r in REGISTER}
    for code in found:
        assert 0.5 <= by_code[code]["k_population"] / alta["k_population"] <= 2
        assert 0.4 <= by_code[code]["k_area"] / alta["k_area"] <= 2.5
    # And much nearer in size than the country at large.
    gap = [abs(math.log(r["k_population"] / alta["k_population"])) for r in REGISTER]
    near = [abs(math.log(by_code[c]["k_population"] / alta["k_population"])) for c in found]
    assert max(near) < sorted(gap)[len(gap) // 4]


def test_oslo_is_compared_with_the_largest_cities(norway):
    oslo = BY_NAME["Oslo"]
    found = _sets(norway)[oslo["k_id"]]
    assert found == _by_hand(REGISTER, oslo["k_id"], 10)
    largest = sorted(REGISTER, key=lambda r: -r["k_population"])[1:6]  # Oslo itself is first
    assert {r["k_id"] for r in largest} & set(found[:5])


def test_the_same_figures_read_in_another_order_give_the_same_sets(norway):
    """A second country holds the same municipalities, created in the reverse order (other
    primary keys, other row order): its sets are Norway's, and never leave the country."""
    twin = Country.objects.create(code="XX", name="Twin")
    region = Region.objects.create(country=twin, code="01", name="All")
    Municipality.objects.bulk_create(
        [
            Municipality(
                country=twin,
                region=region,
                code=r["k_id"],
                name=r["k_name_no"],
                population=r["k_population"],
                area_km2=r["k_area"],
            )
            for r in reversed(REGISTER)
        ]
    )
    services.register_keyfigures_write(country=twin, year=REGISTER_YEAR, source="register")
    similar.similar_refresh(country_ids=[twin.pk])
    assert _sets(twin) == _sets(norway)
    assert not SimilarMunicipality.objects.filter(municipality__country=twin).exclude(
        neighbour__country=twin
    )
    assert not SimilarMunicipality.objects.filter(municipality__country=norway).exclude(
        neighbour__country=norway
    )
    # Computed a second time: the same order, the same distances.
    first = list(
        SimilarMunicipality.objects.filter(municipality__country=twin)
        .order_by("municipality__code", "rank")
        .values_list("municipality__code", "neighbour__code", "distance")
    )
    similar.similar_refresh(country_ids=[twin.pk])
    again = list(
        SimilarMunicipality.objects.filter(municipality__country=twin)
        .order_by("municipality__code", "rank")
        .values_list("municipality__code", "neighbour__code", "distance")
    )
    assert again == first


def _small_country(figures):
    """Municipalities of one country with (population, area); None where missing."""
    country = Country.objects.create(code="ZZ", name="Small")
    region = Region.objects.create(country=country, code="01", name="Only")
    for code, (population, area) in figures.items():
        Municipality.objects.create(
            country=country,
            region=region,
            code=code,
            name=f"M{code}",
            population=population,
            area_km2=area,
        )
    services.register_keyfigures_write(country=country, year=2025, source="test")
    similar.similar_refresh(country_ids=[country.pk], count=2)
    return country


def test_equal_distances_go_by_code():
    country = _small_country(
        {"0001": (1000, 100.0), "0003": (2000, 100.0), "0002": (2000, 100.0), "0004": (90000, 9.0)}
    )
    assert _sets(country)["0001"] == ["0002", "0003"]  # 0002 and 0003 are alike: by code
    rows = SimilarMunicipality.objects.filter(
        municipality__code="0001", municipality__country=country
    )
    assert rows[0].distance == rows[1].distance


def test_a_municipality_lacking_a_figure_is_compared_on_those_it_has():
    country = _small_country(
        {"0001": (1000, None), "0002": (1100, 50.0), "0003": (50000, 60.0), "0004": (990, 900.0)}
    )
    rows = list(
        SimilarMunicipality.objects.filter(municipality__code="0001", municipality__country=country)
        .order_by("rank")
        .values_list("neighbour__code", "compared_on")
    )
    # Without an area (and so a density) only the population counts: 990 and 1,100 are
    # nearest, 990 the nearer (by logarithm, 1 % against 10 %).
    assert rows == [("0004", [POPULATION.code]), ("0002", [POPULATION.code])]
    full = SimilarMunicipality.objects.filter(
        municipality__code="0002", neighbour__code="0003", municipality__country=country
    ).first()
    assert full is None or full.compared_on == [POPULATION.code, DENSITY.code, AREA.code]


def test_a_municipality_without_figures_has_no_neighbours():
    country = _small_country({"0001": (None, None), "0002": (100, 5.0), "0003": (200, 6.0)})
    sets = _sets(country)
    assert "0001" not in sets
    assert all("0001" not in neighbours for neighbours in sets.values())


def test_an_import_of_a_structural_figure_computes_the_sets_again(
    norway, django_capture_on_commit_callbacks
):
    alta = BY_NAME["Alta"]
    before = _sets(norway)[alta["k_id"]]
    size = 4 * alta["k_population"]
    data = f"region_code,year,value\n{alta['k_id']},{REGISTER_YEAR},{size}\n".encode()
    preview = import_preview(data, "population.csv", ReadOptions(indicator_code=POPULATION.code))
    with django_capture_on_commit_callbacks(execute=True):
        import_apply(preview, allow_unmapped=True)
    # Four times as many inhabitants (the density and area as they were): other neighbours,
    # the ones the method gives for these figures.
    figures = _register_figures(REGISTER)
    _population, density, area = figures[alta["k_id"]]
    figures[alta["k_id"]] = (size, density, area)
    after = _sets(norway)[alta["k_id"]]
    assert after != before
    assert after == _by_hand(REGISTER, alta["k_id"], 10, figures)


def test_the_command_computes_the_sets_again(norway):
    from django.core.management import call_command

    SimilarMunicipality.objects.all().delete()
    call_command("similar_municipalities", "--country", "NO", verbosity=0)
    assert len(_sets(norway)) == len(REGISTER)


# --- The page -------------------------------------------------------------------------------


@pytest.fixture
def chief(norway):
    alta = Municipality.objects.get(code=BY_NAME["Alta"]["k_id"])
    user = f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, username="alta_chief")
    return user, alta


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_explains_the_method_and_each_neighbour(client, chief):
    user, alta = chief
    client.force_login(user)
    html = client.get(reverse("municipality_similar", args=[alta.pk])).content.decode()
    text = _text(html)
    assert "The 10 municipalities of Norway nearest to this one" in text
    assert "standardised over the country" in text
    for name in ("Population", "Population density", "Area"):
        assert f'<th scope="row">{name} (' in html
    assert text.count("logarithm, weight 1") == 3
    for row in SimilarMunicipality.objects.filter(municipality=alta).select_related("neighbour"):
        assert f'id="neighbour-{row.neighbour_id}"' in html
        assert f"{row.neighbour.name} ({row.neighbour.code})" in text
    assert f'id="neighbour-{alta.pk}"' not in html


def test_the_page_says_what_a_municipality_lacks(client, norway):
    alta = Municipality.objects.get(code=BY_NAME["Alta"]["k_id"])
    alta.area_km2 = None
    alta.save()
    services.register_keyfigures_write(country=norway, year=REGISTER_YEAR, source="register")
    similar.similar_refresh(country_ids=[norway.pk])
    client.force_login(f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, username="c"))
    text = _text(client.get(reverse("municipality_similar", args=[alta.pk])).content.decode())
    assert "Alta has no figure for Population density, Area: it is compared on the figures" in text
    assert "not compared" in text


def test_the_page_of_another_municipality_is_not_found(client, chief):
    user, _alta = chief
    client.force_login(user)
    bodo = Municipality.objects.get(code=BY_NAME["Bodø"]["k_id"])
    assert client.get(reverse("municipality_similar", args=[bodo.pk])).status_code == 404


def test_the_similar_page_does_not_grow_with_its_neighbours(client, chief, settings):
    user, alta = chief
    client.force_login(user)
    url = reverse("municipality_similar", args=[alta.pk])
    counts = []
    for count in (2, 8):
        similar.similar_refresh(country_ids=[alta.country_id], count=count)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.content.decode().count('id="neighbour-') == count
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_chooser_offers_the_similar_municipalities(client, chief):
    user, alta = chief
    client.force_login(user)
    url = reverse("municipality_keyfigures", args=[alta.pk])
    html = client.get(url + "?compare=similar").content.decode()
    assert '<option value="similar" selected>similar municipalities: the 10 most alike' in html
    # The municipality itself and its ten neighbours.
    assert "Compared with similar municipalities: the 10 most alike (11 municipalities)" in _text(
        html
    )
    assert "nearest in the same country by Population, Population density, Area" in _text(html)
    csv = client.get(
        reverse("municipality_keyfigures_export", args=[alta.pk, "csv"]) + "?compare=similar"
    ).content.decode()
    assert "similar municipalities" in csv


def test_the_key_figures_against_similar_municipalities_do_not_grow(client, chief):
    """Two sizes of the set (2 and 8 neighbours) and of the data (a further indicator with
    figures for every municipality): the same number of queries."""
    user, alta = chief
    client.force_login(user)
    urls = [
        reverse("municipality_keyfigures", args=[alta.pk]) + "?compare=similar",
        reverse("municipality_keyfigures_export", args=[alta.pk, "xlsx"]) + "?compare=similar",
    ]
    counts = {url: [] for url in urls}
    for count, code in ((2, "EXTRA-1"), (8, "EXTRA-2")):
        similar.similar_refresh(country_ids=[alta.country_id], count=count)
        extra = Indicator.objects.create(code=code, name_en=code)
        Observation.objects.bulk_create(
            Observation(indicator=extra, municipality_id=pk, year=REGISTER_YEAR, value=float(pk))
            for pk in Municipality.objects.values_list("pk", flat=True)
        )
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts[url].append(len(captured))
    for url, (small, large) in counts.items():
        assert small == large, url


def test_the_register_year_is_not_the_default_year_of_the_statistics(client, chief):
    """Population and area are a year ahead of the statistics: the page opens with each
    figure in its own latest year (the income in its year, the register's in theirs), and
    the register's year stays a choice."""
    user, alta = chief
    income = Indicator.objects.create(code="KOSAG110000", name_en="Free income")
    Observation.objects.create(
        indicator=income, municipality=alta, year=REGISTER_YEAR - 1, value=81240.0
    )
    client.force_login(user)
    html = client.get(reverse("municipality_keyfigures", args=[alta.pk])).content.decode()
    assert '<option value="latest" selected>' in html
    assert f'<option value="{REGISTER_YEAR}">' in html
    income_row = re.search(rf'<tr id="indicator-{income.pk}">.*?</tr>', html, re.DOTALL).group(0)
    assert f"in {REGISTER_YEAR - 1}" in income_row
    html = client.get(
        reverse("municipality_keyfigures", args=[alta.pk]) + f"?year={REGISTER_YEAR}"
    ).content.decode()
    assert "inhabitants" in html


def test_the_demo_fills_the_sets_of_every_municipality(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    norway = Country.objects.get(code="NO")
    municipalities = Municipality.objects.filter(country=norway)
    assert municipalities.count() == len(REGISTER)
    sets = _sets(norway)
    assert set(sets) == set(municipalities.values_list("code", flat=True))
    assert {len(n) for n in sets.values()} == {10}
    registered = Observation.objects.filter(
        indicator__code__in=[POPULATION.code, AREA.code, DENSITY.code], year=REGISTER_YEAR
    )
    assert registered.count() == 3 * len(REGISTER)
    rows = list(SimilarMunicipality.objects.order_by("pk").values_list("pk", "neighbour_id"))
    call_command("seed_demo", stdout=StringIO())
    assert _sets(norway) == sets
    assert registered.count() == 3 * len(REGISTER)
    assert len(rows) == SimilarMunicipality.objects.count()


def test_the_figures_compared_name_their_unit_in_the_readers_language(client, chief):
    """On the Norwegian page the register's units are Norwegian ("innbyggere", not
    "inhabitants"), as on the key-figure page (units.label)."""
    user, alta = chief
    client.force_login(user)
    from django.utils import translation

    with translation.override("nb"):
        html = client.get(
            reverse("municipality_similar", args=[alta.pk]), HTTP_ACCEPT_LANGUAGE="nb"
        ).content.decode()
    assert "(inhabitants" not in html
    assert "(innbyggere)" in html
