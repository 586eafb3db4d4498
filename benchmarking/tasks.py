"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task

from . import standings


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def refresh_standings(indicator_ids: list[int]) -> None:
    """Recompute country and peer-group ranks after an import (idempotent: it replaces)."""
    standings.standings_refresh(indicator_ids=indicator_ids)
