"""Writes: scheduling gatherings, their agendas, answers to invitations and reminders to
answer, attendance, the evaluation, materials and assignments.

Callers have asked ``rules.py`` first. A rule broken here raises ``ValidationError`` keyed by
the field at fault, so that forms show the message on that field and nothing is saved.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cemsdi_portal.core import audit
from cemsdi_portal.core.audit import log_bulk
from cemsdi_portal.core.models import AuditEntry
from networks.models import Municipality, Network
from networks.selectors import network_period_warning

from . import rules as perms
from . import selectors
from .days_off import DaysOff
from .models import (
    GATHERINGS_PER_NETWORK,
    AgendaItem,
    AnswerReminderRound,
    Assignment,
    AssignmentCompletion,
    Attendance,
    CalendarToken,
    EvaluationGiven,
    EvaluationResponse,
    Gathering,
    GatheringAnswer,
    GatheringUpdate,
    Material,
    StandardProgramme,
    StandardProgrammeGathering,
    StandardProgrammeItem,
)
from .programme import code_programme, programme_for, standard_gathering


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def schedule_errors(
    drafts: list[selectors.GatheringDraft], *, agenda_minutes: dict[int, int] | None = None
) -> dict[int, dict[str, str]]:
    """The rules of a network's schedule, as errors by draft index and field.

    Fields are ``starts_at`` and ``ends_at``. Gatherings come in their order, one after the
    other's end, four at most, each long enough for its agenda.
    """
    agenda_minutes = agenda_minutes or {}
    errors: dict[int, dict[str, str]] = {}
    for index, draft in enumerate(drafts):
        if index >= GATHERINGS_PER_NETWORK:
            errors.setdefault(index, {})["starts_at"] = _(
                "A network has four gatherings: this would be a fifth."
            )
            continue
        if draft.ends_at <= draft.starts_at:
            errors.setdefault(index, {})["ends_at"] = _("The gathering must end after it starts.")
            continue
        needed = agenda_minutes.get(draft.number, 0)
        if draft.starts_at + timedelta(minutes=needed) > draft.ends_at:
            errors.setdefault(index, {})["ends_at"] = _(
                "The agenda takes %(hours)s hours: the gathering would need to end at "
                "%(end)s. End later, or shorten the agenda first."
            ) % {
                "hours": f"{needed / 60:g}",
                "end": timezone.localtime(draft.starts_at + timedelta(minutes=needed)).strftime(
                    "%H:%M"
                ),
            }
            continue
        if index == 0:
            continue
        previous = drafts[index - 1]
        if draft.starts_at < previous.ends_at:
            if draft.ends_at <= previous.starts_at:
                message = _(
                    "Gathering %(number)d must come after gathering %(previous)d (%(when)s)."
                )
            else:
                message = _("This overlaps gathering %(previous)d, which ends %(when)s.")
            errors.setdefault(index, {})["starts_at"] = message % {
                "number": draft.number,
                "previous": previous.number,
                "when": _when(previous.ends_at),
            }
    return errors


def schedule_warning(drafts: list[selectors.GatheringDraft], *, network: Network) -> str | None:
    """A warning (not an error): a gathering on a public holiday of the network's country or in
    its summer holiday weeks (naming it), and four gatherings that span less than 6 or over 10
    months."""
    if not drafts:
        return None
    days_off = DaysOff.of_network(network, language=translation.get_language())
    warnings = []
    for draft in drafts:
        day = timezone.localdate(draft.starts_at)
        reason = days_off.reason(day)
        if reason:
            warnings.append(
                _("Gathering %(number)d: %(date)s is %(reason)s.")
                % {"number": draft.number, "date": date_format(day), "reason": reason}
            )
    period = network_period_warning(
        start=timezone.localdate(drafts[0].starts_at), end=timezone.localdate(drafts[-1].ends_at)
    )
    if period:
        warnings.append(period)
    return " ".join(warnings) or None


@transaction.atomic
def gathering_schedule(
    *, network: Network, drafts: list[selectors.GatheringDraft]
) -> list[Gathering]:
    """Create or move the network's gatherings. New ones get the standard agenda.

    Raises ``ValidationError`` with ``schedule_errors`` when a rule is broken; the caller
    has shown ``schedule_warning`` and had it accepted.
    """
    errors = schedule_errors(drafts, agenda_minutes=selectors.agenda_minutes(network=network))
    if errors:
        by_field: dict[str, list[str]] = {}
        for index, messages in errors.items():
            for field, message in messages.items():
                by_field.setdefault(field, []).append(
                    _("Gathering %(number)d: %(message)s")
                    % {"number": drafts[index].number, "message": message}
                )
        raise ValidationError(by_field)
    existing = {g.number: g for g in network.gatherings.select_for_update()}
    programme = programme_for(network)
    gatherings = []
    for draft in drafts:
        gathering = existing.get(draft.number)
        if gathering is None:
            gathering = Gathering.objects.create(
                network=network,
                number=draft.number,
                title=draft.title,
                starts_at=draft.starts_at,
                ends_at=draft.ends_at,
                venue=draft.venue,
            )
            audit.log(gathering, AuditEntry.Action.CREATED)
            agenda_create_standard(
                gathering=gathering, language=network.language, programme=programme
            )
        else:
            before = audit.snapshot(gathering)
            gathering.title, gathering.venue = draft.title, draft.venue
            gathering.starts_at, gathering.ends_at = draft.starts_at, draft.ends_at
            if audit.snapshot(gathering) != before:
                gathering.sequence += 1  # calendar programs replace the older version
                gathering.save()
                audit.log_change(gathering, before=before)
                _tell_invitees(gathering, before=before, method=GatheringUpdate.Method.REQUEST)
        gatherings.append(gathering)
    return gatherings


# --- Moving and cancelling one gathering ------------------------------------------------------

MOVED_FIELDS = ("starts_at", "ends_at", "venue")


def _tell_invitees(gathering: Gathering, *, before: dict, method: str) -> None:
    """After the commit, e-mail the invitees an update of the calendar file they hold, when
    the invitations went out and the time or the place changed (or it was cancelled)."""
    from .tasks import send_gathering_update  # the task module imports this one

    if before["invitations_sent_at"] is None:
        return
    if method == GatheringUpdate.Method.REQUEST and (
        gathering.cancelled_at is not None
        or all(before[name] == getattr(gathering, name) for name in MOVED_FIELDS)
    ):
        return
    update = GatheringUpdate.objects.create(
        gathering=gathering,
        sequence=gathering.sequence,
        method=method,
        previous_starts_at=before["starts_at"],
        previous_ends_at=before["ends_at"],
        previous_venue=before["venue"],
    )
    audit.log(update, AuditEntry.Action.CREATED)
    transaction.on_commit(lambda: send_gathering_update.delay(update.pk))


def _period_error(network: Network, starts_at: datetime, ends_at: datetime) -> str | None:
    first, last = timezone.localdate(starts_at), timezone.localdate(ends_at)
    if network.planned_start <= first and last <= network.planned_end:
        return None
    return _(
        "The network runs from %(start)s to %(end)s: the gathering must fall within that period."
    ) % {"start": date_format(network.planned_start), "end": date_format(network.planned_end)}


def move_errors(
    *, gathering: Gathering, starts_at: datetime, ends_at: datetime
) -> dict[str, list[str]]:
    """The rules of scheduling for one gathering moved, as errors by field (``starts_at``,
    ``ends_at``): in the network's period, after the one before it and before the one after
    it, long enough for its agenda."""
    if gathering.cancelled_at is not None:
        return {"starts_at": [_("The gathering is cancelled: it can no longer be moved.")]}
    others = gathering.network.gatherings.filter(cancelled_at__isnull=True).exclude(pk=gathering.pk)
    drafts = [
        selectors.GatheringDraft(g.number, g.title, g.starts_at, g.ends_at, g.venue)
        for g in others.order_by("number")
    ]
    drafts.append(
        selectors.GatheringDraft(
            gathering.number, gathering.title, starts_at, ends_at, gathering.venue
        )
    )
    drafts.sort(key=lambda draft: draft.number)
    minutes = selectors.agenda_minutes(network=gathering.network)
    errors: dict[str, list[str]] = {}
    for index, messages in schedule_errors(drafts, agenda_minutes=minutes).items():
        for field, message in messages.items():
            if drafts[index].number != gathering.number:
                field = "starts_at"  # a neighbour's rule broken: this move's start is at fault
                message = _("Gathering %(number)d: %(message)s") % {
                    "number": drafts[index].number,
                    "message": message,
                }
            errors.setdefault(field, []).append(message)
    if not errors and (refused := _period_error(gathering.network, starts_at, ends_at)):
        errors["starts_at"] = [refused]
    return errors


@transaction.atomic
def gathering_move(
    *, gathering: Gathering, starts_at: datetime, ends_at: datetime, venue: str
) -> Gathering:
    """Give one gathering a new time or place.

    Raises ``ValidationError`` (``move_errors``) and changes nothing when a rule of
    scheduling is broken. Otherwise saves it; when its start, end or venue changed, raises
    its SEQUENCE (calendar programs replace the event they hold), logs the change and, if
    the invitations went out, e-mails every invitee the update after the commit
    (``GatheringUpdate``, METHOD:REQUEST).
    """
    gathering = Gathering.objects.select_for_update().select_related("network").get(pk=gathering.pk)
    errors = move_errors(gathering=gathering, starts_at=starts_at, ends_at=ends_at)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(gathering)
    gathering.starts_at, gathering.ends_at, gathering.venue = starts_at, ends_at, venue
    if all(before[name] == getattr(gathering, name) for name in MOVED_FIELDS):
        return gathering
    gathering.sequence += 1
    gathering.save(update_fields=[*MOVED_FIELDS, "sequence"])
    audit.log_change(gathering, before=before, fields=MOVED_FIELDS)
    _tell_invitees(gathering, before=before, method=GatheringUpdate.Method.REQUEST)
    return gathering


def cancel_refused(gathering: Gathering) -> str | None:
    """Why the gathering cannot be cancelled (already cancelled, or held), or None."""
    if gathering.cancelled_at is not None:
        return _("The gathering is already cancelled.")
    if gathering.is_held:
        return _("The gathering has been held: it can no longer be cancelled.")
    return None


@transaction.atomic
def gathering_cancel(*, gathering: Gathering) -> Gathering:
    """Cancel a gathering that has not been held. It stays on the pages and in the feeds,
    marked cancelled (STATUS:CANCELLED, SEQUENCE raised); the change is logged and, if the
    invitations went out, every invitee is e-mailed a cancellation after the commit
    (``GatheringUpdate``, METHOD:CANCEL). Raises ``ValidationError`` otherwise."""
    gathering = Gathering.objects.select_for_update().select_related("network").get(pk=gathering.pk)
    if refused := cancel_refused(gathering):
        raise ValidationError(refused)
    before = audit.snapshot(gathering)
    gathering.cancelled_at = timezone.now()
    gathering.sequence += 1
    gathering.save(update_fields=["cancelled_at", "sequence"])
    audit.log_change(gathering, before=before, fields=["cancelled_at"])
    _tell_invitees(gathering, before=before, method=GatheringUpdate.Method.CANCEL)
    return gathering


# --- Agenda ---------------------------------------------------------------------------------


def agenda_create_standard(*, gathering: Gathering, language: str, programme=None) -> None:
    """The standard agenda of the gathering's number in ``programme`` (``programme_for``'s
    of its network; None: read it), each item in the audit log."""
    programme = programme or programme_for(gathering.network)
    with translation.override(language):
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                gathering=gathering,
                position=position,
                title=str(item.title),
                kind=item.kind,
                duration_minutes=item.minutes,
            )
            for position, item in enumerate(
                standard_gathering(gathering.number, programme).items, start=1
            )
        )
    log_bulk(model=AgendaItem, objects=items, action=AuditEntry.Action.CREATED)


def _check_agenda_fits(*, gathering: Gathering, minutes: int, exclude: AgendaItem | None = None):
    items = gathering.agenda.all()
    if exclude is not None:
        items = items.exclude(pk=exclude.pk)
    planned = items.aggregate(total=Sum("duration_minutes"))["total"] or 0
    available = int(gathering.duration.total_seconds() // 60)
    if planned + minutes > available:
        raise ValidationError(
            {
                "duration_minutes": _(
                    "The agenda would run %(over)d minutes past the gathering's end "
                    "(%(end)s). Shorten an item or move the end."
                )
                % {
                    "over": planned + minutes - available,
                    "end": timezone.localtime(gathering.ends_at).strftime("%H:%M"),
                }
            }
        )


@transaction.atomic
def agenda_item_add(
    *, gathering: Gathering, title: str, kind: str, duration_minutes: int, speaker: str = ""
) -> AgendaItem:
    Gathering.objects.select_for_update().get(pk=gathering.pk)
    _check_agenda_fits(gathering=gathering, minutes=duration_minutes)
    last = gathering.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        gathering=gathering,
        position=last + 1,
        title=title,
        kind=kind,
        duration_minutes=duration_minutes,
        speaker=speaker,
    )
    item.full_clean()
    item.save()
    audit.log(item, AuditEntry.Action.CREATED)
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, title: str, kind: str, duration_minutes: int, speaker: str = ""
) -> AgendaItem:
    """Change an item; ``item`` as stored (the log compares its values with the new ones)."""
    Gathering.objects.select_for_update().get(pk=item.gathering_id)
    _check_agenda_fits(gathering=item.gathering, minutes=duration_minutes, exclude=item)
    before = audit.snapshot(item)
    item.title, item.kind, item.speaker = title, kind, speaker
    item.duration_minutes = duration_minutes
    item.full_clean()
    item.save()
    audit.log_change(item, before=before)
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down"); at an end, nothing."""
    siblings = AgendaItem.objects.select_for_update().filter(gathering_id=item.gathering_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=item.position).order_by("-position").first()
    elif direction == "down":
        neighbour = siblings.filter(position__gt=item.position).order_by("position").first()
    else:
        raise ValueError(direction)
    if neighbour is None:
        return
    # Through position 0 (never used), since the pair must stay unique at every step.
    mine, theirs = item.position, neighbour.position
    AgendaItem.objects.filter(pk=item.pk).update(position=0)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
    item.position, neighbour.position = theirs, mine
    log_bulk(
        model=AgendaItem,
        objects=[item, neighbour],
        action=AuditEntry.Action.CHANGED,
        changes=lambda moved: {"position": [mine, theirs] if moved is item else [theirs, mine]},
    )


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    audit.log(item, AuditEntry.Action.DELETED)
    item.delete()


# --- Attendance -----------------------------------------------------------------------------


@dataclass
class AttendanceEntry:
    person_id: int
    municipality_id: int
    role_kind: str
    present: bool
    hours: Decimal | None = None


ATTENDANCE_FIELDS = ("municipality_id", "role_kind", "present", "hours")


def attendance_opens_message(gathering: Gathering) -> str | None:
    """Why attendance cannot be recorded yet (before the gathering's day), or None."""
    if timezone.localdate() >= gathering.attendance_opens_on:
        return None
    return _("Attendance opens on %(date)s, the day of the gathering.") % {
        "date": date_format(gathering.attendance_opens_on)
    }


@transaction.atomic
def attendance_record(*, gathering: Gathering, entries: Iterable[AttendanceEntry]) -> None:
    """Record who came; the gathering counts as held from now on.

    Raises ``ValidationError`` before the gathering's day, and saves nothing. Each row made or
    changed goes into the audit log (one entry per row, old and new values).
    """
    refused = attendance_opens_message(gathering)
    if refused:
        raise ValidationError(refused)
    before = {
        a.person_id: a for a in Attendance.objects.select_for_update().filter(gathering=gathering)
    }
    Attendance.objects.bulk_create(
        [
            Attendance(
                gathering=gathering,
                person_id=entry.person_id,
                municipality_id=entry.municipality_id,
                role_kind=entry.role_kind,
                present=entry.present,
                hours=entry.hours if entry.present else None,
            )
            for entry in entries
        ],
        update_conflicts=True,
        unique_fields=["gathering", "person"],
        update_fields=["municipality", "role_kind", "present", "hours"],
    )
    created, changed = [], {}
    for row in Attendance.objects.filter(gathering=gathering).select_related("person"):
        row.gathering = gathering
        old = before.get(row.person_id)
        if old is None:
            created.append(row)
            continue
        diff = {
            name: [getattr(old, name), getattr(row, name)]
            for name in ATTENDANCE_FIELDS
            if getattr(old, name) != getattr(row, name)
        }
        if diff:
            changed[row.pk] = (row, diff)
    log_bulk(model=Attendance, objects=created, action=AuditEntry.Action.CREATED)
    log_bulk(
        model=Attendance,
        objects=[row for row, _diff in changed.values()],
        action=AuditEntry.Action.CHANGED,
        changes=lambda row: changed[row.pk][1],
    )
    if gathering.attendance_recorded_at is None:
        gathering.attendance_recorded_at = timezone.now()
        gathering.save(update_fields=["attendance_recorded_at"])
        audit.log(
            gathering,
            AuditEntry.Action.CHANGED,
            {"attendance_recorded_at": [None, gathering.attendance_recorded_at]},
        )


# --- Answers to invitations, reminders to answer, the evaluation ---------------------------


@transaction.atomic
def gathering_answer_set(*, gathering: Gathering, person, answer: str) -> GatheringAnswer:
    """Record the invitee's yes or no; answering again changes it. Logged: a new answer as
    created, a changed one with its old and new value (the same answer again logs nothing).

    Raises ``ValidationError`` when the gathering has ended, when ``answer`` is neither yes
    nor no, or when ``person`` is not among its invitees, and saves nothing."""
    if answer not in GatheringAnswer.Answer.values:
        raise ValidationError({"answer": _("Answer yes or no.")})
    if not selectors.answers_open(gathering):
        raise ValidationError(
            _("This gathering is over: its invitation can no longer be answered.")
        )
    if selectors.invitee_of(selectors.gathering_invitees(gathering), person.pk) is None:
        raise ValidationError(_("You are not invited to this gathering."))
    row, created = GatheringAnswer.objects.select_for_update().get_or_create(
        gathering=gathering,
        person=person,
        defaults={"answer": answer, "answered_at": timezone.now()},
    )
    if created:
        audit.log(row, AuditEntry.Action.CREATED, {"answer": [None, answer]})
        return row
    if row.answer != answer:
        before = audit.snapshot(row)
        row.answer, row.answered_at = answer, timezone.now()
        row.save(update_fields=["answer", "answered_at"])
        audit.log_change(row, before=before, fields=["answer"])
    return row


@transaction.atomic
def answer_reminders_request(*, gathering: Gathering) -> int:
    """A round of reminders to the invitees who have not answered, e-mailed by a task after
    the commit (each at most once per round, however often the task runs). Returns how many
    are to be reminded. Raises ``ValidationError`` when the gathering has ended or everyone
    has answered, and starts no round."""
    from .tasks import send_answer_reminders  # the task module imports this one

    if not selectors.answers_open(gathering):
        raise ValidationError(_("This gathering is over: there is nobody to remind."))
    waiting = selectors.not_answered(selectors.gathering_invitees(gathering))
    if not waiting:
        raise ValidationError(_("Everyone invited has answered: there is nobody to remind."))
    reminder_round = AnswerReminderRound.objects.create(gathering=gathering)
    audit.log(reminder_round, AuditEntry.Action.CREATED)
    transaction.on_commit(lambda: send_answer_reminders.delay(reminder_round.pk))
    return len(waiting)


@dataclass
class Evaluation:
    overall: int
    relevance: int
    what_should_change: str = ""


@transaction.atomic
def evaluation_submit(*, gathering: Gathering, user, evaluation: Evaluation) -> None:
    """Store a participant's evaluation without the person, and separately that the person
    has answered, so that nobody answers twice. Only those who took part
    (``rules.took_part_in``) evaluate.

    The audit log records that the person answered (``EvaluationGiven``), never the answer:
    an entry names its actor and its time, which would tie the two together.

    Raises ``ValidationError`` before the gathering has ended, when the person did not take
    part, or when they have already answered, and saves nothing."""
    if not selectors.evaluation_open(gathering):
        raise ValidationError(_("The evaluation opens when the gathering ends."))
    if not perms.took_part_in.test(user, gathering):
        raise ValidationError(_("Only those who took part in the gathering evaluate it."))
    try:
        with transaction.atomic():
            given = EvaluationGiven.objects.create(gathering=gathering, person=user)
    except IntegrityError:
        raise ValidationError(_("You have already evaluated this gathering. Thank you!")) from None
    response = EvaluationResponse(
        gathering=gathering,
        overall=evaluation.overall,
        relevance=evaluation.relevance,
        what_should_change=evaluation.what_should_change.strip(),
    )
    response.full_clean()
    response.save(force_insert=True)
    audit.log(given, AuditEntry.Action.CREATED)


# --- Materials, summary, assignments ------------------------------------------------------


@transaction.atomic
def material_add(*, gathering: Gathering, title: str, kind: str, file, uploaded_by) -> Material:
    material = Material.objects.create(
        gathering=gathering,
        title=title,
        kind=kind,
        file=file,
        size=file.size,
        uploaded_by=uploaded_by,
    )
    audit.log(material, AuditEntry.Action.CREATED)
    return material


@transaction.atomic
def material_delete(*, material: Material) -> None:
    audit.log(material, AuditEntry.Action.DELETED)
    material.file.delete(save=False)
    material.delete()


@transaction.atomic
def gathering_publish_summary(*, gathering: Gathering, summary: str) -> None:
    before = audit.snapshot(gathering)
    gathering.summary = summary.strip()
    gathering.summary_published_at = timezone.now() if gathering.summary else None
    gathering.save(update_fields=["summary", "summary_published_at"])
    audit.log_change(gathering, before=before, fields=["summary", "summary_published_at"])


def _check_due_date(gathering: Gathering, due_date: date) -> None:
    if due_date < timezone.localdate(gathering.ends_at):
        raise ValidationError(
            {
                "due_date": _("The work is due after the gathering, on or after %(date)s.")
                % {"date": date_format(timezone.localdate(gathering.ends_at))}
            }
        )


def assignment_create(
    *,
    gathering: Gathering,
    title: str,
    due_date: date,
    description: str = "",
    strategy_section: str = "",
) -> Assignment:
    _check_due_date(gathering, due_date)
    assignment = Assignment(
        gathering=gathering,
        title=title,
        description=description,
        due_date=due_date,
        strategy_section=strategy_section,
    )
    assignment.full_clean()
    assignment.save()
    audit.log(assignment, AuditEntry.Action.CREATED)
    return assignment


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    title: str,
    due_date: date,
    description: str = "",
    strategy_section: str = "",
) -> Assignment:
    """Change an assignment; ``assignment`` as stored (the log compares its values with the new
    ones). The municipalities' marks stay. Raises ``ValidationError`` by field (a due date
    before the gathering's end, an empty title) and changes nothing."""
    _check_due_date(assignment.gathering, due_date)
    before = audit.snapshot(assignment)
    assignment.title, assignment.description = title, description
    assignment.due_date, assignment.strategy_section = due_date, strategy_section
    try:
        assignment.full_clean()
    except ValidationError:
        assignment.refresh_from_db()  # the caller's object shows what is stored
        raise
    assignment.save()
    audit.log_change(assignment, before=before)
    return assignment


class DoneMarksUnconfirmed(ValidationError):
    """Removing the assignment would remove municipalities' marks that the facilitator has
    not been told of; ``done`` is how many there are."""

    def __init__(self, done: int):
        super().__init__(
            ngettext(
                "%(count)d municipality has marked this assignment done: its mark goes with it.",
                "%(count)d municipalities have marked this assignment done: their marks go "
                "with it.",
                done,
            )
            % {"count": done},
            code="done_marks",
        )
        self.done = done


@transaction.atomic
def assignment_delete(*, assignment: Assignment, done_confirmed: int = 0) -> None:
    """Remove an assignment and the municipalities' marks that it is done, each logged
    before it goes. ``done_confirmed``: how many marks the facilitator was told would go;
    when there are more (none confirmed, or one was made since), raises
    ``DoneMarksUnconfirmed`` and removes nothing."""
    # The row lock holds off a mark made meanwhile (its insert waits on the assignment's key).
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    marks = list(
        AssignmentCompletion.objects.filter(assignment=assignment).select_related("municipality")
    )
    if len(marks) > done_confirmed:
        raise DoneMarksUnconfirmed(len(marks))
    for mark in marks:
        mark.assignment = assignment
    log_bulk(model=AssignmentCompletion, objects=marks, action=AuditEntry.Action.DELETED)
    audit.log(assignment, AuditEntry.Action.DELETED)
    assignment.delete()


@transaction.atomic
def assignment_set_done(
    *, assignment: Assignment, municipality: Municipality, user, done: bool
) -> None:
    if not assignment.gathering.network.memberships.filter(municipality=municipality).exists():
        raise ValidationError(
            _("%(name)s is not a member of this network.") % {"name": municipality}
        )
    marks = AssignmentCompletion.objects.filter(assignment=assignment, municipality=municipality)
    if done:
        mark, made = AssignmentCompletion.objects.get_or_create(
            assignment=assignment, municipality=municipality, defaults={"done_by": user}
        )
        if made:
            audit.log(mark, AuditEntry.Action.CREATED)
    else:
        gone = list(marks)
        for mark in gone:
            mark.assignment, mark.municipality = assignment, municipality
        log_bulk(model=AssignmentCompletion, objects=gone, action=AuditEntry.Action.DELETED)
        marks.delete()


# --- A person's feed address ------------------------------------------------------------
# The token is a secret and the person's own: it stays out of the audit log.


def calendar_token_get(*, user) -> CalendarToken:
    """The person's feed token, created the first time they look for their feed address."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_renew(*, user) -> CalendarToken:
    """A new feed token: the old address stops working at once."""
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": uuid.uuid4()}
    )
    # Logged without the token: the old and new secrets stay out of the log.
    audit.log(token, AuditEntry.Action.CHANGED, {"token": ["…", "…"]})
    return token


# --- Invitations and reminders ------------------------------------------------------------


def gathering_invite(*, gathering: Gathering) -> None:
    """E-mail the invitees their invitation with the calendar file, after the commit.

    Asking again sends again (say, after the gathering moved); the task itself sends once.
    A cancelled gathering invites nobody (``ValidationError``).
    """
    from .tasks import send_gathering_invitations  # the task module imports this one

    if gathering.cancelled_at is not None:
        raise ValidationError(_("The gathering is cancelled: no invitations are sent."))

    Gathering.objects.filter(pk=gathering.pk).update(invitations_sent_at=None)

    transaction.on_commit(lambda: send_gathering_invitations.delay(gathering.pk))


# --- Standard programmes --------------------------------------------------------------------


@transaction.atomic
def standard_programme_adapt(*, country) -> StandardProgramme:
    """The country's own standard programme, to adapt in the admin: at first use (a programme
    without gatherings) a copy of the code's (``programme.code_programme``) in the country's
    portal language, each row in the audit log. One with gatherings stays as it is."""
    programme, created = StandardProgramme.objects.get_or_create(country=country)
    if created:
        audit.log(programme, AuditEntry.Action.CREATED)
    if programme.gatherings.exists():
        return programme
    with translation.override(country.language or "en"):
        for gathering in code_programme(country):
            row = StandardProgrammeGathering.objects.create(
                programme=programme, number=gathering.number, title=str(gathering.title)
            )
            items = StandardProgrammeItem.objects.bulk_create(
                StandardProgrammeItem(
                    gathering=row,
                    position=position,
                    title=str(item.title),
                    kind=item.kind,
                    duration_minutes=item.minutes,
                )
                for position, item in enumerate(gathering.items, start=1)
            )
            audit.log(row, AuditEntry.Action.CREATED)
            log_bulk(model=StandardProgrammeItem, objects=items, action=AuditEntry.Action.CREATED)
    return programme
