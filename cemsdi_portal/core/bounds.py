"""Sanity bounds for the dates and years people type: a network's period, a gathering, an
assignment, a measure's dates and its baseline and target years. A date further out breaks the
calendar arithmetic that follows from it (a month after December 9999, a time before year 1 in
UTC); no real plan reaches outside these years."""

from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 1900, 2100


def year_in_bounds(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def date_out_of_bounds() -> str:
    return _("Give a date between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def year_out_of_bounds() -> str:
    return _("Give a year between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }
