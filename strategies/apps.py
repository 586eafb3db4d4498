from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategiesConfig(AppConfig):
    name = "strategies"
    verbose_name = _("Strategies")

    def ready(self):
        from benchmarking.events import key_figures_changed
        from sessions_app import hooks  # a lower floor's hook: strategies plugs into it

        from .models import Section
        from .tasks import on_key_figures_changed

        # New key figures: measures tied to them are checked off the request (tasks.py).
        key_figures_changed.connect(on_key_figures_changed, dispatch_uid="strategies.figures")

        hooks.register_strategy_sections(
            [choice for choice in Section.Kind.choices if choice[0] != Section.Kind.OWN]
        )
