"""Reads that span the apps: what the home page shows each person, and an indicator's page
with learn from the best."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, prefetch_related_objects
from django.utils import timezone

from assessment.models import Response, Round
from assessment.rules import EDITOR_KINDS as ANSWERING_KINDS
from benchmarking import charts, pages
from benchmarking import selectors as keyfigures
from community.selectors import best_performers_practices
from networks import rules as perms
from networks.models import Invitation, MembershipInvitation, Municipality, Network, Programme, Role
from networks.rules import municipalities_visible_to, networks_visible_to
from networks.selectors import network_warnings, networks_for_list
from notices.selectors import unread_notices
from notices.wording import describe_html
from sessions_app.models import Assignment, Gathering, GatheringAnswer
from sessions_app.selectors import invited_role_kinds
from strategies.models import Measure
from strategies.selectors import (
    FigureTrack,
    figure_tracks,
    is_overdue,
    is_stale,
    my_strategies,
    shared_plans,
)


@dataclass
class HomePage:
    """What is the user's own: the home page shows one block per kind of role."""

    facilitated_networks: list[Network] = field(default_factory=list)
    municipal_roles: list[Role] = field(default_factory=list)
    municipal_networks: list[Network] = field(default_factory=list)
    officer_programmes: list[Programme] = field(default_factory=list)
    strategies: list = field(default_factory=list)  # strategies.selectors.MyStrategy
    membership_invitations: list[MembershipInvitation] = field(default_factory=list)
    is_administrator: bool = False
    todo: "ToDo | None" = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.facilitated_networks
            or self.municipal_roles
            or self.officer_programmes
            or self.membership_invitations
            or self.is_administrator
        )


def home_page(*, user) -> HomePage:
    scopes = perms.role_scopes(user)
    page = HomePage(is_administrator=scopes.is_administrator)
    listed = networks_for_list(user=user)
    if scopes.facilitated_network_ids:
        page.facilitated_networks = list(listed.filter(pk__in=scopes.facilitated_network_ids))
        for network in page.facilitated_networks:
            network.warnings = network_warnings(network=network, member_count=network.member_count)
    if scopes.municipality_ids:
        page.municipal_roles = list(
            Role.objects.filter(user=user, municipality__isnull=False)
            .select_related("municipality__region", "municipality__country")
            .order_by("municipality__name", "kind")
        )
        page.municipal_networks = list(
            listed.filter(pk__in=perms.memberships_spoken_for(user).values("network_id"))
        )
        page.strategies = my_strategies(user=user)
    if scopes.municipal_roles or scopes.is_administrator:
        page.membership_invitations = list(
            perms.membership_invitations_decidable_by(user)
            .filter(state=MembershipInvitation.State.INVITED)
            .select_related("network__region", "municipality", "invited_by")
            .order_by("created_at")
        )
    if scopes.officer_programme_ids:
        page.officer_programmes = list(
            Programme.objects.filter(pk__in=scopes.officer_programme_ids).annotate(
                network_count=Count("networks", distinct=True),
                municipality_count=Count("networks__memberships__municipality", distinct=True),
            )
        )
    page.todo = home_todo(user=user, scopes=scopes, facilitated=page.facilitated_networks)
    return page


# --- What waits for the person ------------------------------------------------------------------


@dataclass
class OpenAssignment:
    assignment: Assignment
    municipality: Municipality
    late: bool


@dataclass
class NextGathering:
    gathering: Gathering
    invited: bool  # the person is among its invitees, and the invitations went out
    answer: str | None  # GatheringAnswer.Answer, or None when not answered


@dataclass
class UnreadNotice:
    notice: object  # notices.models.Notice
    text: str  # safe HTML: a person's words inside are marked with their language


@dataclass
class WaitingMeasure:
    measure: Measure
    late: bool
    stale: bool
    figure: FigureTrack | None = None  # its key figure, when it is tied to one


@dataclass
class Behind:
    """A member municipality with assignments past their due date and not marked done."""

    network: Network
    municipality: Municipality
    late: int


@dataclass
class ToDo:
    """The home page's to-do list: a municipality's person sees what waits for them, a
    facilitator what waits for others in their networks."""

    notices: list[UnreadNotice] = field(default_factory=list)
    next_gatherings: list[NextGathering] = field(default_factory=list)
    assignments: list[OpenAssignment] = field(default_factory=list)
    measures: list[WaitingMeasure] = field(default_factory=list)
    open_invitations: list[Invitation] = field(default_factory=list)
    behind: list[Behind] = field(default_factory=list)
    open_rounds: list["OpenRound"] = field(default_factory=list)
    stale_days: int = 30  # settings.STRATEGY_STALE_DAYS, as the action plan flags measures

    @property
    def is_empty(self) -> bool:
        return not (
            self.notices
            or self.next_gatherings
            or self.assignments
            or self.measures
            or self.open_invitations
            or self.behind
            or self.open_rounds
        )


# Work waits only in networks under way; a finished pilot's late homework is history.
UNDER_WAY = (Network.State.PLANNED, Network.State.RUNNING)


def home_todo(*, user, scopes, facilitated: list[Network], today: date | None = None) -> ToDo:
    """A fixed number of queries, whatever the number of networks, assignments or measures."""
    today = today or timezone.localdate()
    todo = ToDo(
        notices=[UnreadNotice(n, describe_html(n)) for n in unread_notices(user, limit=5)],
        stale_days=settings.STRATEGY_STALE_DAYS,
    )
    facilitated = [n for n in facilitated if n.state in UNDER_WAY]
    if scopes.municipal_roles:
        memberships = list(
            perms.memberships_spoken_for(user)
            .filter(network__state__in=UNDER_WAY)
            .select_related("municipality")
        )
        network_ids = {m.network_id for m in memberships}
        todo.next_gatherings = _with_answers(
            _next_gatherings(network_ids), user, scopes, memberships
        )
        todo.assignments = _open_assignments(memberships, today)
        todo.measures = _waiting_measures(user, today)
        todo.open_rounds = _open_rounds(memberships, scopes)
    if facilitated:
        network_ids = [n.pk for n in facilitated]
        todo.open_invitations = [
            invitation
            for invitation in Invitation.objects.filter(
                network_id__in=network_ids, state=Invitation.State.SENT
            )
            .select_related("network", "municipality__country")
            .order_by("expires_at")
            if invitation.current_state == Invitation.State.SENT
        ]
        todo.behind = _behind(facilitated, today)
        if not scopes.municipal_roles:
            todo.next_gatherings = [
                NextGathering(g, invited=False, answer=None) for g in _next_gatherings(network_ids)
            ]
    return todo


@dataclass
class OpenRound:
    """An open self-assessment round the person's municipality has not submitted yet."""

    round: Round
    municipality: Municipality
    draft: bool  # answering has begun


def _open_rounds(memberships, scopes) -> list[OpenRound]:
    """The open rounds of the networks where the person answers for a municipality (its chief
    executive or staff), unless it has submitted (two queries)."""
    answering = [
        m
        for m in memberships
        if scopes.holds_in(m.municipality_id, m.network_id, kinds=ANSWERING_KINDS)
    ]
    rounds = list(
        Round.objects.filter(
            network_id__in={m.network_id for m in answering}, state=Round.State.OPEN
        )
        .select_related("network")
        .order_by("opened_at")
    )
    states = {
        (round_id, municipality_id): state
        for round_id, municipality_id, state in Response.objects.filter(
            round__in=rounds, municipality_id__in={m.municipality_id for m in answering}
        ).values_list("round_id", "municipality_id", "state")
    }
    return [
        OpenRound(round_, m.municipality, states.get((round_.pk, m.municipality_id)) is not None)
        for round_ in rounds
        for m in answering
        if m.network_id == round_.network_id
        and states.get((round_.pk, m.municipality_id)) != Response.State.SUBMITTED
    ]


def _next_gatherings(network_ids) -> list[Gathering]:
    """The next gathering of each network (two queries)."""
    upcoming = (
        Gathering.objects.filter(
            network_id__in=network_ids, ends_at__gte=timezone.now(), cancelled_at__isnull=True
        )
        .select_related("network__region__country")
        .order_by("starts_at")
    )
    first: dict[int, Gathering] = {}
    for gathering in upcoming:
        first.setdefault(gathering.network_id, gathering)
    return sorted(first.values(), key=lambda g: g.starts_at)


def _with_answers(gatherings: list[Gathering], user, scopes, memberships) -> list[NextGathering]:
    """Whether the person is invited to each (their roles decide, no query) and their answer
    (one query)."""
    answers = dict(
        GatheringAnswer.objects.filter(person=user, gathering__in=gatherings).values_list(
            "gathering_id", "answer"
        )
    )
    rows = []
    for gathering in gatherings:
        kinds = invited_role_kinds(gathering)
        invited = gathering.invitations_sent_at is not None and any(
            scopes.holds_in(m.municipality_id, gathering.network_id, kinds=kinds)
            for m in memberships
            if m.network_id == gathering.network_id
        )
        rows.append(NextGathering(gathering, invited, answers.get(gathering.pk)))
    return rows


def _open_assignments(memberships, today: date) -> list[OpenAssignment]:
    assignments = (
        Assignment.objects.filter(gathering__network_id__in={m.network_id for m in memberships})
        .select_related("gathering__network")  # the network's language marks the title
        .prefetch_related("completions")
        .order_by("due_date", "pk")
    )
    rows = []
    for assignment in assignments:
        done = {c.municipality_id for c in assignment.completions.all()}
        for membership in memberships:
            if (
                membership.network_id == assignment.gathering.network_id
                and membership.municipality_id not in done
            ):
                late = assignment.due_date < today
                rows.append(OpenAssignment(assignment, membership.municipality, late))
    return rows


def _waiting_measures(user, today: date) -> list[WaitingMeasure]:
    measures = list(
        Measure.objects.filter(owner=user, status__in=Measure.OPEN_STATUSES)
        .select_related("strategy__municipality", "indicator")
        .order_by("due_on", "pk")
    )
    figures = figure_tracks(measures)  # one query for all, none without key figures
    return [
        WaitingMeasure(m, is_overdue(m, today), is_stale(m, today), figures.get(m.pk))
        for m in measures
    ]


def _behind(networks: list[Network], today: date) -> list[Behind]:
    # The networks are the home page's own rows: their members are fetched onto them.
    prefetch_related_objects(networks, "municipalities")
    by_id = {n.pk: n for n in networks}
    late: dict[tuple[int, int], int] = {}
    for assignment in (
        Assignment.objects.filter(gathering__network_id__in=list(by_id), due_date__lt=today)
        .prefetch_related("completions")
        .select_related("gathering")
    ):
        network = by_id[assignment.gathering.network_id]
        done = {c.municipality_id for c in assignment.completions.all()}
        for municipality in network.municipalities.all():
            if municipality.pk not in done:
                key = (network.pk, municipality.pk)
                late[key] = late.get(key, 0) + 1
    municipalities = {m.pk: m for n in networks for m in n.municipalities.all()}
    return sorted(
        (Behind(by_id[nid], municipalities[mid], count) for (nid, mid), count in late.items()),
        key=lambda b: (b.network.name, -b.late, b.municipality.name),
    )


# --- An indicator's ranking, with learn from the best --------------------------------------------


@dataclass
class BestPractice:
    """A best performer's practice beside its figure, with the figure it moved (formatted)."""

    practice: object  # community.models.Practice
    on_indicator: bool  # it moved the figure of the page
    before: str = ""  # "81.1 (2010)", or "" without a value
    after: str = ""


def _best_practice(practice) -> BestPractice:
    line = BestPractice(practice, practice.on_indicator)
    decimals = practice.indicator.decimals if practice.indicator else 1
    for name in ("before", "after"):
        value, year = getattr(practice, f"{name}_value"), getattr(practice, f"{name}_year")
        if value is not None:
            setattr(line, name, f"{charts.format_number(value, decimals)} ({year})")
    return line


def indicator_page(*, user, indicator, year: int | None) -> dict:
    """What the indicator's page shows the user: the ranking of the municipalities they see,
    the chart of their own (or the first) over the years, and learn from the best: the best
    performers of each set they belong to, with the practices they published and their
    shared action plans. A fixed number of queries, whatever the number of municipalities,
    best performers or practices."""
    decimals = indicator.decimals
    visible = municipalities_visible_to(user)
    ranking = keyfigures.indicator_ranking(indicator=indicator, municipalities=visible, year=year)
    own_ids = perms.role_scopes(user).municipality_ids

    def line(municipality, value, rank, percentile):
        return pages.RankingLine(
            municipality=municipality,
            value=charts.format_number(value, decimals),
            missing=""
            if value is not None
            else pages.missing_reason(ranking.statuses.get(municipality.pk, "")),
            rank=rank,
            percentile=charts.format_number(percentile, 0),
            is_own=municipality.pk in own_ids,
        )

    subject = None
    if own_ids:
        subject = visible.filter(pk__in=own_ids).select_related("country").order_by("name").first()
    if subject is None and ranking.rows:
        subject = ranking.rows[0][0]
    best = [
        pages.BestOf(
            str(learning_set.kind),
            learning_set.name,
            [
                line(*row)
                for row in keyfigures.best_performers(ranking, among=learning_set.member_ids)
            ],
        )
        for learning_set in keyfigures.learning_sets(user=user)
    ]
    _learn_from(best, user=user, indicator=indicator)
    return {
        "indicator": indicator,
        "ranking": ranking,
        "lines": [line(*row) for row in ranking.rows],
        "references": [
            (
                ref.area_name,
                charts.format_number(ref.value, decimals),
                "" if ref.value is not None else pages.missing_reason(ref.status),
            )
            for ref in ranking.references
        ],
        "subject": subject,
        **_over_time(user=user, indicator=indicator, subject=subject, year=ranking.year),
        "best": best,
    }


def _learn_from(best: list, *, user, indicator) -> None:
    """Each best performer's shared action plan and practices, onto its line (two queries)."""
    lines = [b for s in best for b in s.lines]
    ids = {b.municipality.pk for b in lines}
    plans = shared_plans(user=user, municipality_ids=ids)
    practices = best_performers_practices(user=user, municipality_ids=ids, indicator=indicator)
    for best_line in lines:
        best_line.strategy_id = plans.get(best_line.municipality.pk)
        best_line.practices = [
            _best_practice(p) for p in practices.get(best_line.municipality.pk, [])
        ]


def _over_time(*, user, indicator, subject, year) -> dict:
    """The chart of the subject's figure over the years, beside its network's median."""
    series = []
    if subject is not None:
        series = keyfigures.indicator_series(indicator=indicator, municipality=subject)
    if not any(value is not None for _year, value in series):  # nothing to draw beside
        return {"chart": None, "caption": ""}
    # The network the chart's median is of: the subject's first one the user sees, as on the
    # municipality's own page (benchmarking/views/position.py).
    network = (
        networks_visible_to(user)
        .filter(memberships__municipality=subject)
        .order_by("planned_start", "name")
        .first()
    )
    medians = keyfigures.series_medians(
        indicator_ids=[indicator.pk], municipality=subject, network=network
    )[indicator.pk]
    chart = pages.over_time_chart(
        indicator=indicator,
        municipality=subject,
        series=series,
        medians=medians,
        network=network,
        year=year,
    )
    caption = pages.over_time_caption(municipality=subject, medians=medians, network=network)
    return {"chart": chart, "caption": caption}
