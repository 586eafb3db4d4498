"""E-mail about gatherings: invitations and reminders, each with the calendar file attached.

The tasks in ``tasks.py`` call these. Each send claims the gathering's timestamp
(``core.mail.send_claimed``), so that a redelivered task sends nothing more and a failed send's
retry sends. Every e-mail is written in the network's working language.
"""

from datetime import datetime

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cemsdi_portal.core.mail import TimestampClaim, send_claimed
from networks.models import Role

from .calendar import calendar_ics, for_calendar, gathering_url
from .models import Gathering
from .selectors import (
    Invitee,
    agenda_rows,
    gathering_invitees,
    invited_role_kinds,
    reminders_due,
)
from .tokens import answer_links

ICS_MIMETYPE = "text/calendar; method=REQUEST"  # Django adds "; charset=utf-8"


def gathering_invitations_send(*, gathering_id: int) -> int:
    """E-mail each invitee their invitation, once. Returns the number of e-mails sent."""
    return _send(gathering_id=gathering_id, kind="invitation", stamp="invitations_sent_at")


def gathering_reminder_send(*, gathering_id: int) -> int:
    """E-mail each invitee a reminder, once. Returns the number of e-mails sent."""
    return _send(gathering_id=gathering_id, kind="reminder", stamp="reminder_sent_at")


def gathering_reminders_enqueue(*, now: datetime | None = None) -> list[int]:
    """The daily job: one reminder task for each gathering whose reminder is due."""
    from .tasks import send_gathering_reminder  # the task module imports this one

    due = reminders_due(now=now)
    for gathering_id in due:
        send_gathering_reminder.delay(gathering_id)
    return due


def _recipients(invitees: list[Invitee]) -> list[Invitee]:
    """One e-mail per person with an active account and an address, in the invitees' order."""
    seen, recipients = set(), []
    for invitee in invitees:
        person = invitee.person
        if person.pk in seen or not person.is_active or not person.email:
            continue
        seen.add(person.pk)
        recipients.append(invitee)
    return recipients


def _message(*, gathering: Gathering, invitee: Invitee, kind: str, context: dict):
    person = invitee.person
    context = {
        **context,
        "person": person,
        "name": person.get_full_name() or person.get_username(),
        "municipality": invitee.municipality,
        "role": invitee.role_label,
        "answer_links": answer_links(gathering_id=gathering.pk, person_id=person.pk),
    }
    subject = render_to_string(f"sessions_app/email/{kind}_subject.txt", context)
    body = render_to_string(f"sessions_app/email/{kind}_body.txt", context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[person.email])
    ics = calendar_ics([gathering], name=gathering.network.name, method="REQUEST", attendee=person)
    message.attach(f"gathering-{gathering.number}.ics", ics, ICS_MIMETYPE)
    return message


def _send(*, gathering_id: int, kind: str, stamp: str) -> int:
    unclaimed = {"pk": gathering_id, f"{stamp}__isnull": True}
    gathering = for_calendar(Gathering.objects.filter(**unclaimed)).first()
    if gathering is None:
        return 0
    network = gathering.network
    recipients = _recipients(gathering_invitees(gathering))
    context = {
        "gathering": gathering,
        "network": network,
        "agenda": agenda_rows(gathering, list(gathering.agenda.all())),
        "link": gathering_url(gathering),
        "same_day": timezone.localdate(gathering.starts_at)
        == timezone.localdate(gathering.ends_at),
        "mayors_invited": Role.Kind.MAYOR in invited_role_kinds(gathering),
    }
    with translation.override(network.language):
        messages = [
            _message(gathering=gathering, invitee=invitee, kind=kind, context=context)
            for invitee in recipients
        ]
    claim = TimestampClaim(rows=Gathering.objects.filter(pk=gathering_id), field=stamp)
    return send_claimed(messages, claim=claim)
