"""Formatting for templates: numbers as the current language writes them, missing as "–"."""

from django import template

from cemsdi_portal.core.numbers import format_hours, format_minutes, format_number

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


@register.filter
def hours(value):
    """``{{ gathering_hours|hours }}``: hours as "7 h 15 min" in the current language."""
    return format_hours(value)


@register.filter
def minutes_as_hours(value):
    """``{{ gathering.training_minutes|minutes_as_hours }}``: 435 as "7 h 15 min"."""
    return format_minutes(value)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """``{% error_summary form %}``: after a refused form, one box at the top that lists every
    error, each field's as a link to its field (the GOV.UK error summary); nothing when the
    forms are valid or unbound. Takes forms and formsets; ``js/portal.js`` focuses the box."""
    return {"errors": _summary_errors(forms)}


def _summary_errors(forms) -> list[tuple[str, str]]:
    """(anchor or "", text) for each error of the forms, in the order the page shows them."""
    errors: list[tuple[str, str]] = []
    for form in forms:
        if not getattr(form, "is_bound", False):  # unbound, or not in the page's context
            continue
        if hasattr(form, "non_form_errors"):  # a formset: its own errors, then each form's
            errors += [("", str(error)) for error in form.non_form_errors()]
            errors += _summary_errors(form.forms)
            continue
        errors += [("", str(error)) for error in form.non_field_errors()]
        for field in form:
            for error in field.errors:
                if field.is_hidden:
                    errors.append(("", str(error)))
                else:
                    errors.append((field.id_for_label, f"{field.label}: {error}"))
    return errors
