"""The reports page, asking for a report from its subject's page, downloading it, and the
programme's outcome figures as a page, JSON and CSV."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import figures
from reports.models import ReportRequest
from tests import factories as f

pytestmark = pytest.mark.django_db

Status, Kind = ReportRequest.Status, ReportRequest.Kind


def _post(client, **data):
    return client.post(reverse("report_request"), data)


@pytest.mark.django_db(transaction=True)  # the request commits, then the task is sent
def test_asking_for_a_network_report_renders_it_and_lists_it(client, world, media):
    client.force_login(world.users["chief_executive"])
    response = _post(client, kind=Kind.NETWORK, network=world.network.pk)
    assert response.status_code == 302
    assert response.url == reverse("report_list")
    report = ReportRequest.objects.get()
    page = client.get(response.url).content.decode()
    assert "is being prepared" in page
    assert reverse("report_download", args=[report.pk]) in page
    download = client.get(reverse("report_download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("role", "data", "status"),
    [
        ("chief_executive", {"kind": "programme", "programme": "world.programme"}, 403),
        ("facilitator", {"kind": "programme", "programme": "world.programme"}, 403),
        ("other_officer", {"kind": "programme", "programme": "world.programme"}, 404),
        ("other_chief_executive", {"kind": "network", "network": "world.network"}, 404),
        ("other_facilitator", {"kind": "position", "municipality": "world.municipality"}, 404),
        ("facilitator", {"kind": "strategy", "network": "world.network",
                         "municipality": "world.municipality"}, 404),  # none started
        ("facilitator", {"kind": "network"}, 400),
        ("facilitator", {"kind": "report card", "network": "world.network"}, 400),
    ],
)  # fmt: skip
def test_asking_for_what_one_may_not_read_is_refused(client, world, role, data, status):
    client.force_login(world.users[role])
    names = {"world.programme": world.programme, "world.network": world.network,
             "world.municipality": world.municipality}  # fmt: skip
    data = {key: names[value].pk if value in names else value for key, value in data.items()}
    assert _post(client, **data).status_code == status
    assert not ReportRequest.objects.exists()


def test_a_position_report_against_a_network_the_municipality_is_not_in_is_refused(client, world):
    client.force_login(world.users["staff"])
    response = _post(
        client,
        kind=Kind.POSITION,
        municipality=world.municipality.pk,
        network=world.other_network.pk,
    )
    assert response.status_code == 404


def test_a_report_that_is_not_ready_is_not_downloaded(client, world):
    report = f.ReportRequestFactory(network=world.network, status=Status.RUNNING)
    client.force_login(world.users["facilitator"])
    assert client.get(reverse("report_download", args=[report.pk])).status_code == 404


def test_the_list_polls_while_a_report_is_under_way_and_stops_when_none_is(client, world):
    user = world.users["facilitator"]
    report = f.ReportRequestFactory(network=world.network, status=Status.QUEUED, requested_by=user)
    report.requesters.add(user)
    client.force_login(user)
    page = client.get(reverse("report_list")).content.decode()
    assert 'data-hx-trigger="every 2s"' in page
    assert "<script>" not in page.split('id="report-list"')[1]  # htmx attributes, no script
    fragment = client.get(reverse("report_list"), headers={"HX-Request": "true"})
    assert fragment.content.decode().startswith('<div id="report-list" data-hx-get=')
    assert "<html" not in fragment.content.decode()
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.DONE)
    fragment = client.get(reverse("report_list"), headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="report-list">')  # no trigger: polling stops
    assert "hx-trigger" not in fragment


def test_the_list_says_why_a_report_waits_or_failed(client, world):
    user = world.users["facilitator"]
    waiting = f.ReportRequestFactory(
        network=world.network, status=Status.QUEUED, note=ReportRequest.Note.BROKER_DOWN
    )
    failed = f.ReportRequestFactory(
        network=world.network, status=Status.FAILED, failure=ReportRequest.Failure.TIMEOUT,
        error="SoftTimeLimitExceeded",
    )  # fmt: skip
    waiting.requesters.add(user)
    failed.requesters.add(user)
    client.force_login(user)
    page = client.get(reverse("report_list")).content.decode()
    assert "starts when the queue is back" in page
    assert "Rendering took too long and was stopped." in page
    assert "SoftTimeLimitExceeded" not in page  # the detail is for administrators


def _list_queries(client, user, world, count):
    for _ in range(count):
        for kind, subject in [
            (Kind.NETWORK, {"network": world.network}),
            (Kind.POSITION, {"municipality": world.municipality, "network": world.network}),
            (Kind.PROGRAMME, {"programme": world.programme, "network": None}),
        ]:
            report = f.ReportRequestFactory(kind=kind, requested_by=user, **subject)
            report.requesters.add(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("report_list"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["project_officer", "facilitator", "staff"])
def test_the_list_runs_the_same_queries_at_any_size(client, world, role):
    user = world.users[role]
    small = _list_queries(client, user, world, 1)
    large = _list_queries(client, user, world, 4)
    assert small == large


def test_the_programme_page_offers_the_figures_and_the_report_to_the_officer(client, world):
    client.force_login(world.users["project_officer"])
    page = client.get(reverse("programme_detail", args=[world.programme.pk])).content.decode()
    assert reverse("programme_figures_export", args=[world.programme.pk, "json"]) in page
    assert reverse("programme_figures_export", args=[world.programme.pk, "csv"]) in page
    assert 'name="kind" value="programme"' in page
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("programme_detail", args=[world.programme.pk])).content.decode()
    assert "figures.json" not in page
    assert 'value="programme"' not in page


def test_the_network_and_municipality_pages_offer_their_reports(client, world):
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("network_detail", args=[world.network.pk])).content.decode()
    assert 'name="kind" value="network"' in page
    page = client.get(reverse("municipality_detail", args=[world.municipality.pk])).content.decode()
    assert 'name="kind" value="position"' in page
    assert 'name="kind" value="strategy"' not in page  # no strategy started yet


def test_the_figures_page_and_downloads_show_the_computed_figures(client, world):
    client.force_login(world.users["project_officer"])
    outcome = figures.programme_outcome(programme=world.programme)
    page = client.get(reverse("programme_figures", args=[world.programme.pk])).content.decode()
    assert "Regions that initiated the Digital Local Agenda process" in page
    assert world.network.name in page
    response = client.get(reverse("programme_figures_export", args=[world.programme.pk, "json"]))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["outcome"]["pilots"] == outcome.pilot_count == 2
    assert data["outcome"]["municipalities"] == outcome.municipalities == 3
    response = client.get(reverse("programme_figures_export", args=[world.programme.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "cemsdi-outcome.csv" in response["Content-Disposition"]
    assert (
        client.get(
            reverse("programme_figures_export", args=[world.programme.pk, "xml"])
        ).status_code
        == 404
    )


def test_a_joined_request_says_so(client, world, media):
    f.ReportRequestFactory(network=world.network, status=Status.RUNNING, started_at=timezone.now())
    client.force_login(world.users["facilitator"])
    page = client.post(
        reverse("report_request"), {"kind": "network", "network": world.network.pk}, follow=True
    ).content.decode()
    assert "was already being prepared; your request joins it" in page
    assert ReportRequest.objects.count() == 1
