"""The community's reads: work that spans networks, strategies, the self-assessment and the
key figures. Each part is under its own heading."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.safestring import SafeString

from assessment.models import Response, Round
from assessment.services import OVERALL, indicator_code
from benchmarking import charts
from benchmarking.models import Observation
from benchmarking.pages import trend
from cemsdi_portal.core.models import AuditEntry
from networks.countries import zone_of
from networks.models import Municipality, Network, NetworkMembership
from networks.rules import networks_visible_to
from strategies.models import Measure, StatusChange, Strategy
from strategies.rules import strategies_visible_to

# --- Timeline ---------------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    """One thing that happened. ``kind`` says which (the template words it):

    * ``joined``: the municipality joined ``network``;
    * ``started``: ``strategy`` was started (from ``strategy.started_from`` in a next phase);
    * ``status``: ``change`` (a ``StatusChange``) moved the strategy; an adoption is dated
      by the council's date, ``change.adopted_on``;
    * ``done``: ``measure`` is done; ``recorded`` says whether the date is the audit log's
      record of the move to done (True) or only the measure's last change (False, when the
      log has none: a measure the demo or an import wrote);
    * ``carried``: ``measure`` was carried over from the previous phase (``measure.carried_from``);
    * ``assessment``: ``round`` closed, with the municipality's overall ``score`` (text) and
      its ``movement`` since ``previous_year``, or no score when it did not submit.
    """

    kind: str
    on: date  # the day shown
    at: datetime  # orders the events of one day
    network: Network
    strategy: Strategy | None = None
    change: StatusChange | None = None
    measure: Measure | None = None
    recorded: bool = True
    round: Round | None = None
    submitted: bool = False
    score: str = ""
    movement: str = ""
    previous_year: int | None = None


@dataclass
class TimelineGroup:
    """A network the municipality took part in, with its phase and what happened there."""

    network: Network
    predecessor: Network | None  # the previous phase, when the reader sees it
    events: list[TimelineEvent] = field(default_factory=list)


@dataclass
class FigureLine:
    """A key figure of the municipality by year, with its movement from the first year shown
    to the latest."""

    indicator: object
    values: list[str]  # one per year of the table; "" where there is none
    first_year: int
    latest_year: int
    movement: str
    trend: str  # "better", "worse", "unchanged" or ""
    sparkline: SafeString
    assessment: bool  # the self-assessment's overall score (else a figure a measure tracks)


@dataclass
class Timeline:
    municipality: Municipality
    groups: list[TimelineGroup]
    years: list[int]
    figures: list[FigureLine]


def _localdate(moment: datetime, zone) -> date:
    return timezone.localtime(moment, zone).date()


def _done_dates(measures: list[Measure]) -> dict[int, datetime]:
    """When each done measure was recorded done, from the audit log (one query): the latest
    change of its status to done, or its creation when it was created done and never moved."""
    ids = {str(m.pk): m for m in measures}
    if not ids:
        return {}
    moved: dict[int, datetime] = {}
    created: dict[int, datetime] = {}
    status_moves: set[int] = set()
    for object_id, action, changes, at in AuditEntry.objects.filter(
        Q(action=AuditEntry.Action.CREATED) | Q(changes__has_key="status"),
        model=Measure._meta.label_lower,
        object_id__in=list(ids),
    ).values_list("object_id", "action", "changes", "at"):
        pk = ids[object_id].pk
        if action == AuditEntry.Action.CREATED:
            created[pk] = at
            continue
        status_moves.add(pk)
        old_new = (changes or {}).get("status") or [None, None]
        if old_new[1] == Measure.Status.DONE and (pk not in moved or at > moved[pk]):
            moved[pk] = at
    dates = dict(moved)
    for pk, at in created.items():
        if pk not in status_moves:  # made done from the start
            dates[pk] = at
    return dates


def _figure_lines(observations, tracked: dict, overall_codes: set) -> tuple[list[int], list]:
    by_indicator: dict[int, dict[int, float]] = {}
    indicators = dict(tracked)
    for obs in observations:
        indicators.setdefault(obs.indicator_id, obs.indicator)
        by_indicator.setdefault(obs.indicator_id, {})[obs.year] = obs.value
    years = sorted({year for values in by_indicator.values() for year in values})
    lines = []
    for pk, values in by_indicator.items():
        indicator = indicators[pk]
        decimals = indicator.decimals
        first, latest = min(values), max(values)
        change = values[latest] - values[first] if latest != first else None
        movement = charts.format_number(change, decimals, sign=True) if change is not None else ""
        lines.append(
            FigureLine(
                indicator=indicator,
                values=[
                    charts.format_number(values[y], decimals) if y in values else "" for y in years
                ],
                first_year=first,
                latest_year=latest,
                movement=movement,
                trend=trend(indicator, movement, change),
                sparkline=charts.time_series(
                    [(y, values.get(y)) for y in range(first, latest + 1)],
                    decimals=decimals,
                    unit=indicator.unit_label,
                    label=indicator.name,
                    compact=True,
                ),
                assessment=indicator.code in overall_codes,
            )
        )
    lines.sort(key=lambda line: (not line.assessment, str(line.indicator.name)))
    return years, lines


def municipality_timeline(*, municipality: Municipality, user) -> Timeline:
    """The municipality's own timeline for a reader who sees it (``municipality_or_404``): the
    networks it joined that the reader sees, grouped by network and phase in the order they
    started, each with its events in date order; the strategies' events only where the reader
    may read the strategy (``strategies.rules``: a draft's for its municipality's people). Below,
    the key figures its readable measures track and its self-assessment overall score, by year.

    Eight queries with the reader's role scopes, whatever the number of networks, strategies,
    measures or rounds."""
    zone = zone_of(municipality.country)
    memberships = list(
        NetworkMembership.objects.filter(
            municipality=municipality, network__in=networks_visible_to(user)
        ).select_related("network__programme", "network__predecessor")
    )
    networks = {m.network_id: m.network for m in memberships}
    groups = {
        m.network_id: TimelineGroup(
            network=m.network,
            predecessor=m.network.predecessor if m.network.predecessor_id in networks else None,
            events=[
                TimelineEvent(
                    kind="joined",
                    on=_localdate(m.joined_at, zone),
                    at=m.joined_at,
                    network=m.network,
                )
            ],
        )
        for m in memberships
    }
    strategies = {
        s.pk: s
        for s in strategies_visible_to(user)
        .filter(municipality=municipality, network_id__in=list(networks))
        .select_related("started_from__network")
    }
    for strategy in strategies.values():
        strategy.network = networks[strategy.network_id]
        groups[strategy.network_id].events.append(
            TimelineEvent(
                kind="started",
                on=_localdate(strategy.started_at, zone),
                at=strategy.started_at,
                network=strategy.network,
                strategy=strategy,
            )
        )
    for change in StatusChange.objects.filter(strategy_id__in=list(strategies)):
        strategy = strategies[change.strategy_id]
        adopted = change.to_status == Strategy.Status.ADOPTED and change.adopted_on
        groups[strategy.network_id].events.append(
            TimelineEvent(
                kind="status",
                on=change.adopted_on if adopted else _localdate(change.changed_at, zone),
                at=change.changed_at,
                network=strategy.network,
                strategy=strategy,
                change=change,
            )
        )
    measures = list(
        Measure.objects.filter(strategy_id__in=list(strategies))
        .select_related("indicator", "carried_from__strategy__network")
        .order_by("pk")
    )
    done = [m for m in measures if m.status == Measure.Status.DONE]
    recorded = _done_dates(done)
    for measure in measures:
        strategy = strategies[measure.strategy_id]
        measure.strategy = strategy
        if measure.carried_from_id:
            groups[strategy.network_id].events.append(
                TimelineEvent(
                    kind="carried",
                    on=_localdate(measure.created_at, zone),
                    at=measure.created_at,
                    network=strategy.network,
                    strategy=strategy,
                    measure=measure,
                )
            )
        if measure.status == Measure.Status.DONE:
            at = recorded.get(measure.pk, measure.updated_at)
            groups[strategy.network_id].events.append(
                TimelineEvent(
                    kind="done",
                    on=_localdate(at, zone),
                    at=at,
                    network=strategy.network,
                    strategy=strategy,
                    measure=measure,
                    recorded=measure.pk in recorded,
                )
            )
    rounds = list(
        Round.objects.filter(network_id__in=list(networks), state=Round.State.CLOSED)
        .select_related("questionnaire")
        .annotate(
            submitted=Exists(
                Response.objects.filter(
                    round=OuterRef("pk"), municipality=municipality, submitted_at__isnull=False
                )
            )
        )
        .order_by("year", "closed_at")
    )
    overall_codes = {indicator_code(r.questionnaire, OVERALL) for r in rounds}
    tracked = {m.indicator_id: m.indicator for m in measures if m.indicator_id}
    observations = list(
        Observation.objects.filter(
            Q(indicator_id__in=list(tracked)) | Q(indicator__code__in=overall_codes),
            municipality=municipality,
            value__isnull=False,
        )
        .select_related("indicator")
        .order_by("year")
    )
    scores = {
        (o.indicator.code, o.year): o for o in observations if o.indicator.code in overall_codes
    }
    previous: dict[str, tuple[int, float]] = {}  # questionnaire code -> the last score met
    for round_ in rounds:
        code = indicator_code(round_.questionnaire, OVERALL)
        score = scores.get((code, round_.year)) if round_.submitted else None
        event = TimelineEvent(
            kind="assessment",
            on=_localdate(round_.closed_at or round_.opened_at, zone),
            at=round_.closed_at or round_.opened_at,
            network=networks[round_.network_id],
            round=round_,
            submitted=round_.submitted,
        )
        if score is not None:
            decimals = score.indicator.decimals
            event.score = charts.format_number(score.value, decimals)
            before = previous.get(round_.questionnaire.code)
            if before is not None and before[0] != round_.year:
                event.movement = charts.format_number(score.value - before[1], decimals, sign=True)
                event.previous_year = before[0]
            previous[round_.questionnaire.code] = (round_.year, score.value)
        groups[round_.network_id].events.append(event)
    for group in groups.values():
        group.events.sort(key=lambda e: (e.on, e.at))
    ordered = sorted(
        groups.values(), key=lambda g: (g.network.planned_start, g.network.phase, g.network.pk)
    )
    years, figures = _figure_lines(observations, tracked, overall_codes)
    return Timeline(municipality=municipality, groups=ordered, years=years, figures=figures)
