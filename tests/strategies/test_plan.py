"""The action plan: measures through the form (a key figure's baseline filled from the frozen
one), validation on the right fields, filters and sorting, overdue rows, the timeline, CSV and
Excel, and progress that rolls up to the sections and the strategy."""

import csv
import html
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook

from strategies import selectors, services
from strategies.models import Measure, Section

from .. import factories as f
from .helpers import snapshot, start

pytestmark = pytest.mark.django_db


def _text(markup: str) -> str:
    """What a reader sees: tags out, entities read, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture
def plan(world):
    """Alta's strategy, started with a kindergarten key figure of 80.0 (2023) and 84.0 (2024):
    the baseline is 84.0 in 2024. A year later the figure is 88.0 (2025)."""
    world.indicator = f.IndicatorFactory(
        code="KOSandel120000", name_en="Children aged 1-2 in kindergarten", decimals=1
    )
    for municipality, year, value in [
        (world.municipality, 2023, 80.0),
        (world.municipality, 2024, 84.0),
        (world.neighbour, 2024, 90.0),
    ]:
        f.ObservationFactory(
            indicator=world.indicator, municipality=municipality, year=year, value=value
        )
    world.strategy = start(world, user=world.users["chief_executive"])
    f.ObservationFactory(
        indicator=world.indicator, municipality=world.municipality, year=2025, value=88.0
    )
    world.sections = {s.kind: s for s in world.strategy.sections.all()}
    return world


def _valid(world, **changes):
    data = {
        "title": "Flere barn i barnehage",
        "description": "Digital søknad om barnehageplass.",
        "section": world.sections[Section.Kind.BENEFITS].pk,
        "owner": world.users["municipal_staff"].pk,
        "starts_on": "2025-01-01",
        "due_on": "2026-12-31",
        "status": "under_way",
        "progress": "20",
        "cost_estimate": "250000",
        "expected_benefit": "Kortere ventetid.",
        "indicator": world.indicator.pk,
        "baseline_year": "",
        "baseline_value": "",
        "target_year": "2027",
        "target_value": "95",
    }
    data.update(changes)
    return data


def test_measure_with_a_key_figure_starts_from_the_frozen_baseline(client, plan):
    world = plan
    client.force_login(world.users["chief_executive"])

    response = client.post(reverse("measure_create", args=[world.strategy.pk]), _valid(world))

    assert response.status_code == 302
    assert response.url == reverse("action_plan", args=[world.strategy.pk])
    measure = Measure.objects.get()
    assert (
        measure.strategy,
        measure.section,
        measure.owner,
        measure.starts_on,
        measure.due_on,
        measure.status,
        measure.progress,
        measure.cost_estimate,
        measure.indicator,
        measure.baseline_year,
        measure.baseline_value,
        measure.target_year,
        measure.target_value,
    ) == (
        world.strategy,
        world.sections[Section.Kind.BENEFITS],
        world.users["municipal_staff"],
        date(2025, 1, 1),
        date(2026, 12, 31),
        "under_way",
        20,
        250000,
        world.indicator,
        2024,
        84.0,
        2027,
        95.0,
    )


def test_measure_baseline_of_a_year_asked_for_is_that_years_value(client, plan):
    world = plan
    client.force_login(world.users["chief_executive"])
    client.post(
        reverse("measure_create", args=[world.strategy.pk]), _valid(world, baseline_year="2023")
    )
    assert Measure.objects.values_list("baseline_year", "baseline_value").get() == (2023, 80.0)


def test_measure_baseline_given_is_kept(client, plan):
    world = plan
    client.force_login(world.users["chief_executive"])
    client.post(
        reverse("measure_create", args=[world.strategy.pk]),
        _valid(world, baseline_year="2022", baseline_value="77.5"),
    )
    assert Measure.objects.values_list("baseline_year", "baseline_value").get() == (2022, 77.5)


def test_action_plan_shows_the_latest_value_against_the_target(client, plan):
    world = plan
    client.force_login(world.users["chief_executive"])
    client.post(reverse("measure_create", args=[world.strategy.pk]), _valid(world))

    response = client.get(reverse("action_plan", args=[world.strategy.pk]))

    (row,) = response.context["plan"].rows
    assert (row.latest_year, row.latest_value) == (2025, 88.0)
    assert row.toward_target == pytest.approx((88.0 - 84.0) / (95.0 - 84.0) * 100)
    (body,) = re.findall(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    cells = dict(re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', body, re.S))
    assert _text(cells["Key figure: latest against target"]) == (
        "Children aged 1-2 in kindergarten 88.0 (2025) → 95.0 (2027) "
        "from 84.0 in 2024 · 36 % of the way"
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"starts_on": "2025-06-01", "due_on": "2025-05-31"}, {"due_on"}),
        ({"progress": "150"}, {"progress"}),
        ({"progress": "-5"}, {"progress"}),
        (
            {"indicator": "", "target_year": "2027", "target_value": "95"},
            {"target_year", "target_value"},
        ),
        (
            {"indicator": "", "baseline_value": "80"},
            {"baseline_value", "target_year", "target_value"},
        ),
        ({"target_value": ""}, {"target_value"}),
        ({"target_year": "2020"}, {"target_year"}),
        ({"cost_estimate": "-1"}, {"cost_estimate"}),
        ({"title": "  "}, {"title"}),
        ({"target_value": "1e308"}, {"target_value"}),
        ({"target_year": "99999"}, {"target_year"}),
        ({"baseline_year": "0", "baseline_value": "80"}, {"baseline_year"}),
        ({"starts_on": "0001-01-01"}, {"starts_on"}),
        ({"owner": "MAYOR"}, {"owner"}),
    ],
)
def test_measure_form_shows_errors_on_the_right_fields(client, plan, changes, errors):
    world = plan
    client.force_login(world.users["chief_executive"])
    before = snapshot()

    if changes.get("owner") == "MAYOR":  # reads the plan, does not update it
        changes = {"owner": world.users["mayor"].pk}
    response = client.post(
        reverse("measure_create", args=[world.strategy.pk]), _valid(world, **changes)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == errors
    assert snapshot() == before


def test_measure_owner_from_another_municipality_is_refused(client, plan):
    world = plan
    client.force_login(world.users["chief_executive"])
    before = snapshot()
    response = client.post(
        reverse("measure_create", args=[world.strategy.pk]),
        _valid(world, owner=world.users["neighbour_chief_executive"].pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "owner": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert snapshot() == before


def test_measure_section_of_another_strategy_is_refused(client, plan):
    world = plan
    other = start(world, world.neighbour)
    client.force_login(world.users["chief_executive"])
    before = snapshot()
    response = client.post(
        reverse("measure_create", args=[world.strategy.pk]),
        _valid(world, section=other.sections.first().pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "section": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert snapshot() == before


def test_measure_save_service_refuses_foreign_owner_and_section(plan):
    world = plan
    other = start(world, world.neighbour)
    with pytest.raises(services.ValidationError) as caught:
        services.measure_save(
            strategy=world.strategy,
            data={
                "title": "Mine",
                "owner": world.users["neighbour_chief_executive"],
                "section": other.sections.first(),
            },
        )
    assert caught.value.message_dict == {
        "section": ["Choose a section of this strategy."],
        "owner": [
            "The owner must be the chief executive or staff of Alta: the people who update "
            "the action plan."
        ],
    }
    assert not Measure.objects.exists()


def test_measure_edit_done_sets_progress_to_100(client, plan):
    world = plan
    measure = f.MeasureFactory(strategy=world.strategy, title="Kurs", progress=60)
    client.force_login(world.users["municipal_staff"])
    response = client.post(
        reverse("measure_edit", args=[measure.pk]),
        {"title": "Kurs i digital ledelse", "status": "done", "progress": "60"},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.status, measure.progress) == (
        "Kurs i digital ledelse",
        "done",
        100,
    )


def test_measure_delete_asks_first_then_removes_it(client, plan):
    world = plan
    measure = f.MeasureFactory(strategy=world.strategy, title="Chatbot")
    client.force_login(world.users["chief_executive"])
    url = reverse("measure_delete", args=[measure.pk])
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Remove the measure “Chatbot”?" in asked.content.decode()
    assert Measure.objects.count() == 1
    response = client.post(url)
    assert response.status_code == 302
    assert not Measure.objects.exists()


# --- Filters, sorting and overdue -----------------------------------------------------------


@pytest.fixture
def measures(plan):
    world = plan
    today = timezone.localdate()
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    a, b = world.sections[Section.Kind.CLEAR_STRATEGY], world.sections[Section.Kind.GOVERNANCE]
    rows = [
        # title, section, owner, start, due (days from today), status, progress
        ("Alpha", a, chief, -60, -1, "under_way", 40),
        ("Bravo", b, staff, -90, -30, "done", 100),
        ("Charlie", a, staff, 0, 30, "planned", 0),
        ("Delta", None, None, -40, -10, "delayed", 70),
        ("Echo", b, chief, None, None, "dropped", 10),
    ]
    world.measures = {
        title: f.MeasureFactory(
            strategy=world.strategy,
            title=title,
            section=section,
            owner=owner,
            starts_on=today + timedelta(days=start_in) if start_in is not None else None,
            due_on=today + timedelta(days=due_in) if due_in is not None else None,
            status=status,
            progress=progress,
        )
        for title, section, owner, start_in, due_in, status, progress in rows
    }
    world.today = today
    return world


def _titles(client, world, **query):
    response = client.get(reverse("action_plan", args=[world.strategy.pk]), query)
    assert response.status_code == 200
    return [row.measure.title for row in response.context["plan"].rows]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({}, ["Bravo", "Delta", "Alpha", "Charlie", "Echo"]),
        ({"status": "done"}, ["Bravo"]),
        ({"status": "planned"}, ["Charlie"]),
        ({"section": "A"}, ["Alpha", "Charlie"]),
        ({"section": "B"}, ["Bravo", "Echo"]),
        ({"owner": "staff"}, ["Bravo", "Charlie"]),
        ({"owner": "chief"}, ["Alpha", "Echo"]),
        ({"overdue": "on"}, ["Delta", "Alpha"]),
        ({"overdue": "on", "section": "A"}, ["Alpha"]),
        ({"sort": "title"}, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
        ({"sort": "progress"}, ["Bravo", "Delta", "Alpha", "Echo", "Charlie"]),
        ({"sort": "status"}, ["Charlie", "Alpha", "Bravo", "Delta", "Echo"]),
        ({"sort": "start"}, ["Bravo", "Alpha", "Delta", "Charlie", "Echo"]),
        ({"sort": "due"}, ["Bravo", "Delta", "Alpha", "Charlie", "Echo"]),
        ({"status": "nonsense"}, ["Bravo", "Delta", "Alpha", "Charlie", "Echo"]),
    ],
)
def test_action_plan_filters_and_sorts(client, measures, query, titles):
    world = measures
    values = {
        "A": world.sections[Section.Kind.CLEAR_STRATEGY].pk,
        "B": world.sections[Section.Kind.GOVERNANCE].pk,
        "staff": world.users["municipal_staff"].pk,
        "chief": world.users["chief_executive"].pk,
    }
    query = {key: values.get(value, value) for key, value in query.items()}
    client.force_login(world.users["mayor"])
    assert _titles(client, world, **query) == titles


def test_action_plan_highlights_overdue_measures(client, measures):
    world = measures
    client.force_login(world.users["chief_executive"])
    response = client.get(reverse("action_plan", args=[world.strategy.pk]))
    page = response.content.decode()
    highlighted = re.findall(
        r'<tr [^>]*class="measure-overdue">\s*<th[^>]*><strong[^>]*>([^<]*)</strong>', page
    )
    assert highlighted == ["Delta", "Alpha"]
    plan = response.context["plan"]
    assert (plan.total, plan.done, plan.late) == (5, 1, 2)


def test_action_plan_export_csv(client, measures):
    world = measures
    f.MeasureFactory(strategy=world.strategy, title='=HYPERLINK("x")', due_on=world.today)
    client.force_login(world.users["chief_executive"])

    response = client.get(
        reverse("action_plan_export", args=[world.strategy.pk, "csv"]), {"overdue": "on"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="action-plan-alta.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:8] == [
        "Title", "Section", "Owner", "Start", "Due date", "Status", "Progress (%)", "Overdue"
    ]  # fmt: skip
    delta, alpha = world.measures["Delta"], world.measures["Alpha"]
    assert [row[:8] for row in rows[1:]] == [
        ["Delta", "", "", str(delta.starts_on), str(delta.due_on), "Delayed", "70", "yes"],
        [
            "Alpha",
            world.sections[Section.Kind.CLEAR_STRATEGY].title,
            str(world.users["chief_executive"]),
            str(alpha.starts_on),
            str(alpha.due_on),
            "Under way",
            "40",
            "yes",
        ],
    ]
    everything = client.get(reverse("action_plan_export", args=[world.strategy.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(everything.content.decode("utf-8")[1:]), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [
        "Bravo", "Delta", "Alpha", "'=HYPERLINK(\"x\")", "Charlie", "Echo"
    ]  # fmt: skip


def test_action_plan_export_xlsx_neutralises_formulas(client, plan):
    world = plan
    f.MeasureFactory(
        strategy=world.strategy,
        title='=HYPERLINK("x")',
        description="+1+1",
        due_on=date(2031, 5, 1),
        cost_estimate=250000,
        indicator=world.indicator,
        baseline_year=2024,
        baseline_value=84.0,
        target_year=2027,
        target_value=95.0,
    )
    client.force_login(world.users["chief_executive"])

    response = client.get(reverse("action_plan_export", args=[world.strategy.pk, "xlsx"]))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Title"
    assert rows[1] == (
        '\'=HYPERLINK("x")',
        None,
        None,
        None,
        "2031-05-01",
        "Planned",
        0,
        None,
        250000,
        None,
        "Children aged 1-2 in kindergarten",
        2024,
        84,
        2027,
        95,
        2025,
        88,
        round((88.0 - 84.0) / (95.0 - 84.0) * 100),  # the progress the data show
        "'+1+1",
    )
    assert sheet["A2"].data_type == "s"


def _short(day) -> str:
    """A date as the timeline writes it: the language's short date."""
    return date_format(day, "SHORT_DATE_FORMAT")


def test_timeline_is_an_svg_with_a_text_alternative(client, measures):
    world = measures
    client.force_login(world.users["chief_executive"])

    response = client.get(reverse("action_plan_timeline", args=[world.strategy.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    (svg,) = re.findall(r"<svg [^>]*>", page)
    assert 'role="img"' in svg
    m = world.measures

    def bar(title, late=False):
        start, due = (_short(m[title].starts_on), _short(m[title].due_on))
        return f"{title}: {start} to {due}" + (" (late)" if late else "")

    alternative = (
        "Measures of the action plan from start to due date: "
        + "; ".join(
            [bar("Bravo"), bar("Delta", late=True), bar("Alpha", late=True), bar("Charlie")]
        )
        + ". Without a due date: Echo."
    )
    assert f'aria-label="{alternative}"' in svg
    assert f"<title>{alternative}</title>" in page


def test_timeline_follows_the_filter(client, measures):
    world = measures
    client.force_login(world.users["chief_executive"])
    response = client.get(
        reverse("action_plan_timeline", args=[world.strategy.pk]), {"status": "done"}
    )
    m = world.measures["Bravo"]
    assert (
        "<title>Measures of the action plan from start to due date: "
        f"Bravo: {_short(m.starts_on)} to {_short(m.due_on)}.</title>"
    ) in response.content.decode()


# --- Roll-up ---------------------------------------------------------------------------------


def test_rollup_counts_done_as_whole_and_leaves_dropped_out(plan):
    world = plan
    a, b = world.sections[Section.Kind.CLEAR_STRATEGY], world.sections[Section.Kind.GOVERNANCE]
    values = [
        (a, "done", 60),
        (a, "under_way", 40),
        (a, "dropped", 70),
        (b, "planned", 0),
        (b, "delayed", 50),
        (None, "under_way", 30),
    ]
    for section, status, progress in values:
        f.MeasureFactory(strategy=world.strategy, section=section, status=status, progress=progress)

    overall, by_section = selectors.rollup(world.strategy.measures.all())

    assert overall == (100 + 40 + 0 + 50 + 30) / 5
    assert by_section == {a.pk: (100 + 40) / 2, b.pk: (0 + 50) / 2, None: 30}
    assert selectors.action_plan(strategy=world.strategy).progress == overall
    page = selectors.strategy_page(strategy=world.strategy)
    assert page.progress == overall
    shown = {view.section.pk: view.progress for view in page.sections}
    assert (shown[a.pk], shown[b.pk]) == ((100 + 40) / 2, (0 + 50) / 2)
    assert [v.progress for v in page.sections if v.section.pk not in (a.pk, b.pk)] == [None] * 4


def test_rollup_of_dropped_measures_only_is_none(plan):
    world = plan
    f.MeasureFactory(strategy=world.strategy, status="dropped", progress=50)
    assert selectors.rollup(world.strategy.measures.all()) == (None, {})


def test_action_plan_flags_measures_nobody_updated(client, measures, settings):
    world = measures
    Measure.objects.filter(title__in=["Charlie", "Bravo"]).update(
        updated_at=timezone.now() - timedelta(days=settings.STRATEGY_STALE_DAYS + 1)
    )
    client.force_login(world.users["chief_executive"])
    response = client.get(reverse("action_plan", args=[world.strategy.pk]))
    # Bravo is done: it waits for nobody.
    assert [r.measure.title for r in response.context["plan"].rows if r.stale] == ["Charlie"]
    assert response.content.decode().count("not updated for a while") == 1


def test_a_huge_value_stored_before_the_bounds_still_shows(client, plan):
    """A figure beyond what the page rounds is written as a number, not a server error."""
    world = plan
    measure = f.MeasureFactory(strategy=world.strategy, indicator=world.indicator)
    Measure.objects.filter(pk=measure.pk).update(target_value=1e300, target_year=2030)
    client.force_login(world.users["chief_executive"])
    response = client.get(reverse("action_plan", args=[world.strategy.pk]))
    assert response.status_code == 200
    assert "1.0e+300" in response.content.decode()
