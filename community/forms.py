"""Forms of the community of practice: parse and show; the services decide and refuse."""

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core.forms import BoundedModelMultipleChoiceField
from networks.models import Country
from strategies.models import DlaPriority

from .models import ExpertProfile, SpeakerInvitation
from .selectors import expert_theme_choices


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
        label=_("DLA priority"),
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
