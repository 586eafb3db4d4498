"""Statistics feeds: their pages (administrators only, tried as attackers too), "Fetch now"
off the request, the preview and its all-or-nothing apply, flat query counts, and the
scheduled refresh's due feeds by date."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarking import feed_tasks, feeds
from benchmarking.feed_models import FeedRun, StatisticsFeed
from benchmarking.models import Observation
from tests import factories as f

from .source_server import recorded

pytestmark = pytest.mark.django_db

KOSTRA = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"
TOO_MANY = "ssb_pxwebapi_v2_error_403_too_many_cells_FIXTURE_documented_shape.json"


@pytest.fixture
def places():
    return {code: f.MunicipalityFactory(code=code) for code in ("0301", "4601", "5001")}


@pytest.fixture
def feed():
    return f.StatisticsFeedFactory(
        name="SSB 12134 free income", region_codes=["0301", "4601", "5001"]
    )


@pytest.mark.parametrize("role", ["facilitator", "chief_executive", "other_facilitator"])
def test_feed_pages_are_not_there_for_anyone_but_administrators(client, world, feed, role):
    client.force_login(world.users[role])
    assert client.get(reverse("feed_list")).status_code == 403
    assert client.get(reverse("feed_create")).status_code == 403
    assert client.get(reverse("feed_detail", args=[feed.pk])).status_code == 404
    assert client.post(reverse("feed_fetch", args=[feed.pk])).status_code == 404
    run = f.FeedRunFactory(feed=feed, state=FeedRun.State.PREVIEWED, data=b"{}")
    assert client.post(reverse("feed_run_apply", args=[run.pk])).status_code == 404
    assert client.post(reverse("feed_create"), {"name": "x", "source": "klass"}).status_code == 403
    assert FeedRun.objects.count() == 1
    assert StatisticsFeed.objects.count() == 1
    run.refresh_from_db()
    assert run.state == FeedRun.State.PREVIEWED


def test_anonymous_is_sent_to_sign_in_and_nothing_is_fetched(client, feed):
    response = client.post(reverse("feed_fetch", args=[feed.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "login" in response["Location"]
    assert FeedRun.objects.count() == 0


def test_fetch_now_queues_a_run_for_the_task_and_answers_at_once(
    client, world, feed, django_capture_on_commit_callbacks
):
    client.force_login(world.users["staff"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("feed_fetch", args=[feed.pk]))
    assert response.status_code == 302
    (run,) = FeedRun.objects.all()
    assert run.state == FeedRun.State.QUEUED  # the request fetched nothing itself
    assert len(callbacks) == 1  # the fetch runs after the commit, off the request
    again = client.post(reverse("feed_fetch", args=[feed.pk]))
    assert again.status_code == 302
    assert FeedRun.objects.count() == 1  # a second click asks for no second fetch


def test_administrator_sees_the_preview_and_applies_it_all_or_nothing(
    client, world, feed, places, source_server, django_capture_on_commit_callbacks
):
    source_server.respond = lambda request: (200, {}, recorded(KOSTRA))
    with django_capture_on_commit_callbacks(execute=True):
        run = feeds.feed_fetch_request(feed=feed)
    client.force_login(world.users["staff"])

    page = client.get(reverse("feed_detail", args=[feed.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="count-new">3<' in html
    assert "Nothing is saved yet" in html
    assert Observation.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feed_run_apply", args=[run.pk]))
    assert response.status_code == 302
    assert Observation.objects.count() == 3
    # Applying the same fetch twice saves nothing twice: it is no longer waiting.
    repeat = client.post(reverse("feed_run_apply", args=[run.pk]))
    assert repeat.status_code == 400
    assert "no longer waiting to be applied" in repeat.content.decode()
    assert Observation.objects.count() == 3


def test_a_refused_fetch_shows_its_message_on_the_page(
    client, world, feed, source_server, django_capture_on_commit_callbacks
):
    source_server.respond = lambda request: (403, {}, recorded(TOO_MANY))
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_fetch_request(feed=feed)
    client.force_login(world.users["staff"])

    html = client.get(reverse("feed_detail", args=[feed.pk])).content.decode()

    assert "SSB (Statistics Norway) PxWebApi refused table 12134: HTTP 403:" in html
    assert "Nothing was saved" in html


def test_the_feed_form_saves_lists_and_refuses_a_bad_year(client, world):
    client.force_login(world.users["staff"])
    data = {
        "name": "SSB 12134", "source": "ssb", "table_id": "12134",
        "indicators_text": "KOSAG110000\nKOSAG120000", "region_variable": "KOKkommuneregion0000",
        "regions_text": "0301, 4601", "years_text": "2015-2017, 2024", "months_text": "3, 6",
        "latest_years": "0", "release_day": "15", "scheduled": "on",
    }  # fmt: skip
    refused = client.post(reverse("feed_create"), {**data, "years_text": "2O24"})
    assert refused.status_code == 200
    assert "“2O24” is not a year" in refused.content.decode()
    assert StatisticsFeed.objects.count() == 0

    response = client.post(reverse("feed_create"), data)

    assert response.status_code == 302
    feed = StatisticsFeed.objects.get()
    assert feed.indicator_codes == ["KOSAG110000", "KOSAG120000"]
    assert feed.region_codes == ["0301", "4601"]
    assert feed.years == [2015, 2016, 2017, 2024]
    assert feed.release_months == [3, 6]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_feed_pages_make_as_many_queries_with_more_feeds_and_runs(client, world):
    client.force_login(world.users["staff"])
    first = f.StatisticsFeedFactory(network=world.network, region_codes=[])
    f.FeedRunFactory(feed=first)
    small = (
        _queries(client, reverse("feed_list")),
        _queries(client, reverse("feed_detail", args=[first.pk])),
    )
    for _ in range(3):
        f.FeedRunFactory(feed=f.StatisticsFeedFactory(network=world.network, region_codes=[]))
        f.FeedRunFactory(feed=first, state=FeedRun.State.FAILED, message="down")
    f.FeedRunFactory(feed=first, state=FeedRun.State.PREVIEWED, summary={"unmapped": []})
    large = (
        _queries(client, reverse("feed_list")),
        _queries(client, reverse("feed_detail", args=[first.pk])),
    )
    assert large == small


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


@pytest.mark.parametrize(
    ("last_applied", "today", "due"),
    [
        (None, "2026-03-14", True),  # never applied: after the previous year's June release
        ("2026-01-10 12:00", "2026-03-14", False),  # March's release is not out yet
        ("2026-01-10 12:00", "2026-03-15", True),  # March's release day
        ("2026-03-15 06:10", "2026-03-16", False),  # applied after it
        ("2026-03-15 06:10", "2026-06-15", True),  # June's release
        ("2026-06-20 06:10", "2027-02-01", False),  # nothing new until next March
        ("2026-06-20 06:10", "2027-03-15", True),
    ],
)
def test_a_scheduled_feed_is_due_once_a_release_day_passed_since_it_was_applied(
    last_applied, today, due
):
    feed = f.StatisticsFeedFactory(
        scheduled=True, release_months=[3, 6], release_day=15,
        last_success_at=_at(last_applied) if last_applied else None,
    )  # fmt: skip
    assert feeds.feed_due(feed, _day(today)) is due


def test_a_feed_off_schedule_is_never_due():
    feed = f.StatisticsFeedFactory(scheduled=False, release_months=[3, 6])
    assert feeds.feed_due(feed, _day("2026-06-30")) is False


def test_the_schedule_applies_a_clean_fetch_and_keeps_the_data_after_a_failure(
    feed, places, source_server, django_capture_on_commit_callbacks
):
    StatisticsFeed.objects.filter(pk=feed.pk).update(scheduled=True)
    source_server.respond = lambda request: (200, {}, recorded(KOSTRA))

    with django_capture_on_commit_callbacks(execute=True):
        (first,) = feeds.refresh_due_feeds(today=_day("2026-03-20"))

    assert FeedRun.objects.get(pk=first).state == FeedRun.State.APPLIED
    saved = sorted(Observation.objects.values_list("municipality__code", "value"))
    assert len(saved) == 3
    # As if it ran on that day: applied then, it is not due again until June's release.
    StatisticsFeed.objects.filter(pk=feed.pk).update(last_success_at=_at("2026-03-20 06:10"))
    assert feeds.refresh_due_feeds(today=_day("2026-03-21")) == []

    source_server.respond = lambda request: (403, {}, recorded(TOO_MANY))
    with django_capture_on_commit_callbacks(execute=True):
        (second,) = feeds.refresh_due_feeds(today=_day("2026-06-16"))

    run = FeedRun.objects.get(pk=second)
    assert run.state == FeedRun.State.REFUSED
    assert "refused table 12134" in run.message
    assert sorted(Observation.objects.values_list("municipality__code", "value")) == saved


def test_the_beat_schedule_runs_the_due_feeds_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["statistics-feeds"]
    assert entry["task"] == feed_tasks.refresh_due_feeds.name
    assert entry["schedule"].hour == {6}


def test_demo_feeds_are_configured_never_scheduled_and_point_at_the_real_sources(settings):
    from benchmarking.feed_demo import seed_feeds

    f.CountryFactory(code="NO")
    seed_feeds()
    seed_feeds()  # again: nothing more

    names = sorted(StatisticsFeed.objects.values_list("name", "scheduled"))
    assert names == [("KLASS KOSTRA groups", False), ("SSB 12134 free income", False)]
    assert FeedRun.objects.count() == 0
    assert settings.SSB_PXWEB_URL == "https://data.ssb.no/api/pxwebapi/v2"
    assert settings.SSB_KLASS_URL == "https://data.ssb.no/api/klass/v1"


def test_a_table_id_that_is_not_an_id_is_refused(client, world):
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("feed_create"),
        {"name": "x", "source": "ssb", "table_id": "../../admin", "indicators_text": "A",
         "regions_text": "0301", "years_text": "2024"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A table, dataset or KPI id is letters" in response.content.decode()
    assert StatisticsFeed.objects.count() == 0


def test_the_page_polls_itself_while_a_fetch_is_under_way_and_stops_after(client, world, feed):
    client.force_login(world.users["staff"])
    run = f.FeedRunFactory(feed=feed, state=FeedRun.State.QUEUED)
    url = reverse("feed_detail", args=[feed.pk])
    assert 'data-hx-trigger="every 3s"' in client.get(url).content.decode()

    FeedRun.objects.filter(pk=run.pk).update(state=FeedRun.State.FAILED, message="down")
    html = client.get(url).content.decode()
    assert 'data-hx-trigger="every 3s"' not in html
    assert "down" in html


def test_a_fetch_left_unfinished_for_an_hour_is_marked_failed_and_asked_again(
    feed, django_capture_on_commit_callbacks
):
    stuck = f.FeedRunFactory(feed=feed, state=FeedRun.State.RUNNING)
    FeedRun.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=False):
        run = feeds.feed_fetch_request(feed=feed)

    stuck.refresh_from_db()
    assert stuck.state == FeedRun.State.FAILED
    assert "its worker stopped" in stuck.message
    assert run.pk != stuck.pk
    assert run.state == FeedRun.State.QUEUED
