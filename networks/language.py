"""A signed-in person's own language (``User.language``) decides their pages, whatever the
browser says; the language chooser keeps a signed-in person's choice on their profile.

Signed-out visitors keep Django's way: the language cookie, then the browser's language.
"""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from . import services


def language_of(person, *, fallback: str) -> str:
    """The language to write to ``person`` in: their own if they chose one, else ``fallback``
    (the network's working language, for e-mail about a network)."""
    language = getattr(person, "language", "")
    return language if language in dict(settings.LANGUAGES) else fallback


class UserLanguageMiddleware:
    """After ``LocaleMiddleware`` and ``AuthenticationMiddleware``: activate the signed-in
    person's language when they have chosen one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if language and user.is_authenticated and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def set_language(request):
    """Django's ``set_language`` (the cookie, the redirect back), and for a signed-in person
    the choice kept on their profile, so that it holds on every device and in e-mail. A GET
    changes nothing (Django's redirects back)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        services.user_language_set(user=request.user, language=language)
    return response
