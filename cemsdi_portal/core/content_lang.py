"""Text people wrote keeps its language (WCAG 3.1.2, language of parts): a strategy, a
gathering's agenda, a comment is written in one language and may be shown in a page of another.
The page then marks it with ``lang``; in the page's own language it needs no mark.

Where content's language lives: a strategy's ``language`` (its sections and measures follow it);
a gathering, its agenda, assignments and materials: their network's working language; a notice:
its ``language`` (the network's, set when it is made); a comment: its strategy's language.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language


def _primary(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


def differs(language: str | None) -> bool:
    """True when text in ``language`` needs a mark in a page of the active language."""
    return bool(language) and _primary(language) != _primary(get_language())


def lang_attr(language: str | None) -> SafeString:
    """`` lang="nb"`` to put inside an element's opening tag, or nothing when ``language`` is
    the page's (or unknown)."""
    if not differs(language):
        return SafeString("")
    return format_html(' lang="{}"', language)


def in_language(text, language: str | None) -> SafeString:
    """``text`` escaped, inside ``<span lang>`` when its language is not the page's: for a
    person's words inside a translated sentence."""
    if not differs(language):
        return format_html("{}", text)
    return format_html('<span lang="{}">{}</span>', language, text)
