"""A moved or cancelled gathering follows itself: the invitees get an update whose calendar file
has the same UID and a higher SEQUENCE (METHOD:REQUEST when moved, METHOD:CANCEL with
STATUS:CANCELLED when cancelled), each person once; the feeds and pages follow."""

from datetime import date, datetime, timedelta
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.models import AuditEntry
from sessions_app import notifications, services, tasks
from sessions_app.models import Attendance, Gathering, GatheringUpdate, GatheringUpdateSent
from sessions_app.selectors import GatheringDraft

OSLO = ZoneInfo("Europe/Oslo")
VENUE = "Thon Hotel Vica, Alta"
NEW_VENUE = "Alta kulturhus"


def _at(day: str, hour: int) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=OSLO)


@pytest.fixture
def network(world):
    network = world.network
    network.language = "en"
    network.planned_start, network.planned_end = date(2025, 8, 1), date(2026, 5, 31)
    network.save()
    return network


@pytest.fixture
def gatherings(network):
    drafts = [
        GatheringDraft(number, f"Gathering title {number}", _at(day, 9), _at(day, 17), VENUE)
        for number, day in enumerate(("2025-09-15", "2025-11-17"), start=1)
    ]
    return services.gathering_schedule(network=network, drafts=drafts)


def invite(gathering, capture):
    with capture(execute=True):
        services.gathering_invite(gathering=gathering)


def move(gathering, capture, *, day="2025-09-16", start=10, end=18, venue=NEW_VENUE):
    with capture(execute=True):
        return services.gathering_move(
            gathering=gathering, starts_at=_at(day, start), ends_at=_at(day, end), venue=venue
        )


def attachment(message):
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    return part


def ics_of(message) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(attachment(message).get_payload(decode=True))


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def emails(world, *people):
    return sorted(world.users[person].email for person in people)


def uid(gathering) -> str:
    return f"{gathering.uid}@cemsdi-portal"


# --- Moving ----------------------------------------------------------------------------------


def test_moved_gathering_sends_each_invitee_an_update_of_the_same_event(
    world, gatherings, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    [invitation] = [ics_of(m) for m in mail.outbox if m.to == [world.users["mayor"].email]]
    [invited] = invitation.walk("VEVENT")
    mail.outbox.clear()

    moved = move(first, django_capture_on_commit_callbacks)

    assert recipients() == emails(world, "chief_executive", "mayor", "neighbour_chief_executive")
    for message in mail.outbox:
        assert message.subject == (
            f"Moved: {world.network.name}, gathering 1, now 16 September 2025"
        )
        assert f"Before: 15 September 2025, 09:00–17:00, {VENUE}\n" in message.body
        assert f"Now: 16 September 2025, 10:00–18:00, {NEW_VENUE}\n" in message.body
        part = attachment(message)
        assert part.get_content_type() == "text/calendar"
        assert part.get_param("method") == "REQUEST"
        calendar = ics_of(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == str(invited["UID"]) == uid(first)
        assert event["SEQUENCE"] == invited["SEQUENCE"] + 1 == 1
        assert event.start == datetime(2025, 9, 16, 10, 0, tzinfo=OSLO)
        assert event.end == datetime(2025, 9, 16, 18, 0, tzinfo=OSLO)
        assert str(event["LOCATION"]) == NEW_VENUE
        assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"
        assert "STATUS" not in event
    assert moved.sequence == 1
    entry = AuditEntry.objects.filter(model="sessions_app.gathering", object_id=str(first.pk))
    assert entry.latest("pk").changes["venue"] == [VENUE, NEW_VENUE]


def test_update_is_sent_to_each_person_once_when_the_task_runs_again(
    world, gatherings, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    move(first, django_capture_on_commit_callbacks)
    update = GatheringUpdate.objects.get(gathering=first)
    assert len(mail.outbox) == 3

    tasks.send_gathering_update.delay(update.pk)  # the broker delivers it again

    assert len(mail.outbox) == 3
    assert GatheringUpdateSent.objects.filter(update=update).count() == 3


def test_failed_update_is_sent_by_the_retry_to_those_who_missed_it(
    world, gatherings, settings, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.sessions_app.test_notifications.FailingBackend"
    with django_capture_on_commit_callbacks(execute=False):
        services.gathering_move(
            gathering=first,
            starts_at=_at("2025-09-16", 9),
            ends_at=_at("2025-09-16", 17),
            venue=VENUE,
        )
    update = GatheringUpdate.objects.get(gathering=first)

    with pytest.raises(SMTPException):
        notifications.gathering_update_send(update_id=update.pk)

    assert not GatheringUpdateSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.gathering_update_send(update_id=update.pk) == 3
    assert notifications.gathering_update_send(update_id=update.pk) == 0
    assert len(mail.outbox) == 3


def test_moving_before_the_invitations_went_out_mails_nobody(
    gatherings, django_capture_on_commit_callbacks
):
    moved = move(gatherings[0], django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert not GatheringUpdate.objects.exists()
    assert moved.sequence == 1  # the feeds still show it moved


def test_moving_to_the_same_time_and_place_changes_nothing(
    gatherings, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    entries = AuditEntry.objects.count()

    same = move(
        first, django_capture_on_commit_callbacks, day="2025-09-15", start=9, end=17, venue=VENUE
    )

    assert same.sequence == 0
    assert mail.outbox == []
    assert AuditEntry.objects.count() == entries


def test_moving_on_the_schedule_page_also_tells_the_invitees(
    world, gatherings, client, django_capture_on_commit_callbacks
):
    first, second = gatherings
    invite(second, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    drafts = [
        GatheringDraft(1, first.title, first.starts_at, first.ends_at, first.venue),
        GatheringDraft(2, second.title, _at("2025-11-18", 9), _at("2025-11-18", 17), VENUE),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_schedule(network=world.network, drafts=drafts)

    assert recipients() == emails(world, "chief_executive", "neighbour_chief_executive")
    [event] = ics_of(mail.outbox[0]).walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"]) == (uid(second), 1)
    assert event.start == datetime(2025, 11, 18, 9, 0, tzinfo=OSLO)


def test_a_later_move_supersedes_an_update_not_yet_sent(
    world, gatherings, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):
        services.gathering_move(
            gathering=first,
            starts_at=_at("2025-09-16", 9),
            ends_at=_at("2025-09-16", 17),
            venue=VENUE,
        )
    older = GatheringUpdate.objects.get(gathering=first)
    move(first, django_capture_on_commit_callbacks, day="2025-09-17")

    assert notifications.gathering_update_send(update_id=older.pk) == 0
    assert len(mail.outbox) == 3
    assert {ics_of(m).walk("VEVENT")[0]["SEQUENCE"] for m in mail.outbox} == {2}


def test_network_feed_after_a_move_has_the_same_uid_the_new_time_and_a_higher_sequence(
    world, gatherings, client, django_capture_on_commit_callbacks
):
    move(gatherings[0], django_capture_on_commit_callbacks)
    client.force_login(world.users["chief_executive"])

    response = client.get(reverse("network_calendar_ics", args=[world.network.pk]))

    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert list(events) == [uid(g) for g in gatherings]
    moved = events[uid(gatherings[0])]
    assert moved["SEQUENCE"] == 1
    assert moved.start == datetime(2025, 9, 16, 10, 0, tzinfo=OSLO)
    assert str(moved["LOCATION"]) == NEW_VENUE
    assert events[uid(gatherings[1])]["SEQUENCE"] == 0


# --- Cancelling ------------------------------------------------------------------------------


def test_cancelled_gathering_sends_each_invitee_a_cancellation_of_the_same_event(
    world, gatherings, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.gathering_cancel(gathering=first)

    assert cancelled.cancelled_at is not None
    assert cancelled.sequence == 1
    assert recipients() == emails(world, "chief_executive", "mayor", "neighbour_chief_executive")
    for message in mail.outbox:
        assert message.subject == f"Cancelled: {world.network.name}, gathering 1, 15 September 2025"
        assert (
            f"Gathering 1 of the network {world.network.name}, Gathering title 1, on "
            "15 September 2025, is cancelled." in message.body
        )
        assert attachment(message).get_param("method") == "CANCEL"
        calendar = ics_of(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == uid(first)
        assert event["SEQUENCE"] == 1
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"
    update = GatheringUpdate.objects.get(gathering=first)
    assert (update.method, update.sequence) == ("CANCEL", 1)

    tasks.send_gathering_update.delay(update.pk)  # delivered again: nothing more

    assert len(mail.outbox) == 3


def test_cancelling_before_the_invitations_went_out_mails_nobody(gatherings):
    cancelled = services.gathering_cancel(gathering=gatherings[0])

    assert cancelled.cancelled_at is not None
    assert mail.outbox == []
    assert not GatheringUpdate.objects.exists()


def test_cancelled_gathering_stays_in_the_feed_and_on_the_pages_marked_cancelled(
    world, gatherings, client
):
    services.gathering_cancel(gathering=gatherings[0])
    client.force_login(world.users["chief_executive"])

    response = client.get(reverse("network_calendar_ics", args=[world.network.pk]))

    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert list(events) == [uid(g) for g in gatherings]
    assert str(events[uid(gatherings[0])]["STATUS"]) == "CANCELLED"
    assert events[uid(gatherings[0])]["SEQUENCE"] == 1
    assert "STATUS" not in events[uid(gatherings[1])]
    for name in ("gathering_detail", "network_gatherings", "network_calendar"):
        pk = gatherings[0].pk if name == "gathering_detail" else world.network.pk
        html = client.get(reverse(name, args=[pk])).content.decode()
        assert html.count('<span class="badge text-bg-danger">cancelled</span>') == 1, name


def test_cancelled_gathering_is_not_invited_reminded_or_moved(
    world, gatherings, client, django_capture_on_commit_callbacks
):
    first = services.gathering_cancel(gathering=gatherings[0])

    with pytest.raises(ValidationError):
        services.gathering_invite(gathering=first)
    assert notifications.gathering_reminder_send(gathering_id=first.pk) == 0
    assert notifications.gathering_reminders_enqueue(now=first.starts_at - timedelta(days=1)) == []
    with pytest.raises(ValidationError) as refused:
        move(first, django_capture_on_commit_callbacks)
    assert refused.value.message_dict == {
        "starts_at": ["The gathering is cancelled: it can no longer be moved."]
    }
    with pytest.raises(ValidationError):
        services.gathering_cancel(gathering=first)
    assert mail.outbox == []
    first.refresh_from_db()
    assert first.sequence == 1


def test_held_gathering_cannot_be_cancelled(world, gatherings, client):
    first = gatherings[0]
    Attendance.objects.create(
        gathering=first,
        person=world.users["chief_executive"],
        municipality=world.municipality,
        role_kind="chief_executive",
        present=True,
    )
    Gathering.objects.filter(pk=first.pk).update(attendance_recorded_at=timezone.now())
    client.force_login(world.users["facilitator"])

    response = client.post(reverse("gathering_cancel", args=[first.pk]), follow=True)

    assert (
        "The gathering has been held: it can no longer be cancelled." in response.content.decode()
    )
    first.refresh_from_db()
    assert (first.cancelled_at, first.sequence) == (None, 0)


# --- The page: Edit date and place -----------------------------------------------------------


def _form(day="2025-09-16", start="10:00", end="18:00", venue=NEW_VENUE):
    return {"date": day, "start_time": start, "end_time": end, "venue": venue}


def test_facilitator_moves_a_gathering_on_its_page(
    world, gatherings, client, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(world.users["facilitator"])
    detail = client.get(reverse("gathering_detail", args=[first.pk])).content.decode()
    assert f'href="/gatherings/{first.pk}/move/"' in detail
    page = client.get(reverse("gathering_move", args=[first.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial == {
        "date": date(2025, 9, 15),
        "start_time": datetime(2025, 9, 15, 9).time(),
        "end_time": datetime(2025, 9, 15, 17).time(),
        "venue": VENUE,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gathering_move", args=[first.pk]), _form(), follow=True)

    assert response.redirect_chain == [(f"/gatherings/{first.pk}/", 302)]
    assert "The gathering is moved. The invitees get the update by e-mail." in (
        response.content.decode()
    )
    first.refresh_from_db()
    assert (first.starts_at, first.ends_at, first.venue, first.sequence) == (
        _at("2025-09-16", 10),
        _at("2025-09-16", 18),
        NEW_VENUE,
        1,
    )
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_form(start="16:00", end="10:00"), "end_time", "The gathering must end after it starts."),
        (
            _form(day="2025-07-15"),
            "date",
            "The network runs from 1 August 2025 to 31 May 2026: the gathering must fall "
            "within that period.",
        ),
        (
            _form(day="2025-11-17"),
            "date",
            "Gathering 2: This overlaps gathering 1, which ends 17 November 2025, 18:00.",
        ),
        (
            _form(start="10:00", end="11:00"),
            "end_time",
            "The agenda takes 8 hours: the gathering would need to end at 18:00. End "
            "later, or shorten the agenda first.",
        ),
        (_form(day="2025-02-30"), "date", "Enter a valid date."),
    ],
)
def test_move_form_refuses_bad_input_and_changes_nothing(
    world, gatherings, client, data, field, message, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(world.users["facilitator"])
    entries = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gathering_move", args=[first.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert message in response.content.decode().replace("&#x27;", "'")
    moved = Gathering.objects.get(pk=first.pk)
    assert (moved.starts_at, moved.ends_at, moved.venue, moved.sequence) == (
        first.starts_at,
        first.ends_at,
        VENUE,
        0,
    )
    assert AuditEntry.objects.count() == entries
    assert not GatheringUpdate.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("other_facilitator", 404),
        ("other_chief_executive", 404),
        ("chief_executive", 403),
        ("project_officer", 403),
    ],
)
def test_only_the_network_s_facilitators_move_or_cancel(world, gatherings, client, person, status):
    first = gatherings[0]
    client.force_login(world.users[person])

    assert client.get(reverse("gathering_move", args=[first.pk])).status_code == status
    assert client.post(reverse("gathering_move", args=[first.pk]), _form()).status_code == status
    assert client.post(reverse("gathering_cancel", args=[first.pk])).status_code == status

    first.refresh_from_db()
    assert (first.starts_at, first.cancelled_at, first.sequence) == (_at("2025-09-15", 9), None, 0)
    detail = client.get(reverse("gathering_detail", args=[first.pk]))
    if detail.status_code == 200:
        assert f"/gatherings/{first.pk}/move/" not in detail.content.decode()


def test_signed_out_visitor_is_sent_to_sign_in_and_changes_nothing(world, gatherings, client):
    first = gatherings[0]

    for response in (
        client.get(reverse("gathering_move", args=[first.pk])),
        client.post(reverse("gathering_move", args=[first.pk]), _form()),
        client.post(reverse("gathering_cancel", args=[first.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    first.refresh_from_db()
    assert (first.starts_at, first.cancelled_at, first.sequence) == (_at("2025-09-15", 9), None, 0)


def test_cancel_button_cancels_and_the_page_says_so(world, gatherings, client):
    first = gatherings[0]
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("gathering_move", args=[first.pk])).content.decode()
    assert f'action="/gatherings/{first.pk}/cancel/"' in page
    assert 'name="confirm"' in page

    response = client.post(
        reverse("gathering_cancel", args=[first.pk]), {"confirm": "on"}, follow=True
    )

    html = response.content.decode()
    assert "The gathering is cancelled." in html
    assert f"/gatherings/{first.pk}/move/" not in html  # nor moved, nor invited, once cancelled
    assert f'action="/gatherings/{first.pk}/invite/"' not in html


def test_cancelling_without_ticking_the_box_changes_nothing(
    world, gatherings, client, django_capture_on_commit_callbacks
):
    first = gatherings[0]
    invite(first, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(world.users["facilitator"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gathering_cancel", args=[first.pk]), follow=True)

    assert response.redirect_chain == [(f"/gatherings/{first.pk}/move/", 302)]
    assert "Tick the box to cancel the gathering." in response.content.decode()
    first.refresh_from_db()
    assert (first.cancelled_at, first.sequence) == (None, 0)
    assert mail.outbox == []
