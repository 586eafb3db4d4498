"""Invitations, attendance and the training hours derived from agendas and attendance."""

from decimal import Decimal

import pytest
from django.urls import reverse

from networks.models import Role
from sessions_app import selectors, services
from sessions_app.models import AgendaItem, Attendance
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def gatherings(world):
    drafts = services.schedule_proposal(network=world.network)
    return services.gathering_schedule(network=world.network, drafts=drafts)


def _minutes(gathering):
    return sum(
        i.duration_minutes for i in gathering.agenda.all() if i.kind != AgendaItem.Kind.BREAK
    )


def test_gathering_one_invites_chief_executives_and_mayors(world, gatherings):
    first, second = gatherings[0], gatherings[1]
    invited_first = {(i.person.username, i.role_kind) for i in selectors.gathering_invitees(first)}
    assert invited_first == {
        ("chief_executive", Role.Kind.CHIEF_EXECUTIVE),
        ("mayor", Role.Kind.MAYOR),
        ("neighbour_chief_executive", Role.Kind.CHIEF_EXECUTIVE),
    }
    invited_second = {i.person.username for i in selectors.gathering_invitees(second)}
    assert invited_second == {"chief_executive", "neighbour_chief_executive"}


def _attendance_post(world, **overrides):
    data = {
        f"present_{world.users['chief_executive'].pk}": "on",
        f"hours_{world.users['chief_executive'].pk}": "",
        f"present_{world.users['mayor'].pk}": "on",
        f"hours_{world.users['mayor'].pk}": "3.5",
        f"hours_{world.users['neighbour_chief_executive'].pk}": "",
    }
    data.update(overrides)
    return data


def test_facilitator_records_attendance_and_hours_follow(client, world, gatherings):
    first = gatherings[0]
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("gathering_attendance", args=[first.pk]), _attendance_post(world)
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_held
    rows = {a.person.username: a for a in Attendance.objects.filter(gathering=first)}
    assert rows["chief_executive"].present
    assert rows["chief_executive"].hours is None  # the agenda's hours count
    assert rows["mayor"].hours == Decimal("3.50")
    assert not rows["neighbour_chief_executive"].present

    training = selectors.network_gatherings(network=world.network)
    agenda_hours = Decimal(_minutes(first)) / 60
    assert training.held == 1
    assert training.delivered_hours == agenda_hours
    ce, mayor = world.users["chief_executive"], world.users["mayor"]
    assert training.hours_by_person == {ce.pk: agenda_hours, mayor.pk: Decimal("3.50")}
    assert training.hours_by_municipality == {world.municipality.pk: agenda_hours + Decimal("3.5")}
    assert training.person_hours == agenda_hours + Decimal("3.5")
    assert training.attendance_rate == 67  # two of three invitees came
    assert training.missed == [world.neighbour]
    assert training.next_gathering == gatherings[1]


def test_changing_the_agenda_changes_the_derived_hours(client, world, gatherings):
    first = gatherings[0]
    services.attendance_record(
        gathering=first,
        entries=[
            services.AttendanceEntry(
                world.users["chief_executive"].pk, world.municipality.pk, "chief_executive", True
            )
        ],
    )
    before = selectors.network_gatherings(network=world.network).person_hours
    first.agenda.filter(kind=AgendaItem.Kind.WORKSHOP).delete()
    after = selectors.network_gatherings(network=world.network).person_hours
    assert before - after == Decimal(60) / 60  # the one-hour workshop is gone


def test_who_came_shows_leadership_per_municipality(world, gatherings):
    first = gatherings[0]
    services.attendance_record(
        gathering=first,
        entries=[
            services.AttendanceEntry(world.users["mayor"].pk, world.municipality.pk, "mayor", True),
            services.AttendanceEntry(
                world.users["neighbour_chief_executive"].pk,
                world.neighbour.pk,
                "chief_executive",
                True,
            ),
        ],
    )
    page = selectors.gathering_page(gathering_id=first.pk, user=world.users["facilitator"])
    rows = {r.municipality.name: (r.chief_executive, r.mayor) for r in page.who_came}
    assert rows == {"Alta": (False, True), "Hammerfest": (True, False)}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours_{neighbour}": "2"}, "Hours are for people who were present"),
        ({"hours_{ce}": "25"}, "less than or equal to 24"),
        ({"hours_{ce}": "-1"}, "greater than or equal to 0"),
        ({"hours_{ce}": "lots"}, "Enter a number."),
    ],
)
def test_bad_attendance_is_refused_on_the_field(client, world, gatherings, overrides, message):
    ids = {
        "neighbour": world.users["neighbour_chief_executive"].pk,
        "ce": world.users["chief_executive"].pk,
    }
    data = _attendance_post(world, **{k.format(**ids): v for k, v in overrides.items()})
    client.force_login(world.users["facilitator"])
    response = client.post(reverse("gathering_attendance", args=[gatherings[0].pk]), data)
    assert response.status_code == 200
    field = next(iter(overrides)).format(**ids)
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Attendance.objects.exists()
    gatherings[0].refresh_from_db()
    assert not gatherings[0].is_held


def test_attendance_page_lists_invitees_with_the_default_hours(client, world, gatherings):
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("gathering_attendance", args=[gatherings[1].pk])).content.decode()
    hours = f"{Decimal(_minutes(gatherings[1])) / 60:.2f}"
    assert f'placeholder="{hours}"' in page
    assert world.users["chief_executive"].get_full_name() in page
    assert world.users["mayor"].get_full_name() not in page  # mayors come to gathering 1


def test_a_former_participant_stays_in_the_record(world, gatherings):
    first = gatherings[0]
    services.attendance_record(
        gathering=first,
        entries=[
            services.AttendanceEntry(world.users["mayor"].pk, world.municipality.pk, "mayor", True)
        ],
    )
    Role.objects.filter(user=world.users["mayor"]).delete()  # a new mayor after an election
    f.municipal(Role.Kind.MAYOR, world.municipality, username="new_mayor")
    names = {i.person.username for i in selectors.gathering_invitees(first)}
    assert {"mayor", "new_mayor"} <= names


def test_network_page_shows_hours_per_municipality_and_person(client, world, gatherings):
    first = gatherings[0]
    services.attendance_record(
        gathering=first,
        entries=[
            services.AttendanceEntry(
                world.users["chief_executive"].pk, world.municipality.pk, "chief_executive", True
            ),
            services.AttendanceEntry(
                world.users["mayor"].pk, world.municipality.pk, "mayor", True, Decimal("2.5")
            ),
        ],
    )
    training = selectors.network_gatherings(network=world.network)
    rows = {
        r.municipality.name: r
        for r in selectors.municipality_training(network=world.network, training=training)
    }
    agenda_hours = (Decimal(_minutes(first)) / 60).quantize(Decimal("0.01"))
    assert rows["Alta"].attended == 1
    assert rows["Alta"].hours == agenda_hours + Decimal("2.5")
    assert {p.username: h for p, h in rows["Alta"].people} == {
        "chief_executive": agenda_hours,
        "mayor": Decimal("2.50"),
    }
    assert rows["Hammerfest"].attended == 0
    client.force_login(world.users["project_officer"])
    page = client.get(reverse("network_gatherings", args=[world.network.pk])).content.decode()
    assert f"{world.users['mayor'].get_full_name()}: 2.50" in page
