"""eKommune strategies, their sections and revisions, and the action plans that carry them out.

Fields, constraints and ``clean()`` only: starting, saving, sharing and adopting live in
``services.py``, progress and overviews in ``selectors.py``, who may do what in ``rules.py``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from benchmarking.models import Indicator
from cemsdi_portal.core.i18n import in_language
from networks.models import Municipality, Network


class DlaPriority(models.Model):
    """A thematic priority of the Digital Local Agenda (reference data an administrator edits).

    The DLA Manifesto (Hämeenlinna, 2007) names 5 thematic priorities and 28 goals; their exact
    wording is not at hand, so the seeded rows say where they come from in ``source``.
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    name_it = models.CharField(_("name (Italian)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("DLA priority")
        verbose_name_plural = _("DLA priorities")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return in_language(self, "name")


class DlaGoal(models.Model):
    """One of a priority's goals."""

    priority = models.ForeignKey(DlaPriority, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=10, unique=True)
    text_en = models.CharField(_("goal (English)"), max_length=400)
    text_nb = models.CharField(_("goal (Norwegian)"), max_length=400, blank=True)
    text_pt = models.CharField(_("goal (Portuguese)"), max_length=400, blank=True)
    text_es = models.CharField(_("goal (Spanish)"), max_length=400, blank=True)
    text_it = models.CharField(_("goal (Italian)"), max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("DLA goal")
        verbose_name_plural = _("DLA goals")
        ordering = ["priority__position", "position", "code"]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return in_language(self, "text")


class Strategy(models.Model):
    """A municipality's eKommune strategy, made in one network."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SHARED = "shared", _("Shared with the network")
        ADOPTED = "adopted", _("Adopted")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="strategies")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="strategies"
    )
    title = models.CharField(_("title"), max_length=200)
    # The language its people write it in (its sections and measures too): the network's
    # working language when it starts; pages of another language mark the text with it.
    language = models.CharField(
        _("language of the text"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language the strategy and its action plan are written in."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=200,
        blank=True,
        help_text=_("The council's case or decision number, e.g. PS 45/11."),
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    # In a network's next phase, the strategy the municipality adopted in the previous one,
    # which this one started from.
    started_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continued_in"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["network", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "municipality"], name="strategy_one_per_network"
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(adopted_on__isnull=False),
                name="strategy_adopted_has_date",
            ),
        ]

    def __str__(self):
        return self.title


class StatusChange(models.Model):
    """Each move between draft, shared and adopted, back and forth."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Strategy.Status.choices)
    to_status = models.CharField(max_length=10, choices=Strategy.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # An adoption keeps its date and decision here, also after the strategy moves back.
    adopted_on = models.DateField(null=True, blank=True)
    decision_reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Section(models.Model):
    """A section of the strategy. ``version`` counts saves: a save made on an older version
    than the stored one is a conflict (see ``services.section_save``)."""

    class Kind(models.TextChoices):
        CLEAR_STRATEGY = "clear_strategy", _("A clear strategy: why cooperate?")
        GOVERNANCE = "governance", _("The governance model: how to cooperate?")
        BENEFITS = "benefits", _("Benefits realisation")
        INNOVATION = "innovation", _("Innovation and new services")
        COMPETENCE = "competence", _("Competence and capacity in the leadership")
        SECURITY = "security", _("Information security")
        OWN = "own", _("The municipality's own section")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"))
    body = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(default=0)
    dla_priorities = models.ManyToManyField(
        DlaPriority, blank=True, related_name="sections", verbose_name=_("DLA priorities")
    )
    theme = models.ForeignKey(
        "assessment.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections",
        verbose_name=_("digital maturity theme"),
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "kind"],
                condition=~Q(kind="own"),
                name="section_template_kind_once",
            ),
            # Two adds of the same title at the same moment make one section.
            models.UniqueConstraint("strategy", Lower("title"), name="section_title_once"),
        ]

    def __str__(self):
        return self.title


class SectionRevision(models.Model):
    """Every save of a section: who, when and the whole text, so any revision can come back."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    # The first revision of a section copied from the previous phase's adopted strategy: the
    # revision it was copied from (its history stays reachable through it).
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["section", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="revision_version_unique"),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class SectionComment(models.Model):
    """A facilitator's comment on a shared section, or a reply in its thread (``parent``, one
    level deep). A thread belongs to the section, not to a revision, so it stays through every
    save; the top-level comment is marked resolved (and reopened) for the whole thread."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Only a thread's first comment is resolved; a reply follows its thread.
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True),
                name="comment_reply_not_resolved",
            ),
        ]

    def __str__(self):
        return self.body[:60]

    @property
    def strategy(self):
        """The strategy whose rules the comment follows (for ``part_or_404``)."""
        return self.section.strategy


class SectionPresence(models.Model):
    """Who has a section open for editing, refreshed by the editor page while it is open."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="presence_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} on {self.section_id}"


class BaselineFigure(models.Model):
    """The municipality's key figures and position when the strategy started, frozen."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="baseline")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    comparison = models.CharField(max_length=20)  # benchmarking.selectors.Comparison
    year = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True)
    mean = models.FloatField(null=True)
    median = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    count = models.PositiveIntegerField(default=0)
    percentile = models.FloatField(null=True)

    class Meta:
        ordering = ["strategy", "indicator", "comparison"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "indicator", "comparison"], name="baseline_unique"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.comparison} {self.year}: {self.value}"


class Measure(models.Model):
    """A measure of the action plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.PLANNED, Status.UNDER_WAY, Status.DELAYED)

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("strategy section"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        "assessment.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("digital maturity theme"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("owner"),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    cost_estimate = models.DecimalField(
        _("cost estimate (NOK)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key figure"),
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    # A measure not done in the previous phase's plan, carried over into this one.
    carried_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["strategy", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="measure_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="measure_due_after_start",
            ),
            # A double-posted form adds one measure.
            models.UniqueConstraint("strategy", Lower("title"), name="measure_title_once"),
        ]

    def __str__(self):
        return self.title


class DigestSent(models.Model):
    """The weekly digest a person got, so that a redelivered task sends it only once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # ISO year and week, e.g. 2011-W45
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_once_a_week"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.week}"
