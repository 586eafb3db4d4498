"""Thin Celery tasks: call a function of ``notifications.py`` or ``services.py``."""

from smtplib import SMTPException

from celery import shared_task

from . import notifications, services


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,  # well under the broker's visibility timeout (settings)
    max_retries=6,
)
def send_measure_digests() -> None:
    """Celery beat, weekly: one e-mail to each owner of measures that wait."""
    notifications.measure_digests_send()


@shared_task(name="strategies.tasks.check_measure_figures")
def check_measure_figures(indicator_ids: list[int]) -> None:
    """After new key figures (``benchmarking.events.key_figures_changed``): tell the owners
    of measures whose figure moved away from the target."""
    services.measure_figures_check(indicator_ids=indicator_ids)


def on_key_figures_changed(sender, *, indicator_ids, **kwargs) -> None:
    """The signal comes after the commit; the work is queued for a worker, not done here."""
    if indicator_ids:
        check_measure_figures.delay(sorted(int(pk) for pk in indicator_ids))
