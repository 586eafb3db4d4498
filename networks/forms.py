from itertools import groupby

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Case, Q, When
from django.forms.models import ModelChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core.bounds import date_out_of_bounds, year_in_bounds
from cemsdi_portal.core.forms import BoundedModelMultipleChoiceField

from . import rules
from .invite_file import MAX_BYTES
from .models import MembershipInvitation, Municipality, Network, Region, Role, User


class RegionGroupedIterator(ModelChoiceIterator):
    """Choices grouped under their region's name (the queryset is ordered by region)."""

    def __iter__(self):
        for region, municipalities in groupby(self.queryset, key=lambda m: m.region.name):
            yield region, [self.choice(m) for m in municipalities]


class MunicipalityCheckboxes(forms.CheckboxSelectMultiple):
    """Each checkbox carries its municipality's region (``data-region``), for the picker's
    region filter (static/js/member-picker.js); without a script all of them show."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        municipality = getattr(value, "instance", None)
        if municipality is not None:
            option["attrs"]["data-region"] = municipality.region_id
        return option


class MunicipalityChoiceField(BoundedModelMultipleChoiceField):
    """Checkboxes grouped by region: a click never drops an earlier choice, as a
    multiple select box would."""

    iterator = RegionGroupedIterator
    widget = MunicipalityCheckboxes
    invited_ids: frozenset[int] = frozenset()  # asked to join, not yet members

    def label_from_instance(self, obj):
        label = f"{obj.name} ({obj.code})"
        if obj.pk in self.invited_ids:
            return _("%(municipality)s, invited") % {"municipality": label}
        return label


def date_in_range(day) -> None:
    """A form field's validator: the date lies within ``core.bounds``."""
    if day is not None and not year_in_bounds(day.year):
        raise forms.ValidationError(date_out_of_bounds(), code="date_range")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MemberPickerMixin:
    """A form with a ``municipalities`` field shown by the member picker
    (``networks/_member_picker.html``)."""

    @cached_property
    def picker_regions(self) -> list[Region]:
        """The regions the member picker filters by: those of the municipalities offered."""
        offered = self.fields["municipalities"].queryset
        return list(
            Region.objects.filter(municipalities__in=offered.values("pk"))
            .distinct()
            .order_by("name")
        )


class NetworkForm(MemberPickerMixin, forms.ModelForm):
    """Create or edit a network and choose its member municipalities."""

    municipalities = MunicipalityChoiceField(
        label=_("Member municipalities"),
        queryset=Municipality.objects.select_related("region").order_by("region__name", "name"),
        required=False,
        help_text=_(
            "The method works best with about 15 municipalities. A municipality you add is "
            "invited: it becomes a member when its chief executive accepts."
        ),
    )

    class Meta:
        model = Network
        fields = [
            "programme",
            "name",
            "region",
            "state",
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

    # The moves a network's state may make; a draft is opened by moving it to planned.
    STATE_MOVES = {
        Network.State.DRAFT: {Network.State.PLANNED, Network.State.WITHDRAWN},
        Network.State.PLANNED: {
            Network.State.DRAFT,
            Network.State.RUNNING,
            Network.State.WITHDRAWN,
        },
        Network.State.RUNNING: {Network.State.FINISHED, Network.State.WITHDRAWN},
        Network.State.FINISHED: {Network.State.RUNNING},
        Network.State.WITHDRAWN: {Network.State.PLANNED},
    }

    def __init__(self, *args, user, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._limit_programmes()
        self._limit_states()
        if self.instance.pk:
            invited = frozenset(
                self.instance.membership_invitations.filter(
                    state=MembershipInvitation.State.INVITED
                ).values_list("municipality_id", flat=True)
            )
            self.fields["municipalities"].invited_ids = invited
            self.initial.setdefault(
                "municipalities",
                list(self.instance.memberships.values_list("municipality_id", flat=True))
                + list(invited),
            )
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
        # The member picker's search and region filter, shown by its script, above the boxes.
        layout = Layout()
        for name in self.fields:
            if name == "municipalities":
                layout.append(HTML('{% include "networks/_member_picker.html" %}'))
            layout.append(name)
        self.helper.layout = layout
        self.helper.add_input(Submit("submit", submit_label or _("Save")))
        if not self.instance.pk:
            programmes = self.fields["programme"].queryset
            if len(programmes) == 1:
                self.initial.setdefault("programme", programmes[0].pk)

    def _limit_programmes(self):
        """A facilitator chooses among the programmes they work in, and only for a new
        network: moving a network into another programme is for administrators."""
        field = self.fields["programme"]
        if self.user.has_perm("networks.change_network_programme"):
            self.fields["municipalities"].help_text = _(
                "The method works best with about 15 municipalities."
            )
            return
        field.queryset = field.queryset.filter(
            networks__in=rules.networks_changeable_by(self.user)
        ).distinct()
        if self.instance.pk:
            field.disabled = True
            field.help_text = _("Only an administrator moves a network into another programme.")

    def _limit_states(self):
        field = self.fields["state"]
        current = self.instance.state if self.instance.pk else Network.State.DRAFT
        allowed = {current} | self.STATE_MOVES.get(current, set())
        if not self.instance.pk:
            allowed = {Network.State.DRAFT, Network.State.PLANNED}
        field.choices = [(v, label) for v, label in Network.State.choices if v in allowed]

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
                        "country": region.country.display_name,
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
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, network: Network, inviter: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.inviter = inviter
        # Members, and municipalities invited to join (whose leaders may be invited, so that
        # the chief executive can accept the network's invitation).
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(
                Q(memberships__network=network)
                | Q(
                    membership_invitations__network=network,
                    membership_invitations__state=MembershipInvitation.State.INVITED,
                )
            )
            .distinct()
            .order_by("name")
        )
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
        if (
            email
            and kind in Role.MUNICIPAL_KINDS
            and email.strip().lower() == (self.inviter.email.strip().lower())
        ):
            self.add_error("email", _("You cannot invite yourself into a municipality's role."))
        elif email and kind and "municipality" not in self.errors:
            if kind == Role.Kind.FACILITATOR:
                existing = Role.objects.filter(network=self.network)
            else:
                existing = Role.objects.filter(municipality=municipality).filter(
                    Q(granted_in__isnull=True) | Q(granted_in=self.network)
                )
            if existing.filter(user__email__iexact=email, kind=kind).exists():
                self.add_error("email", _("This person already has this role."))
            elif (
                kind in Role.MUNICIPAL_KINDS
                and kind not in Role.LEADER_KINDS
                and not (self.network.memberships.filter(municipality=municipality).exists())
            ):
                self.add_error(
                    "municipality",
                    _(
                        "%(municipality)s has not accepted the network's invitation yet: "
                        "invite its chief executive, who accepts it, first."
                    )
                    % {"municipality": municipality.name},
                )
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


class AcceptWithPasswordForm(SetPasswordForm):
    """Accepting an invitation without an account: Django's own password rules and
    messages, checked against the account the invitation will make (not yet saved)."""

    def __init__(self, *args, invitation, **kwargs):
        person = User(
            username=invitation.email,
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
        super().__init__(person, *args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def save(self, commit=True):
        raise NotImplementedError("services.invitation_accept_as_new_person makes the account")


class InviteFileForm(forms.Form):
    """A CSV file of the people to invite. Nothing is sent on upload: the portal shows what
    each row would do and waits for a confirmation."""

    file = forms.FileField(
        label=_("CSV file"),
        allow_empty_file=True,  # refused in clean_file, with the file's name
        error_messages={"required": _("Choose a CSV file of the people to invite.")},
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "One person a line under a header row: name;email;role;municipality_code and "
            "optionally title, separated by ; or ,. Roles: chief_executive, mayor or staff. "
            "At most %(kb)d KB."
        ) % {"kb": MAX_BYTES // 1024}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(
                _("%(file)s is empty: choose a file that lists the people to invite.")
                % {"file": upload.name}
            )
        # The preview checks the size too; checking here spares reading a huge upload.
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("%(file)s is larger than the limit of %(limit)d KB.")
                % {"file": upload.name, "limit": MAX_BYTES // 1024}
            )
        return upload
