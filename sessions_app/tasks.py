"""Thin Celery tasks: take ids, call a function of ``notifications.py``."""

from smtplib import SMTPException

from celery import shared_task

from . import answer_reminders, notifications

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,  # well under the broker's visibility timeout (settings)
    "max_retries": 6,
}


@shared_task(**RETRY)
def send_gathering_invitations(gathering_id: int) -> None:
    """E-mail the gathering's invitees their invitation with the calendar file."""
    notifications.gathering_invitations_send(gathering_id=gathering_id)


@shared_task(**RETRY)
def send_gathering_reminder(gathering_id: int) -> None:
    """E-mail the gathering's invitees a reminder with the calendar file."""
    notifications.gathering_reminder_send(gathering_id=gathering_id)


@shared_task(**RETRY)
def send_due_reminders() -> None:
    """Celery beat, daily: enqueue a reminder for each gathering whose reminder is due."""
    notifications.gathering_reminders_enqueue()


@shared_task(**RETRY)
def send_answer_reminders(round_id: int) -> None:
    """E-mail the invitees who have not answered, once per reminder round."""
    answer_reminders.answer_reminders_send(round_id=round_id)


@shared_task(**RETRY)
def send_gathering_update(update_id: int) -> None:
    """E-mail the invitees that their gathering moved or was cancelled, with the calendar file."""
    notifications.gathering_update_send(update_id=update_id)
