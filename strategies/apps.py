from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategiesConfig(AppConfig):
    name = "strategies"
    verbose_name = _("Strategies")

    def ready(self):
        from sessions_app import hooks  # a lower floor's hook: strategies plugs into it

        from .models import Section

        hooks.register_strategy_sections(
            [choice for choice in Section.Kind.choices if choice[0] != Section.Kind.OWN]
        )
