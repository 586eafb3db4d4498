"""The statistics feeds' Celery tasks (imported by tasks.py, which Celery discovers): thin,
taking ids; the work is feeds.py's.

A fetch talks to a statistics office for seconds or minutes (rate limits, retries, Eurostat's
asynchronous extractions), so it never runs inside a request: with a broker a worker runs it;
without one (the embedded default) a thread of the web process runs it after the commit, as
the standings refresh does (tasks.py). A run whose thread or worker died stays queued or
fetching until the next fetch of its feed finds it stale and marks it failed (feeds.py).
"""

import logging
import threading

from celery import current_app, shared_task
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)
_threads: list[threading.Thread] = []


@shared_task(name="benchmarking.fetch_feed", acks_late=True, time_limit=1800, soft_time_limit=1700)
def fetch_feed(run_id: int) -> None:
    from . import feeds  # pandas, through the importer: loaded by the fetch only

    feeds.feed_run_fetch(run_id)


@shared_task(
    name="benchmarking.refresh_due_feeds", acks_late=True, time_limit=3600, soft_time_limit=3500
)
def refresh_due_feeds() -> None:
    from . import feeds

    feeds.refresh_due_feeds()


def feed_fetch_enqueue(run_id: int, *, in_request: bool = False) -> None:
    """Fetch the run once the transaction commits: a worker, or without a broker a thread
    when a request asks (never the request itself)."""
    if in_request and current_app.conf.task_always_eager:
        transaction.on_commit(lambda: _start_thread(run_id))
    else:
        transaction.on_commit(lambda: fetch_feed.delay(run_id))


def _start_thread(run_id: int) -> None:
    thread = threading.Thread(target=_run_in_thread, args=(run_id,), name="fetch-feed")
    _threads[:] = [*(t for t in _threads if t.is_alive()), thread]
    thread.start()


def _run_in_thread(run_id: int) -> None:
    try:
        close_old_connections()
        fetch_feed(run_id)
    except Exception:
        logger.exception("Feed run %s could not be fetched", run_id)
    finally:
        connections.close_all()


def background_join(timeout: float | None = None) -> None:
    """Wait for the fetches this process runs in threads (tests, a clean exit)."""
    while _threads:
        _threads.pop().join(timeout)
