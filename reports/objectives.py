"""Progress against the programme's objectives: each objective's targets beside what the records
show as of a reporting period's end (or as of today, without a period)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from networks.models import ProgrammeObjective

from . import figures
from .models import ObjectiveTarget

M = ObjectiveTarget.Measure


@dataclass
class TargetProgress:
    target: ObjectiveTarget
    actual: Decimal | int | None  # None: the portal does not count this figure

    @property
    def measure_label(self) -> str:
        return self.target.get_measure_display()

    @property
    def met(self) -> bool | None:
        """Whether the figure reached its target; None when it is not counted."""
        if self.actual is None:
            return None
        return Decimal(self.actual) >= self.target.target


@dataclass
class ObjectiveProgress:
    objective: ProgrammeObjective
    targets: list[TargetProgress] = field(default_factory=list)


def measure_values(outcome: figures.ProgrammeOutcome, measures: set[str]) -> dict:
    """The figure of each measure, from the outcome table and (only if asked for) the counts
    the table has not: strategies adopted and practices shared, as of the outcome's day."""
    programme, as_of = outcome.programme, outcome.as_of
    values = {
        M.NETWORKS: outcome.pilot_count,
        M.MUNICIPALITIES: outcome.municipalities,
        M.PARTICIPANTS: outcome.participants,
        M.LEADERS: outcome.leaders,
        M.GATHERINGS: sum(p.sessions_held for p in outcome.pilots),
        M.TRAINING_HOURS: sum((p.training_hours for p in outcome.pilots), Decimal("0")),
        M.DLA_INITIATED: outcome.regions_dla_initiated,
        M.COUNTRIES: len(outcome.countries),
    }
    if M.STRATEGIES_ADOPTED in measures:
        values[M.STRATEGIES_ADOPTED] = figures.strategies_adopted(programme=programme, as_of=as_of)
    if M.PRACTICES_SHARED in measures:
        values[M.PRACTICES_SHARED] = figures.practices_shared(programme=programme, as_of=as_of)
    return values


def progress_date(period) -> date:
    """The day the figures are counted as of: the period's end, or today."""
    return period.ends_on if period is not None else timezone.localdate()


def objective_progress(*, programme, period=None, outcome=None) -> list[ObjectiveProgress]:
    """A row per objective with its targets and the figures as of the period's end (as of
    today without a period). A period's report shows the targets set for that period and those
    set for no period (the programme's end); without a period, every target. A fixed number of
    queries: the objectives and their targets, the outcome table (unless given, as of the
    same day) and, if a target asks for them, the strategies and the practices."""
    targets = ObjectiveTarget.objects.select_related("period__programme").order_by(
        "measure", "period__number"
    )
    if period is not None:
        targets = targets.filter(Q(period=period) | Q(period__isnull=True))
    objectives = list(
        ProgrammeObjective.objects.filter(programme=programme)
        .order_by("position")
        .prefetch_related(Prefetch("targets", queryset=targets))
    )
    measures = {t.measure for o in objectives for t in o.targets.all()}
    if not measures:
        return [ObjectiveProgress(objective=o) for o in objectives]
    as_of = period.ends_on if period is not None else None
    if outcome is None or outcome.as_of != as_of:
        outcome = figures.programme_outcome(programme=programme, as_of=as_of)
    values = measure_values(outcome, measures)
    return [
        ObjectiveProgress(
            objective=o,
            targets=[
                TargetProgress(target=t, actual=values.get(t.measure)) for t in o.targets.all()
            ],
        )
        for o in objectives
    ]
