"""Report requests: who asked for which report, when, and how its rendering went; and what
the programme review report is made of beside the records: its reporting periods, the
objectives' targets, the narrative its people write, the versions issued and the officer's
reviews of them.

Fields, constraints and ``clean()`` only. Asking, joining, rendering and sweeping live in
``services.py``; who may read a report in ``rules.py``; what each kind shows in
``documents.py``.
"""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.models import Municipality, Network, Programme, ProgrammeObjective


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReportingPeriod(models.Model):
    """A reporting period of the grant, in its months: months 1-12 run from the programme's
    start date to the day before its first anniversary. A programme review report covers one
    period and counts the records as of its last day."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="reporting_periods",
        verbose_name=_("programme"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    first_month = models.PositiveSmallIntegerField(_("first month"))
    last_month = models.PositiveSmallIntegerField(_("last month"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="period_number_unique"),
            models.CheckConstraint(
                condition=Q(first_month__gte=1) & Q(last_month__gte=models.F("first_month")),
                name="period_months_in_order",
            ),
        ]

    def __str__(self):
        return _("Months %(first)s-%(last)s") % {"first": self.first_month, "last": self.last_month}

    @property
    def starts_on(self) -> date:
        return add_months(self.programme.start_date, self.first_month - 1)

    @property
    def ends_on(self) -> date:
        """The period's last day: the figures are those as of its end."""
        return date.fromordinal(
            add_months(self.programme.start_date, self.last_month).toordinal() - 1
        )


class ObjectiveTarget(models.Model):
    """What the coordinator aims at for an objective, in a figure the records show."""

    class Measure(models.TextChoices):
        NETWORKS = "networks", _("Networks running or finished")
        MUNICIPALITIES = "municipalities", _("Municipalities taking part")
        PARTICIPANTS = "participants", _("Participants")
        LEADERS = "leaders", _("Senior executives and mayors")
        GATHERINGS = "gatherings", _("Gatherings held")
        TRAINING_HOURS = "training_hours", _("Training hours delivered")
        STRATEGIES_ADOPTED = "strategies_adopted", _("Strategies adopted")
        DLA_INITIATED = "dla_initiated", _("Regions that initiated a Digital Local Agenda")
        PRACTICES_SHARED = "practices_shared", _("Practices shared")
        COUNTRIES = "countries", _("Countries with a network")

    objective = models.ForeignKey(
        ProgrammeObjective,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("objective"),
    )
    measure = models.CharField(_("figure"), max_length=30, choices=Measure.choices)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    # The period the target is for; none: by the programme's end.
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("by the end of"),
    )

    class Meta:
        verbose_name = _("objective target")
        verbose_name_plural = _("objective targets")
        ordering = ["objective", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "measure", "period"],
                name="target_once_per_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.target}"


class NarrativeSection(models.Model):
    """A part of the review report that people write: the coordinator the programme's
    (executive summary, lessons learned, next steps), each network's facilitator their
    network's (progress, deviations, corrective actions). One per period, network, kind and
    language: a text may be written again in another language, and the report takes the one in
    its reader's language where there is one. A draft until marked final; every save is a
    :class:`NarrativeRevision`."""

    class Kind(models.TextChoices):
        EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
        LESSONS = "lessons", _("Lessons learned")
        NEXT_STEPS = "next_steps", _("Next steps")
        PROGRESS = "progress", _("Progress")
        DEVIATIONS = "deviations", _("Deviations")
        CORRECTIVE_ACTIONS = "corrective_actions", _("Corrective actions")

    PROGRAMME_KINDS = (Kind.EXECUTIVE_SUMMARY, Kind.LESSONS, Kind.NEXT_STEPS)
    NETWORK_KINDS = (Kind.PROGRESS, Kind.DEVIATIONS, Kind.CORRECTIVE_ACTIONS)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="narratives",
        verbose_name=_("reporting period"),
    )
    # Set for a network's sections, empty for the programme's.
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="narratives",
        verbose_name=_("network"),
    )
    kind = models.CharField(_("section"), max_length=30, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Counts saves: a save made on an older version than the stored one is a conflict.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("narrative section")
        verbose_name_plural = _("narrative sections")
        ordering = ["period", "network", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "network", "kind", "language"],
                name="narrative_once",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        network__isnull=True,
                        kind__in=["executive_summary", "lessons", "next_steps"],
                    )
                    | Q(
                        network__isnull=False,
                        kind__in=["progress", "deviations", "corrective_actions"],
                    )
                ),
                name="narrative_kind_matches_scope",
            ),
            models.CheckConstraint(
                condition=~Q(status="final") | Q(finalised_at__isnull=False),
                name="narrative_final_has_date",
            ),
        ]

    def __str__(self):
        where = self.network or self.period.programme
        return f"{self.get_kind_display()} ({where}, {self.period}, {self.language})"


class NarrativeRevision(models.Model):
    """Every save of a narrative section: who, when and the whole text."""

    section = models.ForeignKey(
        NarrativeSection, on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["section", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "version"], name="narrative_revision_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.section} v{self.version}"


def report_path(instance, filename):
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class ReportRequest(models.Model):
    """One report to render. Those who ask for the same report while it is queued or running
    join the row (``requesters``) instead of starting another render."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme review report")
        NETWORK = "network", _("Network report")
        STRATEGY = "strategy", _("Strategy and action plan")
        POSITION = "position", _("Position in key figures")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being rendered")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    class Note(models.TextChoices):
        """Why a request is still waiting."""

        BROKER_DOWN = (
            "broker_down",
            _(
                "The task queue could not be reached. The request is kept and starts when the "
                "queue is back."
            ),
        )
        REQUEUED = (
            "requeued",
            _("The renderer stopped before it finished; the report was queued again."),
        )

    class Failure(models.TextChoices):
        ERROR = "error", _("The report could not be rendered.")
        TIMEOUT = "timeout", _("Rendering took too long and was stopped.")
        WORKER_LOST = "worker_lost", _("The renderer stopped several times before it finished.")
        SUBJECT_GONE = "subject_gone", _("What the report is about no longer exists.")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The subject: which fields are set depends on the kind (see the constraint below).
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("programme"),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("network"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("municipality"),
    )
    # "kind:id[:id]" of the subject: requests for the same report share it (joining).
    subject_key = models.CharField(max_length=60, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("requested by"),
    )
    requesters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("everyone who asked for it"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    note = models.CharField(_("note"), max_length=20, choices=Note.choices, blank=True)
    failure = models.CharField(_("failure"), max_length=20, choices=Failure.choices, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("sent to the queue at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # A programme review report covers a reporting period (none: as of the day it is made).
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reporting period"),
    )
    # Issued: marked final and frozen. Its file is never replaced nor deleted, its SHA-256 is
    # kept, and a later request makes a new version beside it.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The same content as a web page and as an editable document, rendered with the PDF.
    html_file = models.FileField(_("web page"), upload_to=report_path, blank=True)
    docx_file = models.FileField(_("word-processing file"), upload_to=report_path, blank=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="programme",
                        programme__isnull=False,
                        network__isnull=True,
                        municipality__isnull=True,
                    )
                    | Q(
                        kind="network",
                        programme__isnull=True,
                        network__isnull=False,
                        municipality__isnull=True,
                    )
                    | Q(
                        kind="strategy",
                        programme__isnull=True,
                        network__isnull=False,
                        municipality__isnull=False,
                    )
                    | Q(kind="position", programme__isnull=True, municipality__isnull=False)
                ),
                name="report_subject_matches_kind",
            ),
            # The database, not only the service, keeps one active render per report.
            models.UniqueConstraint(
                fields=["kind", "subject_key", "language"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_active_per_subject",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_key", "language", "version"],
                name="report_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True)
                | Q(status="done", version__isnull=False) & ~Q(checksum=""),
                name="report_issued_is_done",
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=True) | Q(kind="programme"),
                name="report_period_of_programme",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="report_status_started")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject_name}"

    @property
    def subject_name(self) -> str:
        if self.kind == self.Kind.PROGRAMME:
            return str(self.programme)
        if self.kind == self.Kind.NETWORK:
            return str(self.network)
        if self.kind == self.Kind.STRATEGY:
            return f"{self.municipality.name} ({self.network})"
        if self.network_id:
            return f"{self.municipality.name} ({self.network})"
        return self.municipality.name

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


class ReportReview(models.Model):
    """The project officer's answer to an issued version: acknowledged, or returned with what
    to change."""

    class Verdict(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RETURNED = "returned", _("Returned")

    report = models.ForeignKey(
        ReportRequest, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("report")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report review")
        verbose_name_plural = _("report reviews")
        ordering = ["report", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(verdict="returned") | ~Q(comment=""),
                name="review_return_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.get_verdict_display()}"
