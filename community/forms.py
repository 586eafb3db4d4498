"""Forms of the community of practice: publishing, finding and adopting practices, a
network's next phase, and the experts' profiles and invitations. They parse and show; the
services decide and refuse."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.db.models import Case, Q, When
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessment.models import Theme
from benchmarking.models import Indicator
from cemsdi_portal.core.forms import BoundedModelMultipleChoiceField
from networks.forms import DateInput, MemberPickerMixin, MunicipalityChoiceField, date_in_range
from networks.models import Country, Municipality, Network, Role
from networks.models import User as Person
from strategies.forms import active_themes, mark_written
from strategies.models import DlaPriority, Measure, Strategy

from .models import ExpertProfile, Practice, SpeakerInvitation
from .rules import practices_visible_to
from .selectors import POPULATION_BANDS, expert_theme_choices


class NextPhaseForm(MemberPickerMixin, forms.Form):
    """A finished network's next phase: its name and period, the members that return and the
    new municipalities invited."""

    name = forms.CharField(label=_("Name"), max_length=200)
    planned_start = forms.DateField(
        label=_("Planned start"),
        widget=DateInput(),
        validators=[date_in_range],
        help_text=_("The first gathering is held on or after this day."),
    )
    planned_end = forms.DateField(
        label=_("Planned end"),
        widget=DateInput(),
        validators=[date_in_range],
        help_text=_("The four gatherings fit in 6 to 10 months."),
    )
    returning = forms.ModelMultipleChoiceField(
        label=_("Returning municipalities"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Each is invited: it joins when its chief executive accepts, and its new strategy "
            "starts from the one it adopted."
        ),
    )
    # Named as the network form's field, so that the member picker works on it.
    municipalities = MunicipalityChoiceField(
        label=_("New municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Invited too: each joins when its chief executive accepts."),
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        members = network.municipalities.order_by("name")
        self.fields["returning"].queryset = members
        self.fields["municipalities"].queryset = (
            Municipality.objects.filter(country_id=network.region.country_id)
            .exclude(pk__in=members.values("pk"))
            .select_related("region")
            .order_by(
                Case(When(region_id=network.region_id, then=0), default=1),
                "region__name",
                "name",
            )
        )
        self.initial.setdefault("returning", [m.pk for m in members])
        self.initial.setdefault(
            "name",
            gettext("%(name)s, phase %(phase)d")
            % {"name": network.name, "phase": network.phase + 1},
        )
        start = network.planned_end + relativedelta(days=1)
        end = start + (network.planned_end - network.planned_start)
        if end <= network.programme.end_date:
            self.initial.setdefault("planned_start", start)
            self.initial.setdefault("planned_end", end)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "name",
            "planned_start",
            "planned_end",
            "returning",
            HTML('{% include "networks/_member_picker.html" %}'),
            "municipalities",
        )
        self.helper.add_input(Submit("submit", _("Start the next phase")))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The planned end must come after the planned start."))
        return cleaned


# --- The library of practices -----------------------------------------------------------------


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
        label=capfirst(_("DLA priority")),  # the model's lower-case name
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


# --- Experts and speaker invitations ----------------------------------------------------------


class NamedChoiceField(forms.ModelChoiceField):
    """Choices labelled with the object's ``name`` in the reader's language."""

    def label_from_instance(self, obj):
        return obj.name


class NamedMultipleChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DlaPriorityMultipleChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ExpertProfileForm(forms.Form):
    listed = forms.BooleanField(
        label=capfirst(ExpertProfile._meta.get_field("listed").verbose_name),
        help_text=ExpertProfile._meta.get_field("listed").help_text,
        required=False,
        initial=True,
    )
    themes = NamedMultipleChoiceField(
        label=_("Themes you know well"),
        queryset=expert_theme_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The themes of the digital maturity self-assessment."),
        error_messages={
            "invalid_choice": _("Choose themes of the self-assessment's questionnaire only."),
        },
    )
    dla_priorities = DlaPriorityMultipleChoiceField(
        label=_("DLA priorities you know well"),
        queryset=DlaPriority.objects.order_by("position", "code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose DLA priorities from the list only.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one language you speak in."),
            "invalid_choice": _("Choose languages from the list only."),
        },
    )
    summary = forms.CharField(
        label=_("What you can speak about"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        help_text=_("A few lines in any language: what you did, what others can ask you."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per form, so that a questionnaire edited since start-up is offered.
        self.fields["themes"].queryset = expert_theme_choices()


class ExpertFilterForm(forms.Form):
    """The directory's filters; a value that is not offered is ignored by the view."""

    theme = NamedChoiceField(
        label=_("Theme"), queryset=expert_theme_choices(), required=False, empty_label=_("Any")
    )
    dla_priority = forms.ModelChoiceField(
        label=capfirst(_("DLA priority")),  # the model's lower-case name
        queryset=DlaPriority.objects.order_by("position", "code"),
        required=False,
        empty_label=_("Any"),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *settings.LANGUAGES]
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name"), required=False,
        empty_label=_("Any"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = expert_theme_choices()
        self.fields["country"].label_from_instance = lambda country: country.display_name


class SpeakerInviteForm(forms.Form):
    gathering = forms.ModelChoiceField(
        label=_("Gathering"),
        queryset=None,
        error_messages={
            "invalid_choice": _(
                "Choose one of the gatherings you facilitate that has not begun and is not "
                "cancelled."
            ),
            "required": _("Choose the gathering."),
        },
    )
    topic = forms.CharField(
        label=capfirst(SpeakerInvitation._meta.get_field("topic").verbose_name),
        max_length=300,
        error_messages={"required": _("Say what the talk is about.")},
    )
    duration_minutes = forms.IntegerField(
        label=capfirst(SpeakerInvitation._meta.get_field("duration_minutes").verbose_name),
        min_value=5,
        max_value=600,
        initial=45,
    )
    message = forms.CharField(
        label=_("Message to the expert"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args, gatherings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gathering"].queryset = gatherings
        self.fields["gathering"].label_from_instance = lambda g: f"{g.network.name}: {g}"
