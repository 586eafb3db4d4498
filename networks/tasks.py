"""Thin Celery tasks: take ids, call a service."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,  # well under the broker's visibility timeout (settings)
    max_retries=6,
)
def send_invitation(invitation_id: int) -> None:
    services.invitation_send(invitation_id=invitation_id)
