"""The catalogue of key figures at /keyfigures/: the indicators the real SSB files brought,
with what the files say of them; search by name in either language, code and table, ignoring
case and accents; filters by category and source; pages; query counts at two sizes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking import selectors
from benchmarking.models import Indicator, Observation
from tests import factories as f
from tests.benchmarking.test_pages import _cells, _row, _text

from .realfiles import HEALTH, INCOME, ROADS, contents, import_real_files

pytestmark = pytest.mark.django_db

URL = reverse("keyfigure_catalogue")


@pytest.fixture
def imported(db):
    imported = import_real_files()
    # The English name, as the demo gives it (benchmarking/demo.py).
    Indicator.objects.filter(code="KOSandel120000").update(
        name_en="Children aged 1-2 in kindergarten (per cent)"
    )
    return imported


def _get(client, user, query="", language="en"):
    client.force_login(user)
    response = client.get(URL + query, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def _listed_codes(html):
    """The codes of the indicators the page lists, in its order."""
    ids = re.findall(r'<tr id="indicator-(\d+)"', html)
    codes = dict(Indicator.objects.values_list("pk", "code"))
    return [codes[int(pk)] for pk in ids]


def _file_codes(*names):
    return {code for name in names for code in contents(name)}


def test_the_catalogue_lists_every_imported_indicator_with_what_the_files_say(client, imported):
    html = _get(client, imported.chief)
    expected = _file_codes(INCOME, ROADS, HEALTH) | {"KOSandel120000"}
    assert set(_listed_codes(html)) == expected
    assert f"{len(expected)} indicators." in _text(html)
    # The free income of 12134: the file has values for three cities in 2024.
    income = Indicator.objects.get(code="KOSAG110000")
    assert _cells(_row(html, f"indicator-{income.pk}")) == [
        "Frie inntekter per innbygger KOSAG110000",  # the file's "(kr)" is the unit column's
        "Municipal finances",
        "NOK",
        "Statistisk sentralbyrå (table 12134)",
        "2024",
        "3",
        "neither",
    ]
    # The kindergarten share: every year and municipality with a value in the workbook.
    kindergarten = Indicator.objects.get(code="KOSandel120000")
    values = Observation.objects.filter(indicator=kindergarten, value__isnull=False)
    years = sorted(set(values.values_list("year", flat=True)))
    municipalities = len(set(values.values_list("municipality_id", flat=True)))
    cells = _cells(_row(html, f"indicator-{kindergarten.pk}"))
    assert cells[0] == "Children aged 1-2 in kindergarten KOSandel120000"
    assert cells[1:3] == ["Kindergartens", "%"]
    assert cells[4:6] == [f"{years[0]}–{years[-1]}", f"{municipalities:,}"]
    assert f'href="{reverse("indicator_detail", args=[kindergarten.pk])}"' in html


def test_search_finds_by_norwegian_and_english_name_code_and_table(client, imported):
    user = imported.chief
    assert _listed_codes(_get(client, user, "?q=barnehage")) == ["KOSandel120000"]
    assert _listed_codes(_get(client, user, "?q=KINDERGARTEN")) == ["KOSandel120000"]
    # In Norwegian too, the English name is searched (and the other way round).
    assert _listed_codes(_get(client, user, "?q=kindergarten", language="nb")) == ["KOSandel120000"]
    assert _listed_codes(_get(client, user, "?q=kosag110000")) == ["KOSAG110000"]
    assert set(_listed_codes(_get(client, user, "?q=12191"))) == _file_codes(HEALTH)
    # Accents and case do not matter: "UTFORT DOGN" finds "utført ... døgn".
    assert _listed_codes(_get(client, user, "?q=UTFORT+DOGN")) == ["KOShjemmebesokjo0000"]
    assert _listed_codes(_get(client, user, "?q=Hjemmebes%C3%B8k")) == ["KOShjemmebesokjo0000"]


def test_filter_by_category_and_source(client, imported):
    user = imported.chief
    html = _get(client, user, "?category=health")
    assert set(_listed_codes(html)) == _file_codes(HEALTH)
    assert f"{len(_file_codes(HEALTH))} of 12 indicators match." in _text(html)
    assert '<option value="health" selected>Health services (5)</option>' in html
    # The workbook of 13502 names no source: it is not among the statistics office's.
    by_source = _listed_codes(_get(client, user, "?source=Statistisk+sentralbyr%C3%A5"))
    assert set(by_source) == _file_codes(INCOME, ROADS, HEALTH)
    both = _listed_codes(_get(client, user, "?category=transport&q=belysning"))
    assert both == ["KOSandelkvmedlys0000"]


def test_a_search_that_finds_nothing_says_so(client, imported):
    html = _get(client, imported.chief, "?q=sykehus&category=health")
    assert _listed_codes(html) == []
    assert "No indicator matches “sykehus” with the chosen filters." in _text(html)
    assert "0 of 12 indicators match." in _text(html)


def test_the_catalogue_pages_and_keeps_the_search(client, world):
    per_page = selectors.CATALOGUE_PER_PAGE
    for number in range(per_page + 3):
        f.IndicatorFactory(code=f"KOSPAGE{number:03d}", name_en=f"Paged figure {number:03d}")
    f.IndicatorFactory(code="OTHER", name_en="Not searched")
    user = world.users["chief_executive"]
    first = _get(client, user, "?q=paged")
    assert _listed_codes(first) == [f"KOSPAGE{n:03d}" for n in range(per_page)]
    assert "Page 1 of 2" in first
    assert 'href="?q=paged&amp;page=2"' in first
    second = _get(client, user, "?q=paged&page=2")
    assert _listed_codes(second) == [f"KOSPAGE{n:03d}" for n in range(per_page, per_page + 3)]
    # A page past the end shows the last one, not an error.
    assert _listed_codes(_get(client, user, "?q=paged&page=99")) == _listed_codes(second)


def test_the_catalogue_is_for_signed_in_people_and_in_the_navigation(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    html = _get(client, world.users["no_role"])
    assert f'<a class="nav-link" href="{URL}">Key figures</a>' in html
    assert "There are no indicators in the portal yet." in html


def test_the_indicator_page_links_back_to_the_catalogue_and_the_municipality(client, imported):
    indicator = Indicator.objects.get(code="KOSandel120000")
    client.force_login(imported.chief)
    html = client.get(reverse("indicator_detail", args=[indicator.pk])).content.decode()
    assert f'<a href="{URL}?category=kindergartens">Kindergartens</a>' in html
    position = reverse("municipality_keyfigures", args=[imported.alta.pk])
    assert re.search(rf'<a href="{position}\?year=\d+">All key figures of Alta</a>', html)


def _queries(client, user, query=""):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL + query).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "?q=figure&category=Test"])
def test_the_catalogue_makes_the_same_queries_at_two_sizes(client, world, query):
    def grow(count):
        for _ in range(count):
            indicator = f.IndicatorFactory()
            for municipality in (world.municipality, world.neighbour):
                for year in (2023, 2024):
                    f.ObservationFactory(indicator=indicator, municipality=municipality, year=year)

    user = world.users["chief_executive"]
    grow(2)
    small = _queries(client, user, query)
    grow(selectors.CATALOGUE_PER_PAGE + 5)
    assert _queries(client, user, query) == small


def test_the_catalogue_leads_who_may_to_the_import_and_the_feeds(client, world):
    """An administrator reaches the import page and the statistics feeds from the portal, not
    only by typing their address; a facilitator the import; a chief executive neither."""
    imports, feeds = reverse("keyfigures_import"), reverse("feed_list")
    html = _get(client, world.users["staff"])
    assert f'<a href="{imports}">Import key figures</a>' in html
    assert f'<a href="{feeds}">Statistics feeds</a>' in html
    html = _get(client, world.users["facilitator"])
    assert f'<a href="{imports}">Import key figures</a>' in html
    assert f'href="{feeds}"' not in html
    html = _get(client, world.users["chief_executive"])
    assert f'href="{imports}"' not in html
    assert f'href="{feeds}"' not in html
