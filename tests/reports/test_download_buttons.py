"""A report's download looks enabled when there is a file, and is a disabled button with the
reason when there is none yet (or none at all)."""

from django.urls import reverse

from tests import factories as f


def _list(client, user):
    client.force_login(user)
    return client.get(reverse("report_list")).content.decode()


def test_done_report_has_an_enabled_download(client, world):
    user = world.users["project_officer"]  # sees the reports about their programme
    report = f.ReportRequestFactory(network=world.network, requested_by=user, status="done")

    html = _list(client, user)

    url = reverse("report_download", args=[report.pk])
    assert f'<a class="btn btn-sm btn-primary" href="{url}">Download PDF</a>' in html


def test_queued_report_has_a_disabled_download_with_its_reason(client, world):
    user = world.users["project_officer"]  # sees the reports about their programme
    report = f.ReportRequestFactory(network=world.network, requested_by=user, status="queued")

    html = _list(client, user)

    assert (
        '<button class="btn btn-sm btn-outline-secondary" type="button" disabled '
        f'aria-describedby="report-{report.pk}-why">Download PDF</button>'
        f'<span class="d-block small mt-1" id="report-{report.pk}-why">'
        "The file is ready when the report is done.</span>"
    ) in html
    assert reverse("report_download", args=[report.pk]) not in html


def test_failed_report_says_there_is_no_file(client, world):
    user = world.users["project_officer"]  # sees the reports about their programme
    report = f.ReportRequestFactory(network=world.network, requested_by=user, status="failed")

    html = _list(client, user)

    assert f'id="report-{report.pk}-why">No file: the report could not be made.</span>' in html
