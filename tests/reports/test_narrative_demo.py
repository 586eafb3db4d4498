"""The demo's review report for months 1-12, read back from its PDF: the coordinator's
executive summary and lessons, and eKommune Finnmark's facilitator's narrative in Norwegian."""

import pytest

from reports.demo import EXECUTIVE_SUMMARY, PROGRESS
from reports.models import NarrativeSection, ReportingPeriod, ReportRequest
from reports.services import render_document

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def _first_words(text: str, count: int = 8) -> str:
    return " ".join(text.split()[:count])


def test_the_demos_report_for_months_1_to_12_holds_its_narrative(demo):
    period = ReportingPeriod.objects.get(programme=demo, number=1)
    sections = NarrativeSection.objects.filter(period=period)
    assert sections.count() == 6
    assert set(sections.values_list("status", flat=True)) == {"final"}
    report = ReportRequest(
        kind=ReportRequest.Kind.PROGRAMME, programme=demo, period=period, language="en"
    )
    _document, rendered = render_document(report)
    text = pdf_text(rendered.content)
    assert "Executive summary" in text
    assert _first_words(EXECUTIVE_SUMMARY) in text
    assert _first_words(PROGRESS) in text
    assert "Do not underestimate the workload" in text
    # Drafts carry a badge; here all six are final (the word "Drafts" elsewhere counts strategies).
