"""Sessions that end when idle, without a database write on every request; bodies too large
to read refused before they are read."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.template.response import TemplateResponse

SEEN_KEY = "_seen"


class IdleSessionMiddleware:
    """Renews a signed-in session's expiry while its person works, at most every
    ``SESSION_RENEW_AFTER`` seconds: a session ends ``SESSION_COOKIE_AGE`` seconds after the
    last renewal, so after at most that long without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The session says whether someone is signed in; the user row is not needed for that.
        if SESSION_KEY in request.session:
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) >= settings.SESSION_RENEW_AFTER:
                request.session[SEEN_KEY] = now  # a change: the session is saved, renewed
        return self.get_response(request)


def mark_seen_at_sign_in(sender, request, user, **kwargs):
    """A fresh session counts as renewed: the first pages after sign-in write nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())


class RequestSizeLimitMiddleware:
    """Answers 413 to a request that declares a body larger than ``REQUEST_MAX_MB``, without
    reading it: Django writes an uploaded file to memory or disk whole before a form can check
    its size. A body without a declared length is never read by Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > settings.REQUEST_MAX_MB * 1024 * 1024:
            return TemplateResponse(
                request, "413.html", {"limit_mb": settings.REQUEST_MAX_MB}, status=413
            ).render()
        return self.get_response(request)
