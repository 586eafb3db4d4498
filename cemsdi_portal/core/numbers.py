"""Numbers as the current language writes them: the one way pages, charts and PDFs show one."""

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format


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
