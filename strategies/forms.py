from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessment.models import Theme
from benchmarking.models import Indicator
from cemsdi_portal.core.content_lang import differs
from cemsdi_portal.core.forms import BoundedModelMultipleChoiceField
from networks.forms import DateInput
from networks.models import User as Person

from .models import DlaPriority, Measure, Strategy
from .rules import EDITOR_KINDS


class SectionForm(forms.Form):
    """A section's text. ``version`` is the version the editor loaded: the save is refused
    as a conflict when someone saved since."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists with - or 1., headings with ##, links as "
            "[text](https://…). HTML is shown as text."
        ),
    )
    dla_priorities = BoundedModelMultipleChoiceField(
        label=_("Digital Local Agenda priorities this section addresses"),
        queryset=DlaPriority.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = forms.ModelChoiceField(
        label=_("Digital maturity theme this section answers"),
        queryset=Theme.objects.none(),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, own_section: bool, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not own_section:
            del self.fields["title"]  # the template's sections keep their titles
        self.fields["theme"].queryset = active_themes()
        mark_written(self, language, ("title", "body"))


def mark_written(form, language: str, names) -> None:
    """The fields people write the strategy's text in say its language (``lang`` on the
    input) when it is not the page's: spelling and screen readers follow it."""
    if differs(language):
        for name in names:
            if name in form.fields:
                form.fields[name].widget.attrs["lang"] = language


def active_themes():
    """The themes a section or measure may point to: those of active questionnaires."""
    return Theme.objects.filter(questionnaire__active=True).select_related("questionnaire")


class SectionAddForm(forms.Form):
    title = forms.CharField(label=_("Title of the new section"), max_length=200)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=settings.LANGUAGES,
        help_text=_(
            "The language the strategy's sections and action plan are written in. Pages in "
            "another language mark the text with it, so that screen readers read it right."
        ),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Strategy.Status.choices)
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when the council has adopted the strategy."),
    )
    decision_reference = forms.CharField(
        label=_("Decision reference"),
        max_length=200,
        required=False,
        help_text=_("The council's case or decision number, e.g. PS 45/11."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            choice for choice in Strategy.Status.choices if choice[0] != strategy.status
        ]


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "section",
            "theme",
            "owner",
            "starts_on",
            "due_on",
            "status",
            "progress",
            "cost_estimate",
            "expected_benefit",
            "indicator",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
        ]
        widgets = {
            "starts_on": DateInput(),
            "due_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_benefit": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "baseline_year": _(
                "Leave the baseline empty to start from the strategy's frozen key figures."
            ),
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = strategy.sections.all()
        self.fields["theme"].queryset = active_themes()
        self.fields["theme"].label = _("Digital maturity theme this measure answers")
        self.fields["owner"].queryset = Person.objects.filter(
            roles__municipality_id=strategy.municipality_id,
            roles__kind__in=EDITOR_KINDS,  # the people who update the action plan
        ).distinct()
        self.fields["indicator"].queryset = Indicator.objects.filter(
            pk__in=strategy.municipality.observations.values("indicator_id")
        )
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100, "step": 5})
        # In the municipality's own currency, not the model's Norwegian default label.
        self.fields["cost_estimate"].label = _("Cost estimate (%(currency)s)") % {
            "currency": strategy.municipality.country.currency
        }
        mark_written(self, strategy.language, ("title", "description", "expected_benefit"))

    def clean(self):
        # On the field, before the model's check constraint says the same on the whole form.
        data = super().clean()
        starts, due = data.get("starts_on"), data.get("due_on")
        if starts and due and due < starts:
            self.add_error("due_on", _("The due date is before the start."))
        return data


class PlanFilterForm(forms.Form):
    SORTS = [
        ("due", _("Due date")),
        ("start", _("Start")),
        ("title", _("Title")),
        ("status", _("Status")),
        ("progress", _("Progress")),
    ]

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Measure.Status.choices]
    )
    section = forms.TypedChoiceField(label=_("Section"), required=False, coerce=int)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, sections, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("Any"))] + [(s.pk, s.title) for s in sections]
        self.fields["owner"].choices = [("", _("Anyone"))] + [(o.pk, str(o)) for o in owners]
