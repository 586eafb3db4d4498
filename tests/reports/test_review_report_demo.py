"""The demo's programme review report for months 1-12, as the project officer gets it: the PDF
read back (executive summary, the objectives table, Norway's row as the seed's, a facilitator's
narrative), the .docx read back with python-docx (the same headings and figures), and the web
page. Rendered by the worker's own function (``report_render``) so the three files are the ones
a download serves."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from docx import Document as WordDocument

from networks.models import Network, NetworkMembership
from reports import figures
from reports.models import NarrativeSection, ObjectiveTarget, ReportingPeriod, ReportRequest
from reports.services import render_document, report_render, subject_key
from tests import factories as f

from .conftest import SEED_NORWAY_AFTER_ONE_YEAR, pdf_text, seed_table
from .pdfua_checks import checker_findings, structure_problems

pytestmark = pytest.mark.django_db

SEED = SEED_NORWAY_AFTER_ONE_YEAR
Kind = NarrativeSection.Kind


def _rendered(programme, language="en") -> ReportRequest:
    period = ReportingPeriod.objects.get(programme=programme, number=1)
    report = ReportRequest.objects.create(
        kind=ReportRequest.Kind.PROGRAMME,
        programme=programme,
        period=period,
        subject_key=subject_key(kind="programme", programme=programme, period=period),
        language=language,
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportRequest.Status.DONE, report.error
    return report


def _words(text: str, count: int = 10) -> str:
    """The first words of a written text, as the PDF's text folds them."""
    plain = re.sub(r"[#*_]", "", text)
    return " ".join(plain.split()[:count])


def _norway_row(text: str) -> list[int]:
    """Norway's row of the table per country: pilots, municipalities, participants, leaders,
    sessions per pilot, (hours), completed."""
    row = re.search(r"Norway (\d+) (\d+) (\d+) (\d+) (\d+) (\d+\.\d\d) (\d+) (\d+)", text)
    assert row, text[text.find("The outcome per country") :][:600]
    return [int(n) for i, n in enumerate(row.groups()) if i != 5]


SEED_ROW = [
    SEED["pilots"],
    SEED["municipalities"],
    SEED["participants"],
    SEED["senior_executives_and_mayors"],
    SEED["training_sessions_per_pilot"],
    SEED["pilots_completed_all_sessions"],
    *SEED["other_pilots_sessions_completed"],
]


def test_the_demos_first_year_reads_as_the_seed(demo):
    period = ReportingPeriod.objects.get(programme=demo, number=1)
    assert (period.starts_on, period.ends_on) == (date(2010, 6, 1), date(2011, 5, 31))
    outcome = figures.programme_outcome(programme=demo, as_of=period.ends_on)
    norway = next(row for row in outcome.countries if row.country.code == "NO")
    assert seed_table(norway) == SEED
    # Sogn og Sunnfjord's fourth gathering comes after the first year.
    sogn = next(p for p in norway.pilots if p.network.name == "eKommune Sogn og Sunnfjord")
    assert sogn.sessions_held == 3


def test_the_demos_report_for_months_1_to_12_read_back_from_its_pdf(demo, media, tmp_path):
    report = _rendered(demo)
    with report.file.open("rb") as handle:
        content = handle.read()
    text = pdf_text(content)
    # PDF/UA-1: the checker from PyPI and the structure checks find nothing.
    assert checker_findings(content, tmp_path) == []
    assert structure_problems(content) == []
    sections = NarrativeSection.objects.filter(period=report.period)
    assert sections.count() == 6
    assert set(sections.values_list("status", flat=True)) == {"final"}
    summary = sections.get(kind=Kind.EXECUTIVE_SUMMARY)
    assert "Executive summary" in text
    assert _words(summary.body) in text
    assert "Do not underestimate the workload" in text  # the seed's lesson, a heading
    # The objectives table: its caption dated at the period's end, and a target beside the
    # figure the records show then (the seed's 61 municipalities against the demo's 60).
    assert "Progress against the objectives · as of 31 May 2011" in text
    target = ObjectiveTarget.objects.get(
        objective__programme=demo,
        objective__position=1,
        measure=ObjectiveTarget.Measure.MUNICIPALITIES,
    )
    # The programme's municipalities then: every counted network started by the period's end
    # (the other countries' pilots too), from the memberships themselves.
    ends = report.period.ends_on
    members = (
        NetworkMembership.objects.filter(
            network__programme=demo,
            network__state__in=Network.COUNTED_STATES,
            network__planned_start__lte=ends,
            joined_at__date__lte=ends,
        )
        .values("municipality")
        .distinct()
        .count()
    )
    assert members > SEED["municipalities"]  # Norway's 61 and the other countries' members
    assert f"Municipalities taking part {target.target:.0f} {members} Met" in text
    assert _norway_row(text) == SEED_ROW
    finnmark = Network.objects.get(programme=demo, name="eKommune Finnmark")
    progress = NarrativeSection.objects.get(
        period=report.period, network=finnmark, kind=Kind.PROGRESS
    )
    assert progress.language == "nb"
    assert _words(progress.body) in text


@pytest.mark.parametrize("kind", ["network", "strategy", "position"])
def test_the_demos_other_reports_pass_the_pdf_ua_checks(demo, kind, tmp_path):
    network = Network.objects.get(programme=demo, name="eKommune Finnmark")
    alta = network.municipalities.get(name="Alta")
    request = ReportRequest(
        kind=kind, network=network, municipality=None if kind == "network" else alta
    )
    request.language = "nb"
    _document, rendered = render_document(request)
    assert checker_findings(rendered.content, tmp_path) == []
    assert structure_problems(rendered.content) == []


def test_the_docx_holds_the_pdfs_headings_and_figures(demo, media):
    report = _rendered(demo)
    with report.file.open("rb") as handle:
        text = pdf_text(handle.read())
    with report.docx_file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))
    assert word.core_properties.title == "CEMSDI programme review report"
    headings = [
        p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title")) and p.text
    ]
    assert "Executive summary" in headings
    assert "Progress against the objectives" not in headings  # a table caption, not a heading
    # Every heading of the .docx is in the PDF, in the same order.
    at = 0
    for heading in headings:
        found = text.find(" ".join(heading.split()), at)
        assert found >= 0, f"{heading!r} is not in the PDF after position {at}"
        at = found
    assert len(headings) >= 20
    rows = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    (norway,) = [row for row in rows if row[0] == "Norway"]
    numbers = [int(cell) for i, cell in enumerate(norway[1:]) if i != 5 and cell.isdigit()]
    assert numbers == SEED_ROW
    summary = NarrativeSection.objects.get(period=report.period, kind=Kind.EXECUTIVE_SUMMARY)
    assert any(_words(summary.body) in p.text for p in word.paragraphs)


def test_the_web_page_is_the_same_report_for_its_readers_only(demo, media, client):
    report = _rendered(demo)
    client.force_login(f.project_officer_of(demo))
    page = client.get(reverse("report_page", args=[report.pk]))
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    html = b"".join(page.streaming_content).decode()
    assert '<html lang="en">' in html
    assert "report-page.css" in html
    assert "Executive summary" in html
    docx = client.get(reverse("report_download_format", args=[report.pk, "docx"]))
    assert docx.status_code == 200
    assert b"".join(docx.streaming_content).startswith(b"PK")
    # A facilitator sees their network, not the programme's review report.
    finnmark = Network.objects.get(programme=demo, name="eKommune Finnmark")
    client.force_login(f.facilitator_of(finnmark))
    assert client.get(reverse("report_page", args=[report.pk])).status_code == 404
    assert (
        client.get(reverse("report_download_format", args=[report.pk, "docx"])).status_code == 404
    )
    assert client.get(reverse("report_download_format", args=[report.pk, "odt"])).status_code == 404
