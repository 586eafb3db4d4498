"""Text the portal keeps in the database in each of its languages: one column per language
(``name_en``, ``name_nb``, ``name_pt``, ``name_es``, ``name_it``) beside each other on the row,
and one rule for which of them a reader sees (``in_language``).

The columns are explicit and few (indicator names, the questionnaire, the DLA priorities), so
they are plain model fields rather than a translation library's; this module is the one code
path that picks among them, for model properties, selectors and seeds alike.
"""

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

FALLBACK = "en"


def language_codes() -> list[str]:
    """The portal's languages (settings.LANGUAGES), English first."""
    return [code for code, _name in settings.LANGUAGES]


def active_language() -> str:
    """The reader's language among the portal's, else English (``pt-br`` reads ``pt``)."""
    active = (get_language() or FALLBACK).lower()
    codes = language_codes()
    if active in codes:
        return active
    base = active.split("-")[0]
    return base if base in codes else FALLBACK


def order_of_reading(language: str | None = None) -> list[str]:
    """The languages in the order a reader of ``language`` (default: the active one) is
    shown them: theirs, English, then the others as settings.LANGUAGES lists them."""
    first = language or active_language()
    rest = [code for code in language_codes() if code not in (first, FALLBACK)]
    return list(dict.fromkeys([first, FALLBACK, *rest]))


def columns(field: str) -> list[str]:
    """Every language's column of ``field`` (``name`` -> ``name_en``, ``name_nb``, ...)."""
    return [f"{field}_{code}" for code in language_codes()]


def in_language(obj, field: str, language: str | None = None, default: str = "") -> str:
    """The reader's column of ``field`` on ``obj`` where it is filled, else English, else the
    first other language that has it, else ``default``. A column the model lacks counts as
    empty (historical models in migrations have only some)."""
    for code in order_of_reading(language):
        text = getattr(obj, f"{field}_{code}", "")
        if text:
            return text
    return default


def in_language_sql(field: str, language: str | None = None):
    """``in_language`` as one SQL expression, for ``annotate``/``values``/``order_by``: the
    first non-blank column in the same order, '' when all are blank."""
    parts = [NullIf(F(f"{field}_{code}"), Value("")) for code in order_of_reading(language)]
    return Coalesce(*parts, Value(""))


def fill_blanks(obj, field: str, texts: dict[str, str]) -> list[str]:
    """Set ``field``'s column for each language of ``texts`` that is blank on ``obj`` (and
    exists on its model); an administrator's text is never overwritten. Returns the columns
    set, for ``save(update_fields=...)``; saving is the caller's."""
    names = {f.name for f in obj._meta.get_fields()}
    changed = []
    for code, text in texts.items():
        column = f"{field}_{code}"
        if text and column in names and not getattr(obj, column):
            setattr(obj, column, text)
            changed.append(column)
    return changed
