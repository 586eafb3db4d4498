from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import Theme
from benchmarking.models import Indicator
from cemsdi_portal.core.forms import BoundedModelMultipleChoiceField
from networks.models import Country, Role
from networks.models import User as Person
from strategies.forms import active_themes, mark_written
from strategies.models import DlaPriority, Measure, Strategy

from .models import Practice
from .rules import practices_visible_to
from .selectors import POPULATION_BANDS


class PracticeForm(forms.Form):
    """Publish a measure or section as a practice (or edit it). The key figure's values are
    not asked: they are read from the data."""

    title = forms.CharField(label=_("Title"), max_length=200)
    what = forms.CharField(
        label=_("What was done"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In a few sentences, so that another municipality can do the same."),
    )
    why = forms.CharField(
        label=_("Why"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cost = forms.DecimalField(
        label=_("Cost"), required=False, min_value=0, max_digits=14, decimal_places=0
    )
    benefit = forms.CharField(
        label=_("Benefit"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dla_priorities = BoundedModelMultipleChoiceField(
        label=_("Digital Local Agenda priorities it serves"),
        queryset=DlaPriority.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = forms.ModelChoiceField(
        label=_("Digital maturity theme"), queryset=Theme.objects.none(), required=False
    )
    indicator = forms.ModelChoiceField(
        label=_("Key figure it moved"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("Its values before and after are read from your municipality's key figures."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_(
            "Someone of your municipality others may ask. Another person is shown only once "
            "they have agreed, on a page of their own."
        ),
    )
    contact_agrees = forms.BooleanField(
        label=_("I am the contact and agree to be asked about this practice"), required=False
    )

    def __init__(
        self,
        *args,
        strategy: Strategy,
        from_measure: bool,
        currency: str,
        indicator_id: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["cost"].help_text = _("In %(currency)s, your country's currency.") % {
            "currency": currency
        }
        self.fields["theme"].queryset = active_themes()
        # The key figures the municipality has values of, and the source's own in any case.
        self.fields["indicator"].queryset = Indicator.objects.filter(
            Q(pk__in=strategy.municipality.observations.values("indicator_id")) | Q(pk=indicator_id)
        )
        self.fields["contact"].queryset = (
            Person.objects.filter(
                is_active=True,
                roles__municipality_id=strategy.municipality_id,
                roles__kind__in=Role.MUNICIPAL_KINDS,
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if from_measure:
            del self.fields["status"]  # the measure's own
        mark_written(self, strategy.language, ("title", "what", "why", "benefit"))


class LibraryFilterForm(forms.Form):
    """The library's words and filters; a bad value is dropped, never an error page."""

    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    priority = forms.ModelChoiceField(
        label=_("DLA priority"),
        queryset=DlaPriority.objects.all(),
        required=False,
        empty_label=_("Any"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("Any")
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("name"),
        required=False,
        empty_label=_("Any"),
    )
    band = forms.ChoiceField(
        label=_("Population"),
        required=False,
        choices=[
            ("", _("Any")),
            *((key, label) for key, (label, _lo, _hi) in POPULATION_BANDS.items()),
        ],
    )
    indicator = forms.ModelChoiceField(
        label=_("Key figure"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    moved = forms.BooleanField(label=_("Only those that moved the figure"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = active_themes()
        # Only the key figures of practices the reader sees: the catalogue holds hundreds.
        self.fields["indicator"].queryset = Indicator.objects.filter(
            pk__in=practices_visible_to(user).values("indicator_id")
        ).order_by("code")


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Practice.objects.none(),
        help_text=_("The practice this one repeats: its page and adoptions go there."),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets
        self.fields["into"].label_from_instance = lambda p: f"{p.title} ({p.municipality.name})"


class AdoptForm(forms.Form):
    """Which action plan takes the practice up, and the target of its key figure."""

    strategy = forms.ModelChoiceField(label=_("Action plan"), queryset=Strategy.objects.none())
    target_year = forms.IntegerField(label=_("Target year"), required=False)
    target_value = forms.FloatField(
        label=_("Target value"),
        required=False,
        help_text=_(
            "Suggested from how far their figure moved. Change it to your own aim: the "
            "measure starts from your own figures."
        ),
    )

    def __init__(self, *args, plans, tracks_figure: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # ``plans``: a queryset (the rule's twin), and its rows read once here.
        self.fields["strategy"].queryset = plans
        self.fields["strategy"].label_from_instance = lambda s: (
            f"{s.municipality.name} · {s.network.name}"
        )
        shown = list(plans)
        if len(shown) == 1:
            self.fields["strategy"].initial = shown[0].pk
            self.fields["strategy"].widget = forms.HiddenInput()
        if not tracks_figure:
            del self.fields["target_year"]
            del self.fields["target_value"]
