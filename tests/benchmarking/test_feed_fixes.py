"""Statistics feeds, found while walking through a refresh in the browser
(tests/e2e/test_feed_refresh_journey.py):

* A feed whose regions come to nothing (a network without members, a country without
  municipalities) asked the source for nothing and failed with "The fetch failed:
  IndexError" (SSB), or, at Eurostat, asked for every region of the dataset. It is now
  refused before any request, with a message naming the feed's regions, and changes nothing.
* "Fetch now" flashed "Fetching ..." above the page; the page, which swaps its own part in
  with htmx when the fetch is done, then showed the preview under a stale "Fetching" message.
  The page's own status says a fetch is under way; the flash is gone.
* The latest applied fetch's counts were captioned "What the import would change".
* A fetch whose thread or worker died stayed "under way" on the page for good: the page kept
  asking for itself every 3 s and "Fetch now", the one way to mark such a run failed, stayed
  disabled. After ``STALE_AFTER`` the page now says the fetch stopped and lets it be asked again.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking import feed_tasks, feeds
from benchmarking.feed_models import FeedRun
from benchmarking.models import Indicator, Observation
from tests import factories as f

from .source_server import recorded

pytestmark = pytest.mark.django_db

KOSTRA = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"


@pytest.mark.parametrize("source", ["ssb", "eurostat", "kolada"])
def test_a_feed_of_a_network_without_members_is_refused_before_asking_and_changes_nothing(
    source_server, django_capture_on_commit_callbacks, source
):
    network = f.NetworkFactory(name="Tomt nettverk", members=[])
    feed = f.StatisticsFeedFactory(
        source=source,
        network=network,
        region_codes=[],
        indicator_codes=["unit=NR"] if source == "eurostat" else ["KOSAG110000"],
    )
    f.ObservationFactory()
    before = (Observation.objects.count(), Indicator.objects.count())

    with django_capture_on_commit_callbacks(execute=True):
        run = feeds.feed_fetch_request(feed=feed)
    run.refresh_from_db()

    assert run.state == FeedRun.State.FAILED
    assert run.message == (
        f"{feed.name} asks for no region: the network Tomt nettverk has no members. "
        "Nothing was asked of the source."
    )
    assert source_server.requests == []
    assert run.calls == 0
    assert (Observation.objects.count(), Indicator.objects.count()) == before


def test_a_feed_of_a_country_without_municipalities_says_so(
    source_server, django_capture_on_commit_callbacks
):
    country = f.CountryFactory(code="TL", name="Tomland")
    feed = f.StatisticsFeedFactory(country=country, region_codes=[])

    with django_capture_on_commit_callbacks(execute=True):
        run = feeds.feed_fetch_request(feed=feed)
    run.refresh_from_db()

    assert run.state == FeedRun.State.FAILED
    assert "the country Tomland has no municipalities in the register" in run.message
    assert source_server.requests == []


def test_fetch_now_leaves_the_saying_to_the_page_which_the_preview_replaces(
    client, source_server, settings
):
    """The page says a fetch is under way in its own part (the part htmx swaps); no flash
    above it outlives the fetch."""
    for code in ("0301", "4601", "5001"):
        f.MunicipalityFactory(code=code)
    feed = f.StatisticsFeedFactory(region_codes=["0301", "4601", "5001"])
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    settings.CELERY_TASK_ALWAYS_EAGER = True
    source_server.respond = lambda request: (200, {}, recorded(KOSTRA))

    response = client.post(reverse("feed_fetch", args=[feed.pk]), follow=True)
    # The test client runs no on-commit callbacks here (one transaction): still under way.
    page = response.content.decode()
    assert "A fetch is under way." in page
    assert "Fetching " not in page
    assert list(response.context["messages"]) == []


def test_the_latest_applied_fetch_says_what_the_import_changed(
    client, source_server, django_capture_on_commit_callbacks
):
    for code in ("0301", "4601", "5001"):
        f.MunicipalityFactory(code=code)
    feed = f.StatisticsFeedFactory(region_codes=["0301", "4601", "5001"])
    source_server.respond = lambda request: (200, {}, recorded(KOSTRA))
    with django_capture_on_commit_callbacks(execute=True):
        run = feeds.feed_fetch_request(feed=feed)
    run.refresh_from_db()
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))

    waiting = client.get(reverse("feed_detail", args=[feed.pk])).content.decode()
    assert "<caption>What the import would change</caption>" in waiting
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_run_apply(run=run, allow_unmapped=False)
    feed_tasks.background_join()

    applied = client.get(reverse("feed_detail", args=[feed.pk])).content.decode()
    assert "Latest applied fetch" in applied
    assert "<caption>What the import changed</caption>" in applied
    assert "What the import would change" not in applied


@pytest.mark.parametrize("state", [FeedRun.State.QUEUED, FeedRun.State.RUNNING])
def test_a_fetch_whose_worker_stopped_can_be_asked_again_from_the_page(client, state):
    feed = f.StatisticsFeedFactory()
    dead = f.FeedRunFactory(feed=feed, state=state, trigger=FeedRun.Trigger.MANUAL)
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("feed_detail", args=[feed.pk])

    recent = client.get(url).content.decode()
    assert "A fetch is under way." in recent
    assert "data-hx-trigger" in recent  # the page asks for itself while it may still come
    assert 'type="submit" disabled>Fetch now' in recent

    FeedRun.objects.filter(pk=dead.pk).update(
        created_at=timezone.now() - feeds.STALE_AFTER - timedelta(minutes=1)
    )
    stalled = client.get(url).content.decode()
    assert "A fetch is under way." not in stalled
    assert "data-hx-trigger" not in stalled
    assert 'type="submit">Fetch now' in stalled
    assert "The latest fetch has not finished after an hour" in stalled

    response = client.post(reverse("feed_fetch", args=[feed.pk]))
    assert response.status_code == 302
    dead.refresh_from_db()
    assert dead.state == FeedRun.State.FAILED
    assert feed.runs.filter(state=FeedRun.State.QUEUED).exclude(pk=dead.pk).count() == 1
