from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Work that spans the apps by design: the library of practices across networks and
    countries, their adoption, the network of experts, a network's next phase and a
    municipality's timeline across networks and phases."""

    name = "community"
    verbose_name = _("Community of practice")

    def ready(self):
        # The apps below cannot import this one; they offer hooks it fills. A strategy's
        # measure or section about to be removed takes its practice with it; the source's
        # action plan shows which measures others took up; an accepted speaker is a guest of
        # the gathering.
        from reports import hooks as report_hooks
        from sessions_app import hooks as gathering_hooks
        from strategies import hooks as strategy_hooks

        from . import rules
        from .selectors import measure_practices, practices_shared_count
        from .services import practice_source_removed

        report_hooks.register_practices_shared(practices_shared_count)
        strategy_hooks.register_before_removal(practice_source_removed)
        strategy_hooks.register_measure_practices(measure_practices)
        gathering_hooks.register_gathering_guests(
            is_guest=rules.speaks_at, guest_gathering_ids=rules.guest_gathering_ids
        )
