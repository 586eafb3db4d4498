"""A statistics feed fetched through the real path: the administrator's "Fetch now" on the
web, the commit, Redis, a Celery worker process, the connector's HTTP client, a local server
serving SSB's recorded answer, PostgreSQL; then the page's preview and the apply.

The worker is started as operators start it, with ``SSB_PXWEB_URL`` pointing at the local
server the test runs (nothing outside the machine is called).
"""

import time

import pytest
from django.urls import reverse

from benchmarking.feed_models import FeedRun
from benchmarking.models import Observation
from tests import factories as f
from tests.benchmarking.source_server import SourceServer, recorded
from tests.services.workers import WAIT_SECONDS, celery_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

KOSTRA = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"


@pytest.fixture
def ssb_server():
    with SourceServer() as server:
        server.respond = lambda request: (200, {}, recorded(KOSTRA))
        yield server


@pytest.fixture
def worker(transactional_db, ssb_server):
    with celery_worker(
        SSB_PXWEB_URL=f"{ssb_server.url}/api/pxwebapi/v2", CONNECTOR_BACKOFF_FACTOR="0"
    ) as process:
        yield process


def test_fetch_now_is_fetched_by_a_celery_worker_and_applied_from_the_page(
    client, worker, ssb_server
):
    for code in ("0301", "4601", "5001"):
        f.MunicipalityFactory(code=code)
    feed = f.StatisticsFeedFactory(region_codes=["0301", "4601", "5001"])
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))

    response = client.post(reverse("feed_fetch", args=[feed.pk]))
    assert response.status_code == 302
    run = FeedRun.objects.get(feed=feed)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state not in (FeedRun.State.QUEUED, FeedRun.State.RUNNING):
            break
        time.sleep(0.2)

    assert run.state == FeedRun.State.PREVIEWED, run.message
    assert len(ssb_server.requests) == 1  # the worker asked the local server
    assert run.summary["observations_new"] == 3
    assert Observation.objects.count() == 0
    applied = client.post(reverse("feed_run_apply", args=[run.pk]))
    assert applied.status_code == 302
    assert Observation.objects.count() == 3
