"""Reads: agendas with their times, invitees, who came, and the training hours derived from
agendas and attendance. Every function runs a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q, QuerySet, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from cemsdi_portal.core.markup import render_markdown
from networks.countries import network_zone, role_title
from networks.models import Municipality, Network, NetworkMembership, Role

from . import rules as perms
from .days_off import DaysOff
from .models import (
    GATHERINGS_PER_NETWORK,
    AgendaItem,
    Assignment,
    Attendance,
    EvaluationGiven,
    EvaluationResponse,
    Gathering,
    GatheringAnswer,
)
from .programme import programme_for, standard_gathering

HOURS = Decimal("0.01")


def with_training_minutes(gatherings: QuerySet[Gathering]) -> QuerySet[Gathering]:
    """Annotate ``training_minutes``: the agenda's minutes that are not breaks."""
    return gatherings.annotate(
        training_minutes=Coalesce(
            Sum(
                "agenda__duration_minutes",
                filter=Q(agenda__kind__in=AgendaItem.TRAINING_KINDS),
            ),
            0,
        )
    )


def training_hours(minutes: int) -> Decimal:
    """Hours of training from minutes, to the hundredth: the one conversion pages and reports
    use."""
    return (Decimal(minutes) / 60).quantize(HOURS)


def agenda_training_hours(items) -> Decimal:
    """An agenda's training hours: its items that are not breaks (``AgendaItem.is_training``,
    the same kinds ``with_training_minutes`` sums in the database)."""
    return training_hours(sum(item.duration_minutes for item in items if item.is_training))


def effective_hours(attendance: Attendance, training_minutes: int) -> Decimal:
    """A present person's hours: as corrected by the facilitator, else the agenda's."""
    if not attendance.present:
        return Decimal("0.00")
    if attendance.hours is not None:
        return attendance.hours
    return training_hours(training_minutes)


@dataclass
class AgendaRow:
    item: AgendaItem
    starts: datetime
    ends: datetime


def agenda_rows(gathering: Gathering, items: list[AgendaItem]) -> list[AgendaRow]:
    """Times follow the order: each item starts when the one before it ends."""
    rows, moment = [], gathering.starts_at
    for item in items:
        ends = moment + timedelta(minutes=item.duration_minutes)
        rows.append(AgendaRow(item=item, starts=moment, ends=ends))
        moment = ends
    return rows


@dataclass
class Invitee:
    person: object
    municipality: Municipality
    role_kind: str
    attendance: Attendance | None
    answer: GatheringAnswer | None = None  # yes or no to the invitation, if given

    @property
    def role_label(self) -> str:
        """The role, with the country's own title ("Chief executive (rådmann)")."""
        return role_title(self.role_kind, self.municipality.country)

    @property
    def comes(self) -> bool | None:
        """True for a yes, False for a no, None when not answered."""
        return None if self.answer is None else self.answer.answer == GatheringAnswer.Answer.YES


def invited_role_kinds(gathering: Gathering) -> list[str]:
    """Chief executives come to every gathering; mayors are invited to the first."""
    kinds = [Role.Kind.CHIEF_EXECUTIVE]
    if gathering.number == 1:
        kinds.append(Role.Kind.MAYOR)
    return kinds


def held_in(network) -> Q:
    """Municipal roles that count in a network (an id, or an ``OuterRef`` to one): those given
    through its invitation, and those an administrator gave (in every network). A role given
    through another network's invitation belongs to that network only."""
    return Q(granted_in__isnull=True) | Q(granted_in=network)


def gathering_invitees(gathering: Gathering) -> list[Invitee]:
    """Who is invited: the leaders of the member municipalities whose role counts in the
    gathering's network (``held_in``), with their attendance where recorded and their answer
    to the invitation where given (three queries).

    People recorded as present who are no longer invited (their role changed) stay listed,
    so that history does not change.
    """
    roles = (
        Role.objects.filter(
            held_in(gathering.network_id),
            kind__in=invited_role_kinds(gathering),
            municipality__in=NetworkMembership.objects.filter(
                network_id=gathering.network_id
            ).values("municipality_id"),
        )
        .select_related("user", "municipality__country")
        .order_by("municipality__name", "kind", "user__last_name")
    )
    recorded = {
        a.person_id: a
        for a in Attendance.objects.filter(gathering=gathering).select_related(
            "person", "municipality__country"
        )
    }
    answers = {a.person_id: a for a in GatheringAnswer.objects.filter(gathering=gathering)}
    invitees, seen = [], set()
    for role in roles:
        if (role.user_id, role.municipality_id, role.kind) in seen:
            continue  # given by an administrator and through this network's invitation
        seen.add((role.user_id, role.municipality_id, role.kind))
        invitees.append(
            Invitee(
                role.user,
                role.municipality,
                role.kind,
                recorded.pop(role.user_id, None),
                answers.get(role.user_id),
            )
        )
    for attendance in recorded.values():
        invitees.append(
            Invitee(
                attendance.person,
                attendance.municipality,
                attendance.role_kind,
                attendance,
                answers.get(attendance.person_id),
            )
        )
    return invitees


def invitee_of(invitees: list[Invitee], person_id: int) -> Invitee | None:
    """The person's invitation among ``invitees``, or None when they are not invited."""
    return next((i for i in invitees if i.person.pk == person_id), None)


@dataclass
class AnswersByMunicipality:
    municipality: Municipality
    invitees: list[Invitee]


@dataclass
class AnswerSummary:
    """Who comes, as the facilitator sees it before the day."""

    yes: int
    no: int
    not_answered: int
    by_municipality: list[AnswersByMunicipality]

    @property
    def total(self) -> int:
        return self.yes + self.no + self.not_answered


def answer_summary(invitees: list[Invitee]) -> AnswerSummary:
    """Counts of yes, no and not answered, and the invitees by municipality (no query)."""
    groups: dict[int, AnswersByMunicipality] = {}
    for invitee in invitees:
        municipality = invitee.municipality
        groups.setdefault(municipality.pk, AnswersByMunicipality(municipality, [])).invitees.append(
            invitee
        )
    comes = [invitee.comes for invitee in invitees]
    return AnswerSummary(
        yes=comes.count(True),
        no=comes.count(False),
        not_answered=comes.count(None),
        by_municipality=sorted(groups.values(), key=lambda g: g.municipality.name),
    )


def answers_open(gathering: Gathering, *, now: datetime | None = None) -> bool:
    """Invitees answer until the gathering ends."""
    return (now or timezone.now()) < gathering.ends_at


def not_answered(invitees: list[Invitee]) -> list[Invitee]:
    return [invitee for invitee in invitees if invitee.answer is None]


# --- The evaluation after a gathering --------------------------------------------------------

EVALUATION_SHOWN_FROM = 3  # fewer answers are not shown: a single one would be identifiable


def evaluation_open(gathering: Gathering, *, now: datetime | None = None) -> bool:
    """Participants evaluate a gathering once it has ended."""
    return (now or timezone.now()) >= gathering.ends_at


def evaluation_given(*, gathering: Gathering, user) -> bool:
    return EvaluationGiven.objects.filter(gathering=gathering, person_id=user.pk).exists()


@dataclass
class EvaluationResults:
    count: int
    overall: Decimal | None = None  # averages, to one decimal; None while hidden
    relevance: Decimal | None = None
    changes: list[str] = field(default_factory=list)  # the free texts, in no telling order

    @property
    def shown(self) -> bool:
        return self.count >= EVALUATION_SHOWN_FROM

    @property
    def missing(self) -> int:
        return max(EVALUATION_SHOWN_FROM - self.count, 0)


def evaluation_results(*, gathering: Gathering) -> EvaluationResults:
    """The count, the averages and the free texts, without anyone's name (two queries). Below
    ``EVALUATION_SHOWN_FROM`` answers, only the count."""
    responses = EvaluationResponse.objects.filter(gathering=gathering)
    summary = responses.aggregate(
        count=Count("pk"), overall=Avg("overall"), relevance=Avg("relevance")
    )
    results = EvaluationResults(count=summary["count"])
    if not results.shown:
        return results
    tenth = Decimal("0.1")
    results.overall = Decimal(str(summary["overall"])).quantize(tenth)
    results.relevance = Decimal(str(summary["relevance"])).quantize(tenth)
    # Ordered by the random key: neither the order of writing nor anything else.
    texts = responses.exclude(what_should_change="").order_by("pk")
    results.changes = list(texts.values_list("what_should_change", flat=True))
    return results


@dataclass
class WhoCame:
    """Leadership at one gathering for one municipality."""

    municipality: Municipality
    chief_executive: bool = False
    mayor: bool = False
    others: int = 0

    @property
    def anyone(self) -> bool:
        return self.chief_executive or self.mayor or self.others > 0


def who_came(invitees: list[Invitee], members: list[Municipality]) -> list[WhoCame]:
    rows = {m.pk: WhoCame(municipality=m) for m in members}
    for invitee in invitees:
        attendance = invitee.attendance
        if attendance is None or not attendance.present:
            continue
        row = rows.setdefault(invitee.municipality.pk, WhoCame(invitee.municipality))
        if invitee.role_kind == Role.Kind.CHIEF_EXECUTIVE:
            row.chief_executive = True
        elif invitee.role_kind == Role.Kind.MAYOR:
            row.mayor = True
        else:
            row.others += 1
    return sorted(rows.values(), key=lambda r: r.municipality.name)


@dataclass
class AssignmentStatus:
    assignment: Assignment
    done_ids: set[int]

    def done_count(self) -> int:
        return len(self.done_ids)


@dataclass
class GatheringPage:
    gathering: Gathering
    agenda: list[AgendaRow]
    training_hours: Decimal
    mayors_invited: bool  # invited_role_kinds decides, for the page and the e-mail alike
    invitees: list[Invitee]
    who_came: list[WhoCame]
    members: list[Municipality]
    assignments: list[AssignmentStatus]
    previous: Gathering | None
    next: Gathering | None
    summary_html: str  # the summary's Markdown, rendered safe (core/markup.py)
    # The members whose assignments the user may mark done (sessions_app/rules.py decides).
    reportable: list[Municipality] = field(default_factory=list)
    mine: Invitee | None = None  # the user's own invitation, with their answer
    answers: AnswerSummary | None = None
    answers_open: bool = False
    evaluation_open: bool = False


def gathering_page(*, gathering: Gathering, user) -> GatheringPage:
    """A gathering the user may see (``access.gathering_or_404``), with everything its page
    shows."""
    prefetch_related_objects([gathering], "materials")
    items = list(gathering.agenda.all())
    siblings = {g.number: g for g in Gathering.objects.filter(network_id=gathering.network_id)}
    members = list(gathering.network.municipalities.order_by("name"))
    invitees = gathering_invitees(gathering)
    assignments = [
        AssignmentStatus(a, {c.municipality_id for c in a.completions.all()})
        for a in gathering.assignments.prefetch_related("completions")
    ]
    return GatheringPage(
        gathering=gathering,
        agenda=agenda_rows(gathering, items),
        training_hours=agenda_training_hours(items),
        mayors_invited=Role.Kind.MAYOR in invited_role_kinds(gathering),
        invitees=invitees,
        who_came=who_came(invitees, members),
        members=members,
        assignments=assignments,
        previous=siblings.get(gathering.number - 1),
        next=siblings.get(gathering.number + 1),
        summary_html=render_markdown(gathering.summary),
        reportable=_reportable(user, gathering, members),
        mine=invitee_of(invitees, user.pk),
        answers=answer_summary(invitees),
        answers_open=answers_open(gathering),
        evaluation_open=evaluation_open(gathering),
    )


def _reportable(user, gathering: Gathering, members: list[Municipality]) -> list[Municipality]:
    """The members the policy lets the user report for (one query)."""
    reportable = set(
        perms.memberships_reportable_by(user)
        .filter(network_id=gathering.network_id)
        .values_list("municipality_id", flat=True)
    )
    return [m for m in members if m.pk in reportable]


@dataclass
class NetworkTraining:
    """A network's training, derived from agendas and attendance."""

    gatherings: list[Gathering] = field(default_factory=list)
    held: int = 0
    delivered_hours: Decimal = Decimal("0.00")  # the held gatherings' agenda hours
    person_hours: Decimal = Decimal("0.00")
    hours_by_person: dict[int, Decimal] = field(default_factory=dict)
    hours_by_municipality: dict[int, Decimal] = field(default_factory=dict)
    present: int = 0
    recorded: int = 0
    missed: list[Municipality] = field(default_factory=list)  # absent from a held gathering
    next_gathering: Gathering | None = None
    attended_by_municipality: dict[int, int] = field(default_factory=dict)  # held, with someone
    municipality_of_person: dict[int, int] = field(default_factory=dict)

    @property
    def planned(self) -> int:
        return GATHERINGS_PER_NETWORK

    @property
    def completed(self) -> bool:
        return self.held == GATHERINGS_PER_NETWORK

    @property
    def attendance_rate(self) -> int | None:
        return round(100 * self.present / self.recorded) if self.recorded else None


def network_training(
    *, network_ids: list[int], as_of: date | None = None
) -> dict[int, NetworkTraining]:
    """Training figures of several networks at once, in three queries. With ``as_of``, a
    gathering counts as held only if it was held by that day (a report of a past period reads
    the same later)."""

    def held_gathering(g) -> bool:
        return g.is_held and (as_of is None or g.attendance_opens_on <= as_of)

    result = {pk: NetworkTraining() for pk in network_ids}
    gatherings = with_training_minutes(
        Gathering.objects.filter(network_id__in=network_ids)
    ).order_by("network_id", "number")
    minutes, network_of = {}, {}
    for g in gatherings:
        training = result[g.network_id]
        training.gatherings.append(g)
        minutes[g.pk] = g.training_minutes
        if held_gathering(g):
            network_of[g.pk] = g.network_id  # only held gatherings' attendance counts
            training.held += 1
            training.delivered_hours += training_hours(g.training_minutes)
        elif training.next_gathering is None:
            training.next_gathering = g  # the first not yet held, whatever its date
    came = defaultdict(set)  # gathering id -> municipality ids with someone present
    for attendance in Attendance.objects.filter(gathering__network_id__in=network_ids):
        if attendance.gathering_id not in network_of:
            continue
        training = result[network_of[attendance.gathering_id]]
        training.recorded += 1
        if not attendance.present:
            continue
        training.present += 1
        came[attendance.gathering_id].add(attendance.municipality_id)
        training.municipality_of_person[attendance.person_id] = attendance.municipality_id
        hours = effective_hours(attendance, minutes[attendance.gathering_id])
        training.person_hours += hours
        by_person, by_municipality = training.hours_by_person, training.hours_by_municipality
        by_person[attendance.person_id] = by_person.get(attendance.person_id, 0) + hours
        by_municipality[attendance.municipality_id] = (
            by_municipality.get(attendance.municipality_id, 0) + hours
        )
    memberships = (
        NetworkMembership.objects.filter(network_id__in=network_ids)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    for membership in memberships:
        training = result[membership.network_id]
        held = [g for g in training.gatherings if held_gathering(g)]
        attended = sum(membership.municipality_id in came[g.pk] for g in held)
        training.attended_by_municipality[membership.municipality_id] = attended
        if attended < len(held):
            training.missed.append(membership.municipality)
    return result


def network_gatherings(*, network: Network) -> NetworkTraining:
    return network_training(network_ids=[network.pk])[network.pk]


@dataclass
class MunicipalityTraining:
    municipality: Municipality
    attended: int  # held gatherings at which someone from it was present
    hours: Decimal  # its people's hours together
    people: list[tuple[object, Decimal]]  # (person, hours)


def municipality_training(
    *, network: Network, training: NetworkTraining
) -> list[MunicipalityTraining]:
    """Training hours per member municipality and per person (two queries)."""
    people = get_user_model().objects.in_bulk(list(training.hours_by_person))
    by_municipality = defaultdict(list)
    for person_id, hours in training.hours_by_person.items():
        municipality_id = training.municipality_of_person[person_id]
        by_municipality[municipality_id].append((people[person_id], hours))
    return [
        MunicipalityTraining(
            municipality=m,
            attended=training.attended_by_municipality.get(m.pk, 0),
            hours=training.hours_by_municipality.get(m.pk, Decimal("0.00")),
            people=sorted(by_municipality[m.pk], key=lambda p: p[0].get_full_name()),
        )
        for m in network.municipalities.order_by("name")
    ]


def agenda_minutes(*, network: Network) -> dict[int, int]:
    """By gathering number, the minutes its agenda needs: its own, or the standard one's."""
    programme = programme_for(network)
    needed = {
        number: sum(item.minutes for item in standard_gathering(number, programme).items)
        for number in range(1, GATHERINGS_PER_NETWORK + 1)
    }
    rows = (
        AgendaItem.objects.filter(gathering__network=network)
        .values("gathering__number")
        .annotate(total=Sum("duration_minutes"))
    )
    needed.update({row["gathering__number"]: row["total"] for row in rows})
    return needed


def reminders_due(*, now: datetime | None = None) -> list[int]:
    """Gatherings whose reminder is due: within their network's reminder days, not yet sent."""
    now = now or timezone.now()
    candidates = Gathering.objects.filter(
        reminder_sent_at__isnull=True,
        attendance_recorded_at__isnull=True,
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=60),
    ).select_related("network")
    return [
        g.pk
        for g in candidates
        if g.starts_at - timedelta(days=g.network.reminder_days_before) <= now
    ]


# --- Scheduling ---------------------------------------------------------------------------


DEFAULT_START, DEFAULT_END = time(9, 0), time(17, 0)


@dataclass
class GatheringDraft:
    """A gathering as the facilitator schedules it. ``note``: why the proposal moved it off
    the day the even spread gave (a public holiday, the summer holiday weeks)."""

    number: int
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str = ""
    note: str = ""


def _local(day: date, at: time, zone) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), zone)


def _working_day(day: date, *, step: int, days_off: DaysOff | None = None) -> date:
    """``day``, or the nearest weekday after it (``step`` 1) or before it (-1), that is not
    one of ``days_off`` (public holidays, the summer holiday weeks) when given."""
    while day.weekday() >= 5 or (days_off is not None and days_off.is_off(day)):
        day += timedelta(days=step)
    return day


def _moved_note(*, planned: date, day: date, days_off: DaysOff) -> str:
    return gettext("Proposed on %(date)s: %(planned)s is %(reason)s.") % {
        "date": date_format(day),
        "planned": date_format(planned),
        "reason": days_off.reason(planned),
    }


def schedule_proposal(*, network: Network) -> list[GatheringDraft]:
    """The network's gatherings, with the standard programme where one is still missing.

    Proposed gatherings are spread evenly over the network's planned period, on weekdays,
    from 9 to 17 in the network's country's time zone, titled in the network's working
    language. A day that is a public holiday of the network's country or in its summer
    holiday weeks (``days_off.py``) moves to the next working day (the last gathering: the
    one before, inside the period), and its draft's ``note`` says so in the reader's language.
    """
    existing = {g.number: g for g in network.gatherings.all()}
    days_off = DaysOff.of_network(network, language=translation.get_language())
    zone = network_zone(network)
    span = (network.planned_end - network.planned_start).days
    drafts, moved = [], {}
    programme = programme_for(network)
    with translation.override(network.language):
        for number in range(1, GATHERINGS_PER_NETWORK + 1):
            if number in existing:
                g = existing[number]
                drafts.append(GatheringDraft(number, g.title, g.starts_at, g.ends_at, g.venue))
                continue
            offset = span * (number - 1) // (GATHERINGS_PER_NETWORK - 1)
            spread = network.planned_start + timedelta(days=offset)
            # The last gathering moves back, into the period; the others forward.
            step = 1 if number < GATHERINGS_PER_NETWORK else -1
            weekday = _working_day(spread, step=step)
            day = _working_day(weekday, step=step, days_off=days_off)
            if day != weekday:
                moved[number] = (weekday, day)
            drafts.append(
                GatheringDraft(
                    number,
                    str(standard_gathering(number, programme).title),
                    _local(day, DEFAULT_START, zone),
                    _local(day, DEFAULT_END, zone),
                )
            )
    for draft in drafts:  # outside the network's language: the note is for the reader
        if draft.number in moved:
            planned, day = moved[draft.number]
            draft.note = _moved_note(planned=planned, day=day, days_off=days_off)
    return drafts
