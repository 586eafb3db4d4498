"""A project officer's reports, in a real browser: the reports page follows a render under
way without a reload and stops asking once nothing is under way; the officer asks for the
programme's review report from its page and downloads the PDF."""

import re
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from playwright.sync_api import Page, expect

from reports.models import ReportRequest
from tests import factories as f

from ..reports.conftest import pdf_text

PASSWORD = "a-long-test-password"


def test_officer_follows_a_report_and_downloads_the_review_report(
    live_server, transactional_db, page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    programme = f.ProgrammeFactory(acronym="CEMSDI")
    municipality = f.MunicipalityFactory(name="Alta")
    network = f.NetworkFactory(
        programme=programme, name="eKommune Finnmark", language="en", members=[municipality]
    )
    officer = f.project_officer_of(programme, username="officer", password=PASSWORD)
    running = f.ReportRequestFactory(
        network=network, status=ReportRequest.Status.RUNNING, requested_by=officer
    )
    running.requesters.add(officer)

    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill("officer")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The list shows the render under way, and picks up its end without a reload.
    polls = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/reports/") else None)
    page.goto(live_server.url + reverse("report_list"))
    row = page.locator(f"#report-{running.pk}")
    expect(row).to_contain_text("Being rendered")
    ReportRequest.objects.filter(pk=running.pk).update(
        status=ReportRequest.Status.DONE,
        file=default_storage.save("reports/network.pdf", ContentFile(b"%PDF-1.7 test")),
        size=13,
        page_count=1,
    )
    expect(row.get_by_role("link", name="Download PDF")).to_be_visible(timeout=10_000)
    asked = len(polls)
    page.wait_for_timeout(4_500)  # two polling periods: nothing under way, nothing asked
    assert len(polls) == asked

    # The review report, asked for from the programme's page.
    page.goto(live_server.url + reverse("programme_detail", args=[programme.pk]))
    page.get_by_role("button", name="Request the review report (PDF)").click()
    expect(page).to_have_url(live_server.url + reverse("report_list"))
    expect(page.get_by_role("status")).to_contain_text("is being prepared")
    report = ReportRequest.objects.get(kind=ReportRequest.Kind.PROGRAMME)
    link = page.locator(f"#report-{report.pk}").get_by_role("link", name="Download PDF")
    expect(link).to_be_visible(timeout=20_000)
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(r"cemsdi-review-report-[\d-]+-\d+\.pdf", download.value.suggested_filename)
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "CEMSDI programme review report" in text
    assert "eKommune Finnmark" in text
