"""Reads: a person's notices and their notice settings. A fixed number of queries."""

from django.db.models import QuerySet

from .models import Kind, Notice, NoticePreference, Rhythm


def notices_of(user) -> QuerySet[Notice]:
    """The person's notices, newest first, with who caused each."""
    return (
        Notice.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-pk")
    )


def unread_notices(user, limit: int = 5) -> list[Notice]:
    """The person's newest unread notices (for the home page)."""
    return list(notices_of(user).filter(read_at__isnull=True)[:limit])


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_of(user) -> dict[str, str]:
    """The person's rhythm for every kind (no row: at once)."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "rhythm"))
    return {kind: chosen.get(kind, Rhythm.IMMEDIATE) for kind in Kind.values}
