from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Work that spans the apps by design: the library of practices across networks and
    countries, their adoption, the network of experts, a network's next phase and a
    municipality's timeline across networks and phases."""

    name = "community"
    verbose_name = _("Community of practice")

    def ready(self):
        from strategies import hooks  # a lower floor's hook: the community plugs into it

        from .selectors import measure_practices
        from .services import practice_source_removed

        hooks.register_before_removal(practice_source_removed)
        # The source's action plan shows which measures others took up.
        hooks.register_measure_practices(measure_practices)
