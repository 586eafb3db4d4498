"""Thin Celery tasks: take ids, call a service.

``render_report`` is acknowledged late and rejected (so redelivered) when its worker is lost;
it retries transient database errors with exponential back-off, every delay shorter than the
broker's visibility timeout (``CELERY_BROKER_TRANSPORT_OPTIONS``), so that a task waiting to be
retried is never redelivered meanwhile; and it is stopped softly, then killed, at its time
limits. Worker children are recycled by ``CELERY_WORKER_MAX_MEMORY_PER_CHILD``. A render whose
worker died is picked up by ``sweep_reports`` (Celery beat).
"""

from celery import Task, shared_task
from django.conf import settings

from . import services


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The last retry failed too: the row says so instead of staying queued."""
        report_id = (args or [kwargs.get("report_id")])[0]
        if report_id is not None:
            services.report_fail_after_retries(
                report_id=report_id, detail=f"{type(exc).__name__}: {exc}"
            )


@shared_task(
    base=ReportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=settings.REPORTS_RETRY_BACKOFF,
    retry_backoff_max=settings.REPORTS_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=settings.REPORTS_MAX_RETRIES,
    soft_time_limit=settings.REPORTS_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TIME_LIMIT,
)
def render_report(report_id: int) -> None:
    """Render one report request to PDF (idempotent: only a queued row is rendered)."""
    services.report_render(report_id=report_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def sweep_reports() -> None:
    """Celery beat: requeue or fail renders whose worker died; send requests never sent."""
    services.reports_sweep()
