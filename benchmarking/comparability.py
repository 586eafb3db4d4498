"""Which key figures are defined alike in every country, and who defined the others.

Eurostat's figures, the self-assessment's scores (``DM-*``) and the register's structure
(``REG-*``: population, area, inhabitants per km²) mean the same in Portugal as in Norway; a
national statistics office's figure (SSB's KOSTRA, Sweden's Kolada) follows that country's
definitions and accounts, and is not comparable with another country's. ``"The programme"``
comparison (selectors.Comparison.PROGRAMME), which spans countries, lists only the first kind.
"""

from django.utils.translation import gettext as _

INTERNATIONAL_PREFIXES = ("DM-", "REG-")


def defined_alike_across_countries(*, code: str, source: str) -> bool:
    """A new indicator's ``comparable_across_countries``, from its code and source."""
    folded = (source or "").strip().casefold()
    return code.startswith(INTERNATIONAL_PREFIXES) or folded.startswith(("estat", "eurostat"))


def source_name(indicator) -> str:
    """The source as a reader knows it: the statistics office's name, else as stored (empty
    when none is recorded)."""
    folded = (indicator.source or "").strip().casefold()
    if folded.startswith(("ssb", "statistics norway")):
        return _("Statistics Norway")
    if folded.startswith(("estat", "eurostat")):
        return "Eurostat"
    if folded.startswith("kolada"):
        return "Kolada"
    if indicator.code.startswith("DM-"):
        return _("the self-assessment")
    return indicator.source


def not_comparable_warning(indicator) -> str:
    """The warning on a national figure shown beside other countries' municipalities."""
    return _(
        "Defined by %(source)s for its own country: not comparable with other countries' figures."
    ) % {"source": source_name(indicator) or _("a national source")}
