"""E-mail about gatherings: invitations, reminders, and updates when a gathering moved or was
cancelled, each with the calendar file attached.

The tasks in ``tasks.py`` call these. Each send claims first (``core.mail.send_claimed``), so
that a redelivered task sends nothing more and a failed send's retry sends: invitations and
reminders claim the gathering's timestamp, an update claims a row per recipient
(``GatheringUpdateSent``). Every e-mail is written in ``message_language``, its times in the
network's country's time zone.
"""

from datetime import datetime

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cemsdi_portal.core.mail import RowClaim, TimestampClaim, send_claimed
from networks.countries import network_zone
from networks.language import language_of
from networks.models import Role

from .calendar import calendar_ics, for_calendar, gathering_url
from .models import Gathering, GatheringUpdate, GatheringUpdateSent
from .selectors import (
    Invitee,
    agenda_rows,
    gathering_invitees,
    invited_role_kinds,
    reminders_due,
)
from .tokens import answer_links


def ics_mimetype(method: str) -> str:
    """The attachment's content type names the iTIP method (Django adds "; charset=utf-8")."""
    return f"text/calendar; method={method}"


def message_language(*, person, network) -> str:
    """The language of an e-mail about a gathering to ``person``: their own, or the network's
    working language when they have chosen none."""
    return language_of(person, fallback=network.language)


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


def _message(
    *, gathering: Gathering, invitee: Invitee, kind: str, context: dict, method: str = "REQUEST"
):
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
    ics = calendar_ics([gathering], name=gathering.network.name, method=method, attendee=person)
    message.attach(f"gathering-{gathering.number}.ics", ics, ics_mimetype(method))
    return message


def _context(gathering: Gathering) -> dict:
    return {
        "gathering": gathering,
        "network": gathering.network,
        "agenda": agenda_rows(gathering, list(gathering.agenda.all())),
        "link": gathering_url(gathering),
        "same_day": timezone.localdate(gathering.starts_at)
        == timezone.localdate(gathering.ends_at),
        "mayors_invited": Role.Kind.MAYOR in invited_role_kinds(gathering),
    }


def _send(*, gathering_id: int, kind: str, stamp: str) -> int:
    unclaimed = {"pk": gathering_id, f"{stamp}__isnull": True, "cancelled_at__isnull": True}
    gathering = for_calendar(Gathering.objects.filter(**unclaimed)).first()
    if gathering is None:
        return 0
    network = gathering.network
    messages = []
    with timezone.override(network_zone(network)):
        context = _context(gathering)
        for invitee in _recipients(gathering_invitees(gathering)):
            with translation.override(message_language(person=invitee.person, network=network)):
                messages.append(
                    _message(gathering=gathering, invitee=invitee, kind=kind, context=context)
                )
    claim = TimestampClaim(rows=Gathering.objects.filter(pk=gathering_id), field=stamp)
    return send_claimed(messages, claim=claim)


def gathering_update_send(*, update_id: int) -> int:
    """E-mail each invitee that the gathering moved (METHOD:REQUEST) or was cancelled
    (METHOD:CANCEL), with the calendar file of the same UID at the higher SEQUENCE: each person
    once, however often the task runs. Nothing when the gathering changed again since (the
    later update tells). Returns the number of e-mails sent."""
    update = GatheringUpdate.objects.filter(pk=update_id).select_related("gathering").first()
    if update is None or update.gathering.sequence != update.sequence:
        return 0
    gathering = for_calendar(Gathering.objects.filter(pk=update.gathering_id)).get()
    with timezone.override(network_zone(gathering.network)):
        return _update_send(update=update, gathering=gathering)


def _update_send(*, update: GatheringUpdate, gathering: Gathering) -> int:
    context = {**_context(gathering), "update": update}
    context["was_same_day"] = timezone.localdate(update.previous_starts_at) == (
        timezone.localdate(update.previous_ends_at)
    )
    kind = "moved" if update.method == GatheringUpdate.Method.REQUEST else "cancelled"
    already = set(update.sent.values_list("person_id", flat=True))
    sent = 0
    for invitee in _recipients(gathering_invitees(gathering)):
        person = invitee.person
        if person.pk in already:
            continue
        with translation.override(message_language(person=person, network=gathering.network)):
            message = _message(
                gathering=gathering,
                invitee=invitee,
                kind=kind,
                context=context,
                method=update.method,
            )
        claim = RowClaim(model=GatheringUpdateSent, values={"update": update, "person": person})
        sent += send_claimed([message], claim=claim)
    return sent
