"""The municipality report (its position in key figures) compares a municipality's first and
second phase: the networks, the strategies' status and adoption, the action plans' counts,
the self-assessment's overall scores and the key figures the measures track at each phase's
start and now, every value taken from the records the test made and read back from the PDF."""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import date_format

from assessment import services as assessment_services
from assessment.models import Questionnaire
from benchmarking.charts import format_number
from benchmarking.models import Observation
from reports import services
from reports.models import ReportRequest
from reports.phases import phase_comparisons
from strategies import services as strategy_services
from strategies.models import BaselineFigure, Measure

from .. import factories as f
from ..assessment.helpers import (
    answer_and_submit,
    every_answer,
    gatherings_of,
    seed_first_questionnaire,
)
from .conftest import pdf_text

pytestmark = pytest.mark.django_db

Kind = ReportRequest.Kind


@dataclass
class TwoPhases:
    first: object
    second: object
    first_strategy: object
    second_strategy: object
    income: object  # the key figure phase 1's measure tracks
    waiting: object  # the key figure phase 2's measure tracks


def _scored_round(network, municipality, year, chief, level):
    """A round of the shipped questionnaire at the network's first gathering, answered on one
    level by the chief executive, and closed: its scores become key figures."""
    questionnaire = Questionnaire.objects.get(code="dm1")
    round_ = assessment_services.round_open(
        network=network,
        questionnaire=questionnaire,
        gathering=gatherings_of(network)[0],
        year=year,
        user=None,
    )
    answers = every_answer(questionnaire, lambda _q: level)
    answer_and_submit(round_, municipality, chief, answers)
    assessment_services.round_close(round_=round_, user=None)


@pytest.fixture
def two_phases(world) -> TwoPhases:
    alta, chief = world.municipality, world.users["chief_executive"]
    first = world.network
    second = f.NetworkFactory(
        programme=world.programme,
        region=alta.region,
        name="Finnmark phase 2",
        predecessor=first,
        phase=2,
        planned_start=date(2011, 9, 1),
        planned_end=date(2012, 5, 31),
        members=[alta],
    )
    income = f.IndicatorFactory(code="KOSAG110000", name_en="Free income", unit="kr", decimals=0)
    waiting = f.IndicatorFactory(code="KOSWAIT", name_en="Waiting days", decimals=1)
    f.ObservationFactory(indicator=income, municipality=alta, year=2010, value=100.0)
    f.ObservationFactory(indicator=waiting, municipality=alta, year=2010, value=9.0)
    first_strategy = strategy_services.strategy_start(network=first, municipality=alta, user=chief)
    tracked = {"indicator": income, "target_year": 2013, "target_value": 160.0}
    done = strategy_services.measure_save(
        strategy=first_strategy, data={"title": "Self-service", "status": "under_way", **tracked}
    )
    strategy_services.measure_save(strategy=first_strategy, measure=done, data={"status": "done"})
    left_open = strategy_services.measure_save(
        strategy=first_strategy, data={"title": "Digital mail", "status": "under_way"}
    )
    strategy_services.measure_save(
        strategy=first_strategy, data={"title": "Fax", "status": "dropped"}
    )
    strategy_services.strategy_set_status(strategy=first_strategy, status="shared", user=chief)
    strategy_services.strategy_set_status(
        strategy=first_strategy,
        status="adopted",
        user=chief,
        adopted_on=date(2011, 6, 14),
        decision_reference="PS 45/11",
    )
    seed_first_questionnaire()
    _scored_round(first, alta, 2011, chief, level=3)
    # Between the phases the figures move; the second phase starts from the latest.
    f.ObservationFactory(indicator=income, municipality=alta, year=2011, value=120.0)
    f.ObservationFactory(indicator=waiting, municipality=alta, year=2011, value=7.5)
    second_strategy = strategy_services.strategy_start(
        network=second, municipality=alta, user=chief
    )
    # Starting from the adopted strategy carries the measure left open over.
    assert second_strategy.measures.get(carried_from=left_open).title == "Digital mail"
    strategy_services.measure_save(
        strategy=second_strategy,
        data={"title": "Chat", "indicator": waiting, "target_year": 2013, "target_value": 5.0},
    )
    _scored_round(second, alta, 2012, chief, level=4)
    f.ObservationFactory(indicator=income, municipality=alta, year=2012, value=150.0)
    return TwoPhases(first, second, first_strategy, second_strategy, income, waiting)


def _render(municipality, network, language="en"):
    report = ReportRequest(
        kind=Kind.POSITION, municipality=municipality, network=network, language=language
    )
    _document, rendered = services.render_document(report)
    return pdf_text(rendered.content)


def _chapter(text: str, language: str = "en") -> str:
    """The comparison's chapter (the rest of the report shows every key figure): after its
    heading's second appearance, the first being the contents."""
    with translation.override(language):
        heading = translation.gettext("Phase %(first)s and phase %(second)s") % {
            "first": 1,
            "second": 2,
        }
    parts = text.split(heading)
    assert len(parts) >= 3, heading
    return heading.join(parts[2:])


def _overall(municipality, year) -> float:
    return Observation.objects.get(
        indicator__code="DM-dm1-overall", municipality=municipality, year=year
    ).value


def _counts(strategy) -> list[int]:
    measures = Measure.objects.filter(strategy=strategy)
    return [
        measures.exclude(status="dropped").count(),
        measures.filter(status="done").count(),
        measures.filter(carried_from__isnull=False).count(),
        measures.filter(carried_to__isnull=False).count(),
    ]


def test_the_report_compares_the_first_and_second_phase(world, two_phases):
    alta, p = world.municipality, two_phases
    strategy_services.strategy_set_status(
        strategy=p.second_strategy, status="shared", user=world.users["chief_executive"]
    )
    text = _render(alta, p.second)
    assert "Phase 1 and phase 2" in text
    assert f"{alta.name} took part in {p.first.name} and in its next phase, {p.second.name}" in text
    adopted = date_format(date(2011, 6, 14), "DATE_FORMAT")
    assert re.search(rf"Adopted\s*adopted on {re.escape(adopted)}, decision PS 45/11", text)
    first, second = _counts(p.first_strategy), _counts(p.second_strategy)
    assert (first, second) == ([2, 1, 0, 1], [2, 0, 1, 0])  # what the plans hold
    for label, n in [
        ("Measures planned", 0),
        ("Measures done", 1),
        ("Carried over from the previous phase", 2),
        ("Carried over into the next phase", 3),
    ]:
        assert f"{label} {first[n]} {second[n]}" in text, label
    scores = [format_number(_overall(alta, year), 1) for year in (2011, 2012)]
    assert f"Self-assessment, overall score {scores[0]} (2011) {scores[1]} (2012)" in text
    # Each phase's start is the baseline its strategy froze; now is the latest figure.
    frozen = {
        b.strategy_id: (b.value, b.year)
        for b in BaselineFigure.objects.filter(indicator=p.income, comparison="network")
    }
    start_1, start_2 = frozen[p.first_strategy.pk], frozen[p.second_strategy.pk]
    assert (start_1, start_2) == ((100.0, 2010), (120.0, 2011))
    now = Observation.objects.filter(indicator=p.income, municipality=alta).latest("year")
    change = format_number(now.value - start_1[0], 0, sign=True)
    row = (
        f"Free income ({p.income.unit_label}) {format_number(start_1[0], 0)} {start_1[1]} "
        f"{format_number(start_2[0], 0)} {start_2[1]} {format_number(now.value, 0)} {now.year} "
        f"{change} better"
    )
    assert row in text
    assert "Waiting days" in _chapter(text)  # tracked by the second phase's measure


def test_a_draft_second_phase_is_told_by_its_status_alone(world, two_phases):
    """The report is one document for everyone who sees the municipality and the network:
    a draft's action plan (its counts, the figures it tracks) stays its municipality's."""
    text = _chapter(_render(world.municipality, two_phases.second))
    first = _counts(two_phases.first_strategy)
    assert f"Measures planned {first[0]} –" in text
    assert "Strategy Adopted" in text
    assert "Draft" in text
    assert "Free income" in text
    assert "Waiting days" not in text


def test_a_municipality_in_one_phase_only_has_no_comparison(world, two_phases):
    text = _render(world.neighbour, world.network)
    assert "Phase 1 and phase 2" not in text


def test_the_report_writes_the_comparison_in_the_readers_language(world, two_phases):
    with translation.override("nb"):
        words = [translation.gettext(w) for w in ("Network", "Strategy", "Indicator")]
    assert words == ["Nettverk", "Strategi", "Indikator"]
    chapter = _chapter(_render(world.municipality, two_phases.second, language="nb"), "nb")
    for word in words:
        assert word in chapter


def test_the_comparison_makes_as_many_queries_for_many_measures_as_for_few(world, two_phases):
    def count():
        with CaptureQueriesContext(connection) as queries:
            (comparison,) = phase_comparisons(
                municipality=world.municipality, network=two_phases.second
            )
        return len(queries), comparison.first.planned

    small = count()
    for n in range(4):
        f.MeasureFactory(strategy=two_phases.first_strategy, title=f"More {n}")
        f.ObservationFactory(
            indicator=f.IndicatorFactory(), municipality=world.municipality, year=2012
        )
    large = count()
    assert (small[1], large[1]) == (2, 6)
    assert small[0] == large[0]


def test_the_programme_report_names_a_networks_phase(world, two_phases):
    report = ReportRequest(kind=Kind.PROGRAMME, programme=world.programme, language="en")
    _document, rendered = services.render_document(report)
    text = pdf_text(rendered.content)
    assert f"{two_phases.second.name} {two_phases.second.region.name} · phase 2" in text
    first = two_phases.first
    assert f"{first.name} {first.region.name} · phase" not in text  # phase 1 says nothing
