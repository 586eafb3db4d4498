"""Units are said once and in the reader's language: the vocabulary against the units of the
real SSB files, a name's trailing "(unit)" left out where the unit is shown beside it, and the
pages, the export and the English report that once said "(prosent) (prosent)" or "kr"."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from benchmarking import units
from benchmarking.models import Indicator
from benchmarking.readers import read
from reports import services as report_services
from reports.models import ReportRequest
from tests.benchmarking.test_pages import _cells, _row, _text
from tests.reports.conftest import pdf_text

from .realfiles import DATA, HEALTH, INCOME, KINDERGARTEN, ROADS, contents, import_real_files

pytestmark = pytest.mark.django_db


def _file_indicators(name):
    """(label, unit) of each indicator of a real file, as the reader gives them."""
    frame = read((DATA / name).read_bytes(), name).frame.drop_duplicates("indicator_code")
    return list(zip(frame["indicator_label"], frame["unit"], strict=True))


# --- The vocabulary ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [KINDERGARTEN, INCOME, ROADS, HEALTH])
def test_every_unit_of_the_real_files_is_in_the_vocabulary(name):
    for _label, unit in _file_indicators(name):
        assert units.canonical(unit) is not None, unit


@pytest.mark.parametrize(
    ("unit", "english", "norwegian"),
    [
        ("prosent", "%", "%"),
        ("per cent", "%", "%"),
        ("kr", "NOK", "kr"),
        ("NOK", "NOK", "kr"),
        ("1000 kr", "NOK 1,000", "1000 kr"),
        ("1 000 kr", "NOK 1,000", "1000 kr"),
        ("antall", "number", "antall"),
        ("Number", "number", "antall"),
        ("personer", "persons", "personer"),
        ("årsverk", "full-time equivalents", "årsverk"),
        ("ja=1, nei=0", "yes = 1, no = 0", "ja = 1, nei = 0"),
        ("kvm", "m²", "m²"),
        ("per 1000 innbyggere", "per 1,000 inhabitants", "per 1000 innbyggere"),
    ],
)
def test_a_known_unit_is_shown_in_the_readers_language(unit, english, norwegian):
    with translation.override("en"):
        assert units.label(unit) == english
    with translation.override("nb"):
        assert units.label(unit) == norwegian


def test_an_unknown_unit_is_shown_as_the_source_gave_it():
    assert units.canonical("kWh per elev") is None
    assert units.label("kWh  per elev") == "kWh per elev"
    assert units.label("") == ""


@pytest.mark.parametrize("name", [KINDERGARTEN, ROADS, HEALTH])
def test_a_real_label_loses_its_trailing_unit_once(name):
    for label, unit in _file_indicators(name):
        stripped = units.name_without_unit(label, unit)
        assert stripped == label[: label.rindex("(")].rstrip(), label
        assert not stripped.endswith(")") or "(" in stripped  # only the unit went


def test_a_parenthesis_that_is_not_the_unit_stays():
    label, unit = contents(HEALTH)["KOSergoaarsverk0000"]
    assert label == "Ergoterapeuter (kommunehelse + omsorg) (årsverk)"
    assert units.name_without_unit(label, unit) == "Ergoterapeuter (kommunehelse + omsorg)"
    assert units.name_without_unit("Beløp (1000 kr); Politisk styring", "1000 kr") == (
        "Beløp; Politisk styring"
    )
    assert units.name_without_unit("Children (aged 1-2)", "%") == "Children (aged 1-2)"
    assert units.name_without_unit("Children (per cent)", "prosent") == "Children"


# --- Where units are shown --------------------------------------------------------------------


@pytest.fixture
def imported(db):
    return import_real_files([KINDERGARTEN, INCOME])


def _page(client, user, url, language):
    client.force_login(user)
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def _kindergarten_row(html):
    indicator = Indicator.objects.get(code="KOSandel120000")
    return _cells(_row(html, f"indicator-{indicator.pk}"))


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_position_page_says_the_unit_once(client, imported, language):
    url = reverse("municipality_keyfigures", args=[imported.alta.pk]) + "?year=2023"
    html = _page(client, imported.chief, url, language)
    assert "(prosent) (prosent)" not in html
    assert "prosent" not in _text(html)  # "%" in either language
    # The file's name ends with "(prosent)"; the page shows the unit beside the name once.
    name, value = _kindergarten_row(html)[:2]
    assert name == "Andel barn 1-2 år i barnehage, i forhold til innbyggere 1-2 år (%)"
    assert value.endswith("\xa0%") or value.endswith(" %")


def test_the_indicator_page_in_english_says_nok_and_in_norwegian_kr(client, imported):
    income = Indicator.objects.get(code="KOSAG110000")
    url = reverse("indicator_detail", args=[income.pk])
    user = imported.chief
    english = _text(_page(client, user, url, "en"))
    assert "Frie inntekter per innbygger (kr)" not in english  # the file's name loses its unit
    assert re.search(r"Unit\s*NOK\b", english)
    assert " kr" not in english
    norwegian = _text(_page(client, user, url, "nb"))
    assert re.search(r"Enhet\s*kr\b", norwegian)
    assert "NOK" not in norwegian


def test_the_network_export_header_names_the_unit_once_in_english(client, imported):
    client.force_login(imported.chief)
    url = reverse("network_keyfigures_export", args=[imported.network.pk, "csv"]) + "?year=2023"
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    header = next(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert "Andel barn 1-2 år i barnehage, i forhold til innbyggere 1-2 år (%)" in header
    assert not any("prosent" in column for column in header)


def test_the_english_position_report_has_no_norwegian_unit(imported):
    report = ReportRequest(
        kind=ReportRequest.Kind.POSITION,
        municipality=imported.alta,
        network=imported.network,
        language="en",
    )
    _document, rendered = report_services.render_document(report)
    text = pdf_text(rendered.content)
    assert "prosent" not in text
    assert "(prosent) (prosent)" not in text
    assert "Andel barn 1-2 år i barnehage, i forhold til innbyggere 1-2 år (%)" in text


@pytest.mark.parametrize(
    ("name", "unit", "shown"),
    [
        ("Live births per 1,000 inhabitants", "per 1000 innbyggere", "Live births"),
        ("Levendefødte per 1000 innbyggere", "per 1000 innbyggere", "Levendefødte"),
        (
            "Net migration, included, per 1,000 inhabitants",
            "per 1000 innbyggere",
            "Net migration, included",
        ),
        ("Number of inhabitants", "inhabitants", "Number of inhabitants"),  # not a rate
        ("Free income per inhabitant", "NOK per inhabitant", "Free income per inhabitant"),
    ],
)
def test_a_name_ending_in_its_rate_says_the_rate_once(name, unit, shown):
    assert units.name_without_unit(name, unit) == shown
