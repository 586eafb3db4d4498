"""The community of practice: practices published from action plans and strategies, their
adoptions into other plans, and the experts people can invite as speakers.

Fields and constraints only: publishing, curating, adopting and inviting live in
``services.py``, the library's lists and searches in ``selectors.py``, who may see and do what
in ``rules.py``.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import Theme
from benchmarking.models import Indicator
from networks.models import Municipality
from sessions_app.models import AgendaItem, Gathering
from strategies.models import DlaPriority, Measure, Section, Strategy


class Practice(models.Model):
    """A measure of an action plan (or a section of a strategy) offered to the programme as a
    practice others can learn from and adopt. It is read where its strategy is: outside its
    municipality only once the strategy is shared or adopted (``rules.py``)."""

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")
        MERGED = "merged", _("Merged into another")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="practices")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="practices"
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("measure"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("strategy section"),
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language of the text"), max_length=10, choices=settings.LANGUAGES
    )
    what = models.TextField(_("what was done"))
    why = models.TextField(_("why"), blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=0, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    benefit = models.TextField(_("benefit"), blank=True)
    dla_priorities = models.ManyToManyField(
        DlaPriority, blank=True, related_name="practices", verbose_name=_("DLA priorities")
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("digital maturity theme"),
    )
    # The key figure it moved, and its values before and after, read from the observations
    # when the practice is published (never typed).
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("key figure"),
    )
    before_year = models.PositiveSmallIntegerField(null=True, blank=True)
    before_value = models.FloatField(null=True, blank=True)
    after_year = models.PositiveSmallIntegerField(null=True, blank=True)
    after_value = models.FloatField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Measure.Status.choices, default=Measure.Status.DONE
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices_as_contact",
        verbose_name=_("contact"),
    )
    # Shown only once the contact agreed to be asked.
    contact_agreed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PUBLISHED
    )
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL's text search configuration of ``language`` (e.g. "norwegian") and the
    # document it stems; both written by the services. Unused on SQLite.
    search_config = models.CharField(max_length=20, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-published_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False) | Q(section__isnull=False),
                name="practice_has_a_source",
            ),
            # A measure or a section is published once; publishing again updates it.
            models.UniqueConstraint(
                fields=["measure"], condition=Q(measure__isnull=False), name="practice_measure_once"
            ),
            models.UniqueConstraint(
                fields=["section"], condition=Q(section__isnull=False), name="practice_section_once"
            ),
            models.CheckConstraint(
                condition=~Q(state="merged") | Q(merged_into__isnull=False),
                name="practice_merged_has_target",
            ),
        ]

    def __str__(self):
        return self.title


class Adoption(models.Model):
    """A practice taken up into another action plan: ``measure`` is the new measure it became,
    so the source sees who took it up and the library how it went for them."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="adoptions")
    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="adoption")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="adoptions")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="adoptions"
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-adopted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "strategy"], name="adoption_once_a_plan"),
        ]

    def __str__(self):
        return f"{self.practice_id} → {self.measure_id}"


class ExpertProfile(models.Model):
    """A person who opted in to be found as an expert on named themes, in their languages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    listed = models.BooleanField(
        _("list me as an expert"),
        default=True,
        help_text=_("People in the programme can find you and invite you to speak."),
    )
    summary = models.TextField(_("what I can speak about"), max_length=2000, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="experts", verbose_name=_("digital maturity themes")
    )
    dla_priorities = models.ManyToManyField(
        DlaPriority, blank=True, related_name="experts", verbose_name=_("DLA priorities")
    )
    # Language codes of settings.LANGUAGES the expert speaks in, e.g. ["nb", "en"].
    languages = models.JSONField(_("languages I speak in"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self):
        return str(self.user)


class SpeakerInvitation(models.Model):
    """A facilitator's invitation to an expert, often from another country, to speak at a
    gathering of their network."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATES = (State.SENT, State.ACCEPTED)

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="speaker_invitations"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="speaker_invitations"
    )
    topic = models.CharField(_("topic"), max_length=300)
    message = models.TextField(_("message"), max_length=4000, blank=True)
    # How long the talk is: the agenda item made on acceptance takes it, and the agenda must
    # have room for it (sessions_app's rule for every item).
    duration_minutes = models.PositiveSmallIntegerField(
        _("length of the talk (minutes)"),
        default=45,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("speaker invitation")
        verbose_name_plural = _("speaker invitations")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "expert"],
                condition=Q(state__in=["sent", "accepted"]),
                name="speaker_invited_once",
            ),
        ]

    def __str__(self):
        return f"{self.expert_id} at {self.gathering_id}"
