from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Kind, Rhythm


class NoticeSettingsForm(forms.Form):
    """The person's language, and one rhythm for each kind of notice."""

    language = forms.ChoiceField(
        label=_("Your language"),
        required=False,
        help_text=_("For the portal's pages and the e-mail you get."),
        error_messages={"invalid_choice": _("Choose one of the languages offered.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As my browser says")), *settings.LANGUAGES]
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Rhythm.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how you want these notices."),
                    "invalid_choice": _("Choose at once, daily, weekly or no e-mail."),
                },
            )

    def rhythms(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values}
