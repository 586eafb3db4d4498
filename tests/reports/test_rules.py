"""Who may read a report: each role against each kind, and the predicate against its
queryset twin."""

import pytest
from django.urls import reverse

from networks.models import Role
from reports import rules as perms
from reports.models import ReportRequest
from strategies import services as strategy_services
from tests import factories as f

pytestmark = pytest.mark.django_db

Kind = ReportRequest.Kind


@pytest.fixture
def reports(world):
    """One report of each kind about the world's subjects, and about an outsider's."""
    chief = world.users["chief_executive"]
    draft = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    neighbour = world.users["neighbour_chief_executive"]
    shared = strategy_services.strategy_start(
        network=world.network, municipality=world.neighbour, user=neighbour
    )
    strategy_services.strategy_set_status(strategy=shared, status="shared", user=neighbour)
    return {
        "programme": f.ReportRequestFactory(
            kind=Kind.PROGRAMME, network=None, programme=world.programme
        ),
        "network": f.ReportRequestFactory(network=world.network),
        "other_network": f.ReportRequestFactory(network=world.other_network),
        "draft_strategy": f.ReportRequestFactory(
            kind=Kind.STRATEGY, network=draft.network, municipality=draft.municipality
        ),
        "shared_strategy": f.ReportRequestFactory(
            kind=Kind.STRATEGY, network=shared.network, municipality=shared.municipality
        ),
        "position": f.ReportRequestFactory(
            kind=Kind.POSITION, network=world.network, municipality=world.municipality
        ),
        "position_country": f.ReportRequestFactory(
            kind=Kind.POSITION, network=None, municipality=world.other_municipality
        ),
    }


EXPECTED = {  # role: the reports it may read
    "anonymous": set(),
    "no_role": set(),
    "facilitator": {"network", "shared_strategy", "position"},
    "other_facilitator": {"other_network", "position_country"},
    "chief_executive": {"network", "draft_strategy", "shared_strategy", "position"},
    "mayor": {"network", "draft_strategy", "shared_strategy", "position"},
    "neighbour_chief_executive": {"network", "shared_strategy", "position"},  # not the draft
    "other_chief_executive": {"other_network", "position_country"},
    "project_officer": {
        "programme",
        "network",
        "other_network",
        "shared_strategy",
        "position",
        "position_country",
    },
    "other_officer": set(),
    "staff": {
        "programme",
        "network",
        "other_network",
        "draft_strategy",
        "shared_strategy",
        "position",
        "position_country",
    },
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_who_may_read_which_report(world, reports, role):
    user = world.users[role]
    allowed = {name for name, report in reports.items() if user.has_perm(
        "reports.view_reportrequest", report
    )}  # fmt: skip
    assert allowed == EXPECTED[role]
    twin = set(perms.report_requests_visible_to(user).values_list("pk", flat=True))
    assert twin == {reports[name].pk for name in EXPECTED[role]}


def test_only_the_officer_and_staff_read_the_programme_report(world):
    readers = {
        role
        for role, user in world.users.items()
        if user.has_perm("reports.view_programme_report", world.programme)
    }
    assert readers == {"project_officer", "staff"}


def test_the_list_shows_own_requests_and_the_officers_programme(world, reports):
    mine = f.ReportRequestFactory(network=world.network, requested_by=world.users["facilitator"])
    mine.requesters.add(world.users["facilitator"])
    listed = perms.report_requests_listed_for

    def names(role):
        pks = set(listed(world.users[role]).values_list("pk", flat=True))
        found = {name for name, report in reports.items() if report.pk in pks}
        return found | ({"mine"} if mine.pk in pks else set())

    assert names("facilitator") == {"mine"}
    assert names("chief_executive") == set()
    assert names("project_officer") == EXPECTED["project_officer"] | {"mine"}
    assert names("staff") == set(reports) | {"mine"}


def test_a_requester_who_lost_the_role_no_longer_sees_the_report(world, reports):
    chief = world.users["chief_executive"]
    report = reports["network"]
    report.requesters.add(chief)
    assert report in perms.report_requests_listed_for(chief)
    Role.objects.filter(user=chief).delete()
    chief = type(chief).objects.get(pk=chief.pk)  # a new request: no cached scopes
    assert report not in perms.report_requests_listed_for(chief)
    assert not chief.has_perm("reports.view_reportrequest", report)


def test_a_failed_reports_error_is_shown_to_administrators_only(client, world):
    """The rule lives in reports/rules.py (view_report_error), not in the list's template."""
    chief = world.users["chief_executive"]
    report = f.ReportRequestFactory(
        network=world.network,
        requested_by=chief,
        status=ReportRequest.Status.FAILED,
        failure=ReportRequest.Failure.choices[0][0],
        error="WeasyPrint: font missing",
    )
    report.requesters.add(chief, world.users["staff"])
    client.force_login(chief)
    assert "WeasyPrint: font missing" not in client.get(reverse("report_list")).content.decode()
    client.force_login(world.users["staff"])
    assert "WeasyPrint: font missing" in client.get(reverse("report_list")).content.decode()
