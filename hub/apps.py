from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    """The top floor: work that spans the apps below it (the home page, the demo data, learn
    from the best, and what comes: the library of good measures, a network's next phase)."""

    name = "hub"
    verbose_name = _("Portal hub")
