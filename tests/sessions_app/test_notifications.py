"""Invitations and reminders by e-mail, with the gathering's calendar file attached."""

from datetime import datetime, timedelta
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import translation

from cemsdi_portal.celery import app
from networks.models import Role
from sessions_app import notifications, services, tasks
from sessions_app.models import Gathering
from sessions_app.selectors import GatheringDraft
from tests import factories as f

OSLO = ZoneInfo("Europe/Oslo")
VENUE = "Thon Hotel Vica, Alta"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("the server is down")


def _at(day: str, hour: int) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=OSLO)


def schedule(network, days=("2025-09-15", "2025-11-17")) -> list[Gathering]:
    drafts = [
        GatheringDraft(number, f"Gathering title {number}", _at(day, 9), _at(day, 17), VENUE)
        for number, day in enumerate(days, start=1)
    ]
    return services.gathering_schedule(network=network, drafts=drafts)


def invite(gathering, capture):
    with capture(execute=True):
        services.gathering_invite(gathering=gathering)


def calendar_part(message):
    """The attachment as the recipient's mail program sees it."""
    parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0]


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def emails(world, *people):
    return sorted(world.users[person].email for person in people)


@pytest.fixture
def english(world):
    world.network.language = "en"
    world.network.save()
    return world


# --- Invitations ----------------------------------------------------------------------------


def test_invitation_goes_to_each_invitee_with_the_calendar_file(
    english, django_capture_on_commit_callbacks
):
    world = english
    gathering = schedule(world.network)[0]

    invite(gathering, django_capture_on_commit_callbacks)

    assert recipients() == emails(world, "chief_executive", "mayor", "neighbour_chief_executive")
    for message in mail.outbox:
        assert message.subject == (
            f"Invitation: {world.network.name}, gathering 1, 15 September 2025"
        )
        part = calendar_part(message)
        assert part.get_param("method") == "REQUEST"
        assert part.get_content_charset() == "utf-8"
        assert part.get_filename() == "gathering-1.ics"
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert str(calendar["METHOD"]) == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"{gathering.uid}@cemsdi-portal"
        assert event.start == datetime(2025, 9, 15, 9, 0, tzinfo=OSLO)
        assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
        assert str(event["LOCATION"]) == VENUE
        assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"
        assert str(event["ORGANIZER"]) == "mailto:noreply@localhost"
        assert "When: 15 September 2025, 09:00–17:00" in message.body
        assert f"Where: {VENUE}" in message.body
        assert f"{settings.SITE_URL}/gatherings/{gathering.pk}/" in message.body
    gathering.refresh_from_db()
    assert gathering.invitations_sent_at is not None


def test_invitation_to_the_first_gathering_says_mayors_are_invited(
    english, django_capture_on_commit_callbacks
):
    world = english
    gathering = schedule(world.network)[0]

    invite(gathering, django_capture_on_commit_callbacks)

    [to_mayor] = [m for m in mail.outbox if m.to == [world.users["mayor"].email]]
    own = world.municipality.country.mayor_title  # Norway's own title, beside the role
    assert f"You are invited as mayor ({own}) of Alta." in to_mayor.body
    assert (
        "This gathering is for the chief executives and the mayors of the network's "
        "municipalities." in to_mayor.body
    )
    first_item = gathering.agenda.order_by("position").first()
    ends = datetime(2025, 9, 15, 9, 0) + timedelta(minutes=first_item.duration_minutes)
    assert f"\n09:00–{ends:%H:%M}  {first_item.title}\n" in to_mayor.body


def test_invitation_to_a_later_gathering_goes_to_chief_executives_only(
    english, django_capture_on_commit_callbacks
):
    world = english
    second = schedule(world.network)[1]

    invite(second, django_capture_on_commit_callbacks)

    assert recipients() == emails(world, "chief_executive", "neighbour_chief_executive")
    for message in mail.outbox:
        assert message.subject == (
            f"Invitation: {world.network.name}, gathering 2, 17 November 2025"
        )
        assert "for the chief executives of the network's municipalities." in message.body
        assert calendar_part(message).get_filename() == "gathering-2.ics"


def test_invitation_is_written_in_the_networks_language(world, django_capture_on_commit_callbacks):
    world.network.language = "nb"
    world.network.save()
    gathering = schedule(world.network)[0]

    invite(gathering, django_capture_on_commit_callbacks)

    with translation.override("nb"):
        expected = translation.gettext(
            "Invitation: %(network)s, gathering %(number)s, %(date)s"
        ) % {"network": world.network.name, "number": 1, "date": "15. september 2025"}
    assert [m.subject for m in mail.outbox] == [expected] * 3


def test_invitation_is_written_in_each_invitees_own_language(
    english, django_capture_on_commit_callbacks
):
    chief = english.users["chief_executive"]
    chief.language = "nb"
    chief.save()
    gathering = schedule(english.network)[0]

    invite(gathering, django_capture_on_commit_callbacks)

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    values = {"network": english.network.name, "number": 1}
    with translation.override("nb"):
        norwegian = translation.gettext(
            "Invitation: %(network)s, gathering %(number)s, %(date)s"
        ) % {**values, "date": "15. september 2025"}
    english_subject = f"Invitation: {english.network.name}, gathering 1, 15 September 2025"
    assert subjects[chief.email] == norwegian
    assert subjects[english.users["mayor"].email] == english_subject  # chose no language
    assert norwegian != english_subject


def test_redelivered_invitation_task_sends_nothing_more(
    english, django_capture_on_commit_callbacks
):
    gathering = schedule(english.network)[0]
    invite(gathering, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3

    tasks.send_gathering_invitations.delay(gathering.pk)  # the broker delivers it again

    assert len(mail.outbox) == 3


def test_invitation_is_sent_only_after_the_commit(english, django_capture_on_commit_callbacks):
    gathering = schedule(english.network)[0]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.gathering_invite(gathering=gathering)

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_failed_invitation_is_sent_by_the_retry(english, settings):
    gathering = schedule(english.network)[0]
    settings.EMAIL_BACKEND = "tests.sessions_app.test_notifications.FailingBackend"

    with pytest.raises(SMTPException):
        notifications.gathering_invitations_send(gathering_id=gathering.pk)

    gathering.refresh_from_db()
    assert gathering.invitations_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.gathering_invitations_send(gathering_id=gathering.pk) == 3
    assert len(mail.outbox) == 3


# --- Reminders ------------------------------------------------------------------------------


def test_reminder_goes_once_to_a_gathering_within_the_networks_days(english):
    world = english
    world.network.reminder_days_before = 7
    world.network.save()
    first, second = schedule(world.network, days=("2025-09-15", "2025-09-17"))
    now = first.starts_at - timedelta(days=6)  # the second is 8 days ahead

    assert notifications.gathering_reminders_enqueue(now=now) == [first.pk]

    assert recipients() == emails(world, "chief_executive", "mayor", "neighbour_chief_executive")
    for message in mail.outbox:
        assert message.subject == f"Reminder: {world.network.name}, gathering 1, 15 September 2025"
        assert "A reminder: gathering 1 of the network" in message.body
        calendar = icalendar.Calendar.from_ical(calendar_part(message).get_payload(decode=True))
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"{first.uid}@cemsdi-portal"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.reminder_sent_at is not None
    assert second.reminder_sent_at is None

    assert notifications.gathering_reminders_enqueue(now=now + timedelta(hours=1)) == []
    assert len(mail.outbox) == 3


def test_reminder_is_not_sent_twice_by_a_redelivered_task(english):
    first = schedule(english.network)[0]

    assert notifications.gathering_reminder_send(gathering_id=first.pk) == 3
    assert notifications.gathering_reminder_send(gathering_id=first.pk) == 0

    assert len(mail.outbox) == 3


def test_beat_runs_the_reminder_job_every_morning():
    job = settings.CELERY_BEAT_SCHEDULE["gathering-reminders"]

    assert job["task"] == "sessions_app.tasks.send_due_reminders"
    assert job["task"] in app.tasks
    assert job["schedule"].hour == {7}
    assert job["schedule"].minute == {0}


# --- A municipality in two networks -----------------------------------------------------------


@pytest.fixture
def shared(english):
    """Vardø is a member of both networks; its chief executive came through the other one."""
    world = english
    vardo = f.MunicipalityFactory(name="Vardø")
    world.network.municipalities.add(vardo)
    world.other_network.municipalities.add(vardo)
    person = f.UserFactory(username="vardo_chief_executive")
    Role.objects.create(
        user=person, kind=Role.Kind.CHIEF_EXECUTIVE, municipality=vardo
    ).granted_in.add(world.other_network)
    world.users["vardo_chief_executive"] = person
    return world


def test_send_invitations_mails_only_the_people_of_the_gathering_s_network(
    shared, client, django_capture_on_commit_callbacks
):
    world = shared
    second = schedule(world.network)[1]
    client.force_login(world.users["facilitator"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gathering_invite", args=[second.pk]))

    assert response.status_code == 302
    assert recipients() == emails(world, "chief_executive", "neighbour_chief_executive")


def test_the_other_network_s_gathering_invites_the_person_it_invited(
    shared, client, django_capture_on_commit_callbacks
):
    world = shared
    second = schedule(world.other_network)[1]
    client.force_login(world.users["other_facilitator"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("gathering_invite", args=[second.pk]))

    assert recipients() == emails(world, "other_chief_executive", "vardo_chief_executive")


def test_reminder_and_attendance_list_skip_a_role_given_in_another_network(shared, client):
    world = shared
    second = schedule(world.network)[1]

    assert notifications.gathering_reminder_send(gathering_id=second.pk) == 2
    assert recipients() == emails(world, "chief_executive", "neighbour_chief_executive")
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("gathering_attendance", args=[second.pk])).content.decode()
    assert world.users["chief_executive"].get_full_name() in page
    assert world.users["vardo_chief_executive"].get_full_name() not in page
