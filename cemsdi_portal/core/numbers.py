"""Numbers as the current language writes them: the one way pages, charts and PDFs show one."""

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def format_number(value: float | None, decimals: int = 1, *, sign: bool = False) -> str:
    """A value as the current language writes it, rounded half up to ``decimals`` places,
    with thousands grouped; "–" when missing (never 0). ``sign`` puts "+" before a rise."""
    if value is None or not math.isfinite(value):
        return "–"
    try:
        rounded = Decimal(repr(float(value))).quantize(
            Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP
        )
    except InvalidOperation:  # more digits than the decimal context holds: as Python writes it
        return f"{float(value):.{int(decimals)}e}"
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    text = number_format(rounded, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)
    if sign and rounded > 0:
        text = f"+{text}"
    return text


def format_hours(hours) -> str:
    """A duration given in hours (training hours: ``Decimal("7.25")``) as hours and minutes
    in the current language: "7 h 15 min", "7 h", "45 min"; "–" when missing. Rounded to the
    minute; the stored value is not changed."""
    if hours is None:
        return "–"
    return format_minutes(Decimal(str(hours)) * 60)


def format_minutes(minutes) -> str:
    """A duration given in minutes (an agenda's 435) as ``format_hours`` writes it."""
    if minutes is None:
        return "–"
    total = int(Decimal(str(minutes)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    whole, rest = divmod(abs(total), 60)
    values = {"hours": format_number(whole, 0), "minutes": format_number(rest, 0)}
    if not rest:
        text = _("%(hours)s h") % values
    elif not whole:
        text = _("%(minutes)s min") % values
    else:
        text = _("%(hours)s h %(minutes)s min") % values
    return f"-{text}" if total < 0 else text
