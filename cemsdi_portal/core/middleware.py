"""Sessions that end when idle, without a database write on every request."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

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
