"""The demo's reporting periods (months 1-12 and 13-24) and a target or two per objective: the
first period's review report shows the seed's figures beside them."""

from decimal import Decimal

from networks.models import Programme

from .models import ObjectiveTarget, ReportingPeriod

M = ObjectiveTarget.Measure

# (objective position, measure, target, period number or None for the programme's end)
TARGETS = [
    (1, M.MUNICIPALITIES, 60, 1),
    (1, M.PARTICIPANTS, 90, 1),
    (1, M.TRAINING_HOURS, 130, 1),
    (2, M.DLA_INITIATED, 5, 1),
    (2, M.STRATEGIES_ADOPTED, 30, None),
    (3, M.GATHERINGS, 20, 1),
    (3, M.LEADERS, 80, 1),
    (4, M.PRACTICES_SHARED, 10, None),
    (4, M.COUNTRIES, 5, None),
    (5, M.NETWORKS, 9, None),
    (6, M.PARTICIPANTS, 150, None),
]


def seed_review_plan(programme: Programme) -> None:
    """Safe to run again: it changes nothing the second time."""
    periods = {}
    for number, first, last in [(1, 1, 12), (2, 13, 24)]:
        periods[number], _ = ReportingPeriod.objects.get_or_create(
            programme=programme, number=number, defaults={"first_month": first, "last_month": last}
        )
    objectives = {o.position: o for o in programme.objectives.all()}
    for position, measure, target, period in TARGETS:
        if position not in objectives:
            continue
        ObjectiveTarget.objects.get_or_create(
            objective=objectives[position],
            measure=measure,
            period=periods.get(period),
            defaults={"target": Decimal(target)},
        )
