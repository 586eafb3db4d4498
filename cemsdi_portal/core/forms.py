"""Form fields and helpers the apps share."""

from django import forms
from django.core.exceptions import ValidationError

# What an integer column (a primary key) holds: a signed 64-bit number.
LARGEST_ID = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of objects, whose posted ids are refused when no integer column could hold
    them: Django asks the database for all of them at once (``pk__in``), and SQLite's driver
    cannot send a number past 64 bits (OverflowError, a server error)."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # not a number: Django's own check says so
                if not -LARGEST_ID - 1 <= number <= LARGEST_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


def form_errors_from(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: each error named after a field the form
    has goes on that field, everything else (a plain message, or a name the form lacks) above
    the form. Every view that shows a service's refusal on a form does it this way."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
