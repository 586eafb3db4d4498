"""Form fields the apps share."""

from django import forms

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
