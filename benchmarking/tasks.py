"""Thin Celery tasks: take ids, call a service.

The standings of an import are long work (a country's ranks), and long work never runs inside
a request. With a broker a worker runs it. Without one (``CELERY_TASK_ALWAYS_EAGER``, the
embedded default) Celery would run it in the process that asks, so a request asks for it
``in_request``: it then runs in a thread of the web process once the import has committed,
and the page answers at once. A thread dies with its process: the indicator's
``standings_state`` then stays queued, the upload page says so, and the next import, a change
of direction or the admin's "compute the ranks again" runs it again.
"""

import logging
import threading

from celery import current_app, shared_task
from django.db import close_old_connections, connections, transaction

from .models import Indicator

State = Indicator.StandingsState
logger = logging.getLogger(__name__)
_threads: list[threading.Thread] = []  # standings refreshed in this process, without a broker


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def refresh_standings(indicator_ids: list[int]) -> None:
    """Recompute country and peer-group ranks after an import (idempotent: it replaces).

    Claims each indicator (queued, or running when a worker died under it, to running) and
    leaves alone one already ready or failed: a redelivered task changes nothing.
    """
    from . import standings  # pandas: loaded by the refresh, not by every process at setup

    for pk in indicator_ids:
        claimed = Indicator.objects.filter(
            pk=pk, standings_state__in=[State.QUEUED, State.RUNNING]
        ).update(standings_state=State.RUNNING)
        if not claimed:
            continue
        try:
            standings.standings_refresh(indicator_ids=[pk])
        except Exception:
            Indicator.objects.filter(pk=pk, standings_state=State.RUNNING).update(
                standings_state=State.FAILED
            )
            raise
        # A newer import queued it again meanwhile: its own refresh follows and marks it.
        Indicator.objects.filter(pk=pk, standings_state=State.RUNNING).update(
            standings_state=State.READY
        )


def standings_refresh_enqueue(
    indicator_ids: list[int], *, in_request: bool = False, country_ids: list[int] | None = None
) -> None:
    """Mark the indicators' standings queued, and refresh them once the transaction commits.

    ``in_request``: the caller answers a request, so without a broker the refresh runs in a
    thread after the commit instead of inside the request (see the module's docstring).
    ``country_ids``: only these countries' figures changed (their similar municipalities are
    computed again, not every country's).
    """
    ids = sorted(int(pk) for pk in indicator_ids)
    Indicator.objects.filter(pk__in=ids).update(standings_state=State.QUEUED)
    if in_request and current_app.conf.task_always_eager:
        transaction.on_commit(lambda: _start_thread(refresh_standings, ids))
    else:
        transaction.on_commit(lambda: refresh_standings.delay(ids))
    similar_refresh_enqueue(ids, in_request=in_request, country_ids=country_ids)


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def refresh_similar(
    indicator_ids: list[int] | None = None, country_ids: list[int] | None = None
) -> None:
    """Recompute the similar municipalities of the countries with figures of these
    structural indicators (all countries when None), or of those of ``country_ids`` among
    them. Idempotent: it replaces."""
    from . import similar  # pandas: loaded by the refresh only

    countries = None if indicator_ids is None else similar.countries_with(indicator_ids)
    if country_ids is not None:
        wanted = set(country_ids)
        countries = [pk for pk in countries or wanted if pk in wanted]
    similar.similar_refresh(country_ids=countries)


def similar_refresh_enqueue(
    indicator_ids: list[int], *, in_request: bool = False, country_ids: list[int] | None = None
) -> None:
    """After the figures of these indicators changed: where some are structural figures
    (structure.py), the similar municipalities are computed again once the transaction
    commits, off the request like the standings."""
    from .structure import structural_indicator_ids

    ids = sorted(structural_indicator_ids(indicator_ids))
    if not ids:
        return
    if in_request and current_app.conf.task_always_eager:
        transaction.on_commit(lambda: _start_thread(refresh_similar, ids, country_ids))
    else:
        transaction.on_commit(lambda: refresh_similar.delay(ids, country_ids))


def _start_thread(task, ids: list[int], *more) -> None:
    thread = threading.Thread(target=_run_in_thread, args=(task, ids, *more), name=task.name)
    _threads[:] = [*(t for t in _threads if t.is_alive()), thread]  # forget finished ones
    thread.start()


def _run_in_thread(task, ids: list[int], *more) -> None:
    try:
        close_old_connections()
        task(ids, *more)
    except Exception:
        logger.exception("%s of indicators %s failed", task.name, ids)
    finally:
        connections.close_all()  # this thread's connections only


def background_join(timeout: float | None = None) -> None:
    """Wait for the standings refreshes this process runs in threads (tests, a clean exit)."""
    while _threads:
        _threads.pop().join(timeout)


from .feed_tasks import feed_fetch_enqueue, fetch_feed, refresh_due_feeds  # noqa: E402, F401
