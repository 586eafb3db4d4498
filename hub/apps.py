from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    """The top floor: the home page, the demo data and learn from the best, which read every
    app below, the community's library of practices included."""

    name = "hub"
    verbose_name = _("Portal hub")
