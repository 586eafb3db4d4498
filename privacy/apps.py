"""A person's own data: the download of what the portal holds about them, and its erasure."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from . import display  # installs the name an erased person is shown by

        display.install()
