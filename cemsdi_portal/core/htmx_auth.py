"""A session that ends while someone works: the page is told, and sign-in leads back to a page.

``login_required`` answers a signed-out request with a redirect to the sign-in page. For an
htmx request the browser follows that redirect itself and htmx swaps the whole sign-in page
into the element that asked (the presence line of an editor). For a POST the redirect's
``next`` is the URL posted to, which may answer POST only: signing in then ends on a blank
405. This middleware answers the first with 401 and a short notice the page shows without
swapping (static/js/keep-text.js), and points the second's ``next`` at the page the form was
on.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _is_sign_in_redirect(request, response) -> bool:
    """``login_required``'s answer: to the sign-in page, with ``next`` the page asked for.
    (Signing out, or a language switch on the sign-in page, also lead there, without it.)"""
    if response.status_code != 302 or "Location" not in response:
        return False
    location = urlsplit(response["Location"])
    asked_for = parse_qs(location.query).get(REDIRECT_FIELD_NAME)
    return location.path == resolve_url(settings.LOGIN_URL) and asked_for == [
        request.get_full_path()
    ]


def _page(request, url: str | None) -> str | None:
    """The path and query of ``url`` when it is a page of this site (not the sign-in page)."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path or parts.path == resolve_url(settings.LOGIN_URL):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in_url(page: str | None) -> str:
    login = resolve_url(settings.LOGIN_URL)
    return f"{login}?{urlencode({REDIRECT_FIELD_NAME: page})}" if page else login


class SignedOutMiddleware:
    """Placed right after AuthenticationMiddleware: it sees every sign-in redirect on its way
    out. A request whose user is signed in passes untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_sign_in_redirect(request, response) or request.user.is_authenticated:
            return response
        if request.headers.get("HX-Request") == "true":
            # htmx sends the address of the page it runs in.
            page = _page(request, request.headers.get("HX-Current-URL"))
            answer = TemplateResponse(request, "core/_signed_out.html", {"next": page}, status=401)
            answer["HX-Reswap"] = "none"  # even where 401s would be swapped: keep the page
            # A 401 names how to authenticate: here, the sign-in form and its session cookie.
            answer["WWW-Authenticate"] = 'Session realm="CEMSDI portal"'
            return answer.render()
        if request.method not in SAFE_METHODS:
            # Back to the page the form was on after sign-in; without one, to the home page.
            response["Location"] = sign_in_url(_page(request, request.headers.get("Referer")))
        return response
