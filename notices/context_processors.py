"""The navbar's count of unread notices: counted only when a page shows it (one query)."""

from functools import cache

from .selectors import unread_count


def unread_notices(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return unread_count(user)

    return {"unread_notice_count": count}
