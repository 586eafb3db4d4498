"""Progress against the objectives: each target beside the figure as of the period's end."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from networks.models import NetworkMembership, Role
from reports.documents import programme_document
from reports.models import ObjectiveTarget, ReportingPeriod
from reports.objectives import objective_progress
from tests import factories as f

pytestmark = pytest.mark.django_db
M = ObjectiveTarget.Measure


def _programme(networks=1):
    programme = f.ProgrammeFactory()
    period = ReportingPeriod.objects.create(
        programme=programme, number=1, first_month=1, last_month=12
    )
    for _ in range(networks):
        municipalities = [f.MunicipalityFactory() for _ in range(3)]
        f.NetworkFactory(
            programme=programme, region=municipalities[0].region, members=municipalities
        )
        for municipality in municipalities:
            f.municipal(Role.Kind.MAYOR, municipality)
    # Recorded when the networks started (2010-09-01), inside months 1-12.
    started = timezone.make_aware(datetime(2010, 9, 1, 10))
    NetworkMembership.objects.filter(network__programme=programme).update(joined_at=started)
    Role.objects.filter(municipality__memberships__network__programme=programme).update(
        created_at=started
    )
    first = f.ProgrammeObjectiveFactory(programme=programme, position=1, text="Networks")
    second = f.ProgrammeObjectiveFactory(programme=programme, position=2, text="Practices")
    ObjectiveTarget.objects.create(objective=first, measure=M.MUNICIPALITIES, target=3)
    ObjectiveTarget.objects.create(objective=first, measure=M.NETWORKS, target=2, period=period)
    ObjectiveTarget.objects.create(objective=second, measure=M.STRATEGIES_ADOPTED, target=1)
    ObjectiveTarget.objects.create(objective=second, measure=M.PRACTICES_SHARED, target=1)
    return programme, period


def test_each_target_beside_its_figure_and_whether_it_is_met():
    programme, period = _programme()
    rows = objective_progress(programme=programme, period=period)
    assert [r.objective.text for r in rows] == ["Networks", "Practices"]
    first = {t.target.measure: (t.actual, t.met) for t in rows[0].targets}
    assert first == {M.MUNICIPALITIES: (3, True), M.NETWORKS: (1, False)}
    second = {t.target.measure: (t.actual, t.met) for t in rows[1].targets}
    assert second == {M.STRATEGIES_ADOPTED: (0, False), M.PRACTICES_SHARED: (0, False)}


def test_a_period_shows_its_own_targets_and_the_programmes():
    programme, period = _programme()
    other = ReportingPeriod.objects.create(
        programme=programme, number=2, first_month=13, last_month=24
    )
    objective = programme.objectives.get(position=1)
    ObjectiveTarget.objects.create(objective=objective, measure=M.NETWORKS, target=5, period=other)
    rows = objective_progress(programme=programme, period=period)
    assert sorted((t.target.measure, t.target.target) for t in rows[0].targets) == [
        (M.MUNICIPALITIES, Decimal("3")),
        (M.NETWORKS, Decimal("2")),
    ]


def test_objective_progress_runs_the_same_queries_at_any_size():
    def count(networks):
        programme, period = _programme(networks)
        with CaptureQueriesContext(connection) as queries:
            objective_progress(programme=programme, period=period)
        return len(queries)

    assert count(1) == count(3)


def test_the_report_shows_the_table_with_the_period_and_its_day():
    programme, period = _programme()
    with translation.override("en"):
        document = programme_document(programme, period)
        html = render_to_string(document.template, {"title": document.title, **document.context})
    assert "Progress against the objectives" in html
    assert '<th scope="col">Met?</th>' in html
    assert "Months 1-12 (June 1, 2010 – May 31, 2011)" in html or "Months 1-12 (1 June 2010" in html
    assert document.context["figures_as_of"] == date(2011, 5, 31)
    assert "Not yet met" in html
