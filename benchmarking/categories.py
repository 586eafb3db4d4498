"""Categories of key figures, the catalogue's chapters: KOSTRA's service areas and a few more,
as keys stored on the indicator (``Indicator.category``) with a label in the reader's
language. A category an administrator types that is not one of these is shown as written.

An imported indicator gets the category of its statistics table where the table is known
(``for_table``); an administrator changes it in the admin.
"""

from django.utils.translation import pgettext_lazy

LABELS = {
    "population": pgettext_lazy("category", "Population"),
    "finances": pgettext_lazy("category", "Municipal finances"),
    "kindergartens": pgettext_lazy("category", "Kindergartens"),
    "schools": pgettext_lazy("category", "Primary and lower secondary school"),
    "health": pgettext_lazy("category", "Health services"),
    "care": pgettext_lazy("category", "Care services"),
    "social": pgettext_lazy("category", "Social services"),
    "transport": pgettext_lazy("category", "Roads and transport"),
    "housing": pgettext_lazy("category", "Housing"),
    "environment": pgettext_lazy("category", "Environment and climate"),
    "digital": pgettext_lazy("category", "Digital maturity"),
    "structure": pgettext_lazy("category", "Population and area"),
}

# SSB's statistics tables (StatBank ids) -> category.
TABLES = {
    "13502": "kindergartens",  # KOSTRA: kindergartens
    "09220": "kindergartens",  # kindergartens, children and staff
    "11816": "transport",  # KOSTRA: selected key figures for roads and transport
    "12191": "health",  # KOSTRA: municipal health services
    "12134": "finances",  # KOSTRA: selected key figures for municipal accounts
    "12367": "finances",  # KOSTRA: detailed operating accounts
    "07221": "housing",  # house price index
    "1106": "population",  # population changes
    "01222": "population",  # population changes, quarterly
    "07459": "population",  # population by age
}


def label(category: str) -> str:
    """The category in the reader's language, as written if it is not a known one."""
    known = LABELS.get(category)
    return str(known) if known is not None else category


def for_table(table_id: str) -> str:
    """The category of an SSB table's indicators, "" where the table is not known."""
    return TABLES.get(str(table_id).strip(), "")
