"""What a notice says, in the language active when it is shown (a page's, or the recipient's
in an e-mail): made from its fields when read, never stored translated."""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cemsdi_portal.core.content_lang import in_language

from .models import Kind, Notice


def actor_name(notice: Notice) -> str:
    return str(notice.actor) if notice.actor is not None else _("Someone")


def _sentence(notice: Notice) -> str:
    if notice.kind == Kind.STRATEGY_SHARED:
        return _("%(actor)s shared “%(about)s” with the network.")
    if notice.kind == Kind.MEASURE_FIGURE_WORSE:
        # No actor: the data moved. ``excerpt`` holds the figures, written when published.
        return _("The key figure of your measure “%(about)s” moved away from its target.")
    if notice.kind == Kind.COMMENT:
        return _("%(actor)s commented on “%(about)s”.")
    if notice.kind == Kind.PRACTICE_ADOPTED:
        return _("%(actor)s took up your practice “%(about)s” in their action plan.")
    if notice.kind == Kind.SPEAKER_INVITED:
        return _("%(actor)s invited you to speak at “%(about)s”.")
    if notice.kind == Kind.REPORT_ISSUED:
        return _("%(actor)s issued “%(about)s”.")
    if notice.kind == Kind.REPORT_ACKNOWLEDGED:
        return _("%(actor)s acknowledged “%(about)s”.")
    if notice.kind == Kind.REPORT_RETURNED:
        # ``excerpt`` holds the officer's comment.
        return _("%(actor)s returned “%(about)s” with a comment.")
    return _("%(actor)s replied in the comments on “%(about)s”.")


def describe(notice: Notice) -> str:
    """One sentence: who did what to which thing."""
    # capfirst: a name may start in lower case ("a former participant", privacy/display.py).
    return _sentence(notice) % {"actor": capfirst(actor_name(notice)), "about": notice.about}


def describe_html(notice: Notice) -> SafeString:
    """``describe`` for a page: escaped, the title people wrote (``about``) marked with the
    notice's language when the page is in another (WCAG 3.1.2)."""
    values = {
        "actor": conditional_escape(capfirst(actor_name(notice))),
        "about": in_language(notice.about, notice.language),
    }
    return mark_safe(conditional_escape(_sentence(notice)) % values)  # noqa: S308 every part escaped
