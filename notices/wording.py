"""What a notice says, in the language active when it is shown (a page's, or the recipient's
in an e-mail): made from its fields when read, never stored translated."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Kind, Notice


def actor_name(notice: Notice) -> str:
    return str(notice.actor) if notice.actor is not None else _("Someone")


def describe(notice: Notice) -> str:
    """One sentence: who did what to which thing."""
    # capfirst: a name may start in lower case ("a former participant", privacy/display.py).
    values = {"actor": capfirst(actor_name(notice)), "about": notice.about}
    if notice.kind == Kind.STRATEGY_SHARED:
        return _("%(actor)s shared “%(about)s” with the network.") % values
    if notice.kind == Kind.MEASURE_FIGURE_WORSE:
        # No actor: the data moved. ``excerpt`` holds the figures, written when published.
        return _("The key figure of your measure “%(about)s” moved away from its target.") % values
    if notice.kind == Kind.COMMENT:
        return _("%(actor)s commented on “%(about)s”.") % values
    return _("%(actor)s replied in the comments on “%(about)s”.") % values
