"""A municipality's own timeline across networks and phases: its events in date order, grouped
by network and phase; a draft strategy's events for its own people only; its key figures by
year with the movement computed from the observations; a flat number of queries."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.services import OVERALL, indicator_code
from benchmarking.charts import format_number
from cemsdi_portal.core.models import AuditEntry
from community.selectors import municipality_timeline
from networks.models import NetworkMembership
from strategies import services as strategy_services
from strategies.models import Measure, StatusChange, Strategy

from .. import factories as f

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=OSLO)


def joined(network, municipality, day):
    NetworkMembership.objects.filter(network=network, municipality=municipality).update(
        joined_at=noon(day)
    )


def started(strategy, day):
    Strategy.objects.filter(pk=strategy.pk).update(started_at=noon(day))


def status_change(strategy, from_status, to_status, day, **adoption):
    change = f.StatusChangeFactory(
        strategy=strategy, from_status=from_status, to_status=to_status, **adoption
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=noon(day))


def done_through_the_plan(strategy, title, day, indicator=None):
    """A measure made under way, then marked done on the action plan (the service logs the
    move), with the log's entry dated ``day``."""
    data = {"title": title, "status": "under_way"}
    if indicator is not None:
        data |= {"indicator": indicator, "baseline_year": 2010, "baseline_value": 100.0}
        data |= {"target_year": 2013, "target_value": 160.0}
    measure = strategy_services.measure_save(strategy=strategy, data=data)
    strategy_services.measure_save(strategy=strategy, measure=measure, data={"status": "done"})
    AuditEntry.objects.filter(
        model="strategies.measure", object_id=str(measure.pk), changes__has_key="status"
    ).update(at=noon(day))
    return measure


def closed_round(network, questionnaire, year, day, municipality, score=None):
    round_ = f.RoundFactory(
        network=network,
        questionnaire=questionnaire,
        year=year,
        state="closed",
        closed_at=noon(day),
    )
    if score is not None:
        f.ResponseFactory(
            round=round_, municipality=municipality, state="locked", submitted_at=noon(day)
        )
        f.ObservationFactory(
            indicator=f.IndicatorFactory(
                code=indicator_code(questionnaire, OVERALL), name_en="Overall", decimals=1
            ),
            municipality=municipality,
            year=year,
            value=score,
        )
    return round_


@dataclass
class Phases:
    first: object
    second: object
    adopted: object  # phase 1's strategy
    draft: object  # phase 2's, started from it
    done: object  # phase 1's measure done
    carried: object  # phase 2's measure carried over from phase 1
    draft_done: object  # a measure done in the draft
    tracked: object  # the key figure phase 1's measure tracks
    draft_tracked: object  # the key figure only the draft's measure tracks
    second_facilitator: object


@pytest.fixture
def phases(world) -> Phases:
    alta = world.municipality
    first = world.network
    second = f.NetworkFactory(
        programme=world.programme,
        region=alta.region,
        name="Finnmark phase 2",
        predecessor=first,
        phase=2,
        planned_start=date(2011, 9, 1),
        planned_end=date(2012, 5, 31),
        members=[alta, world.neighbour],
    )
    joined(first, alta, date(2010, 9, 1))
    joined(second, alta, date(2011, 9, 1))
    tracked = f.IndicatorFactory(code="KOSAG110000", name_en="Free income", decimals=0, unit="kr")
    draft_tracked = f.IndicatorFactory(code="KOSDRAFT01", name_en="Waiting days")
    for year, value in [(2010, 100.0), (2011, 120.0), (2012, 150.0)]:
        f.ObservationFactory(indicator=tracked, municipality=alta, year=year, value=value)
    f.ObservationFactory(indicator=draft_tracked, municipality=alta, year=2012, value=3.0)

    adopted = f.StrategyFactory(network=first, municipality=alta, status="adopted")
    started(adopted, date(2010, 10, 1))
    status_change(adopted, "draft", "shared", date(2011, 2, 1))
    status_change(
        adopted,
        "shared",
        "adopted",
        date(2011, 6, 20),
        adopted_on=date(2011, 6, 14),
        decision_reference="PS 45/11",
    )
    done = done_through_the_plan(adopted, "Self-service portal", date(2011, 4, 10), tracked)
    left_open = f.MeasureFactory(strategy=adopted, title="Digital mail", status="under_way")

    draft = f.StrategyFactory(
        network=second, municipality=alta, started_from=adopted, title="Alta towards 2013"
    )
    started(draft, date(2011, 9, 15))
    carried = f.MeasureFactory(strategy=draft, title="Digital mail", carried_from=left_open)
    Measure.objects.filter(pk=carried.pk).update(created_at=noon(date(2011, 9, 20)))
    draft_done = done_through_the_plan(draft, "Chat with the town hall", date(2012, 1, 10))
    Measure.objects.filter(pk=draft_done.pk).update(indicator=draft_tracked)

    questionnaire = f.QuestionnaireFactory()
    closed_round(first, questionnaire, 2011, date(2011, 5, 20), alta, score=40.0)
    closed_round(second, questionnaire, 2012, date(2012, 5, 10), alta, score=57.5)
    return Phases(
        first=first,
        second=second,
        adopted=adopted,
        draft=draft,
        done=done,
        carried=carried,
        draft_done=draft_done,
        tracked=tracked,
        draft_tracked=draft_tracked,
        second_facilitator=f.facilitator_of(second, username="second_facilitator"),
    )


def _events(group):
    return [(e.kind, e.on) for e in group.events]


def test_the_timeline_lists_each_phase_in_date_order_with_the_dates_of_the_records(world, phases):
    timeline = municipality_timeline(
        municipality=world.municipality, user=world.users["chief_executive"]
    )
    assert [g.network for g in timeline.groups] == [phases.first, phases.second]
    first, second = timeline.groups
    assert _events(first) == [
        ("joined", date(2010, 9, 1)),
        ("started", date(2010, 10, 1)),
        ("status", date(2011, 2, 1)),  # shared
        ("done", date(2011, 4, 10)),  # the log's record of the move to done
        ("assessment", date(2011, 5, 20)),
        ("status", date(2011, 6, 14)),  # adopted: the council's date, not the day recorded
    ]
    adoption = first.events[-1].change
    assert (adoption.to_status, adoption.decision_reference) == ("adopted", "PS 45/11")
    assert first.events[3].measure == phases.done
    assert first.events[3].recorded
    assert _events(second) == [
        ("joined", date(2011, 9, 1)),
        ("started", date(2011, 9, 15)),
        ("carried", date(2011, 9, 20)),
        ("done", date(2012, 1, 10)),
        ("assessment", date(2012, 5, 10)),
    ]
    assert second.predecessor == phases.first
    assert second.events[1].strategy.started_from == phases.adopted
    assert second.events[2].measure.carried_from.strategy == phases.adopted
    # The scores are the key figures the rounds stored; the movement is between them.
    assert [e.score for e in (first.events[4], second.events[4])] == ["40.0", "57.5"]
    assert second.events[4].movement == format_number(57.5 - 40.0, 1, sign=True)
    assert second.events[4].previous_year == 2011


def test_a_measure_without_a_record_of_its_move_to_done_says_the_date_is_its_last_change(
    world, phases
):
    plain = f.MeasureFactory(strategy=phases.adopted, title="Open data", status="done")
    Measure.objects.filter(pk=plain.pk).update(updated_at=noon(date(2011, 3, 3)))
    timeline = municipality_timeline(
        municipality=world.municipality, user=world.users["chief_executive"]
    )
    (event,) = [e for e in timeline.groups[0].events if e.measure == plain]
    assert (event.kind, event.on, event.recorded) == ("done", date(2011, 3, 3), False)


def test_the_key_figures_move_as_the_observations_say(world, phases):
    timeline = municipality_timeline(
        municipality=world.municipality, user=world.users["chief_executive"]
    )
    assert timeline.years == [2010, 2011, 2012]
    by_code = {line.indicator.code: line for line in timeline.figures}
    overall = by_code[
        indicator_code(phases.draft.network.assessment_rounds.get().questionnaire, OVERALL)
    ]
    assert timeline.figures[0] is overall  # the self-assessment's score comes first
    assert overall.values == ["", "40.0", "57.5"]
    assert overall.movement == format_number(57.5 - 40.0, 1, sign=True)
    income = by_code["KOSAG110000"]
    assert income.values == [format_number(v, 0) for v in (100.0, 120.0, 150.0)]
    assert income.movement == format_number(150.0 - 100.0, 0, sign=True)
    assert income.trend == "better"
    assert "KOSDRAFT01" in by_code  # the draft's own people see what its measure tracks


@pytest.mark.parametrize("who", ["neighbour_chief_executive", "facilitator", "second_facilitator"])
def test_a_draft_strategys_events_stay_with_its_own_people(client, world, phases, who):
    user = phases.second_facilitator if who == "second_facilitator" else world.users[who]
    timeline = municipality_timeline(municipality=world.municipality, user=user)
    kinds = {
        g.network.pk: [e.kind for e in g.events if e.strategy == phases.draft]
        for g in timeline.groups
    }
    assert all(not events for events in kinds.values())
    assert "KOSDRAFT01" not in {line.indicator.code for line in timeline.figures}
    client.force_login(user)
    page = client.get(reverse("municipality_timeline", args=[world.municipality.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert phases.draft.title not in text
    assert phases.draft_done.title not in text
    assert "Waiting days" not in text


def test_each_reader_sees_the_networks_they_see(world, phases):
    seen = {
        who: [
            g.network for g in municipality_timeline(municipality=world.municipality, user=u).groups
        ]
        for who, u in [
            ("neighbour", world.users["neighbour_chief_executive"]),
            ("first facilitator", world.users["facilitator"]),
            ("second facilitator", phases.second_facilitator),
        ]
    }
    assert seen == {
        "neighbour": [phases.first, phases.second],
        "first facilitator": [phases.first],
        "second facilitator": [phases.second],
    }
    # The adopted strategy is read by its network: its events are there for the neighbour.
    neighbour = municipality_timeline(
        municipality=world.municipality, user=world.users["neighbour_chief_executive"]
    )
    assert [e.kind for e in neighbour.groups[0].events if e.strategy == phases.adopted] == [
        "started",
        "status",
        "done",
        "status",
    ]
    # The second phase's facilitator does not see the first: no link back to it.
    only_second = municipality_timeline(
        municipality=world.municipality, user=phases.second_facilitator
    )
    assert only_second.groups[0].predecessor is None


def test_the_page_shows_the_events_in_the_readers_words(client, world, phases):
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("municipality_timeline", args=[world.municipality.pk]))
    text = page.content.decode()
    assert "Joined Finnmark phase 2 (phase 2)" in text
    assert "Strategy adopted by the council (decision PS 45/11" in text
    assert "Measure carried over from phase 1:" in text
    assert "Self-assessment 2012: overall score 57.5 of 100" in text
    assert text.index("Self-service portal") < text.index("Chat with the town hall")


def test_the_municipality_page_links_to_its_timeline(client, world):
    client.force_login(world.users["chief_executive"])
    url = reverse("municipality_timeline", args=[world.municipality.pk])
    for page in ("municipality_detail", "municipality_keyfigures"):
        assert (
            f'href="{url}"'
            in client.get(reverse(page, args=[world.municipality.pk])).content.decode()
        )


def test_someone_who_does_not_see_the_municipality_gets_404(client, world, phases):
    client.force_login(world.users["other_chief_executive"])
    page = client.get(reverse("municipality_timeline", args=[world.municipality.pk]))
    assert page.status_code == 404


def _chain(world, size):
    """``size`` networks, each the next phase of the one before, each with a shared strategy,
    a measure done through the plan, a measure carried over and a closed round."""
    alta = world.municipality
    questionnaire = f.QuestionnaireFactory()
    previous, previous_measure = None, None
    indicator = f.IndicatorFactory()
    for n in range(size):
        network = f.NetworkFactory(
            programme=world.programme,
            region=alta.region,
            predecessor=previous,
            phase=n + 1,
            members=[alta],
        )
        strategy = f.StrategyFactory(network=network, municipality=alta, status="shared")
        status_change(strategy, "draft", "shared", date(2011, 1, 1))
        done_through_the_plan(strategy, f"Done {n}", date(2011, 2, 1), indicator)
        if previous_measure is not None:
            f.MeasureFactory(strategy=strategy, title=f"Carried {n}", carried_from=previous_measure)
        previous_measure = f.MeasureFactory(strategy=strategy, title=f"Open {n}")
        closed_round(network, questionnaire, 2000 + n, date(2011, 5, 1), alta, score=10.0 * n)
        f.ObservationFactory(indicator=indicator, municipality=alta, year=2000 + n, value=n)
        previous = network


def _queries(client, world):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("municipality_timeline", args=[world.municipality.pk]))
    assert page.status_code == 200
    return len(queries), page.content.decode().count("Measure done:")


def test_the_timeline_makes_as_many_queries_for_six_phases_as_for_two(client, world):
    client.force_login(world.users["chief_executive"])
    _chain(world, 2)
    small, done_small = _queries(client, world)
    _chain(world, 4)
    large, done_large = _queries(client, world)
    assert (done_small, done_large) == (2, 6)
    assert small == large


def test_the_timeline_reads_in_eight_queries(world, phases, django_assert_num_queries):
    user = world.users["municipal_staff"]  # sees every event, the draft's too
    with django_assert_num_queries(8):  # the role scopes and the seven reads
        municipality_timeline(municipality=world.municipality, user=user)
