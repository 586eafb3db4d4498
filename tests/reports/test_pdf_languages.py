"""Parts of a report in another language carry it in the PDF's structure (PDF/UA, WCAG 3.1.2):
a Norwegian strategy's sections in an English report are structure elements with /Lang (nb),
the report's own words are not; in a Norwegian report nothing needs it."""

import pytest
from pypdf.generic import ArrayObject, DictionaryObject

from reports import services
from reports.models import ReportRequest
from strategies import services as strategy_services
from tests.strategies.helpers import section, start, write

from .conftest import pdf_reader

pytestmark = pytest.mark.django_db

BODY = "Kommunen samarbeider med nabokommunene om digitale tjenester."
MEASURE = "Felles innbyggerportal"


def _elements(reader) -> list[DictionaryObject]:
    """Every structure element of the document, depth first."""
    found: list[DictionaryObject] = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, DictionaryObject) or node.get("/Type") != "/StructElem":
            return
        found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if kid is not None and not isinstance(kid, int):
                walk(kid)

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    for kid in root["/K"] if isinstance(root["/K"], ArrayObject) else [root["/K"]]:
        walk(kid)
    return found


def _mcids(element) -> list[int]:
    kids = element.get("/K")
    ids = []
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        if isinstance(kid, int):
            ids.append(int(kid))
        elif kid is not None:
            ids += _mcids(kid.get_object())
    return ids


def _report(strategy, language):
    _document, rendered = services.render_document(
        ReportRequest(
            kind=ReportRequest.Kind.STRATEGY,
            network=strategy.network,
            municipality=strategy.municipality,
            language=language,
        )
    )
    return pdf_reader(rendered.content)


@pytest.fixture
def norwegian(world):
    chief = world.users["chief_executive"]
    strategy = start(world, user=chief)
    write(section(strategy), chief, BODY)
    strategy_services.measure_save(
        strategy=strategy, data={"title": MEASURE, "status": "planned", "progress": 0}
    )
    return strategy


def test_an_english_report_tags_the_norwegian_sections_with_their_language(norwegian):
    reader = _report(norwegian, "en")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    elements = _elements(reader)
    marked = [e for e in elements if e.get("/Lang") == "nb"]
    kinds = [str(e["/S"]) for e in marked]
    sections = norwegian.sections.count()
    # Each section's heading (in the contents and in the text), the written section's body,
    # the measure's title, and the strategy's title in the proposed resolution.
    assert kinds.count("/H3") == sections
    assert kinds.count("/Div") == 1
    assert len(marked) >= 2 * sections + 3
    # The marked parts hold text: each has marked content under it.
    assert all(_mcids(e) for e in marked)
    # The report's own headings are read in the report's language.
    chapters = [e for e in elements if e["/S"] == "/H2"]
    assert chapters
    assert all("/Lang" not in e for e in chapters)


def test_a_norwegian_report_of_a_norwegian_strategy_needs_no_mark(norwegian):
    reader = _report(norwegian, "nb")
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    assert [e for e in _elements(reader) if "/Lang" in e] == []


def test_an_english_strategy_in_a_norwegian_report_is_tagged_english(norwegian):
    strategy_services.strategy_set_language(strategy=norwegian, language="en")
    norwegian.refresh_from_db()
    reader = _report(norwegian, "nb")
    languages = {e.get("/Lang") for e in _elements(reader)} - {None}
    assert languages == {"en"}
