"""Reads of the library of practices: the key figure a practice moved, the list with its words
and filters, a practice's page, and how it went for those who took it up.

Every read here takes a fixed number of queries, whatever the number of practices or
adoptions on the page (tests/community/test_queries.py holds them to it).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from networks.countries import country_name
from strategies.hooks import MeasurePractice
from strategies.models import Measure, Strategy
from strategies.selectors import FigureTrack, figure_histories, figure_tracks

from .models import Adoption, Practice
from .rules import OPEN_STRATEGY, practices_visible_to

PAGE_SIZE = 20

# PostgreSQL's text search configuration of each language of the portal: its stemming.
SEARCH_CONFIGS = {
    "nb": "norwegian",
    "pt": "portuguese",
    "es": "spanish",
    "it": "italian",
    "en": "english",
}

# Population bands of the library's filter, as (lowest, below) on Municipality.population.
POPULATION_BANDS = {
    "lt5k": (_("Under 5,000"), None, 5_000),
    "5k-20k": (_("5,000 to 20,000"), 5_000, 20_000),
    "20k-100k": (_("20,000 to 100,000"), 20_000, 100_000),
    "gt100k": (_("Over 100,000"), 100_000, None),
}


def search_config(language: str) -> str:
    """The text search configuration of a language (English's for one without its own)."""
    return SEARCH_CONFIGS.get((language or "").split("-")[0], "english")


# --- The key figure a practice moved ------------------------------------------------------------


@dataclass(frozen=True)
class BeforeAfter:
    before_year: int | None = None
    before_value: float | None = None
    after_year: int | None = None
    after_value: float | None = None


def before_and_after(
    *, municipality_id: int, indicator, strategy: Strategy, measure: Measure | None = None
) -> BeforeAfter:
    """The figure's values before and after, from the data (one query): before, the measure's
    baseline when it has one, else the observation of the strategy's baseline year, else the
    earliest observation with a value; after, the latest observation with a value, when it is
    later than before (else nothing moved yet)."""
    if indicator is None:
        return BeforeAfter()
    history = figure_histories([(municipality_id, indicator.pk)]).get(
        (municipality_id, indicator.pk), []
    )
    years = [(year, value) for year, value, _status in history if value is not None]  # newest first
    before = None
    if measure is not None and measure.baseline_year and measure.baseline_value is not None:
        before = (measure.baseline_year, measure.baseline_value)
    elif strategy.baseline_year:
        before = next(((y, v) for y, v in years if y == strategy.baseline_year), None)
    if before is None and years:
        before = years[-1]
    after = years[0] if years else None
    if before is None or after is None or after[0] <= before[0]:
        after = None
    return BeforeAfter(
        before_year=before[0] if before else None,
        before_value=before[1] if before else None,
        after_year=after[0] if after else None,
        after_value=after[1] if after else None,
    )


def moved_q() -> Q:
    """Practices whose figure after is better than before, in the indicator's direction."""
    return Q(indicator__higher_is_better=True, after_value__gt=F("before_value")) | Q(
        indicator__higher_is_better=False, after_value__lt=F("before_value")
    )


def figure_moved(practice: Practice) -> bool:
    """The Python twin of ``moved_q`` for one practice (its indicator loaded)."""
    if practice.indicator is None or None in (practice.before_value, practice.after_value):
        return False
    if practice.indicator.higher_is_better:
        return practice.after_value > practice.before_value
    return practice.after_value < practice.before_value


# --- The library's list -------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryFilter:
    """What the reader asks of the library; empty fields ask nothing."""

    words: str = ""
    priority: int | None = None
    theme: int | None = None
    country: int | None = None
    band: str = ""
    indicator: int | None = None
    moved: bool = False


def _with_words(practices: QuerySet[Practice], words: str) -> QuerySet[Practice]:
    """On PostgreSQL, full-text search in each practice's own language (its stemming), ranked;
    on SQLite, every word somewhere in the title or the texts."""
    if connection.vendor == "postgresql":
        query = SearchQuery(words, search_type="websearch", config=F("search_config"))
        return practices.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    for word in words.split():
        practices = practices.filter(
            Q(title__icontains=word)
            | Q(what__icontains=word)
            | Q(why__icontains=word)
            | Q(benefit__icontains=word)
        )
    return practices


def _filtered(practices: QuerySet[Practice], wanted: LibraryFilter) -> QuerySet[Practice]:
    if wanted.priority:
        # Through the ids, so that a practice of two priorities is not listed twice.
        practices = practices.filter(
            pk__in=Practice.dla_priorities.through.objects.filter(
                dlapriority_id=wanted.priority
            ).values("practice_id")
        )
    if wanted.theme:
        practices = practices.filter(theme_id=wanted.theme)
    if wanted.country:
        practices = practices.filter(municipality__country_id=wanted.country)
    if wanted.band in POPULATION_BANDS:
        _label, lowest, below = POPULATION_BANDS[wanted.band]
        if lowest is not None:
            practices = practices.filter(municipality__population__gte=lowest)
        if below is not None:
            practices = practices.filter(municipality__population__lt=below)
    if wanted.indicator:
        practices = practices.filter(indicator_id=wanted.indicator)
    if wanted.moved:
        practices = practices.filter(moved_q())
    return practices


def library_practices(*, user, wanted: LibraryFilter | None = None) -> QuerySet[Practice]:
    """The published practices the user may read that match, featured first, then (with
    words, on PostgreSQL) the best match, then the newest; each with ``adoption_count``."""
    wanted = wanted or LibraryFilter()
    practices = _filtered(practices_visible_to(user).filter(state=Practice.State.PUBLISHED), wanted)
    order = [F("featured_at").desc(nulls_last=True)]
    words = wanted.words.strip()
    if words:
        practices = _with_words(practices, words)
        if connection.vendor == "postgresql":
            order.append(F("rank").desc())
    return (
        practices.annotate(adoption_count=Count("adoptions", distinct=True))
        .select_related("municipality__country", "indicator", "theme")
        .prefetch_related("dla_priorities")
        .order_by(*order, "-published_at", "pk")
    )


@dataclass
class AdoptionResult:
    """One adoption as the library shows it: who took the practice up, and how it goes for
    them: the measure's status and progress, and its key figure's movement when it has one."""

    adoption: Adoption
    figure: FigureTrack | None = None

    @property
    def measure(self) -> Measure:
        return self.adoption.measure


@dataclass
class LibraryRow:
    practice: Practice
    moved: bool
    results: list[AdoptionResult] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.results if r.measure.status == Measure.Status.DONE)


def adoption_results(practices) -> dict[int, list[AdoptionResult]]:
    """Each practice's adoptions with their results, by practice id: two queries for any
    number of practices (the adoptions with their measures, and the key figures)."""
    ids = [p.pk for p in practices]
    if not ids:
        return {}
    adoptions = list(
        Adoption.objects.filter(practice_id__in=ids)
        .select_related("measure__indicator", "municipality__country")
        .order_by("adopted_at", "pk")
    )
    # The adopter's figures: the adoption names the municipality, spared a query per row.
    municipality_of = {a.measure_id: a.municipality_id for a in adoptions}
    figures = figure_tracks(
        [a.measure for a in adoptions], municipality_of=lambda m: municipality_of[m.pk]
    )
    results: dict[int, list[AdoptionResult]] = {pk: [] for pk in ids}
    for adoption in adoptions:
        results[adoption.practice_id].append(
            AdoptionResult(adoption=adoption, figure=figures.get(adoption.measure_id))
        )
    return results


def library_page(
    *, user, wanted: LibraryFilter | None = None, page_number=1
) -> tuple[Page, list[LibraryRow]]:
    """One page of the library, with each practice's adoptions and results."""
    paginator = Paginator(library_practices(user=user, wanted=wanted), PAGE_SIZE)
    page = paginator.get_page(page_number)
    practices = list(page.object_list)
    results = adoption_results(practices)
    rows = [
        LibraryRow(practice=p, moved=figure_moved(p), results=results.get(p.pk, []))
        for p in practices
    ]
    return page, rows


# --- A practice's page --------------------------------------------------------------------------


def practice_for_page(*, user, pk) -> Practice | None:
    """The practice as its page shows it, if the user may read it (any state)."""
    return (
        practices_visible_to(user)
        .select_related(
            "municipality__country",
            "strategy__network__programme",
            "indicator",
            "theme",
            "contact",
            "measure",
            "section",
            "merged_into",
        )
        .prefetch_related("dla_priorities")
        .filter(pk=pk)
        .first()
    )


def merge_targets(*, practice: Practice, user) -> QuerySet[Practice]:
    """The practices a duplicate may be merged into: published ones of shared or adopted
    strategies of the same programme that the user reads, other than itself."""
    return (
        practices_visible_to(user)
        .filter(
            state=Practice.State.PUBLISHED,
            strategy__network__programme_id=practice.strategy.network.programme_id,
            strategy__status__in=OPEN_STRATEGY,
        )
        .exclude(pk=practice.pk)
        .select_related("municipality")
        .order_by("title", "pk")
    )


# --- Learn from the best ------------------------------------------------------------------------

# How many of a best performer's practices its line shows (those on the indicator first).
BEST_PRACTICES_SHOWN = 3


def best_performers_practices(
    *, user, municipality_ids, indicator, limit: int = BEST_PRACTICES_SHOWN
) -> dict[int, list[Practice]]:
    """The published practices the user may read of each of these municipalities (by id), to
    show beside their figures: those on ``indicator`` first, then the featured, then the
    newest; at most ``limit`` each. Each practice carries ``on_indicator``. One query for the
    whole page, whatever the number of municipalities or practices."""
    ids = list(municipality_ids)
    if not ids:
        return {}
    practices = (
        practices_visible_to(user)
        .filter(municipality_id__in=ids, state=Practice.State.PUBLISHED)
        .select_related("indicator")
        .annotate(
            on_indicator=Case(
                When(indicator_id=indicator.pk, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(
            "municipality_id",
            "-on_indicator",
            F("featured_at").desc(nulls_last=True),
            "-published_at",
            "pk",
        )
    )
    shown: dict[int, list[Practice]] = {}
    for practice in practices:
        chosen = shown.setdefault(practice.municipality_id, [])
        if len(chosen) < limit and all(p.pk != practice.pk for p in chosen):
            chosen.append(practice)
    return shown


# --- The source's action plan: who took its practices up -----------------------------------------


def measure_practices(*, user, measure_ids) -> dict[int, MeasurePractice]:
    """The answer community gives to ``strategies.hooks.measure_practices``: for each of these
    measures published as a practice the user may read (published, or retired: the source
    still sees who took it up), its page and the municipalities that adopted it, with their
    countries, by name. One query for the whole plan."""
    rows = (
        practices_visible_to(user)
        .filter(measure_id__in=list(measure_ids))
        .exclude(state=Practice.State.MERGED)
        .values_list(
            "pk",
            "measure_id",
            "title",
            "language",
            "adoptions__municipality__name",
            "adoptions__municipality__country__code",
            "adoptions__municipality__country__name",
        )
        .order_by("pk", "adoptions__municipality__name")
    )
    found: dict[int, MeasurePractice] = {}
    for pk, measure_id, title, language, name, code, country in rows:
        practice = found.get(measure_id)
        if practice is None:
            url = reverse("practice_detail", kwargs={"pk": pk})
            practice = found[measure_id] = MeasurePractice(url, title, language)
        if name is not None:
            where = country_name(SimpleNamespace(code=code, name=country))
            taken_up = f"{name} ({where})"
            if taken_up not in practice.taken_up_by:
                practice.taken_up_by.append(taken_up)
    return found
