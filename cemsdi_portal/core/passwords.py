"""Password reset: throttled per address asked for and per client, its e-mail sent by a task
once the request's transaction has committed (never inside the request)."""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .throttling import client_ip

# Signing in a person who has just chosen a password: django-axes' backend, first in
# AUTHENTICATION_BACKENDS, checks credentials of a sign-in form and signs in nobody itself.
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"
SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email.html"


def allow_request(*, scope: str, value: str, limit: int, window_seconds: int) -> bool:
    """Count one request under ``scope`` and ``value`` in the cache; False once more than
    ``limit`` came within the window (it starts at the first request and is not extended)."""
    digest = hashlib.sha256(value.encode()).hexdigest()  # no address kept in the cache
    key = f"throttle:{scope}:{digest}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Queue the e-mail for after the commit, with the person's id and the language of
        the page; the task makes the link (no token goes through the broker)."""
        from .tasks import send_password_reset  # the task module imports this one

        user_id = context["user"].pk
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: send_password_reset.delay(user_id=user_id, language=language))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with a limit per address asked for and per client address. The limit counts
    every valid request, whether an account has the address or not, so the message that a
    limit is reached says nothing about which addresses have accounts."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        address = form.cleaned_data["email"].strip().lower()
        by_address = allow_request(
            scope="password-reset-address",
            value=address,
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            window_seconds=window,
        )
        by_client = allow_request(
            scope="password-reset-client",
            value=client_ip(self.request) or "",
            limit=settings.PASSWORD_RESET_PER_CLIENT,
            window_seconds=window,
        )
        if not (by_address and by_client):
            form.add_error(
                None,
                _(
                    "Too many requests to reset a password for this address or from your "
                    "network. Try again in %(minutes)s minutes at most; a link already sent "
                    "stays valid for seven days."
                )
                % {"minutes": settings.PASSWORD_RESET_WINDOW_MINUTES},
            )
            return self.form_invalid(form)
        return super().form_valid(form)


def password_reset_send(*, user_id: int, language: str) -> None:
    """Send the password-reset e-mail to an active person; nothing for one who is gone or
    inactive. Its link points at SITE_URL, never at the host a request named."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": user.email,
        "domain": site.netloc,
        "site_name": site.netloc,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme,
    }
    with translation.override(language):
        subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
        body = render_to_string(BODY_TEMPLATE, context)
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, signing the person in once the new password is saved and taking them home."""

    post_reset_login = True
    post_reset_login_backend = SIGN_IN_BACKEND
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your new password is saved and you are signed in."))
        return response
