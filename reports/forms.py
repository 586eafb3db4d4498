from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ReportRequest


class ReportRequestForm(forms.Form):
    """What the request buttons post: the kind and the ids of its subject."""

    kind = forms.ChoiceField(choices=ReportRequest.Kind.choices)
    programme = forms.IntegerField(required=False, min_value=1)
    network = forms.IntegerField(required=False, min_value=1)
    municipality = forms.IntegerField(required=False, min_value=1)

    REQUIRED = {
        ReportRequest.Kind.PROGRAMME: ("programme",),
        ReportRequest.Kind.NETWORK: ("network",),
        ReportRequest.Kind.STRATEGY: ("network", "municipality"),
        ReportRequest.Kind.POSITION: ("municipality",),
    }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name in self.REQUIRED.get(kind, ()):
            if not data.get(name):
                self.add_error(name, forms.ValidationError(_("This report needs it."), "required"))
        return data


class NarrativeForm(forms.Form):
    """A narrative section's text, in the language chosen above the form. ``version`` is the
    version the writer loaded: a save is refused as a conflict when someone saved since."""

    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose one of the languages offered.")},
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists with - or 1., headings with ##, links as "
            "[text](https://…). HTML is shown as text."
        ),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": _("The form lost the version it was loaded at; reload it.")},
    )
