import itertools

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ObjectiveTarget, ReportingPeriod, ReportRequest


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


class ReportingPeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["number", "first_month", "last_month"]


class BasePeriodFormSet(forms.BaseModelFormSet):
    """A programme's reporting periods: within the programme's months, none overlapping."""

    def __init__(self, *args, programme, **kwargs):
        self.programme = programme
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.programme = self.programme  # its number is unique within the programme
        return form

    def clean(self):
        super().clean()
        months = programme_months(self.programme)
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            first, last = form.cleaned_data.get("first_month"), form.cleaned_data.get("last_month")
            if first is None or last is None:
                continue
            if first < 1 or last < first:
                form.add_error(
                    "last_month", _("The last month must not come before the first month.")
                )
            elif last > months:
                form.add_error(
                    "last_month",
                    _(
                        "The programme runs %(months)s months: the last month must be at most %(months)s."  # noqa: E501
                    )
                    % {"months": months},
                )
            else:
                kept.append((first, last, form))
        kept.sort(key=lambda row: row[0])
        for (_first, last, _form), (first, _last, form) in itertools.pairwise(kept):
            if first <= last:
                form.add_error(
                    "first_month",
                    _("Months %(first)s-%(last)s overlap another reporting period.")
                    % {"first": first, "last": _last},
                )


class ObjectiveTargetForm(forms.ModelForm):
    class Meta:
        model = ObjectiveTarget
        fields = ["objective", "measure", "target", "period"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = programme.objectives.order_by("position")
        self.fields["period"].queryset = programme.reporting_periods.order_by("number")
        self.fields["period"].empty_label = _("The programme's end")
        self.fields["objective"].label_from_instance = lambda o: f"{o.position}. {o.text[:80]}"


def programme_months(programme) -> int:
    """The programme's length in whole months (24 for 2010-06-01 – 2012-05-31)."""
    start, end = programme.start_date, programme.end_date
    return (end.year - start.year) * 12 + end.month - start.month + (end.day >= start.day - 1)


PeriodFormSet = forms.modelformset_factory(
    ReportingPeriod, form=ReportingPeriodForm, formset=BasePeriodFormSet, extra=1, can_delete=True
)
TargetFormSet = forms.modelformset_factory(
    ObjectiveTarget, form=ObjectiveTargetForm, extra=2, can_delete=True
)


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
