from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Work that spans the apps by design: the library of practices across networks and
    countries, their adoption, the network of experts, a network's next phase and a
    municipality's timeline across networks and phases."""

    name = "community"
    verbose_name = _("Community of practice")

    def ready(self):
        # sessions_app sits below and cannot import us: an accepted speaker is a guest of the
        # gathering, told through its hook.
        from sessions_app import hooks

        from . import rules

        hooks.register_gathering_guests(
            is_guest=rules.speaks_at, guest_gathering_ids=rules.guest_gathering_ids
        )
