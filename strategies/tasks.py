"""Thin Celery tasks: call a function of ``notifications.py``."""

from smtplib import SMTPException

from celery import shared_task

from . import notifications


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,  # well under the broker's visibility timeout (settings)
    max_retries=6,
)
def send_measure_digests() -> None:
    """Celery beat, weekly: one e-mail to each owner of measures that wait."""
    notifications.measure_digests_send()
