from django.contrib import admin
from django.urls import include, path

from cemsdi_portal.core.passwords import PasswordResetConfirmView, PasswordResetView
from cemsdi_portal.core.views import accessibility_statement, healthz
from networks.language import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: throttled, and its e-mail sent by a task (core/passwords.py).
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    # Before Django's own: the new password signs the person in (core/passwords.py).
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Before Django's own: a signed-in person's choice is kept on their profile.
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", accessibility_statement, name="accessibility_statement"),
    path("", include("networks.urls")),
    path("", include("sessions_app.urls")),
    path("", include("benchmarking.urls")),
    path("", include("reports.urls")),
    path("", include("strategies.urls")),
    path("", include("assessment.urls")),
    path("", include("notices.urls")),
    path("", include("community.urls")),
    path("", include("privacy.urls")),
    path("", include("hub.urls")),
]
