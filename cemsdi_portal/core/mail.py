"""E-mail sent once: claim the row that records the sending, send, give the claim back on failure.

A task may run twice (a redelivery, a beat tick repeated). Each sender claims first, in one
statement the database decides (a conditional update or an insert a unique constraint guards),
so only one run sends; when sending fails the claim is released, so the task's retry sends.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone


class Claim(Protocol):
    def take(self) -> bool:
        """Mark the row as sent; True for the one caller that did."""

    def release(self) -> None:
        """Undo ``take``, so that a retry may take it again."""


@dataclass
class TimestampClaim:
    """``rows`` (one row, in the state in which it may be sent) claimed by setting ``field``
    from empty to now; ``also`` are further values written in the same update."""

    rows: QuerySet
    field: str
    also: dict = field(default_factory=dict)

    def take(self) -> bool:
        unclaimed = self.rows.filter(**{f"{self.field}__isnull": True})
        return bool(unclaimed.update(**{self.field: timezone.now(), **self.also}))

    def release(self) -> None:
        self.rows.update(**{self.field: None})


@dataclass
class RowClaim:
    """A row of ``model`` with ``values`` created as the claim; a unique constraint on those
    values refuses the second."""

    model: type[models.Model]
    values: dict
    _row: models.Model | None = None

    def take(self) -> bool:
        try:
            with transaction.atomic():
                self._row = self.model._default_manager.create(**self.values)
        except IntegrityError:
            return False
        return True

    def release(self) -> None:
        if self._row is not None:
            self._row.delete()


def send_claimed(messages: Sequence[EmailMessage], *, claim: Claim) -> int:
    """Send ``messages`` on one connection if ``claim`` is taken here; returns the number sent
    (0 when another run holds the claim). Build the messages first: a template error then
    claims nothing. A failed send releases the claim and raises, for the task to retry."""
    if not claim.take():
        return 0
    try:
        with get_connection() as connection:
            connection.send_messages(list(messages))
    except Exception:
        claim.release()
        raise
    return len(messages)
