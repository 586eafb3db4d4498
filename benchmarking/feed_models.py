"""Statistics feeds: a connector configured by an administrator (which source, table,
indicators, regions and years, and when the source publishes), and the record of each run.

A run fetches (a Celery task), keeps the fetched file and what importing it would change (the
preview's figures), and is applied all or nothing by an administrator, or by the scheduled
refresh when its preview has no problems. Imported from models.py, so that Django finds them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.models import Country, Network


class StatisticsFeed(models.Model):
    class Source(models.TextChoices):
        SSB = "ssb", _("SSB PxWebApi v2 (JSON-stat)")
        EUROSTAT = "eurostat", _("Eurostat dissemination API (JSON-stat)")
        KOLADA = "kolada", _("Kolada API v3")
        KLASS = "klass", _("SSB KLASS: KOSTRA groups (131 → 112)")
        ISTAT = "istat", _("ISTAT SDMX REST API (Italy, SDMX-CSV)")
        INE_ES = "ine_es", _("INE Spain Tempus3 API (JSON-stat)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    table_id = models.CharField(
        _("table"),
        max_length=200,
        blank=True,
        help_text=_(
            "SSB: the table number (12134). Eurostat: the dataset code. Kolada: the KPI ids, "
            "separated by commas. KLASS: a correspondence table id, or empty for the "
            "correspondence in force on the first day of the latest year. ISTAT: the "
            "dataflow (41_983). INE Spain: the table number (2074)."
        ),
    )
    indicator_codes = models.JSONField(
        _("indicators"),
        default=list,
        blank=True,
        help_text=_(
            "SSB: ContentsCode values. Eurostat: filters as dimension=code. ISTAT: the series "
            "key with {regions} where the area goes (A.F.{regions}.KILLINJ)."
        ),
    )
    region_variable = models.CharField(
        _("region variable"),
        max_length=60,
        blank=True,
        default="Region",
        help_text=_("SSB: the table's region variable (KOKkommuneregion0000 in KOSTRA tables)."),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regions: members of the network"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regions: every municipality of the country"),
    )
    region_codes = models.JSONField(
        _("regions: these codes"),
        default=list,
        blank=True,
        help_text=_("Codes as the source writes them, when not a network's or a country's."),
    )
    years = models.JSONField(_("years"), default=list, blank=True)
    latest_years = models.PositiveSmallIntegerField(
        _("latest years"),
        default=0,
        help_text=_("Instead of fixed years: the source's latest N years (0: the years above)."),
    )
    release_months = models.JSONField(
        _("release months"),
        default=list,
        blank=True,
        help_text=_("The months the source publishes new figures (KOSTRA: 3 and 6)."),
    )
    release_day = models.PositiveSmallIntegerField(_("release day"), default=15)
    scheduled = models.BooleanField(
        _("refresh on schedule"),
        default=False,
        help_text=_(
            "Fetch after each release and apply when the preview has no problems. The demo's "
            "feeds leave it off: they never run by themselves."
        ),
    )
    last_success_at = models.DateTimeField(_("last applied"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("statistics feed")
        verbose_name_plural = _("statistics feeds")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FeedRun(models.Model):
    class Trigger(models.TextChoices):
        MANUAL = "manual", _("fetched by an administrator")
        SCHEDULED = "scheduled", _("scheduled refresh")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to fetch")
        RUNNING = "running", _("fetching")
        PREVIEWED = "previewed", _("fetched: waiting to be applied")
        APPLIED = "applied", _("applied")
        REFUSED = "refused", _("refused by the source")
        FAILED = "failed", _("failed")
        PROBLEMS = "problems", _("fetched, cannot be imported")
        SUPERSEDED = "superseded", _("replaced by a newer fetch")

    feed = models.ForeignKey(StatisticsFeed, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    calls = models.PositiveIntegerField(_("requests to the source"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    data = models.BinaryField(_("fetched file"), null=True, blank=True, editable=False)
    summary = models.JSONField(_("preview"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("feed run")
        verbose_name_plural = _("feed runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["feed", "-created_at"], name="feedrun_feed_created")]

    def __str__(self):
        return f"{self.feed} {self.created_at:%Y-%m-%d %H:%M} {self.state}"
