"""Key figures: indicators and their observations per municipality and year.

A value may be missing (``None``), and missing is never zero: the statistics office's symbol
for why (``.`` not applicable, ``..`` not available, ``:`` confidential) is kept in ``status``.
National and group aggregates (the whole country, a KOSTRA group) are reference rows, not
municipalities.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core.i18n import in_language
from networks.models import Municipality

from . import categories, units


class Indicator(models.Model):
    class StandingsState(models.TextChoices):
        """Where the stored ranks stand after the indicator's last import (tasks.py)."""

        READY = "ready", _("ready")
        QUEUED = "queued", _("waiting to be computed")
        RUNNING = "running", _("being computed")
        FAILED = "failed", _("could not be computed")

    code = models.CharField(_("code"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=400, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=400, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=400, blank=True)
    name_it = models.CharField(_("name (Italian)"), max_length=400, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    source = models.CharField(_("source"), max_length=100, blank=True)
    table_id = models.CharField(_("table"), max_length=60, blank=True)
    higher_is_better = models.BooleanField(
        _("higher is better"),
        null=True,
        blank=True,
        help_text=_("Leave empty where neither direction is better; ranks then follow the value."),
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    # Eurostat's, the self-assessment's and the register's structure: defined alike in every
    # country, so comparable across them (comparability.py); a national office's is not.
    comparable_across_countries = models.BooleanField(
        _("comparable across countries"),
        default=False,
        help_text=_(
            "Defined alike in every country (Eurostat, the self-assessment, the register's "
            "structure), so that municipalities of several countries may be compared on it."
        ),
    )
    standings_state = models.CharField(
        _("ranks"), max_length=10, choices=StandingsState.choices, default=StandingsState.READY
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["category", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language, else English, else another one (core/i18n.py),
        else the code; without a trailing "(unit)" that repeats the unit, which pages show
        beside it (units.py)."""
        return units.name_without_unit(in_language(self, "name", default=self.code), self.unit)

    @property
    def unit_label(self) -> str:
        """The unit in the reader's language (units.py), as the source wrote it if unknown."""
        return units.label(self.unit)

    @property
    def category_label(self) -> str:
        """The category in the reader's language (categories.py), as written if unknown."""
        return categories.label(self.category)

    @property
    def source_name(self) -> str:
        """Who defined the figure, as a reader knows them (comparability.py)."""
        from .comparability import source_name

        return source_name(self)

    @property
    def name_with_unit(self) -> str:
        """The name and its unit once, for a place that shows no unit beside the name."""
        unit = self.unit_label
        return f"{self.name} ({unit})" if unit else self.name


class Observation(models.Model):
    # No index of its own: the unique (indicator, municipality, year) index leads with it,
    # and every index slows the bulk imports.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="observations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year"], name="observation_unique"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="observation_indicator_year")]

    def __str__(self):
        return f"{self.indicator.code} {self.municipality.code} {self.year}: {self.value}"


class ReferenceValue(models.Model):
    """An aggregate from the statistics office: the country, the country without Oslo, or a
    peer group (``EAK``, ``EAKUO``, ``EKGnn`` in KOSTRA tables)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="reference_values"
    )
    area_code = models.CharField(_("area code"), max_length=20)
    area_name = models.CharField(_("area"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "year"], name="reference_value_unique"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.area_code} {self.year}: {self.value}"


class Scope(models.TextChoices):
    """The large comparison sets, whose ranks are computed once per import, not per page."""

    COUNTRY = "country", _("country")
    PEER_GROUP = "peer_group", _("peer group")


class Standing(models.Model):
    """A municipality's rank and percentile in its country or peer group (see standings.py)."""

    # The unique index below serves every lookup; more indexes would slow the bulk writes.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=20, choices=Scope.choices)
    rank = models.PositiveIntegerField()
    percentile = models.FloatField()

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year", "scope"], name="standing_unique"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.municipality_id} {self.year} {self.scope}: {self.rank}"


class SetSummary(models.Model):
    """The figures of a whole set in a year: how many have a value, mean, median, range."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=20, choices=Scope.choices)
    group = models.PositiveIntegerField(help_text="The country's or the peer group's id.")
    count = models.PositiveIntegerField()
    mean = models.FloatField()
    median = models.FloatField()
    minimum = models.FloatField()
    maximum = models.FloatField()

    class Meta:
        verbose_name = _("set summary")
        verbose_name_plural = _("set summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "scope", "group"], name="set_summary_unique"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.year} {self.scope} {self.group}"


class SimilarMunicipality(models.Model):
    """One of a municipality's nearest neighbours in its country by structural figures
    (similar.py): ``rank`` 1 is the nearest. ``compared_on`` names the figures both had."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="similar", db_index=False
    )
    neighbour = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    distance = models.FloatField(_("distance"))
    compared_on = models.JSONField(_("compared on"), default=list)
    computed_at = models.DateTimeField(_("computed at"))
    method_version = models.CharField(_("method"), max_length=20)

    class Meta:
        verbose_name = _("similar municipality")
        verbose_name_plural = _("similar municipalities")
        ordering = ["municipality", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "rank"], name="similar_rank_unique"),
            models.UniqueConstraint(
                fields=["municipality", "neighbour"], name="similar_neighbour_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(municipality=models.F("neighbour")), name="similar_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.municipality_id} {self.rank}: {self.neighbour_id}"


class ComparisonSet(models.Model):
    """A person's own comparison set: municipalities of any country, seen by them alone."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comparison_sets",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    municipalities = models.ManyToManyField(
        Municipality, related_name="+", verbose_name=_("municipalities")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("comparison set")
        verbose_name_plural = _("comparison sets")
        ordering = ["owner", "name"]
        constraints = [
            # A double-posted form saves one set; the form says so first (forms.py).
            models.UniqueConstraint("owner", Lower("name"), name="comparison_set_name_once"),
        ]

    def __str__(self):
        return self.name


from .feed_models import FeedRun, StatisticsFeed  # noqa: E402, F401  (statistics feeds)
