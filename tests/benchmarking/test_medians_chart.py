"""The over-time chart: a municipality's own line with the network's and the country's median
by year beside it, each named in the legend and in the text alternative and drawn in its own
dash and mark; the medians worked out here from the observations of the real 13502 file."""

import re
from statistics import median
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking import charts
from benchmarking.models import Indicator, Observation
from benchmarking.selectors import series_medians
from reports import documents
from tests import factories as f

from .realfiles import KINDERGARTEN, import_real_files

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def imported(db):
    return import_real_files([KINDERGARTEN])


def _medians_by_year(observations) -> dict[int, float]:
    by_year: dict[int, list[float]] = {}
    for year, value in observations:
        if value is not None:
            by_year.setdefault(year, []).append(value)
    return {year: median(values) for year, values in sorted(by_year.items())}


def _expected(imported):
    indicator = Indicator.objects.get(code="KOSandel120000")
    rows = Observation.objects.filter(indicator=indicator)
    network = _medians_by_year(
        rows.filter(municipality__in=imported.members).values_list("year", "value")
    )
    country = _medians_by_year(
        rows.filter(municipality__country=imported.norway).values_list("year", "value")
    )
    own = list(
        rows.filter(municipality=imported.alta).order_by("year").values_list("year", "value")
    )
    return indicator, own, network, country


def _listed(points):
    return "; ".join(
        f"{year}: {charts.format_number(value, 1) if value is not None else 'missing'}"
        for year, value in points
    )


def _svg(html):
    markup = re.search(r'<svg[^>]*class="kf-chart kf-series".*?</svg>', html, re.DOTALL).group(0)
    return ElementTree.fromstring(markup)  # noqa: S314 (our own markup)


def test_the_indicator_page_draws_the_network_and_country_medians(client, imported):
    indicator, own, network, country = _expected(imported)
    assert len(network) >= 5
    assert len(country) >= 5
    client.force_login(imported.chief)
    html = client.get(reverse("indicator_detail", args=[indicator.pk])).content.decode()
    svg = _svg(html)
    name = "Andel barn 1-2 år i barnehage, i forhold til innbyggere 1-2 år"
    assert svg.get("aria-label") == (
        f"{name}, Alta by year (%): {_listed(own)}. "
        f"Median of the network eKommune Finnmark: {_listed(network.items())}. "
        f"Median of Norway: {_listed(country.items())}."
    )
    assert svg.find(f"{SVG}title").text == svg.get("aria-label")
    # Each line in its own dash and mark: squares for the network, triangles for the country.
    lines = svg.findall(f"{SVG}polyline")
    dashes = {line.get("stroke-dasharray") for line in lines}
    assert dashes == {None, charts.LINE_STYLES["network"][1], charts.LINE_STYLES["country"][1]}
    squares = svg.findall(f"{SVG}rect[@class='kf-mark-network']")
    triangles = svg.findall(f"{SVG}polygon[@class='kf-mark-country']")
    assert len(squares) == len(network) + 1  # one per year, and the legend's
    assert len(triangles) == len(country) + 1
    legend = [t.text for t in svg.findall(f"{SVG}text") if (t.get("class") or "").startswith("kf")]
    assert legend == ["Alta", "Median of the network eKommune Finnmark", "Median of Norway"]
    assert "dashed line, squares" in html
    assert "dotted line, triangles" in html


def test_the_country_median_is_the_stored_summary(imported):
    indicator, _own, _network, country = _expected(imported)
    medians = series_medians(
        indicator_ids=[indicator.pk], municipality=imported.alta, network=None
    )[indicator.pk]
    assert medians.network == []  # without a network, none
    assert dict(medians.country) == pytest.approx(country)


def test_the_position_report_draws_the_medians_too(imported):
    indicator, _own, network, country = _expected(imported)
    document = documents.position_document(imported.alta, imported.network)
    (line, chart), *_rest = document.context["lines"]
    assert line.indicator == indicator
    label = ElementTree.fromstring(str(chart)).get("aria-label")  # noqa: S314
    assert f"Median of the network eKommune Finnmark: {_listed(network.items())}." in label
    assert f"Median of Norway: {_listed(country.items())}." in label


def _queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_medians_add_a_fixed_number_of_queries(client, imported):
    indicator = Indicator.objects.get(code="KOSandel120000")
    url = reverse("indicator_detail", args=[indicator.pk])
    small = _queries(client, imported.chief, url)
    # More members, each with a value in more years: the same number of queries.
    for code in ["5610", "5612", "5614", "5616", "5618"]:
        municipality = imported.norway.municipalities.get(code=code)
        imported.network.municipalities.add(municipality)
    f.ObservationFactory(indicator=indicator, municipality=imported.alta, year=2024, value=90.0)
    assert _queries(client, imported.chief, url) == small


def test_without_own_values_there_is_no_chart_but_the_link_to_the_municipality(client, imported):
    hammerfest = imported.members[1]
    indicator = f.IndicatorFactory(code="KOSONLYHAMMERFEST", name_en="Only Hammerfest")
    f.ObservationFactory(indicator=indicator, municipality=hammerfest, year=2023, value=4.0)
    client.force_login(imported.chief)
    html = client.get(reverse("indicator_detail", args=[indicator.pk])).content.decode()
    assert "Over the years" not in html
    assert "kf-series" not in html
    position = reverse("municipality_keyfigures", args=[imported.alta.pk])
    assert f'<a href="{position}?year=2023">All key figures of Alta</a>' in html
