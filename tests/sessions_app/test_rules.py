"""The gatherings' policy: each predicate agrees with its queryset twin, and the rules moved
out of views and templates hold through the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import NetworkMembership, Role
from sessions_app import rules as perms
from sessions_app import selectors as sessions_selectors
from sessions_app import services
from sessions_app.models import Gathering

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def gatherings(world):
    """Both networks scheduled; Alta a member of the other network too; a staff member of
    Alta given through the other network's invitation only."""
    world.other_network.municipalities.add(world.municipality)
    for network in (world.network, world.other_network):
        services.gathering_schedule(
            network=network, drafts=sessions_selectors.schedule_proposal(network=network)
        )
    world.users["staff_through_other"] = f.municipal(
        Role.Kind.MUNICIPAL_STAFF,
        world.municipality,
        granted_in=world.other_network,
        username="staff_through_other",
    )
    return world


TWINS = [
    (Gathering, "sessions_app.view_gathering", perms.gatherings_visible_to),
    (NetworkMembership, "sessions_app.report_for_municipality", perms.memberships_reportable_by),
    (Gathering, "sessions_app.read_attendance", perms.gatherings_attendance_readable_by),
]


@pytest.mark.parametrize(
    "name",
    [
        "anonymous",
        "chief_executive",
        "facilitator",
        "mayor",
        "neighbour_chief_executive",
        "no_role",
        "other_chief_executive",
        "other_facilitator",
        "project_officer",
        "staff",
        "staff_through_other",
    ],
)
def test_gathering_predicates_agree_with_querysets(gatherings, name):
    user = gatherings.users[name]
    for model, perm, twin in TWINS:
        by_predicate = {obj.pk for obj in model.objects.all() if user.has_perm(perm, obj)}
        by_queryset = set(twin(user).values_list("pk", flat=True))
        assert by_predicate == by_queryset, (perm, name)


def test_a_role_given_through_another_network_reports_only_there(gatherings):
    user = gatherings.users["staff_through_other"]
    reportable = perms.memberships_reportable_by(user)
    assert {(m.network_id, m.municipality.name) for m in reportable} == {
        (gatherings.other_network.pk, "Alta")
    }


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("facilitator", True),
        ("other_facilitator", True),
        ("staff", True),
        ("chief_executive", False),
        ("project_officer", False),
        ("no_role", False),
        ("anonymous", False),
    ],
)
def test_the_facilitator_overview_is_for_facilitators_and_administrators(world, name, allowed):
    assert world.users[name].has_perm("sessions_app.view_facilitator_overview") is allowed


def test_an_administrator_marks_a_members_work_done_through_the_page(client, gatherings):
    """Administrators may do all of it, as with strategies: the page offers every member's
    button and the mark is saved."""
    gathering = gatherings.network.gatherings.order_by("number").first()
    assignment = services.assignment_create(
        gathering=gathering, title="X", due_date=timezone.localdate(gathering.ends_at)
    )
    client.force_login(gatherings.users["staff"])
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert page.count('name="municipality"') == 2  # Alta and Hammerfest
    response = client.post(
        reverse("assignment_done", args=[assignment.pk]),
        {"municipality": gatherings.neighbour.pk, "done": "1"},
    )
    assert response.status_code == 302
    assert list(assignment.completions.values_list("municipality__name", flat=True)) == [
        "Hammerfest"
    ]
