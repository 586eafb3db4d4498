from itertools import groupby

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.db.models import Case, When
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core.forms import BoundedModelMultipleChoiceField

from .models import Municipality, Network, Role, User


class RegionGroupedIterator(ModelChoiceIterator):
    """Choices grouped under their region's name (the queryset is ordered by region)."""

    def __iter__(self):
        for region, municipalities in groupby(self.queryset, key=lambda m: m.region.name):
            yield region, [self.choice(m) for m in municipalities]


class MunicipalityChoiceField(BoundedModelMultipleChoiceField):
    """Checkboxes grouped by region: a click never drops an earlier choice, as a
    multiple select box would."""

    iterator = RegionGroupedIterator
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


# Sanity bounds for the dates people type (the action plan's too: strategies/services.py). A
# network's period or a gathering further out breaks the calendar arithmetic that follows from
# it (a month after December 9999, a time before year 1 in UTC).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def date_in_range(day) -> None:
    """A form field's validator: the date lies between FIRST_YEAR and LAST_YEAR."""
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Give a date between %(first)s and %(last)s."),
            code="date_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NetworkForm(forms.ModelForm):
    """Create or edit a network and choose its member municipalities."""

    municipalities = MunicipalityChoiceField(
        label=_("Member municipalities"),
        queryset=Municipality.objects.select_related("region").order_by("region__name", "name"),
        required=False,
        help_text=_("The method works best with about 15 municipalities."),
    )

    class Meta:
        model = Network
        fields = [
            "programme",
            "name",
            "region",
            "description",
            "planned_start",
            "planned_end",
            "dla_status",
            "language",
            "reminder_days_before",
        ]
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "planned_start": _("The first gathering is held on or after this day."),
            "planned_end": _("The four gatherings fit in 6 to 10 months."),
        }

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("municipalities", list(self.instance.municipalities.all()))
            # The network's own region first, where its members usually are.
            members = self.fields["municipalities"]
            members.queryset = members.queryset.order_by(
                Case(When(region_id=self.instance.region_id, then=0), default=1),
                "region__name",
                "name",
            )
        self.fields["region"].queryset = self.fields["region"].queryset.select_related("country")
        for name in ("planned_start", "planned_end"):
            self.fields[name].validators.append(date_in_range)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the portal's own messages, on the field
        self.helper.add_input(Submit("submit", submit_label or _("Save")))
        if not self.instance.pk:
            programmes = self.fields["programme"].queryset
            if len(programmes) == 1:
                self.initial.setdefault("programme", programmes[0].pk)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        programme = self.cleaned_data.get("programme")
        if programme is not None:
            others = Network.objects.filter(programme=programme, name__iexact=name)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(
                    _("The programme already has a network called “%(name)s”."),
                    params={"name": name},
                )
        return name

    def clean(self):
        cleaned = super().clean()
        region, chosen = cleaned.get("region"), cleaned.get("municipalities")
        if region is not None and chosen:
            foreign = [m for m in chosen if m.country_id != region.country_id]
            if foreign:
                self.add_error(
                    "municipalities",
                    _("These municipalities lie outside %(country)s: %(names)s.")
                    % {
                        "country": region.country.name,
                        "names": ", ".join(str(m) for m in foreign),
                    },
                )
        return cleaned

    def _get_validation_exclusions(self):
        # The name's uniqueness is checked in clean_name, with a message on the field.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("name")
        return exclusions


class InviteForm(forms.Form):
    """Invite a person into a network: a leader or staff of a member, or a co-facilitator."""

    KIND_CHOICES = [
        (Role.Kind.CHIEF_EXECUTIVE, Role.Kind.CHIEF_EXECUTIVE.label),
        (Role.Kind.MAYOR, Role.Kind.MAYOR.label),
        (Role.Kind.MUNICIPAL_STAFF, Role.Kind.MUNICIPAL_STAFF.label),
        (Role.Kind.FACILITATOR, _("Facilitator of this network")),
    ]

    # As long as the account's address may be (Django's form field alone takes up to 320).
    email = forms.EmailField(
        label=_("E-mail address"), max_length=User._meta.get_field("email").max_length
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    kind = forms.ChoiceField(label=_("Role"), choices=KIND_CHOICES)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Required for chief executives, mayors and staff."),
    )
    title = forms.CharField(
        label=_("Job title"),
        max_length=120,
        required=False,
        help_text=_("For example IT manager or head of services."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["municipality"].queryset = network.municipalities.order_by("name")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Send invitation")))

    def clean(self):
        cleaned = super().clean()
        kind, municipality = cleaned.get("kind"), cleaned.get("municipality")
        if kind in Role.MUNICIPAL_KINDS and municipality is None:
            self.add_error("municipality", _("Choose the municipality this person works for."))
        if kind == Role.Kind.FACILITATOR and municipality is not None:
            self.add_error(
                "municipality", _("A facilitator serves the network, not one municipality.")
            )
        email = cleaned.get("email")
        if email and kind and "municipality" not in self.errors:
            scope = (
                {"network": self.network}
                if kind == Role.Kind.FACILITATOR
                else {"municipality": municipality}
            )
            existing = Role.objects.filter(
                user__email__iexact=email, kind=kind, **scope
            ).select_related("user").first()
            # Someone who never set a password may be invited again (the link expires).
            if existing is not None and existing.user.has_usable_password():
                self.add_error("email", _("This person already has this role."))
            elif kind in Role.LEADER_KINDS:
                holder = (
                    Role.objects.filter(municipality=municipality, kind=kind)
                    .exclude(user__email__iexact=email)
                    .select_related("user")
                    .first()
                )
                if holder is not None:
                    self.add_error(
                        "municipality",
                        _(
                            "%(municipality)s already has a %(role)s in the portal: %(name)s. "
                            "An administrator ends that role first."
                        )
                        % {
                            "municipality": municipality.name,
                            "role": Role.Kind(kind).label.lower(),
                            "name": holder.user.get_full_name() or holder.user.username,
                        },
                    )
        return cleaned

