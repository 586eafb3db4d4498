"""Thin Celery tasks: take ids, call a function."""

from smtplib import SMTPException

from celery import shared_task

from . import passwords


@shared_task(
    name="core.send_password_reset",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,  # well under the broker's visibility timeout (settings)
    max_retries=6,
)
def send_password_reset(*, user_id: int, language: str) -> None:
    passwords.password_reset_send(user_id=user_id, language=language)
