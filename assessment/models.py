"""The digital maturity self-assessment: a questionnaire (reference data an administrator
edits: themes, questions, weights and a scale, each text in the portal's languages), a
network's rounds of it, and each member municipality's response.

Fields, constraints and small properties only: opening, answering, submitting and closing live
in ``services.py``, scores in ``scoring.py``, reads in ``selectors.py``, who may do what in
``rules.py``. A round's scores are stored as key figures (``benchmarking.Observation``), not
here: the key-figure pages rank and compare them like every other figure.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core.i18n import in_language
from networks.models import Municipality, Network
from sessions_app.models import Gathering


class Questionnaire(models.Model):
    """A questionnaire, with where it comes from. ``code`` names its key figures
    (``DM-<code>-<theme>``), so it stays the same when the text is edited; a new edition with
    other questions is a new questionnaire (or a new ``version`` an administrator records)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_nb = models.CharField(_("title (Norwegian)"), max_length=200, blank=True)
    title_pt = models.CharField(_("title (Portuguese)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    title_it = models.CharField(_("title (Italian)"), max_length=200, blank=True)
    source_en = models.TextField(_("source (English)"), blank=True)
    source_nb = models.TextField(_("source (Norwegian)"), blank=True)
    source_pt = models.TextField(_("source (Portuguese)"), blank=True)
    source_es = models.TextField(_("source (Spanish)"), blank=True)
    source_it = models.TextField(_("source (Italian)"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active questionnaires can be opened.")
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def source(self) -> str:
        return in_language(self, "source")


class ScaleLevel(models.Model):
    """A level of the questionnaire's maturity scale (the same for all its questions)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="levels"
    )
    value = models.PositiveSmallIntegerField(_("value"))
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_nb = models.CharField(_("label (Norwegian)"), max_length=200, blank=True)
    label_pt = models.CharField(_("label (Portuguese)"), max_length=200, blank=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=200, blank=True)
    label_it = models.CharField(_("label (Italian)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["questionnaire", "value"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "value"], name="scale_value_once"),
        ]

    def __str__(self):
        return f"{self.value}. {self.label}"

    @property
    def label(self) -> str:
        return in_language(self, "label")


class Theme(models.Model):
    """A theme of the questionnaire; each becomes a key figure of the municipality."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="themes"
    )
    code = models.SlugField(_("code"), max_length=30)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    name_it = models.CharField(_("name (Italian)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["questionnaire", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="theme_code_once"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Question(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_en = models.TextField(_("question (English)"))
    text_nb = models.TextField(_("question (Norwegian)"), blank=True)
    text_pt = models.TextField(_("question (Portuguese)"), blank=True)
    text_es = models.TextField(_("question (Spanish)"), blank=True)
    text_it = models.TextField(_("question (Italian)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.01)],
        help_text=_("How much the answer counts in its theme's score, beside the others."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["theme__order", "theme", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return in_language(self, "text")


class Round(models.Model):
    """A network's round of a questionnaire, opened at one of its gatherings. Key figures are
    yearly, so there is one round per network, questionnaire and year. Closing locks every
    response and stores the scores; a closed round never opens again."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="assessment_rounds")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds"
    )
    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        verbose_name=_("gathering"),
    )
    year = models.PositiveSmallIntegerField(_("year of the key figures"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    demo = models.BooleanField(default=False, help_text="Answers invented for the demo.")

    class Meta:
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        ordering = ["network", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "questionnaire", "year"], name="round_once_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.network} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Response(models.Model):
    """A municipality's answers in a round, written together by its chief executive and staff.
    ``version`` counts saves: a save made on an older version is a conflict."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        LOCKED = "locked", _("locked")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="assessment_responses"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("self-assessment response")
        verbose_name_plural = _("self-assessment responses")
        ordering = ["round", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality"], name="response_once"),
        ]

    def __str__(self):
        return f"{self.municipality} · {self.round}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    level = models.ForeignKey(ScaleLevel, on_delete=models.PROTECT, related_name="answers")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
        ]

    def __str__(self):
        return f"{self.response_id} {self.question_id}: {self.level_id}"
