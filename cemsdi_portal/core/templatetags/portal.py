"""Formatting for templates: numbers as the current language writes them, missing as "–"."""

from django import template

from cemsdi_portal.core.numbers import format_number

register = template.Library()


@register.filter
def number(value, decimals=1):
    """``{{ value|number:indicator.decimals }}``: rounded, grouped, "–" when missing."""
    return format_number(value, int(decimals))


@register.filter
def signed(value, decimals=1):
    """Like ``number``, with "+" before a rise."""
    return format_number(value, int(decimals), sign=True)


@register.filter
def percent(value):
    """A share in percent without decimals, "–" when there is none."""
    return "–" if value is None else f"{format_number(value, 0)} %"


@register.filter
def priority_cells(overview, row):
    """The network overview's row of DLA priorities: covered or not, in column order."""
    return overview.priority_cells(row)


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes (rounded up): how long to wait."""
    return -(-int(duration.total_seconds()) // 60)
