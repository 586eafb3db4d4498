"""Report requests rendered to PDF by Celery."""

import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Review reports")

    def ready(self):
        # WeasyPrint logs every step of every page at INFO: keep its progress out of the logs
        # unless someone asked for it.
        progress = logging.getLogger("weasyprint.progress")
        if progress.level == logging.NOTSET:
            progress.setLevel(logging.WARNING)
