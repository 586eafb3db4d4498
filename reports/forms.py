from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportRequest


class ReportRequestForm(forms.Form):
    """What the request buttons post: the kind and the ids of its subject."""

    kind = forms.ChoiceField(choices=ReportRequest.Kind.choices)
    programme = forms.IntegerField(required=False, min_value=1)
    network = forms.IntegerField(required=False, min_value=1)
    municipality = forms.IntegerField(required=False, min_value=1)
    # A programme report's reporting period (checked against the programme in the view).
    period = forms.IntegerField(required=False, min_value=1)

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
