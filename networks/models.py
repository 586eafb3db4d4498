"""Programme, geography, networks, people and their roles.

Fields, constraints and ``clean()`` only: what the portal does with them lives in
``services.py`` (writes), ``selectors.py`` (reads) and ``rules.py`` (who may do what).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .countries import country_name, validate_time_zone


class User(AbstractUser):
    """A person who signs in. What they may do comes from their :class:`Role` rows."""

    email = models.EmailField(_("e-mail address"), unique=True)
    # The person's own language, for pages and e-mail; blank: not chosen yet (the browser's
    # language then decides pages, the network's the e-mail about it).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Country(models.Model):
    """A country and what differs in it (``countries.py`` reads these settings)."""

    # The currency a municipality's costs are given in, by the country's code: the programme's
    # countries outside the euro, and the euro for every other.
    CURRENCIES = {"NO": "NOK", "GB": "GBP", "SE": "SEK"}

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # The national municipality code ("kommunenummer", "DICO", "INE", "ISTAT", "GSS"…), and
    # the year of the register's population and area (networks/register.py sets both).
    code_scheme = models.CharField(_("municipality code scheme"), max_length=40, blank=True)
    register_year = models.PositiveSmallIntegerField(
        _("year of the register's figures"), null=True, blank=True
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "The IANA name, such as Europe/Lisbon: its networks' gatherings are shown and "
            "typed in it. Blank: the portal's own."
        ),
    )
    language = models.CharField(
        _("portal language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The portal language closest to the country's own."),
    )
    chief_executive_title = models.CharField(
        _("title of the chief executive"),
        max_length=80,
        blank=True,
        help_text=_("In the country's own language, such as rådmann or segretario comunale."),
    )
    mayor_title = models.CharField(
        _("title of the mayor"),
        max_length=80,
        blank=True,
        help_text=_("In the country's own language, such as ordfører or sindaco."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The country's name in the reader's language."""
        return country_name(self)

    @property
    def currency(self) -> str:
        """The currency its municipalities' costs are given in."""
        return self.CURRENCIES.get(self.code or "", "EUR")


class Region(models.Model):
    """A region of a country, where the DLA process runs: in Norway a county (fylke); in the
    other registers the level closest to it (networks/register_readers.py says which and
    why; the United Kingdom's register holds England's regions only)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="region_code_unique"),
        ]

    def __str__(self):
        return self.name


class PeerGroup(models.Model):
    """Municipalities alike enough to compare fairly (in Norway SSB's KOSTRA groups)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="peer_groups")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["country__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="peergroup_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Municipality(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="municipalities")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    # Eurostat's LAU code, under which European figures come; None where the LAU is not the
    # municipality (Portugal's LAU is the freguesia, a parish of the concelho).
    lau_code = models.CharField(  # noqa: DJ001 (None is "has no LAU code", unlike a code)
        _("LAU code"), max_length=12, null=True, blank=True, db_index=True
    )
    peer_group = models.ForeignKey(
        PeerGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("peer group"),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.region_id and self.country_id and self.region.country_id != self.country_id:
            raise ValidationError({"region": _("The region lies in another country.")})
        if self.peer_group_id and self.country_id and self.peer_group.country_id != self.country_id:
            raise ValidationError({"peer_group": _("The peer group belongs to another country.")})


class MunicipalityCode(models.Model):
    """A code a municipality had, and the years it had it: old series land on the right
    municipality after merges and renumbering. A split old code points at each successor,
    so that a lookup finds several and says it is ambiguous instead of guessing."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=10, db_index=True)
    first_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality code")
        verbose_name_plural = _("municipality codes")
        ordering = ["code", "first_year"]

    def __str__(self):
        return f"{self.code} ({self.first_year or '…'}–{self.last_year or '…'})"


class Programme(models.Model):
    """The EU project that runs the networks, with its fact sheet."""

    acronym = models.CharField(_("acronym"), max_length=32, unique=True)
    full_title = models.CharField(_("full title"), max_length=300)
    funding_programme = models.CharField(_("funding programme"), max_length=300, blank=True)
    theme_identifier = models.CharField(_("theme identifier"), max_length=64, blank=True)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    project_type = models.CharField(_("project type"), max_length=120, blank=True)
    grant_agreement_number = models.CharField(_("grant agreement number"), max_length=32)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    total_cost = models.DecimalField(_("total cost (EUR)"), max_digits=14, decimal_places=2)
    requested_eu_contribution = models.DecimalField(
        _("requested EU contribution (EUR)"), max_digits=14, decimal_places=2
    )
    countries = models.ManyToManyField(
        Country, related_name="programmes", blank=True, verbose_name=_("pilot countries")
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["start_date"]

    def __str__(self):
        return self.acronym

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = _("The end date must come after the start date.")
        if (
            self.total_cost is not None
            and self.requested_eu_contribution is not None
            and self.requested_eu_contribution > self.total_cost
        ):
            errors["requested_eu_contribution"] = _(
                "The EU contribution cannot exceed the total cost."
            )
        if errors:
            raise ValidationError(errors)


class ProgrammeObjective(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("objective"))

    class Meta:
        verbose_name = _("programme objective")
        verbose_name_plural = _("programme objectives")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="objective_position_unique"
            ),
        ]

    def __str__(self):
        return self.text[:80]


class Network(models.Model):
    """A pilot: about 15 municipalities whose leaders meet four times over 6 to 10 months."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Only these count in the programme's outcome figures (reports/figures.py).
    COUNTED_STATES = (State.RUNNING, State.FINISHED)
    # A draft is seen by its facilitators and administrators only.
    OPEN_STATES = (State.PLANNED, State.RUNNING, State.FINISHED, State.WITHDRAWN)

    class DlaStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        INITIATED = "initiated", _("Initiated")
        STRATEGY_ADOPTED = "strategy_adopted", _("Strategy adopted")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="networks", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="networks", verbose_name=_("region")
    )
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=State.choices,
        default=State.DRAFT,
        help_text=_(
            "A draft is seen by its facilitators only. Only running and finished networks count "
            "in the programme's figures."
        ),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    dla_status = models.CharField(
        _("Digital Local Agenda status"),
        max_length=20,
        choices=DlaStatus.choices,
        default=DlaStatus.NOT_STARTED,
    )
    # The day the network's Digital Local Agenda process was initiated (set by the service
    # that changes the status): a period's report counts it only if it was initiated by the
    # period's end.
    dla_initiated_on = models.DateField(
        _("Digital Local Agenda initiated on"), null=True, blank=True
    )
    language = models.CharField(
        _("working language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="nb",
        help_text=_("The language of the gatherings' agendas, invitations and reminders."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder (days before a gathering)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Invitees get a reminder e-mail this many days before each gathering."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        through="NetworkMembership",
        related_name="networks",
        blank=True,
        verbose_name=_("member municipalities"),
    )
    # The next phase of a finished network points back to it; phase 1 has none.
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_phase",
        verbose_name=_("previous phase"),
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["planned_start", "name"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                Lower("name"),
                name="network_name_unique",
                violation_error_message=_("The programme already has a network of this name."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="network_end_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.planned_start and self.planned_end and self.planned_end <= self.planned_start:
            raise ValidationError(
                {"planned_end": _("The planned end must come after the planned start.")}
            )
        programme = self.programme if self.programme_id else None
        if programme is None or not (self.planned_start and self.planned_end):
            return
        period = {
            "programme": programme.acronym,
            "start": date_format(programme.start_date),
            "end": date_format(programme.end_date),
        }
        errors = {}
        if self.planned_start < programme.start_date:
            errors["planned_start"] = (
                _(
                    "%(programme)s runs from %(start)s to %(end)s: the network cannot start "
                    "before it."
                )
                % period
            )
        if self.planned_end > programme.end_date:
            errors["planned_end"] = (
                _("%(programme)s runs from %(start)s to %(end)s: the network cannot end after it.")
                % period
            )
        if errors:
            raise ValidationError(errors)


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "municipality"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.municipality} in {self.network}"


class MembershipInvitation(models.Model):
    """A network asking a municipality to join. The municipality is not a member (no
    :class:`NetworkMembership`) until its chief executive, or an administrator, accepts."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="membership_invitations"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="membership_invitations"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.INVITED
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="membership_invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_invitations_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "municipality"],
                condition=Q(state="invited"),
                name="membership_invitation_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} invited to {self.network}"


class Role(models.Model):
    """What a person is, and of what: the one source of every permission (see rules.py)."""

    class Kind(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        CHIEF_EXECUTIVE = "chief_executive", _("Chief executive")
        MAYOR = "mayor", _("Mayor")
        MUNICIPAL_STAFF = "municipal_staff", _("Municipal staff")
        PROJECT_OFFICER = "project_officer", _("Project officer")
        COORDINATOR = "coordinator", _("Programme coordinator")

    MUNICIPAL_KINDS = (Kind.CHIEF_EXECUTIVE, Kind.MAYOR, Kind.MUNICIPAL_STAFF)
    LEADER_KINDS = (Kind.CHIEF_EXECUTIVE, Kind.MAYOR)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("network"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("municipality"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("programme"),
    )
    # The networks whose invitations gave a municipal role: it speaks for the municipality in
    # those networks only, so that an invitation through one network never opens another
    # network's pages or drafts. None: given by an administrator, held in every network of
    # the municipality.
    granted_in = models.ManyToManyField(
        Network, blank=True, related_name="granted_roles", verbose_name=_("given in networks")
    )
    title = models.CharField(_("job title"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["kind"]
        constraints = [
            # Each kind has exactly one scope.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="facilitator",
                        network__isnull=False,
                        municipality__isnull=True,
                        programme__isnull=True,
                    )
                    | Q(
                        kind__in=["chief_executive", "mayor", "municipal_staff"],
                        network__isnull=True,
                        municipality__isnull=False,
                        programme__isnull=True,
                    )
                    | Q(
                        kind__in=["project_officer", "coordinator"],
                        network__isnull=True,
                        municipality__isnull=True,
                        programme__isnull=False,
                    )
                ),
                name="role_scope_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "network"],
                condition=Q(network__isnull=False),
                name="role_unique_network",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "municipality"],
                condition=Q(municipality__isnull=False),
                name="role_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "programme"],
                condition=Q(programme__isnull=False),
                name="role_unique_programme",
            ),
            # One chief executive and one mayor per municipality at a time.
            models.UniqueConstraint(
                fields=["municipality", "kind"],
                condition=Q(kind__in=["chief_executive", "mayor"]),
                name="role_one_leader_per_municipality",
                violation_error_message=_("The municipality already has someone in this role."),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} ({self.scope})"

    @property
    def scope(self):
        return self.network or self.municipality or self.programme

    def clean(self):
        scope_field = {
            self.Kind.FACILITATOR: "network",
            self.Kind.PROJECT_OFFICER: "programme",
            self.Kind.COORDINATOR: "programme",
        }.get(self.kind, "municipality")
        for field in ("network", "municipality", "programme"):
            is_set = getattr(self, f"{field}_id") is not None
            label = self._meta.get_field(field).verbose_name
            if field == scope_field and not is_set:
                raise ValidationError({field: _("This role needs a %(field)s.") % {"field": label}})
            if field != scope_field and is_set:
                raise ValidationError(
                    {field: _("This role is not held in a %(field)s.") % {"field": label}}
                )


class Invitation(models.Model):
    """An invitation of a person to a role in a network. It gives nothing until the invitee
    accepts it through the e-mailed link; only then is the :class:`Role` made."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="invitations",
        help_text=_("The network the person was invited to."),
    )
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    kind = models.CharField(_("role"), max_length=20, choices=Role.Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="person_invitations",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("job title"), max_length=120, blank=True)
    language = models.CharField(
        _("language of the e-mail"), max_length=10, choices=settings.LANGUAGES
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    # The role the invitee took on accepting.
    role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    # SHA-256 of the link's secret; the secret itself is only in the e-mail.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per person, role and network: inviting again renews it.
            models.UniqueConstraint(
                Lower("email"),
                "network",
                "kind",
                condition=Q(state="sent"),
                name="invitation_one_open",
                violation_error_message=_("This person already has an open invitation."),
            ),
            models.CheckConstraint(
                condition=Q(kind="facilitator", municipality__isnull=True)
                | Q(
                    kind__in=["chief_executive", "mayor", "municipal_staff"],
                    municipality__isnull=False,
                ),
                name="invitation_scope_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.email}: {self.get_kind_display()} ({self.municipality or self.network})"

    @property
    def current_state(self) -> str:
        """The state as the invitee meets it: a sent invitation past its day has expired."""
        if self.state == self.State.SENT and self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.state

    def get_current_state_display(self) -> str:
        return self.State(self.current_state).label
