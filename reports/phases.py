"""The municipality report's comparison of phases: where a municipality took part in a network
and in its next phase (``Network.predecessor``), each phase's network, strategy, action plan and
self-assessment side by side, and the key figures its measures track at the start of each phase
and now.

A report is one document for everyone who may read it (whoever sees the municipality and the
report's network), so it says of each phase only what is open beyond the municipality: a
strategy's status and adoption (the network overview shows them), its action plan's counts and
the figures its measures track only once the strategy is shared or adopted (a draft's plan is
its municipality's own: strategies/rules.py), never a text. Scores and figures are the
municipality's key figures, which whoever sees it reads on its key-figure pages.

A fixed number of queries whatever the number of networks, measures or rounds.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from assessment.models import Response, Round
from assessment.services import OVERALL, indicator_code
from benchmarking import charts
from benchmarking.models import Observation
from benchmarking.pages import trend
from networks.models import Municipality, Network, NetworkMembership
from strategies.models import BaselineFigure, Measure, Strategy


@dataclass
class Phase:
    network: Network
    strategy: Strategy | None
    plan_open: bool  # shared or adopted: its plan's counts are told
    planned: int = 0  # measures in the plan, dropped ones left out
    done: int = 0
    carried_in: int = 0  # carried over from the previous phase
    carried_on: int = 0  # carried over into the next phase
    scores: list[tuple[int, str]] = field(default_factory=list)  # (year, overall score)


@dataclass
class PhaseFigure:
    """A key figure a measure of either phase tracks: its baseline at each phase's start
    (``(value, year)`` texts) and its latest value, with the change since the first phase's."""

    indicator: object
    baselines: list[tuple[str, int | None]]
    now: str
    now_year: int | None
    change: str
    trend: str


@dataclass
class PhaseComparison:
    first: Phase
    second: Phase
    figures: list[PhaseFigure]

    @property
    def phases(self) -> list[Phase]:
        return [self.first, self.second]


def _pairs(networks: dict[int, Network], network: Network | None) -> list[tuple[int, int]]:
    """(previous phase, next phase) of the municipality's networks; with ``network``, the
    pairs it is part of."""
    pairs = [
        (n.predecessor_id, n.pk)
        for n in networks.values()
        if n.predecessor_id in networks
        and (network is None or network.pk in (n.pk, n.predecessor_id))
    ]
    return sorted(pairs, key=lambda pair: (networks[pair[0]].planned_start, pair))


def _baseline(strategy, indicator_id, frozen, series, network) -> tuple[float | None, int | None]:
    """The figure at the phase's start: frozen when its strategy started, else the latest of
    the year the phase started or before."""
    if strategy is not None and (strategy.pk, indicator_id) in frozen:
        return frozen[strategy.pk, indicator_id]
    years = [y for y in series.get(indicator_id, {}) if y <= network.planned_start.year]
    if not years:
        return None, None
    return series[indicator_id][max(years)], max(years)


def _with_year(value, year, decimals) -> tuple[str, int | None]:
    return (charts.format_number(value, decimals), year) if value is not None else ("–", None)


def _figure(indicator, phases, frozen, series) -> PhaseFigure:
    decimals = indicator.decimals
    starts = [_baseline(p.strategy, indicator.pk, frozen, series, p.network) for p in phases]
    values = series.get(indicator.pk, {})
    now_year = max(values) if values else None
    now = values.get(now_year) if now_year is not None else None
    change = now - starts[0][0] if now is not None and starts[0][0] is not None else None
    change_text = charts.format_number(change, decimals, sign=True) if change is not None else ""
    return PhaseFigure(
        indicator=indicator,
        baselines=[_with_year(v, y, decimals) for v, y in starts],
        now=charts.format_number(now, decimals),
        now_year=now_year,
        change=change_text or "–",
        trend=trend(indicator, change_text, change),
    )


def phase_comparisons(
    *, municipality: Municipality, network: Network | None = None
) -> list[PhaseComparison]:
    """The municipality's phases side by side, a comparison per network it took part in
    together with that network's next phase (with ``network``, those it is part of)."""
    networks = {
        m.network.pk: m.network
        for m in NetworkMembership.objects.filter(municipality=municipality).select_related(
            "network"
        )
    }
    pairs = _pairs(networks, network)
    if not pairs:
        return []
    ids = sorted({pk for pair in pairs for pk in pair})
    strategies = {
        s.network_id: s
        for s in Strategy.objects.filter(municipality=municipality, network_id__in=ids)
    }
    counts = {
        row["strategy_id"]: row
        for row in Measure.objects.filter(strategy__in=strategies.values())
        .values("strategy_id")
        .annotate(
            planned=Count("pk", filter=~Q(status=Measure.Status.DROPPED)),
            done=Count("pk", filter=Q(status=Measure.Status.DONE)),
            carried_in=Count("pk", filter=Q(carried_from__isnull=False)),
            carried_on=Count("pk", filter=Q(carried_to__isnull=False)),
        )
        .order_by()
    }
    open_ids = [s.pk for s in strategies.values() if s.status != Strategy.Status.DRAFT]
    tracked, tracked_by = {}, {}  # indicator id -> indicator; strategy id -> indicator ids
    for measure in Measure.objects.filter(
        strategy_id__in=open_ids, indicator__isnull=False
    ).select_related("indicator"):
        tracked[measure.indicator_id] = measure.indicator
        tracked_by.setdefault(measure.strategy_id, set()).add(measure.indicator_id)
    frozen = {
        (b.strategy_id, b.indicator_id): (b.value, b.year)
        for b in BaselineFigure.objects.filter(
            strategy_id__in=open_ids, indicator_id__in=list(tracked), value__isnull=False
        )
    }
    rounds = list(
        Round.objects.filter(
            network_id__in=ids,
            state=Round.State.CLOSED,
            pk__in=Response.objects.filter(
                municipality=municipality, submitted_at__isnull=False
            ).values("round_id"),
        )
        .select_related("questionnaire")
        .order_by("year")
    )
    overall = {indicator_code(r.questionnaire, OVERALL) for r in rounds}
    series: dict[int, dict[int, float]] = {}
    scores: dict[tuple[str, int], tuple[float, int]] = {}
    for obs in Observation.objects.filter(
        Q(indicator_id__in=list(tracked)) | Q(indicator__code__in=overall),
        municipality=municipality,
        value__isnull=False,
    ).select_related("indicator"):
        series.setdefault(obs.indicator_id, {})[obs.year] = obs.value
        if obs.indicator.code in overall:
            scores[obs.indicator.code, obs.year] = (obs.value, obs.indicator.decimals)

    def phase(pk: int) -> Phase:
        strategy = strategies.get(pk)
        plan_open = strategy is not None and strategy.pk in open_ids
        counted = counts.get(strategy.pk, {}) if plan_open else {}
        found = [
            (r.year, scores.get((indicator_code(r.questionnaire, OVERALL), r.year)))
            for r in rounds
            if r.network_id == pk
        ]
        return Phase(
            network=networks[pk],
            strategy=strategy,
            plan_open=plan_open,
            planned=counted.get("planned", 0),
            done=counted.get("done", 0),
            carried_in=counted.get("carried_in", 0),
            carried_on=counted.get("carried_on", 0),
            scores=[(year, charts.format_number(*score)) for year, score in found if score],
        )

    comparisons = []
    for first_pk, second_pk in pairs:
        first, second = phase(first_pk), phase(second_pk)
        tracked_here = set()
        for p in (first, second):
            if p.plan_open:
                tracked_here |= tracked_by.get(p.strategy.pk, set())
        figures = [
            _figure(tracked[i], (first, second), frozen, series)
            for i in sorted(tracked_here, key=lambda i: str(tracked[i].name))
        ]
        comparisons.append(PhaseComparison(first=first, second=second, figures=figures))
    return comparisons
