"""Forms of the community of practice."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Case, When
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.forms import DateInput, MunicipalityChoiceField, date_in_range
from networks.models import Municipality, Network, Region

# --- Next phase -------------------------------------------------------------------------------


class NextPhaseForm(forms.Form):
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

    @cached_property
    def picker_regions(self) -> list[Region]:
        """The regions the member picker filters by: those of the municipalities offered."""
        offered = self.fields["municipalities"].queryset
        return list(
            Region.objects.filter(municipalities__in=offered.values("pk"))
            .distinct()
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The planned end must come after the planned start."))
        return cleaned
