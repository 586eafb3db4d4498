"""Thin Celery tasks: take ids, call a function of ``notifications.py``."""

from smtplib import SMTPException

from celery import shared_task

from . import notifications

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,  # well under the broker's visibility timeout (settings)
    "max_retries": 6,
}


@shared_task(name="notices.tasks.send_notices", **RETRY)
def send_notices(notice_ids: list[int]) -> None:
    """E-mail the notices meant for at once (after the commit that made them)."""
    notifications.notices_send(notice_ids=notice_ids)


@shared_task(name="notices.tasks.send_daily_digests", **RETRY)
def send_daily_digests() -> None:
    """Celery beat, each morning: one e-mail per person who chose a daily digest."""
    notifications.digests_send(rhythm="daily")


@shared_task(name="notices.tasks.send_weekly_digests", **RETRY)
def send_weekly_digests() -> None:
    """Celery beat, on Monday morning: one e-mail per person who chose a weekly digest."""
    notifications.digests_send(rhythm="weekly")
