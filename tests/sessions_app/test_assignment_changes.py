"""A facilitator changes an assignment (title, description, due date, section) and removes one;
removing one that municipalities marked done asks first and says how many did. Bad input
changes nothing; the other network's facilitator meets 404, a chief executive 403."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cemsdi_portal.core.models import AuditEntry
from sessions_app import selectors as sessions_selectors
from sessions_app import services
from sessions_app.models import Assignment, AssignmentCompletion

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    return services.gathering_schedule(network=world.network, drafts=drafts)[0]


@pytest.fixture
def assignment(gathering):
    return services.assignment_create(
        gathering=gathering,
        title="Nøkkeltall",
        description="Les tallene.",
        due_date=_after(gathering, 30),
        strategy_section="governance",
    )


def _after(gathering, days):
    return timezone.localdate(gathering.ends_at) + timedelta(days=days)


def _stored(assignment):
    return Assignment.objects.filter(pk=assignment.pk).values().get()


def _mark_done(world, assignment, *municipalities):
    for municipality in municipalities:
        services.assignment_set_done(
            assignment=assignment,
            municipality=municipality,
            user=world.users["chief_executive"],
            done=True,
        )


def _form(gathering, **changes):
    data = {
        "title": "Nøkkeltall og mål",
        "description": "Les tallene, sett mål.",
        "due_date": _after(gathering, 45).isoformat(),
        "strategy_section": "benefits",
    }
    return {**data, **changes}


def test_facilitator_changes_an_assignment_and_the_marks_stay(client, world, gathering, assignment):
    _mark_done(world, assignment, world.municipality)
    client.force_login(world.users["facilitator"])
    edit = reverse("assignment_edit", args=[assignment.pk])
    page = client.get(edit).content.decode()
    assert 'value="Nøkkeltall"' in page
    response = client.post(edit, _form(gathering))
    assert response.status_code == 302
    assert response.url == reverse("gathering_detail", args=[gathering.pk])
    stored = _stored(assignment)
    assert (stored["title"], stored["description"], stored["due_date"]) == (
        "Nøkkeltall og mål",
        "Les tallene, sett mål.",
        _after(gathering, 45),
    )
    assert stored["strategy_section"] == "benefits"
    assert AssignmentCompletion.objects.filter(assignment=assignment).count() == 1
    entry = AuditEntry.objects.filter(
        model="sessions_app.assignment", object_id=str(assignment.pk)
    ).latest("pk")
    assert entry.action == AuditEntry.Action.CHANGED
    assert entry.actor == world.users["facilitator"]
    assert set(entry.changes) == {"title", "description", "due_date", "strategy_section"}
    assert entry.changes["title"] == ["Nøkkeltall", "Nøkkeltall og mål"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "   "}, "title", "This field is required."),
        ({"due_date": "2010-08-31"}, "due_date", "The work is due after the gathering"),
        ({"due_date": "31.02.2011"}, "due_date", "Enter a valid date."),
        ({"strategy_section": "nonsense"}, "strategy_section", "Select a valid choice."),
    ],
)
def test_change_with_bad_input_says_what_and_changes_nothing(
    client, world, gathering, assignment, changes, field, message
):
    before, entries = _stored(assignment), AuditEntry.objects.count()
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("assignment_edit", args=[assignment.pk]), _form(gathering, **changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(error.startswith(message) for error in errors), errors
    assert _stored(assignment) == before
    assert AuditEntry.objects.count() == entries


def test_due_date_before_the_gathering_names_the_first_allowed_day(
    client, world, gathering, assignment
):
    client.force_login(world.users["facilitator"])
    day = timezone.localdate(gathering.ends_at)
    data = _form(gathering, due_date=(day - timedelta(days=1)).isoformat())
    response = client.post(reverse("assignment_edit", args=[assignment.pk]), data)
    assert response.context["form"].errors["due_date"] == [
        f"The work is due after the gathering, on or after {date_format(day)}."
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_facilitator", 404), ("other_chief_executive", 404), ("chief_executive", 403)],
)
def test_only_the_networks_facilitators_change_or_remove(
    client, world, gathering, assignment, role, status
):
    before = _stored(assignment)
    client.force_login(world.users[role])
    for name in ("assignment_edit", "assignment_delete"):
        url = reverse(name, args=[assignment.pk])
        assert client.get(url).status_code == status
        assert client.post(url, {**_form(gathering), "done_confirmed": "9"}).status_code == status
    assert _stored(assignment) == before


def test_signed_out_visitor_is_sent_to_sign_in(client, assignment):
    for name in ("assignment_edit", "assignment_delete"):
        response = client.post(reverse(name, args=[assignment.pk]), {})
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_assignment_nobody_marked_done_is_removed_at_once(client, world, gathering, assignment):
    client.force_login(world.users["facilitator"])
    response = client.post(reverse("assignment_delete", args=[assignment.pk]))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditEntry.objects.filter(model="sessions_app.assignment").latest("pk")
    assert (entry.action, entry.object_id, entry.object_repr) == (
        AuditEntry.Action.DELETED,
        str(assignment.pk),
        "Nøkkeltall",
    )


def test_removing_one_marked_done_asks_first_and_says_how_many(
    client, world, gathering, assignment
):
    _mark_done(world, assignment, world.municipality, world.neighbour)
    client.force_login(world.users["facilitator"])
    url = reverse("assignment_delete", args=[assignment.pk])

    # The gathering page's Remove button posts without a confirmation: the page asks.
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 municipalities have marked this assignment done: their marks go with it." in page
    assert '<input type="hidden" name="done_confirmed" value="2">' in page
    assert "Remove it with 2 marks" in page
    assert AssignmentCompletion.objects.filter(assignment=assignment).count() == 2

    response = client.post(url, {"done_confirmed": "2"})
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    gone = AuditEntry.objects.filter(
        model="sessions_app.assignmentcompletion", action=AuditEntry.Action.DELETED
    )
    assert sorted(gone.values_list("object_repr", flat=True)) == [
        f"{world.municipality}: Nøkkeltall",
        f"{world.neighbour}: Nøkkeltall",
    ]


def test_a_mark_made_after_the_question_asks_again(client, world, gathering, assignment):
    _mark_done(world, assignment, world.municipality)
    client.force_login(world.users["facilitator"])
    url = reverse("assignment_delete", args=[assignment.pk])
    assert "1 municipality has marked this assignment done" in client.get(url).content.decode()
    _mark_done(world, assignment, world.neighbour)  # meanwhile
    response = client.post(url, {"done_confirmed": "1"})
    assert response.status_code == 200
    assert "2 municipalities have marked this assignment done" in response.content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_gathering_page_offers_change_and_remove_to_the_facilitator_only(
    client, world, gathering, assignment
):
    edit = reverse("assignment_edit", args=[assignment.pk])
    client.force_login(world.users["facilitator"])
    assert edit in client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert edit not in page
    assert reverse("assignment_delete", args=[assignment.pk]) not in page
