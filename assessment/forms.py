from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.models import Gathering

from .models import Questionnaire


class RoundOpenForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.filter(active=True)
    )
    gathering = forms.ModelChoiceField(
        label=_("Gathering"),
        queryset=Gathering.objects.none(),
        help_text=_("Gathering 1 for the baseline, gathering 4 for the movement."),
    )
    year = forms.IntegerField(
        label=_("Year of the key figures"),
        min_value=2000,
        max_value=2100,
        help_text=_(
            "The scores become key figures of this year. Key figures are yearly: a network "
            "has one round of a questionnaire per year."
        ),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gathering"].queryset = Gathering.objects.filter(
            network=network, cancelled_at__isnull=True
        ).order_by("number")
        questionnaires = list(self.fields["questionnaire"].queryset)
        if len(questionnaires) == 1:
            self.fields["questionnaire"].initial = questionnaires[0].pk


class AnswerForm(forms.Form):
    """One radio group per question (``q<id>``), none required: a draft may be partly
    answered; submitting asks the service, which names the missing ones."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, layout, levels, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(level.pk, level.label) for level in levels]
        self.groups = []
        for group in layout:
            names = []
            for question in group.questions:
                name = f"q{question.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=choices,
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    disabled=disabled,
                )
                names.append(name)
            self.groups.append((group.theme, [self[name] for name in names]))

    def answers(self) -> dict[int, int]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and value not in (None, "")
        }
