"""Gatherings (samlinger), their agendas, materials, attendance and the work in between.

Fields, constraints and ``clean()`` only; the rules of scheduling live in ``services.py``,
derived figures (hours, completion, who came) in ``selectors.py``.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Municipality, Network

from . import hooks

GATHERINGS_PER_NETWORK = 4


class Gathering(models.Model):
    """One of a network's four gatherings. Its agenda flows from ``starts_at``."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="gatherings")
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(GATHERINGS_PER_NETWORK)]
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # iCalendar UID
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    summary = models.TextField(_("summary (minutes)"), blank=True)
    summary_published_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["network", "number"]
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="gathering_number_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=GATHERINGS_PER_NETWORK),
                name="gathering_number_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="gathering_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def attendance_opens_on(self) -> date:
        """Attendance is recorded from the gathering's day on (the local date it starts)."""
        return timezone.localdate(self.starts_at)

    @property
    def is_held(self) -> bool:
        """Held once its day has come and its attendance is recorded: the one definition that
        pages and the programme's figures count by. Attendance recorded ahead of the day
        (which the portal once allowed) does not make a gathering held."""
        return (
            self.attendance_recorded_at is not None
            and self.attendance_opens_on <= timezone.localdate()
        )

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


class GatheringUpdate(models.Model):
    """A change the invitees are told of by e-mail (an iTIP message): the gathering moved
    (METHOD:REQUEST) or was cancelled (METHOD:CANCEL), at the gathering's ``sequence`` then.
    Made only when the invitations had gone out; holds what the gathering was before."""

    class Method(models.TextChoices):
        REQUEST = "REQUEST", _("moved")
        CANCEL = "CANCEL", _("cancelled")

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="updates")
    sequence = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)
    previous_starts_at = models.DateTimeField()
    previous_ends_at = models.DateTimeField()
    previous_venue = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gathering update")
        verbose_name_plural = _("gathering updates")
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "sequence"], name="gathering_update_sequence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.gathering} ({self.method} {self.sequence})"


class GatheringUpdateSent(models.Model):
    """The claim that one person was e-mailed one update: the unique constraint sends each
    update to each person once, however often the task runs (``core.mail.RowClaim``)."""

    update = models.ForeignKey(GatheringUpdate, on_delete=models.CASCADE, related_name="sent")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gathering_updates"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gathering update sent")
        verbose_name_plural = _("gathering updates sent")
        constraints = [
            models.UniqueConstraint(fields=["update", "person"], name="gathering_update_sent_once"),
        ]

    def __str__(self):
        return f"{self.update} to {self.person}"


class AgendaItem(models.Model):
    """A block of the agenda. Start times follow from the order and the durations."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("Lecture")
        PROCESS_WORK = "process_work", _("Process work")
        WORKSHOP = "workshop", _("Workshop")
        PLENARY = "plenary", _("Plenary")
        BREAK = "break", _("Break")

    TRAINING_KINDS = (Kind.LECTURE, Kind.PROCESS_WORK, Kind.WORKSHOP, Kind.PLENARY)

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LECTURE)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["gathering", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "position"], name="agenda_position_unique"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_training(self) -> bool:
        return self.kind in self.TRAINING_KINDS


def material_path(instance, filename):
    return f"materials/{instance.gathering.network_id}/{instance.gathering_id}/{filename}"


class Material(models.Model):
    """Slides or a document for a gathering; served only to those who may see the gathering."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        DOCUMENT = "document", _("Document")

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=material_path)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["gathering", "uploaded_at"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Whether an invited person came, and for how many hours (default: the agenda's)."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="attendance"
    )
    # The person's role when they came, kept so that history survives a change of role.
    role_kind = models.CharField(max_length=20)
    present = models.BooleanField(_("present"), default=False)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
        help_text=_("Leave empty to count the agenda's training hours."),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="attendance_unique"),
        ]

    def __str__(self):
        return f"{self.person} at {self.gathering}"


class Assignment(models.Model):
    """Homework given after a gathering, due before the next."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"))
    strategy_section = models.CharField(
        _("strategy section"),
        max_length=30,
        # The sections every strategy starts with, registered by strategies (hooks.py).
        choices=hooks.strategy_section_choices,
        blank=True,
        help_text=_("The section of the eKommune strategy this work feeds, if any."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["gathering", "due_date", "pk"]

    def __str__(self):
        return self.title


class AssignmentCompletion(models.Model):
    """A municipality's mark that its work on an assignment is done."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="completions")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="assignment_completions"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completed assignment")
        verbose_name_plural = _("completed assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "municipality"], name="completion_unique"
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.assignment}"


class CalendarToken(models.Model):
    """The secret in a person's calendar feed address: calendar programs send no cookies."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return f"{self.user}"


# --- Answers to invitations and the evaluation after a gathering ----------------------------


class GatheringAnswer(models.Model):
    """An invitee's yes or no to a gathering; answering again changes it."""

    class Answer(models.TextChoices):
        YES = "yes", _("I will come")
        NO = "no", _("I cannot come")

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gathering_answers"
    )
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="answer_unique"),
        ]

    def __str__(self):
        return f"{self.person}: {self.answer} ({self.gathering})"


class AnswerReminderRound(models.Model):
    """A facilitator's "remind those who have not answered": one round, one task."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="answer_reminder_rounds"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer reminder round")
        verbose_name_plural = _("answer reminder rounds")

    def __str__(self):
        return f"{self.gathering}: {self.requested_at:%Y-%m-%d %H:%M}"


class AnswerReminderSent(models.Model):
    """The claim of one reminder e-mail: a person is reminded at most once per round."""

    round = models.ForeignKey(AnswerReminderRound, on_delete=models.CASCADE, related_name="sent")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_reminders"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer reminder sent")
        verbose_name_plural = _("answer reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="answer_reminder_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.round})"


class EvaluationResponse(models.Model):
    """One participant's evaluation of a gathering, anonymous: no person, no time, and a
    random key, so that neither the order of the rows nor a timestamp ties it to the
    ``EvaluationGiven`` row that records who has answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="evaluation_responses"
    )
    overall = models.PositiveSmallIntegerField(
        _("overall"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    relevance = models.PositiveSmallIntegerField(
        _("relevance for my municipality"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    what_should_change = models.TextField(_("what should change"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5, relevance__gte=1, relevance__lte=5),
                name="evaluation_scores_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.gathering}: {self.overall}/{self.relevance}"


class EvaluationGiven(models.Model):
    """That a person has evaluated a gathering (not what they said), so nobody answers twice."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="evaluations_given"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations_given"
    )

    class Meta:
        verbose_name = _("evaluation given")
        verbose_name_plural = _("evaluations given")
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="evaluation_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.gathering})"


class StandardProgramme(models.Model):
    """A country's standard programme as an administrator adapted it: proposed to its
    networks instead of the code's (``programme.py``). Made in the Django admin, it starts as
    a copy of the code's four gatherings in the country's language."""

    country = models.OneToOneField(
        "networks.Country",
        on_delete=models.CASCADE,
        related_name="standard_programme",
        verbose_name=_("country"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("standard programme")
        verbose_name_plural = _("standard programmes")
        ordering = ["country__name"]

    def __str__(self):
        return str(self.country)


class StandardProgrammeGathering(models.Model):
    programme = models.ForeignKey(
        StandardProgramme, on_delete=models.CASCADE, related_name="gatherings"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(GATHERINGS_PER_NETWORK)]
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("standard gathering")
        verbose_name_plural = _("standard gatherings")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="standard_gathering_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.number}. {self.title}"


class StandardProgrammeItem(models.Model):
    gathering = models.ForeignKey(
        StandardProgrammeGathering, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgendaItem.Kind.choices, default=AgendaItem.Kind.LECTURE
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )

    class Meta:
        verbose_name = _("standard agenda item")
        verbose_name_plural = _("standard agenda items")
        ordering = ["gathering", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "position"], name="standard_item_position_unique"
            ),
        ]

    def __str__(self):
        return self.title
