"""Report requests: who asked for which report, when, and how its rendering went.

Fields, constraints and ``clean()`` only. Asking, joining, rendering and sweeping live in
``services.py``; who may read a report in ``rules.py``; what each kind shows in
``documents.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.models import Municipality, Network, Programme


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
