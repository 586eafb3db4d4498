"""What the PDFs say: the programme report's outcome figures as computed from the demo data,
and every kind in both languages (a hostile strategy section: test_render_hostile.py)."""

import re

import pytest

from networks.models import Municipality, Network
from reports import figures, services
from reports.models import ReportRequest
from strategies.models import Strategy

from .conftest import pdf_reader, pdf_text, raster_images

pytestmark = pytest.mark.django_db

Kind = ReportRequest.Kind


def _titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        titles += _titles(entry) if isinstance(entry, list) else [entry.title]
    return titles


def _render(**fields):
    document, rendered = services.render_document(ReportRequest(**fields))
    return document, rendered


def test_the_programme_report_carries_the_outcome_table_of_the_demo(demo):
    outcome = figures.programme_outcome(programme=demo)
    document, rendered = _render(kind=Kind.PROGRAMME, programme=demo, language="en")
    text = pdf_text(rendered.content)
    for label, value in [
        ("Pilots", outcome.pilot_count),
        ("Municipalities", outcome.municipalities),
        ("Participants", outcome.participants),
        ("Senior executives and mayors", outcome.leaders),
        ("Average training hours per pilot", outcome.average_training_hours),
        ("Pilots that completed all sessions", len(outcome.completed)),
        ("Regions that initiated the Digital Local Agenda process", outcome.regions_dla_initiated),
    ]:
        assert re.search(rf"{re.escape(label)} {value}\b", text), (label, value)
    for pilot in outcome.not_completed:
        assert (
            f"Sessions completed by the other pilots: {pilot.network.name} {pilot.sessions_held}"
            in text
        )
    # A title page, contents with page numbers, a chapter per pilot.
    assert text.startswith("PROGRAMME REVIEW REPORT CEMSDI programme review report")
    assert re.search(r"Contents 1 Fact sheet and objectives \.[ .]*3", text)
    for network in Network.objects.filter(programme=demo):
        assert network.name in text
    assert f"Page 2 of {rendered.page_count}" in text
    reader = pdf_reader(rendered.content)
    assert reader.metadata.title == document.title
    bookmarks = _titles(reader.outline)  # the headings, as bookmarks
    assert bookmarks[0] == document.title
    assert {"Contents", "Fact sheet and objectives", "Outcome", "The pilots"} <= set(bookmarks)
    assert raster_images(reader) == []
    assert rendered.refused == []  # it asked for nothing but its fonts


def test_a_network_report_in_norwegian_renders_its_letters(demo):
    network = Network.objects.get(name="eKommune Finnmark")
    assert network.language == "nb"
    _document, rendered = _render(kind=Kind.NETWORK, network=network, language="nb")
    text = pdf_text(rendered.content)
    assert pdf_reader(rendered.content).trailer["/Root"]["/Lang"] == "nb"
    for name in ("Måsøy", "Sør-Varanger", "Kautokeino"):
        assert name in text
    assert "Alta" in text


def test_a_position_report_draws_its_charts_as_vectors(demo):
    alta = Municipality.objects.get(code="5601")
    network = Network.objects.get(name="eKommune Finnmark")
    _document, rendered = _render(
        kind=Kind.POSITION, municipality=alta, network=network, language="en"
    )
    text = pdf_text(rendered.content)
    assert "Alta in key figures" in text
    assert "Compared with the network: eKommune Finnmark" in text
    reader = pdf_reader(rendered.content)
    assert raster_images(reader) == []
    # The charts are drawn: more vector paths than the tables' rules alone need.
    drawing = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert drawing.count(b" re\n") + drawing.count(b" l\n") > 20


def test_the_strategy_report_lays_out_the_plan_for_the_council(demo):
    strategy = (
        Strategy.objects.filter(status=Strategy.Status.ADOPTED)
        .select_related("network", "municipality")
        .first()
    )
    _document, rendered = _render(
        kind=Kind.STRATEGY, network=strategy.network, municipality=strategy.municipality,
        language="en",
    )  # fmt: skip
    text = pdf_text(rendered.content)
    assert strategy.title in text
    for section in strategy.sections.all():
        assert section.title in text
    for measure in strategy.measures.all():
        assert measure.title in text
    assert f"The municipal council of {strategy.municipality.name} adopted" in text
