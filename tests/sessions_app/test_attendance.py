"""Invitations, attendance and the training hours derived from agendas and attendance."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cemsdi_portal.core.models import AuditEntry
from networks.models import Network, Role
from sessions_app import selectors, services
from sessions_app import selectors as sessions_selectors
from sessions_app.models import AgendaItem, Attendance, Gathering
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def gatherings(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
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
    page = selectors.gathering_page(gathering=first, user=world.users["facilitator"])
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


# --- Attendance opens on the gathering's day ----------------------------------------------------


def _move_to(gathering, day, at=time(9, 0)):
    starts = timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())
    Gathering.objects.filter(pk=gathering.pk).update(
        starts_at=starts, ends_at=starts + timedelta(minutes=59)
    )
    gathering.refresh_from_db()


def _figures(client, world):
    Network.objects.filter(pk=world.network.pk).update(state=Network.State.RUNNING)  # counted
    client.force_login(world.users["project_officer"])
    data = client.get(reverse("programme_figures_export", args=[world.programme.pk, "json"])).json()
    return data["outcome"], data["networks"]


def test_attendance_for_a_gathering_tomorrow_is_refused_and_changes_no_figure(
    client, world, gatherings
):
    last = gatherings[3]
    tomorrow = timezone.localdate() + timedelta(days=1)
    _move_to(last, tomorrow)
    figures_before = _figures(client, world)
    client.force_login(world.users["facilitator"])
    url = reverse("gathering_attendance", args=[last.pk])
    opens = f"Attendance opens on {date_format(tomorrow)}, the day of the gathering."
    assert opens in client.get(url).content.decode()

    response = client.post(url, _attendance_post(world, **{f"hours_{world.users['mayor'].pk}": ""}))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [opens]
    assert opens in response.content.decode()
    assert not Attendance.objects.exists()
    last.refresh_from_db()
    assert last.attendance_recorded_at is None
    assert not AuditEntry.objects.filter(model="sessions_app.attendance").exists()
    assert _figures(client, world) == figures_before


def test_attendance_on_the_gathering_s_day_is_recorded_and_counts(client, world, gatherings):
    last = gatherings[3]
    _move_to(last, timezone.localdate(), at=time(23, 0))  # later today
    client.force_login(world.users["facilitator"])
    url = reverse("gathering_attendance", args=[last.pk])
    assert "Attendance opens on" not in client.get(url).content.decode()
    response = client.post(url, _attendance_post(world, **{f"hours_{world.users['mayor'].pk}": ""}))
    assert response.status_code == 302
    assert Attendance.objects.filter(gathering=last, present=True).count() == 1  # chief only
    _outcome, networks = _figures(client, world)
    assert networks[0]["name"] == world.network.name
    assert networks[0]["sessions_held"] == 1


def test_attendance_recorded_ahead_of_the_day_does_not_make_a_gathering_held(
    client, world, gatherings
):
    # As the portal once allowed: a row and the record's time, before the gathering's day.
    last = gatherings[3]
    _move_to(last, timezone.localdate() + timedelta(days=1))
    Attendance.objects.create(
        gathering=last,
        person=world.users["chief_executive"],
        municipality=world.municipality,
        role_kind=Role.Kind.CHIEF_EXECUTIVE,
        present=True,
    )
    Gathering.objects.filter(pk=last.pk).update(attendance_recorded_at=timezone.now())
    _outcome, networks = _figures(client, world)
    assert networks[0]["name"] == world.network.name
    assert (networks[0]["sessions_held"], networks[0]["training_hours"]) == (0, 0)
    training = selectors.network_gatherings(network=world.network)
    assert (training.held, training.person_hours, training.recorded) == (0, Decimal("0.00"), 0)
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("gathering_detail", args=[last.pk])).content.decode()
    assert '<span class="badge text-bg-secondary">planned</span>' in page
