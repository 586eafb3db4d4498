"""Measures that track themselves: a measure tied to a key figure shows the municipality's
latest value against its baseline and target, its progress follows from the data, and after
an import its owner is told (once, in their language) when the figure moved away from the
target. The imports here are real: a CSV in the importer's long format, read, previewed and
applied as the upload page does."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from benchmarking import tasks as benchmarking_tasks
from benchmarking.events import key_figures_changed
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Observation
from benchmarking.pages import missing_reason
from cemsdi_portal.core.numbers import format_number
from networks.models import Role
from notices.models import Kind, Notice
from notices.wording import describe
from reports import services as report_services
from reports.models import ReportRequest
from strategies import selectors, services
from strategies.models import Measure

from .. import factories as f
from ..reports.conftest import pdf_text
from .tracking import BASELINE, TARGET, csv, make_tracked, measure, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _standings_threads_joined():
    yield
    benchmarking_tasks.background_join()


@pytest.fixture
def tracked(world):
    return make_tracked(world)


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _told(user=None):
    notices = Notice.objects.filter(kind=Kind.MEASURE_FIGURE_WORSE)
    if user is not None:
        notices = notices.filter(recipient=user)
    return list(notices)


# --- Progress from the data -------------------------------------------------------------------


@pytest.mark.parametrize("latest", [84.0, 88.0, 94.9, 95.0])
def test_progress_toward_a_higher_target_follows_the_data(latest):
    measure = Measure(baseline_value=BASELINE, target_value=TARGET)
    expected = (latest - BASELINE) / (TARGET - BASELINE) * 100
    assert selectors.target_share(measure, latest) == pytest.approx(expected)


@pytest.mark.parametrize("latest", [85.0, 81.5, 80.0])
def test_progress_toward_a_lower_target_counts_a_fall(latest):
    measure = Measure(baseline_value=90.0, target_value=80.0)
    expected = (latest - 90.0) / (80.0 - 90.0) * 100
    assert selectors.target_share(measure, latest) == pytest.approx(expected)
    assert 0 < selectors.target_share(measure, latest) <= 100


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "clamped"),
    [
        (BASELINE, TARGET, 70.0, 0.0),  # fell below the baseline of a rising target
        (BASELINE, TARGET, 120.0, 100.0),  # beyond the target
        (90.0, 80.0, 99.0, 0.0),  # rose above the baseline of a falling target
        (90.0, 80.0, 60.0, 100.0),  # fell beyond it
    ],
)
def test_progress_from_the_data_is_clamped_to_0_and_100(baseline, target, latest, clamped):
    measure = Measure(baseline_value=baseline, target_value=target)
    assert selectors.target_share(measure, latest) == clamped


@pytest.mark.parametrize(("baseline", "target"), [(None, TARGET), (BASELINE, None), (90.0, 90.0)])
def test_no_progress_from_the_data_without_a_way_to_go(baseline, target):
    assert selectors.target_share(Measure(baseline_value=baseline, target_value=target), 88) is None


# --- A refresh through a real import --------------------------------------------------------


def _plan_cells(client, strategy):
    response = client.get(reverse("action_plan", args=[strategy.pk]))
    assert response.status_code == 200
    (body,) = re.findall(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    cells = dict(re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', body, re.S))
    return response, {label: _text(cell) for label, cell in cells.items()}


def test_an_import_of_a_newer_year_moves_the_measure_on(
    client, tracked, django_capture_on_commit_callbacks
):
    world = tracked
    client.force_login(world.users["chief_executive"])
    _response, before = _plan_cells(client, world.strategy)
    assert before["Key figure: latest against target"].startswith(
        f"{world.indicator.name_en} 84.0 (2024) → 95.0 (2027)"
    )
    assert "by the key figure: 0 %" in before["Progress"]

    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 88.0, "")])

    response, after = _plan_cells(client, world.strategy)
    (row,) = response.context["plan"].rows
    share = (88.0 - BASELINE) / (TARGET - BASELINE) * 100
    assert (row.figure.latest_year, row.figure.latest_value) == (2025, 88.0)
    assert row.toward_target == pytest.approx(share)
    assert after["Key figure: latest against target"] == (
        f"{world.indicator.name_en} 88.0 (2025) → 95.0 (2027) "
        f"from 84.0 in 2024 · {format_number(share, 0)} % of the way"
    )
    # The owner's own progress of the work stays beside the one the data show.
    assert after["Progress"] == f"20 % by the key figure: {format_number(share, 0)} %"


def test_the_measure_page_and_home_show_the_new_value(
    client, tracked, django_capture_on_commit_callbacks
):
    world = tracked
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 90.0, "")])
    share = format_number((90.0 - BASELINE) / (TARGET - BASELINE) * 100, 0)

    client.force_login(world.owner)
    page = _text(client.get(reverse("measure_edit", args=[world.measure.pk])).content.decode())
    assert "Latest value 90.0 (2025)" in page
    assert f"Progress by the key figure {share} %" in page
    assert "Baseline 84.0 (2024)" in page
    assert "Target 95.0 (2027)" in page

    home = _text(client.get(reverse("home")).content.decode())
    assert f"{world.indicator.name_en}: 90.0 (2025) → 95.0, {share} % of the way" in home


def test_a_year_without_a_value_says_why(client, tracked, django_capture_on_commit_callbacks):
    world = tracked
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, None, "..")])

    client.force_login(world.users["chief_executive"])
    _response, cells = _plan_cells(client, world.strategy)
    cell = cells["Key figure: latest against target"]
    assert "84.0 (2024) → 95.0 (2027)" in cell  # the latest value there is
    assert cell.endswith(f"2025: {missing_reason('..')}")


def test_a_municipality_without_any_value_says_so(client, tracked):
    world = tracked
    Observation.objects.filter(municipality=world.municipality).delete()
    client.force_login(world.users["chief_executive"])
    _response, cells = _plan_cells(client, world.strategy)
    assert cells["Key figure: latest against target"].endswith(missing_reason(""))


def test_the_strategy_report_carries_the_data_column(tracked, django_capture_on_commit_callbacks):
    world = tracked
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 88.0, "")])
    share = format_number((88.0 - BASELINE) / (TARGET - BASELINE) * 100, 0)
    _document, rendered = report_services.render_document(
        ReportRequest(
            kind=ReportRequest.Kind.STRATEGY,
            network=world.network,
            municipality=world.municipality,
            language="en",
        )
    )
    text = " ".join(pdf_text(rendered.content).split())
    assert "Key figure now" in text
    assert f"88.0 (2025) {share} % of the way" in text


# --- The owner is told when the figure moved the wrong way ----------------------------------


def test_the_owner_is_told_once_when_the_figure_moved_away(
    tracked, django_capture_on_commit_callbacks
):
    world = tracked
    world.owner.language = "en"  # the network works in Norwegian; the owner reads English
    world.owner.save(update_fields=["language"])
    rows = [(world.municipality, 2025, 82.0, "")]
    refresh(django_capture_on_commit_callbacks, rows)

    (notice,) = _told()
    assert notice.recipient == world.owner
    assert notice.event_key == f"measure-figure:{world.measure.pk}:{world.indicator.pk}:2025"
    assert notice.about == world.measure.title
    assert notice.link == (
        reverse("action_plan", args=[world.strategy.pk]) + f"#measure-{world.measure.pk}"
    )
    assert notice.language == "en"
    assert notice.excerpt == (
        f"{world.indicator.name_en}: 82.0 in 2025, after 84.0 in 2024; the target is 95.0 in 2027."
    )
    assert describe(notice) == (
        f"The key figure of your measure “{world.measure.title}” moved away from its target."
    )

    # The same file again changes nothing and tells nobody again; nor does a revision of the
    # same year that is still worse.
    refresh(django_capture_on_commit_callbacks, rows)
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 81.0, "")])
    assert len(_told()) == 1


def test_a_figure_moving_toward_the_target_tells_nobody(
    tracked, django_capture_on_commit_callbacks
):
    world = tracked
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 86.0, "")])
    assert _told() == []


def test_the_figure_is_judged_against_the_year_before_it(
    tracked, django_capture_on_commit_callbacks
):
    """Up from the baseline in 2025 (nobody told), then down again in 2026: told."""
    world = tracked
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 90.0, "")])
    assert _told() == []
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2026, 87.0, "")])
    (notice,) = _told(world.owner)
    assert notice.event_key.endswith(":2026")
    with translation.override(notice.language):
        values = [format_number(v, 1) for v in (87.0, 90.0)]
        # The words as the owner's language has them, with the numbers written its way.
        expected = _(
            "%(indicator)s: %(value)s in %(year)s, after %(before)s in %(before_year)s; "
            "the target is %(target)s in %(target_year)s."
        ) % {
            "indicator": world.measure.indicator.name,
            "value": values[0],
            "year": 2026,
            "before": values[1],
            "before_year": 2025,
            "target": format_number(world.measure.target_value, 1),
            "target_year": world.measure.target_year,
        }
    assert notice.excerpt == expected


def test_the_notice_is_written_in_the_owners_language(tracked, django_capture_on_commit_callbacks):
    world = tracked
    world.owner.language = "nb"
    world.owner.save(update_fields=["language"])
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 82.5, "")])

    (notice,) = _told()
    assert notice.language == "nb"
    with translation.override("nb"):
        written = [format_number(v, 1) for v in (82.5, BASELINE, TARGET)]
    assert written == ["82,5", "84,0", "95,0"]
    for number in written:
        assert number in notice.excerpt


def test_each_municipality_is_judged_on_its_own_values(tracked, django_capture_on_commit_callbacks):
    """One file for both: Alta's figure fell (away from its rising target), Hammerfest's fell
    too, which is toward its falling target. Then Hammerfest's rises: only its owner is told."""
    world = tracked
    refresh(
        django_capture_on_commit_callbacks,
        [(world.municipality, 2025, 83.0, ""), (world.neighbour, 2025, 88.0, "")],
    )
    assert [n.recipient for n in _told()] == [world.owner]

    refresh(
        django_capture_on_commit_callbacks,
        [(world.municipality, 2026, 85.0, ""), (world.neighbour, 2026, 89.0, "")],
    )
    assert _told(world.neighbour_owner)[0].event_key == (
        f"measure-figure:{world.neighbour_measure.pk}:{world.indicator.pk}:2026"
    )
    assert len(_told(world.owner)) == 1


def test_an_owner_without_a_role_in_the_municipality_any_more_is_not_told(
    tracked, django_capture_on_commit_callbacks
):
    world = tracked
    Role.objects.filter(user=world.owner).delete()
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 80.0, "")])
    assert _told() == []


def test_a_dropped_measure_tells_nobody(tracked, django_capture_on_commit_callbacks):
    world = tracked
    Measure.objects.filter(pk=world.measure.pk).update(status=Measure.Status.DROPPED)
    refresh(django_capture_on_commit_callbacks, [(world.municipality, 2025, 80.0, "")])
    assert _told() == []


# --- The signal ----------------------------------------------------------------------------


def test_the_signal_comes_after_the_commit_and_only_for_an_import_that_wrote(
    tracked, django_capture_on_commit_callbacks
):
    world = tracked
    heard = []

    def listener(sender, *, indicator_ids, **kwargs):
        heard.append(indicator_ids)

    key_figures_changed.connect(listener)
    try:
        preview = import_preview(csv([(world.municipality, 2025, 88.0, "")]), "a.csv")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            import_apply(preview)
            assert heard == []  # the write is not committed yet
        assert heard == []
        for callback in callbacks:
            callback()
        assert heard == [[world.indicator.pk]]

        # The same file again: nothing written, nothing said.
        heard.clear()
        again = import_preview(csv([(world.municipality, 2025, 88.0, "")]), "a.csv")
        assert again.observations_changed == again.observations_new == 0
        with django_capture_on_commit_callbacks(execute=True):
            import_apply(again)
        assert heard == []
    finally:
        key_figures_changed.disconnect(listener)


# --- Query counts ---------------------------------------------------------------------------


def _grow(world, count):
    """``count`` more measures of Alta's plan, each tied to a key figure of its own with two
    years of values."""
    first = world.strategy.measures.count()
    for n in range(first, first + count):
        indicator = f.IndicatorFactory()
        for year, value in [(2024, 50.0 + n), (2025, 51.0 + n)]:
            f.ObservationFactory(
                indicator=indicator, municipality=world.municipality, year=year, value=value
            )
        measure(world.strategy, world.owner, indicator, title=f"Tiltak {n}", baseline=50.0 + n)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("chief_executive", lambda w: reverse("action_plan", args=[w.strategy.pk])),
        ("municipal_staff", lambda w: reverse("home")),
    ],
)
def test_pages_with_measures_make_a_fixed_number_of_queries(client, tracked, who, url):
    world = tracked
    client.force_login(world.users[who])
    _grow(world, 2)
    _queries(client, url(world))  # warm: sessions, the language
    small = _queries(client, url(world))
    _grow(world, 6)
    assert _queries(client, url(world)) == small


def test_the_check_finds_its_measures_in_a_fixed_number_of_queries(tracked):
    """Every measure moved toward its target (nobody told): the check reads them all in the
    same number of queries whatever their number."""
    world = tracked

    def count():
        ids = list(Measure.objects.values_list("indicator_id", flat=True))
        with CaptureQueriesContext(connection) as queries:
            services.measure_figures_check(indicator_ids=ids)
        return len(queries)

    _grow(world, 2)
    small = count()
    _grow(world, 6)
    assert count() == small
    assert _told() == []
