from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cemsdi_portal.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - checks registers the system check
        from .middleware import mark_seen_at_sign_in

        user_logged_in.connect(mark_seen_at_sign_in, dispatch_uid="session-seen-at-sign-in")
