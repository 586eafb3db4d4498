from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class DangerSubmit(Submit):
    field_classes = "btn btn-danger"


class EraseForm(forms.Form):
    """The administrator types the person's username, so that nobody is erased by a slip."""

    username = forms.CharField(label=_("Type the person's username to confirm"), max_length=150)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.helper = FormHelper()
        self.helper.add_input(DangerSubmit("erase", _("Erase this person's data")))

    def clean_username(self):
        typed = self.cleaned_data["username"].strip()
        if typed != self.person.username:
            raise forms.ValidationError(
                _("This is not the username of the person to erase (%(username)s).")
                % {"username": self.person.username}
            )
        return typed
