"""Reads: a strategy's page, its action plan, revisions and diffs, presence, the network's
overview and the measures that wait for their owners. Each runs a fixed number of queries."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.utils import timezone

from benchmarking.models import Indicator, Observation
from benchmarking.pages import missing_reason
from benchmarking.selectors import Comparison, municipality_position
from cemsdi_portal.core.markup import render_markdown
from networks.models import Municipality, Network, NetworkMembership
from networks.rules import role_scopes

from . import hooks
from . import rules as perms
from .models import (
    BaselineFigure,
    DlaPriority,
    Measure,
    Section,
    SectionComment,
    SectionPresence,
    SectionRevision,
    StatusChange,
    Strategy,
)
from .template import guidance_for

# --- Progress ---------------------------------------------------------------------------------


def stale_before(today: date | None = None) -> date:
    """Measures not updated since this day are flagged as waiting."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.STRATEGY_STALE_DAYS)


def measure_progress(status: str, progress: int) -> int | None:
    """What a measure adds to the progress of its section: done is whole, dropped is left out."""
    if status == Measure.Status.DROPPED:
        return None
    if status == Measure.Status.DONE:
        return 100
    return progress


def rollup(measures) -> tuple[float | None, dict[int | None, float]]:
    """Progress of the strategy and of each section (by section id): the plain mean of its
    measures' progress, dropped measures left out. ``None`` where nothing counts."""
    by_section: dict[int | None, list[int]] = {}
    for measure in measures:
        share = measure_progress(measure.status, measure.progress)
        if share is not None:
            by_section.setdefault(measure.section_id, []).append(share)
    every = [share for shares in by_section.values() for share in shares]
    overall = sum(every) / len(every) if every else None
    return overall, {key: sum(v) / len(v) for key, v in by_section.items()}


def is_overdue(measure: Measure, today: date) -> bool:
    return (
        measure.due_on is not None
        and measure.due_on < today
        and measure.status in Measure.OPEN_STATUSES
    )


def is_stale(measure: Measure, today: date) -> bool:
    """Open, and nobody has touched it for the set number of days."""
    return measure.status in Measure.OPEN_STATUSES and timezone.localdate(
        measure.updated_at
    ) < stale_before(today)


# --- Key figures of measures ------------------------------------------------------------------


def target_share(measure: Measure, latest: float | None) -> float | None:
    """How far the key figure has moved from its baseline to the target, in percent, clamped
    to 0-100: a target below the baseline counts a fall as progress."""
    start, goal = measure.baseline_value, measure.target_value
    if latest is None or start is None or goal is None or goal == start:
        return None
    return max(0.0, min(100.0, (latest - start) / (goal - start) * 100))


@dataclass(frozen=True)
class FigureTrack:
    """A measure's key figure as the data have it for its strategy's municipality.

    ``latest_*``: the newest year with a value; ``before_*``: what it is judged against, the
    year with a value before it, or the measure's baseline when there is none (``None`` when
    the latest year is not after the baseline's: nothing new since). ``missing_*``: a newer
    year without a value, and why (the source's symbol in words), or "no figure" when the
    municipality has no value at all. ``data_progress`` follows from the latest value."""

    latest_year: int | None = None
    latest_value: float | None = None
    before_year: int | None = None
    before_value: float | None = None
    missing_year: int | None = None
    missing_reason: str = ""
    data_progress: float | None = None
    # +1 where the target lies above the baseline, -1 below, 0 without baseline and target.
    direction: int = 0

    @property
    def moved(self) -> str:
        """ "closer" or "away" (from the target) against ``before``, "same", or "" when there
        is nothing to judge."""
        if self.latest_value is None or self.before_value is None or not self.direction:
            return ""
        step = (self.latest_value - self.before_value) * self.direction
        return "closer" if step > 0 else "away" if step < 0 else "same"


def _direction(measure: Measure) -> int:
    if measure.baseline_value is None or measure.target_value is None:
        return 0
    if measure.target_value == measure.baseline_value:
        return 0
    return 1 if measure.target_value > measure.baseline_value else -1


def figure_histories(pairs) -> dict[tuple[int, int], list[tuple[int, float | None, str]]]:
    """Every year of each (municipality id, indicator id) pair, newest first, as (year, value,
    status): one query, whatever the number of pairs."""
    pairs = set(pairs)
    histories: dict[tuple[int, int], list[tuple[int, float | None, str]]] = {}
    if not pairs:
        return histories
    rows = (
        Observation.objects.filter(
            municipality_id__in={m for m, _ in pairs}, indicator_id__in={i for _, i in pairs}
        )
        .order_by("-year")
        .values_list("municipality_id", "indicator_id", "year", "value", "status")
    )
    for municipality_id, indicator_id, year, value, status in rows:
        if (municipality_id, indicator_id) in pairs:
            histories.setdefault((municipality_id, indicator_id), []).append((year, value, status))
    return histories


def figure_track(measure: Measure, history: list[tuple[int, float | None, str]]) -> FigureTrack:
    """The measure's key figure from its municipality's years (newest first)."""
    with_value = [(year, value) for year, value, _status in history if value is not None]
    latest_year, latest_value = with_value[0] if with_value else (None, None)
    before_year = before_value = None
    after_baseline = latest_year is not None and (
        measure.baseline_year is None or latest_year > measure.baseline_year
    )
    if after_baseline and len(with_value) > 1:
        before_year, before_value = with_value[1]
    elif after_baseline:
        before_year, before_value = measure.baseline_year, measure.baseline_value
    missing_year, reason = None, ""
    if not history:
        reason = missing_reason("")
    elif history[0][1] is None:
        missing_year, reason = history[0][0], missing_reason(history[0][2])
    return FigureTrack(
        latest_year=latest_year,
        latest_value=latest_value,
        before_year=before_year,
        before_value=before_value,
        missing_year=missing_year,
        missing_reason=reason,
        data_progress=target_share(measure, latest_value),
        direction=_direction(measure),
    )


def figure_tracks(measures, municipality_of=None) -> dict[int, FigureTrack]:
    """The key figure of each measure tied to one (by measure id), in two queries at most for
    any number of measures: the municipality is the strategy's (``municipality_of(measure)``
    when given, else ``measure.strategy.municipality_id``)."""
    municipality_of = municipality_of or (lambda m: m.strategy.municipality_id)
    tied = [m for m in measures if m.indicator_id]
    histories = figure_histories((municipality_of(m), m.indicator_id) for m in tied)
    return {
        m.pk: figure_track(m, histories.get((municipality_of(m), m.indicator_id), [])) for m in tied
    }


@dataclass
class MeasureRow:
    measure: Measure
    overdue: bool
    stale: bool
    figure: FigureTrack | None = None
    practice: "hooks.MeasurePractice | None" = None  # published as a practice (the plan only)

    @property
    def latest_year(self) -> int | None:
        return self.figure.latest_year if self.figure else None

    @property
    def latest_value(self) -> float | None:
        return self.figure.latest_value if self.figure else None

    @property
    def toward_target(self) -> float | None:
        """The progress the data show (beside the owner's own ``measure.progress``)."""
        return self.figure.data_progress if self.figure else None


def _measure_rows(measures: list[Measure], municipality_id: int, today: date) -> list[MeasureRow]:
    figures = figure_tracks(measures, municipality_of=lambda m: municipality_id)
    return [
        MeasureRow(
            measure=measure,
            overdue=is_overdue(measure, today),
            stale=is_stale(measure, today),
            figure=figures.get(measure.pk),
        )
        for measure in measures
    ]


def measure_figure(*, measure: Measure) -> FigureTrack | None:
    """The measure page's key figure (one query; none without a key figure)."""
    return figure_tracks([measure]).get(measure.pk)


# --- The action plan --------------------------------------------------------------------------

SORTS = {
    "due": lambda r: (r.measure.due_on is None, r.measure.due_on or date.max, r.measure.pk),
    "start": lambda r: (r.measure.starts_on is None, r.measure.starts_on or date.max),
    "title": lambda r: r.measure.title.casefold(),
    "status": lambda r: (list(Measure.Status.values).index(r.measure.status), r.measure.pk),
    "progress": lambda r: (-r.measure.progress, r.measure.pk),
}


@dataclass
class PlanFilter:
    status: str = ""
    section: int | None = None
    owner: int | None = None
    overdue: bool = False
    sort: str = "due"


@dataclass
class ActionPlan:
    strategy: Strategy
    rows: list[MeasureRow]
    total: int
    done: int
    late: int
    progress: float | None
    sections: list[Section]
    owners: list


def action_plan(*, strategy: Strategy, plan_filter: PlanFilter | None = None) -> ActionPlan:
    plan_filter = plan_filter or PlanFilter()
    today = timezone.localdate()
    measures = list(
        strategy.measures.select_related("section", "owner", "indicator", "theme").order_by("pk")
    )
    every = _measure_rows(measures, strategy.municipality_id, today)
    overall, _ = rollup(measures)
    rows = [
        row
        for row in every
        if (not plan_filter.status or row.measure.status == plan_filter.status)
        and (plan_filter.section is None or row.measure.section_id == plan_filter.section)
        and (plan_filter.owner is None or row.measure.owner_id == plan_filter.owner)
        and (not plan_filter.overdue or row.overdue)
    ]
    rows.sort(key=SORTS.get(plan_filter.sort, SORTS["due"]))
    owners = {m.owner_id: m.owner for m in measures if m.owner_id}
    return ActionPlan(
        strategy=strategy,
        rows=rows,
        total=len(measures),
        done=sum(m.status == Measure.Status.DONE for m in measures),
        late=sum(row.overdue for row in every),
        progress=overall,
        sections=list(strategy.sections.all()),
        owners=sorted(owners.values(), key=str),
    )


def with_practices(plan: ActionPlan, *, reader) -> ActionPlan:
    """Each row says whether its measure was published as a practice the reader may see, and
    who took it up (``hooks.measure_practices``: one query for the whole plan)."""
    practices = hooks.measure_practices(user=reader, measure_ids=[r.measure.pk for r in plan.rows])
    for row in plan.rows:
        row.practice = practices.get(row.measure.pk)
    return plan


# --- The strategy page ------------------------------------------------------------------------


@dataclass
class SectionView:
    section: Section
    html: str
    guidance: str
    progress: float | None
    measure_count: int
    priorities: list[DlaPriority]
    comments: list  # the threads (``Thread``), oldest first


@dataclass
class Thread:
    """A top-level comment and its replies, oldest first."""

    comment: SectionComment
    replies: list


def threads(comments) -> list[Thread]:
    """A section's comments (any order given by the model: oldest first) as threads."""
    by_id = {}
    for comment in comments:
        if comment.parent_id is None:
            by_id[comment.pk] = Thread(comment=comment, replies=[])
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return list(by_id.values())


@dataclass
class FigureThenNow:
    indicator: Indicator
    baseline: BaselineFigure
    year: int | None = None
    value: float | None = None
    rank: int | None = None
    count: int = 0

    @property
    def change(self) -> float | None:
        if self.value is None or self.baseline.value is None:
            return None
        return self.value - self.baseline.value


@dataclass
class StrategyPage:
    strategy: Strategy
    sections: list[SectionView]
    progress: float | None
    measure_count: int
    done_count: int
    late_count: int
    figures: list[FigureThenNow]
    today_year: int | None
    history: list[StatusChange] = field(default_factory=list)


def baseline_then_now(*, strategy: Strategy) -> tuple[list[FigureThenNow], int | None]:
    """The frozen baseline against the network next to the same figures today."""
    frozen = list(
        strategy.baseline.filter(comparison=Comparison.NETWORK.value).select_related("indicator")
    )
    if not frozen:
        return [], None
    today = municipality_position(
        municipality=strategy.municipality, comparison=Comparison.NETWORK, network=strategy.network
    )
    now = {row.indicator.pk: row for row in today.rows}
    figures = []
    for figure in frozen:
        row = now.get(figure.indicator_id)
        figures.append(
            FigureThenNow(
                indicator=figure.indicator,
                baseline=figure,
                year=today.year if row else None,
                value=row.value if row else None,
                rank=row.rank if row else None,
                count=row.count if row else 0,
            )
        )
    figures.sort(key=lambda f: (f.indicator.category, f.indicator.name))
    return figures, today.year


def strategy_page(*, strategy: Strategy) -> StrategyPage:
    sections = list(
        strategy.sections.prefetch_related(
            "dla_priorities", "comments__author", "comments__resolved_by"
        ).select_related("updated_by", "theme")
    )
    measures = list(strategy.measures.all())
    overall, by_section = rollup(measures)
    counts: dict[int | None, int] = {}
    for measure in measures:
        counts[measure.section_id] = counts.get(measure.section_id, 0) + 1
    today = timezone.localdate()
    figures, today_year = baseline_then_now(strategy=strategy)
    return StrategyPage(
        strategy=strategy,
        sections=[
            SectionView(
                section=s,
                html=render_markdown(s.body),
                guidance=guidance_for(s.kind, strategy.municipality.country),
                progress=by_section.get(s.pk),
                measure_count=counts.get(s.pk, 0),
                priorities=list(s.dla_priorities.all()),
                comments=threads(list(s.comments.all())),
            )
            for s in sections
        ],
        progress=overall,
        measure_count=len(measures),
        done_count=sum(m.status == Measure.Status.DONE for m in measures),
        late_count=sum(is_overdue(m, today) for m in measures),
        figures=figures,
        today_year=today_year,
        history=list(strategy.status_changes.select_related("changed_by")),
    )


# --- Revisions and diffs ----------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class DiffPart:
    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """A readable diff: words taken out and put in, in the order of the text."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("equal", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(DiffPart("delete", "".join(before[a1:a2])))
        if b2 > b1:
            parts.append(DiffPart("insert", "".join(after[b1:b2])))
    return parts


@dataclass
class RevisionRow:
    revision: SectionRevision
    diff: list[DiffPart]
    is_current: bool


def section_history(*, section: Section) -> list[RevisionRow]:
    """Every revision, newest first, each with what it changed against the one before."""
    revisions = list(section.revisions.select_related("author").order_by("version"))
    rows, previous = [], ""
    for revision in revisions:
        rows.append(
            RevisionRow(
                revision=revision,
                diff=word_diff(previous, revision.body),
                is_current=revision.version == section.version,
            )
        )
        previous = revision.body
    return rows[::-1]


# --- Presence ---------------------------------------------------------------------------------


def others_present(*, section: Section, user) -> list:
    """Who else has had the section open within the last minute."""
    since = timezone.now() - timedelta(seconds=settings.STRATEGY_PRESENCE_SECONDS)
    return [
        presence.user
        for presence in SectionPresence.objects.filter(section=section, last_seen__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    ]


# --- The network's overview -------------------------------------------------------------------


@dataclass
class OverviewRow:
    municipality: Municipality
    strategy: Strategy | None = None
    sections_total: int = 0
    sections_written: int = 0
    measures: int = 0
    done: int = 0
    late: int = 0
    waiting: int = 0
    progress: float | None = None
    priority_ids: set[int] = field(default_factory=set)
    readable: bool = False


@dataclass
class NetworkOverview:
    network: Network
    rows: list[OverviewRow]
    priorities: list[DlaPriority]

    @property
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Strategy.Status.values, 0)
        for row in self.rows:
            if row.strategy:
                counts[row.strategy.status] += 1
        return counts

    @property
    def not_started(self) -> int:
        return sum(row.strategy is None for row in self.rows)

    def priority_cells(self, row: OverviewRow) -> list[bool]:
        return [priority.pk in row.priority_ids for priority in self.priorities]

    @property
    def uncovered(self) -> list[DlaPriority]:
        """Priorities that no strategy of the network addresses yet: the gaps."""
        covered = set().union(*(row.priority_ids for row in self.rows)) if self.rows else set()
        return [p for p in self.priorities if p.pk not in covered]


def network_overview(*, network: Network, user=None) -> NetworkOverview:
    """Per member: the strategy's status, sections written, measures done and late, and the
    DLA priorities its written sections address."""
    members = list(network.municipalities.order_by("name"))
    rows = {m.pk: OverviewRow(municipality=m) for m in members}
    strategies = list(
        Strategy.objects.filter(network=network).annotate(
            sections_total=Count("sections", distinct=True),
            sections_written=Sum(
                Case(When(~Q(sections__body=""), then=1), default=0, output_field=IntegerField())
            ),
        )
    )
    readable = set()
    if user is not None:
        readable = set(
            perms.strategies_visible_to(user).filter(network=network).values_list("pk", flat=True)
        )
    by_strategy = {}
    for strategy in strategies:
        row = rows.get(strategy.municipality_id)
        if row is None:  # a former member's strategy stays, out of the table
            continue
        row.strategy = strategy
        row.sections_total = strategy.sections_total
        row.sections_written = strategy.sections_written or 0
        row.readable = strategy.pk in readable
        by_strategy[strategy.pk] = row
    today = timezone.localdate()
    measures = list(
        Measure.objects.filter(strategy__network=network).only(
            "strategy_id", "section_id", "status", "progress", "due_on", "updated_at"
        )
    )
    grouped: dict[int, list[Measure]] = {}
    for measure in measures:
        grouped.setdefault(measure.strategy_id, []).append(measure)
    for strategy_id, its_measures in grouped.items():
        row = by_strategy.get(strategy_id)
        if row is None:
            continue
        row.measures = len(its_measures)
        row.done = sum(m.status == Measure.Status.DONE for m in its_measures)
        row.late = sum(is_overdue(m, today) for m in its_measures)
        row.waiting = sum(is_stale(m, today) for m in its_measures)
        row.progress = rollup(its_measures)[0]
    links = Section.dla_priorities.through.objects.filter(
        section__strategy__network=network
    ).exclude(section__body="")
    for strategy_id, priority_id in links.values_list("section__strategy_id", "dlapriority_id"):
        row = by_strategy.get(strategy_id)
        if row is not None:
            row.priority_ids.add(priority_id)
    return NetworkOverview(
        network=network,
        rows=[rows[m.pk] for m in members],
        priorities=list(DlaPriority.objects.all()),
    )


# --- Strategies a person works on -------------------------------------------------------------


@dataclass
class MyStrategy:
    network: Network
    municipality: Municipality
    strategy: Strategy | None


def my_strategies(*, user) -> list[MyStrategy]:
    """For each network the user's municipalities are in: their strategy, or a place to start
    it. Used on the home page."""
    scopes = role_scopes(user)
    if not scopes.municipal_roles:
        return []
    memberships = NetworkMembership.objects.filter(scopes.held_q()).select_related(
        "network", "municipality__country"
    )
    existing = {
        (s.network_id, s.municipality_id): s for s in Strategy.objects.filter(scopes.held_q())
    }
    return [
        MyStrategy(m.network, m.municipality, existing.get((m.network_id, m.municipality_id)))
        for m in sorted(memberships, key=lambda m: (m.network.name, m.municipality.name))
    ]


# --- The weekly digest ------------------------------------------------------------------------


def measures_waiting(*, today: date | None = None) -> dict:
    """Open measures that are overdue or that nobody updated for the set time, by owner."""
    today = today or timezone.localdate()
    open_measures: QuerySet[Measure] = (
        Measure.objects.filter(
            status__in=Measure.OPEN_STATUSES,
            owner__is_active=True,
            owner__email__gt="",
            # Only people who still hold a role in the measure's municipality.
            owner__roles__municipality=F("strategy__municipality"),
        )
        .select_related("owner", "strategy__municipality", "strategy__network")
        .order_by("owner_id", "due_on", "pk")
        .distinct()
    )
    by_owner: dict = {}
    for measure in open_measures:
        # The action plan's own rules for late and stale, not a second version in SQL.
        if is_overdue(measure, today) or is_stale(measure, today):
            by_owner.setdefault(measure.owner, []).append(measure)
    return by_owner


def shared_plans(*, user, municipality_ids) -> dict[int, int]:
    """The strategy (id) to learn from for each municipality, where the user may read one
    that is shared or adopted: the latest started (one query)."""
    plans: dict[int, int] = {}
    for strategy_id, municipality_id in (
        perms.strategies_visible_to(user)
        .filter(municipality_id__in=list(municipality_ids))
        .exclude(status=Strategy.Status.DRAFT)
        .order_by("-started_at")
        .values_list("pk", "municipality_id")
    ):
        plans.setdefault(municipality_id, strategy_id)
    return plans


def dla_priorities() -> list[DlaPriority]:
    """The Digital Local Agenda's priorities with their goals, in their order: what the codes
    on strategies and overviews mean (two queries, however many there are)."""
    return list(DlaPriority.objects.prefetch_related("goals"))


# --- The next phase -------------------------------------------------------------------------


def previous_adopted(*, network, municipality) -> Strategy | None:
    """The strategy the municipality adopted in the network's previous phase, which its
    strategy in this network starts from; None in a first phase, or where it adopted none
    there (its adoption moved back to shared or draft is not one). One query at most."""
    if network.predecessor_id is None:
        return None
    return Strategy.objects.filter(
        network_id=network.predecessor_id,
        municipality=municipality,
        status=Strategy.Status.ADOPTED,
    ).first()
