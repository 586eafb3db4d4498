"""Issued versions of the programme review report: frozen, checksummed, reviewed by the
programme's project officer only. Rendering runs in process (eager); the worker's own path is
in test_worker.py."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import NarrativeSection, ReportingPeriod, ReportRequest, ReportReview
from tests import factories as f

pytestmark = pytest.mark.django_db

Status, Kind = ReportRequest.Status, ReportRequest.Kind


def _done(world, period, content=b"%PDF-1.7 version one"):
    return f.ReportRequestFactory(
        kind=Kind.PROGRAMME,
        programme=world.programme,
        network=None,
        period=period,
        subject_key=services.subject_key(
            kind=Kind.PROGRAMME, programme=world.programme, period=period
        ),
        language="en",
        status=Status.DONE,
        file=default_storage.save("reports/programme.pdf", ContentFile(content)),
    )


def test_issuing_keeps_the_checksum_and_numbers_versions(world, media, period, coordinator):
    first = services.report_issue(report=_done(world, period), user=coordinator)
    assert first.version == 1
    assert first.checksum == hashlib.sha256(b"%PDF-1.7 version one").hexdigest()
    assert first.issued_by == coordinator
    second = services.report_issue(report=_done(world, period, b"%PDF two"), user=coordinator)
    assert second.version == 2


def test_issuing_is_refused_when_not_done_already_issued_or_drafts_remain(
    world, media, period, coordinator
):
    report = _done(world, period)
    NarrativeSection.objects.create(
        period=period, kind=NarrativeSection.Kind.LESSONS, language="en"
    )
    with pytest.raises(services.ReportRefused, match="Lessons learned"):
        services.report_issue(report=report, user=coordinator)
    NarrativeSection.objects.update(
        status=NarrativeSection.Status.FINAL, finalised_at=timezone.now()
    )
    services.report_issue(report=report, user=coordinator)
    with pytest.raises(services.ReportRefused, match="already issued"):
        services.report_issue(report=report, user=coordinator)
    queued = _done(world, period)
    ReportRequest.objects.filter(pk=queued.pk).update(status=Status.FAILED)
    queued.refresh_from_db()
    with pytest.raises(services.ReportRefused, match="ready"):
        services.report_issue(report=queued, user=coordinator)
    network_report = f.ReportRequestFactory(network=world.network, status=Status.DONE)
    with pytest.raises(services.ReportRefused, match="programme"):
        services.report_issue(report=network_report, user=coordinator)


def test_an_issued_version_is_never_rendered_over_nor_swept(
    world, media, period, coordinator, django_capture_on_commit_callbacks
):
    v1 = services.report_issue(report=_done(world, period), user=coordinator)
    with default_storage.open(v1.file.name) as handle:
        before = handle.read()
    services.report_render(report_id=v1.pk)  # a stray task for the issued row
    services.reports_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_request(
            user=coordinator,
            kind=Kind.PROGRAMME,
            programme=world.programme,
            period=period,
            language="en",
        )
    assert again.report.pk != v1.pk
    assert ReportRequest.objects.get(pk=again.report.pk).status == Status.DONE
    v1.refresh_from_db()
    assert v1.version == 1
    assert v1.status == Status.DONE
    with default_storage.open(v1.file.name) as handle:
        assert handle.read() == before
    assert v1.checksum == hashlib.sha256(before).hexdigest()


def test_a_download_of_a_changed_issued_file_is_refused(client, world, media, period, coordinator):
    v1 = services.report_issue(report=_done(world, period), user=coordinator)
    client.force_login(coordinator)
    url = reverse("report_download", args=[v1.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 version one"
    with open(v1.file.path, "wb") as handle:
        handle.write(b"%PDF-1.7 tampered")
    response = client.get(url)
    assert response.status_code == 409
    assert "SHA-256" in response.content.decode()


@pytest.mark.parametrize("who", ["facilitator", "chief_executive", "project_officer"])
def test_only_the_coordinator_or_an_administrator_issues(client, world, media, period, who):
    report = _done(world, period)
    client.force_login(world.users[who])
    response = client.post(reverse("report_issue", args=[report.pk]))
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert not report.is_issued


def test_the_coordinator_issues_through_the_page(client, world, media, period, coordinator):
    report = _done(world, period)
    client.force_login(coordinator)
    client.post(reverse("report_issue", args=[report.pk]))
    report.refresh_from_db()
    assert report.version == 1
    page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert report.checksum in page


@pytest.mark.parametrize("who", ["coordinator", "other_officer"])
def test_only_the_programmes_officer_reviews(client, world, media, period, coordinator, who):
    report = services.report_issue(report=_done(world, period), user=coordinator)
    user = coordinator if who == "coordinator" else world.users[who]
    client.force_login(user)
    response = client.post(reverse("report_review", args=[report.pk]), {"verdict": "acknowledged"})
    assert response.status_code in (403, 404)
    assert not ReportReview.objects.exists()


def test_the_officer_acknowledges_and_returning_needs_a_comment(
    client, world, media, period, coordinator
):
    report = services.report_issue(report=_done(world, period), user=coordinator)
    client.force_login(world.users["project_officer"])
    url = reverse("report_review", args=[report.pk])
    response = client.post(url, {"verdict": "returned", "comment": " "}, follow=True)
    assert "Comment" in response.content.decode()
    assert not ReportReview.objects.exists()
    client.post(url, {"verdict": "returned", "comment": "Add the Q3 figures."})
    client.post(url, {"verdict": "acknowledged"})
    assert sorted(report.reviews.values_list("verdict", flat=True)) == ["acknowledged", "returned"]


def test_a_period_of_another_programme_is_refused(client, world, media, period, coordinator):
    other = ReportingPeriod.objects.create(
        programme=f.ProgrammeFactory(), number=1, first_month=1, last_month=6
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("report_request"),
        {"kind": "programme", "programme": world.programme.pk, "period": other.pk},
    )
    assert response.status_code == 400
    assert "Reporting period" in response.content.decode()
    assert not ReportRequest.objects.exists()


def test_the_officer_hears_of_an_issued_version_and_the_coordinator_of_its_return(
    world, media, period, coordinator
):
    from notices.models import Kind as NoticeKind
    from notices.models import Notice

    officer = world.users["project_officer"]
    report = services.report_issue(report=_done(world, period), user=coordinator)
    (issued,) = Notice.objects.filter(kind=NoticeKind.REPORT_ISSUED)
    assert issued.recipient == officer
    assert issued.actor == coordinator
    assert issued.link == reverse("report_detail", args=[report.pk])
    assert "Months 1-12" in issued.about
    assert "version 1" in issued.about
    services.report_review(
        report=report,
        user=officer,
        verdict=ReportReview.Verdict.RETURNED,
        comment="Add the deviations of the fifth pilot.",
    )
    (returned,) = Notice.objects.filter(kind=NoticeKind.REPORT_RETURNED)
    assert returned.recipient == coordinator
    assert returned.excerpt == "Add the deviations of the fifth pilot."
    # Nobody is told of what they did themselves.
    assert not Notice.objects.filter(recipient=officer, kind=NoticeKind.REPORT_RETURNED).exists()
