"""The community's reads: the library of practices (the key figure a practice moved, the list
with its words and filters, a practice's page, how it went for those who took it up), a
municipality's timeline across networks and phases, and the expert directory, an expert's
entry and a speaker invitation's page. Each part is under its own heading.

Every read here takes a fixed number of queries, whatever the number of practices, adoptions,
networks, measures, experts or invitations on the page (tests/community/ holds them to it).
Who sees what is ``rules.py``'s; these take what the policy lets through.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from assessment.models import Response, Round, Theme
from assessment.services import OVERALL, indicator_code
from benchmarking import charts
from benchmarking.models import Observation
from benchmarking.pages import trend
from cemsdi_portal.core.models import AuditEntry
from networks.countries import country_name, role_title, zone_of
from networks.models import Country, Municipality, Network, NetworkMembership, Role
from networks.rules import networks_visible_to
from sessions_app.models import Gathering
from strategies.hooks import MeasurePractice
from strategies.models import DlaPriority, Measure, StatusChange, Strategy
from strategies.rules import strategies_visible_to
from strategies.selectors import FigureTrack, figure_histories, figure_tracks

from . import rules
from .models import Adoption, ExpertProfile, Practice, SpeakerInvitation
from .rules import OPEN_STRATEGY, practices_visible_to


@dataclass
class TimelineEvent:
    """One thing that happened. ``kind`` says which (the template words it):

    * ``joined``: the municipality joined ``network``;
    * ``started``: ``strategy`` was started (from ``strategy.started_from`` in a next phase);
    * ``status``: ``change`` (a ``StatusChange``) moved the strategy; an adoption is dated
      by the council's date, ``change.adopted_on``;
    * ``done``: ``measure`` is done; ``recorded`` says whether the date is the audit log's
      record of the move to done (True) or only the measure's last change (False, when the
      log has none: a measure the demo or an import wrote);
    * ``carried``: ``measure`` was carried over from the previous phase (``measure.carried_from``);
    * ``assessment``: ``round`` closed, with the municipality's overall ``score`` (text) and
      its ``movement`` since ``previous_year``, or no score when it did not submit.
    """

    kind: str
    on: date  # the day shown
    at: datetime  # orders the events of one day
    network: Network
    strategy: Strategy | None = None
    change: StatusChange | None = None
    measure: Measure | None = None
    recorded: bool = True
    round: Round | None = None
    submitted: bool = False
    score: str = ""
    movement: str = ""
    previous_year: int | None = None


@dataclass
class TimelineGroup:
    """A network the municipality took part in, with its phase and what happened there."""

    network: Network
    predecessor: Network | None  # the previous phase, when the reader sees it
    events: list[TimelineEvent] = field(default_factory=list)


@dataclass
class FigureLine:
    """A key figure of the municipality by year, with its movement from the first year shown
    to the latest."""

    indicator: object
    values: list[str]  # one per year of the table; "" where there is none
    first_year: int
    latest_year: int
    movement: str
    trend: str  # "better", "worse", "unchanged" or ""
    sparkline: SafeString
    assessment: bool  # the self-assessment's overall score (else a figure a measure tracks)


@dataclass
class Timeline:
    municipality: Municipality
    groups: list[TimelineGroup]
    years: list[int]
    figures: list[FigureLine]


def _localdate(moment: datetime, zone) -> date:
    return timezone.localtime(moment, zone).date()


def _done_dates(measures: list[Measure]) -> dict[int, datetime]:
    """When each done measure was recorded done, from the audit log (one query): the latest
    change of its status to done, or its creation when it was created done and never moved."""
    ids = {str(m.pk): m for m in measures}
    if not ids:
        return {}
    moved: dict[int, datetime] = {}
    created: dict[int, datetime] = {}
    status_moves: set[int] = set()
    for object_id, action, changes, at in AuditEntry.objects.filter(
        Q(action=AuditEntry.Action.CREATED) | Q(changes__has_key="status"),
        model=Measure._meta.label_lower,
        object_id__in=list(ids),
    ).values_list("object_id", "action", "changes", "at"):
        pk = ids[object_id].pk
        if action == AuditEntry.Action.CREATED:
            created[pk] = at
            continue
        status_moves.add(pk)
        old_new = (changes or {}).get("status") or [None, None]
        if old_new[1] == Measure.Status.DONE and (pk not in moved or at > moved[pk]):
            moved[pk] = at
    dates = dict(moved)
    for pk, at in created.items():
        if pk not in status_moves:  # made done from the start
            dates[pk] = at
    return dates


def _figure_lines(observations, tracked: dict, overall_codes: set) -> tuple[list[int], list]:
    by_indicator: dict[int, dict[int, float]] = {}
    indicators = dict(tracked)
    for obs in observations:
        indicators.setdefault(obs.indicator_id, obs.indicator)
        by_indicator.setdefault(obs.indicator_id, {})[obs.year] = obs.value
    years = sorted({year for values in by_indicator.values() for year in values})
    lines = []
    for pk, values in by_indicator.items():
        indicator = indicators[pk]
        decimals = indicator.decimals
        first, latest = min(values), max(values)
        change = values[latest] - values[first] if latest != first else None
        movement = charts.format_number(change, decimals, sign=True) if change is not None else ""
        lines.append(
            FigureLine(
                indicator=indicator,
                values=[
                    charts.format_number(values[y], decimals) if y in values else "" for y in years
                ],
                first_year=first,
                latest_year=latest,
                movement=movement,
                trend=trend(indicator, movement, change),
                sparkline=charts.time_series(
                    [(y, values.get(y)) for y in range(first, latest + 1)],
                    decimals=decimals,
                    unit=indicator.unit_label,
                    label=indicator.name,
                    compact=True,
                ),
                assessment=indicator.code in overall_codes,
            )
        )
    lines.sort(key=lambda line: (not line.assessment, str(line.indicator.name)))
    return years, lines


def municipality_timeline(*, municipality: Municipality, user) -> Timeline:
    """The municipality's own timeline for a reader who sees it (``municipality_or_404``): the
    networks it joined that the reader sees, grouped by network and phase in the order they
    started, each with its events in date order; the strategies' events only where the reader
    may read the strategy (``strategies.rules``: a draft's for its municipality's people). Below,
    the key figures its readable measures track and its self-assessment overall score, by year.

    Eight queries with the reader's role scopes, whatever the number of networks, strategies,
    measures or rounds."""
    zone = zone_of(municipality.country)
    memberships = list(
        NetworkMembership.objects.filter(
            municipality=municipality, network__in=networks_visible_to(user)
        ).select_related("network__programme", "network__predecessor")
    )
    networks = {m.network_id: m.network for m in memberships}
    groups = {
        m.network_id: TimelineGroup(
            network=m.network,
            predecessor=m.network.predecessor if m.network.predecessor_id in networks else None,
            events=[
                TimelineEvent(
                    kind="joined",
                    on=_localdate(m.joined_at, zone),
                    at=m.joined_at,
                    network=m.network,
                )
            ],
        )
        for m in memberships
    }
    strategies = {
        s.pk: s
        for s in strategies_visible_to(user)
        .filter(municipality=municipality, network_id__in=list(networks))
        .select_related("started_from__network")
    }
    for strategy in strategies.values():
        strategy.network = networks[strategy.network_id]
        groups[strategy.network_id].events.append(
            TimelineEvent(
                kind="started",
                on=_localdate(strategy.started_at, zone),
                at=strategy.started_at,
                network=strategy.network,
                strategy=strategy,
            )
        )
    for change in StatusChange.objects.filter(strategy_id__in=list(strategies)):
        strategy = strategies[change.strategy_id]
        adopted = change.to_status == Strategy.Status.ADOPTED and change.adopted_on
        groups[strategy.network_id].events.append(
            TimelineEvent(
                kind="status",
                on=change.adopted_on if adopted else _localdate(change.changed_at, zone),
                at=change.changed_at,
                network=strategy.network,
                strategy=strategy,
                change=change,
            )
        )
    measures = list(
        Measure.objects.filter(strategy_id__in=list(strategies))
        .select_related("indicator", "carried_from__strategy__network")
        .order_by("pk")
    )
    done = [m for m in measures if m.status == Measure.Status.DONE]
    recorded = _done_dates(done)
    for measure in measures:
        strategy = strategies[measure.strategy_id]
        measure.strategy = strategy
        if measure.carried_from_id:
            groups[strategy.network_id].events.append(
                TimelineEvent(
                    kind="carried",
                    on=_localdate(measure.created_at, zone),
                    at=measure.created_at,
                    network=strategy.network,
                    strategy=strategy,
                    measure=measure,
                )
            )
        if measure.status == Measure.Status.DONE:
            at = recorded.get(measure.pk, measure.updated_at)
            groups[strategy.network_id].events.append(
                TimelineEvent(
                    kind="done",
                    on=_localdate(at, zone),
                    at=at,
                    network=strategy.network,
                    strategy=strategy,
                    measure=measure,
                    recorded=measure.pk in recorded,
                )
            )
    rounds = list(
        Round.objects.filter(network_id__in=list(networks), state=Round.State.CLOSED)
        .select_related("questionnaire")
        .annotate(
            submitted=Exists(
                Response.objects.filter(
                    round=OuterRef("pk"), municipality=municipality, submitted_at__isnull=False
                )
            )
        )
        .order_by("year", "closed_at")
    )
    overall_codes = {indicator_code(r.questionnaire, OVERALL) for r in rounds}
    tracked = {m.indicator_id: m.indicator for m in measures if m.indicator_id}
    observations = list(
        Observation.objects.filter(
            Q(indicator_id__in=list(tracked)) | Q(indicator__code__in=overall_codes),
            municipality=municipality,
            value__isnull=False,
        )
        .select_related("indicator")
        .order_by("year")
    )
    scores = {
        (o.indicator.code, o.year): o for o in observations if o.indicator.code in overall_codes
    }
    previous: dict[str, tuple[int, float]] = {}  # questionnaire code -> the last score met
    for round_ in rounds:
        code = indicator_code(round_.questionnaire, OVERALL)
        score = scores.get((code, round_.year)) if round_.submitted else None
        event = TimelineEvent(
            kind="assessment",
            on=_localdate(round_.closed_at or round_.opened_at, zone),
            at=round_.closed_at or round_.opened_at,
            network=networks[round_.network_id],
            round=round_,
            submitted=round_.submitted,
        )
        if score is not None:
            decimals = score.indicator.decimals
            event.score = charts.format_number(score.value, decimals)
            before = previous.get(round_.questionnaire.code)
            if before is not None and before[0] != round_.year:
                event.movement = charts.format_number(score.value - before[1], decimals, sign=True)
                event.previous_year = before[0]
            previous[round_.questionnaire.code] = (round_.year, score.value)
        groups[round_.network_id].events.append(event)
    for group in groups.values():
        group.events.sort(key=lambda e: (e.on, e.at))
    ordered = sorted(
        groups.values(), key=lambda g: (g.network.planned_start, g.network.phase, g.network.pk)
    )
    years, figures = _figure_lines(observations, tracked, overall_codes)
    return Timeline(municipality=municipality, groups=ordered, years=years, figures=figures)


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
    return every_word_in_text(practices, words)


def every_word_in_text(practices: QuerySet[Practice], words: str) -> QuerySet[Practice]:
    """The SQLite default's search: every word somewhere in the title or the texts, as it is
    written (no stemming)."""
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
    # Whether the reader may read the adopter's plan: a draft's measure is its own people's,
    # so others learn only who took the practice up.
    readable: bool = True

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


def adoption_results(practices, *, user) -> dict[int, list[AdoptionResult]]:
    """Each practice's adoptions with their results, by practice id: two queries for any
    number of practices (the adoptions with their measures, and the key figures). Who took
    it up is told to every reader; how it goes for them only where the reader may read the
    adopter's plan (``strategies.rules``)."""
    ids = [p.pk for p in practices]
    if not ids:
        return {}
    adoptions = list(
        Adoption.objects.filter(practice_id__in=ids)
        .annotate(readable=Exists(strategies_visible_to(user).filter(pk=OuterRef("strategy_id"))))
        .select_related("measure__indicator", "municipality__country")
        .order_by("adopted_at", "pk")
    )
    readable = [a for a in adoptions if a.readable]
    # The adopter's figures: the adoption names the municipality, spared a query per row.
    municipality_of = {a.measure_id: a.municipality_id for a in readable}
    figures = figure_tracks(
        [a.measure for a in readable], municipality_of=lambda m: municipality_of[m.pk]
    )
    results: dict[int, list[AdoptionResult]] = {pk: [] for pk in ids}
    for adoption in adoptions:
        results[adoption.practice_id].append(
            AdoptionResult(
                adoption=adoption,
                figure=figures.get(adoption.measure_id),
                readable=adoption.readable,
            )
        )
    return results


def library_page(
    *, user, wanted: LibraryFilter | None = None, page_number=1
) -> tuple[Page, list[LibraryRow]]:
    """One page of the library, with each practice's adoptions and results."""
    paginator = Paginator(library_practices(user=user, wanted=wanted), PAGE_SIZE)
    page = paginator.get_page(page_number)
    practices = list(page.object_list)
    results = adoption_results(practices, user=user)
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


# --- Experts and speaker invitations ----------------------------------------------------------


def expert_theme_choices() -> QuerySet[Theme]:
    """The themes an expert names: those of the active questionnaires, in their order."""
    return Theme.objects.filter(questionnaire__active=True).order_by(
        "questionnaire__code", "order", "pk"
    )


def agenda_room_minutes(gathering: Gathering) -> int:
    """Minutes of the gathering's day the agenda does not fill yet."""
    planned = gathering.agenda.aggregate(total=Sum("duration_minutes"))["total"] or 0
    return max(0, int(gathering.duration.total_seconds() // 60) - planned)


def language_names(codes: list[str]) -> list[str]:
    """The portal's names of the languages, in the reader's language (settings.LANGUAGES)."""
    names = dict(settings.LANGUAGES)
    return [str(names[code]) for code in codes if code in names]


@dataclass
class ExpertEntry:
    """An expert as the directory and their page show them."""

    profile: ExpertProfile
    roles: list[str] = field(default_factory=list)  # "Chief executive (rådmann), Alta"
    countries: list[Country] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def user(self):
        return self.profile.user


def _role_line(role: Role) -> str:
    if role.kind in Role.MUNICIPAL_KINDS:
        return _("%(role)s, %(municipality)s") % {
            "role": role_title(role.kind, role.municipality.country),
            "municipality": role.municipality.name,
        }
    # A facilitator's or project officer's network or programme may be one the reader does
    # not see (a draft): the role alone, the country beside it.
    return role.get_kind_display()


def _country_of(role: Role) -> Country | None:
    if role.municipality_id:
        return role.municipality.country
    if role.network_id:
        return role.network.region.country
    return None


def _entries(profiles) -> list[ExpertEntry]:
    entries = []
    for profile in profiles:
        roles = list(profile.user.roles.all())
        countries = {c.pk: c for c in (_country_of(r) for r in roles) if c is not None}
        entries.append(
            ExpertEntry(
                profile=profile,
                roles=list(dict.fromkeys(_role_line(r) for r in roles)),
                countries=sorted(countries.values(), key=lambda c: c.display_name),
                languages=language_names(profile.languages),
            )
        )
    return entries


def _with_everything(profiles: QuerySet[ExpertProfile]) -> QuerySet[ExpertProfile]:
    roles = Role.objects.select_related(
        "municipality__country", "network__region__country"
    ).order_by("kind", "pk")
    return profiles.select_related("user").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("order", "pk")),
        "dla_priorities",
        Prefetch("user__roles", queryset=roles),
    )


@dataclass
class ExpertFilter:
    theme: Theme | None = None
    dla_priority: DlaPriority | None = None
    language: str = ""
    country: Country | None = None


def expert_directory(*, user, expert_filter: ExpertFilter | None = None) -> list[ExpertEntry]:
    """The listed experts the user finds (``rules.experts_visible_to``, without their own
    unlisted profile), filtered: six queries whatever their number."""
    chosen = expert_filter or ExpertFilter()
    profiles = rules.experts_visible_to(user).filter(listed=True, user__is_active=True)
    if chosen.theme is not None:
        profiles = profiles.filter(themes=chosen.theme)
    if chosen.dla_priority is not None:
        profiles = profiles.filter(dla_priorities=chosen.dla_priority)
    if chosen.country is not None:
        profiles = profiles.filter(
            Q(user__roles__municipality__country=chosen.country)
            | Q(user__roles__network__region__country=chosen.country)
        )
    profiles = profiles.distinct().order_by("user__last_name", "user__first_name", "pk")
    entries = _entries(_with_everything(profiles))
    if chosen.language:
        # A JSON list: matched here, the same on SQLite and PostgreSQL (a page of experts).
        entries = [e for e in entries if chosen.language in e.profile.languages]
    return entries


def expert_entry(profile: ExpertProfile) -> ExpertEntry:
    return _entries(_with_everything(ExpertProfile.objects.filter(pk=profile.pk)))[0]


def invitations_of_expert(*, user, profile: ExpertProfile) -> list[SpeakerInvitation]:
    """The invitations of the expert that the user reads (their own, or those to the
    gatherings of networks the user runs), newest first."""
    return list(
        rules.speaker_invitations_visible_to(user)
        .filter(expert_id=profile.user_id)
        .select_related("gathering__network", "invited_by")
        .order_by("-created_at", "-pk")
    )


def my_speaker_invitations(*, user) -> list[SpeakerInvitation]:
    """The invitations to the person, newest first."""
    return list(
        SpeakerInvitation.objects.filter(expert=user)
        .select_related("gathering__network", "invited_by")
        .order_by("-created_at", "-pk")
    )


def gatherings_to_invite_to(user) -> QuerySet[Gathering]:
    return (
        rules.gatherings_inviting_speakers(user)
        .select_related("network")
        .order_by("starts_at", "pk")
    )


def invitation_is_answerable(invitation: SpeakerInvitation) -> bool:
    gathering = invitation.gathering
    return (
        invitation.state == SpeakerInvitation.State.SENT
        and gathering.cancelled_at is None
        and gathering.starts_at > timezone.now()
    )


def invitation_is_withdrawable(invitation: SpeakerInvitation) -> bool:
    return (
        invitation.state in SpeakerInvitation.OPEN_STATES
        and invitation.gathering.starts_at > timezone.now()
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


def practices_shared_count(programme, as_of=None) -> int:
    """The practices published from the programme's strategies (by ``as_of``, a day): a
    practice retired since was still shared then; one merged into another counts once, as
    the other. The programme's figures read it through ``reports.hooks``."""
    practices = Practice.objects.filter(strategy__network__programme=programme).exclude(
        state=Practice.State.MERGED
    )
    if as_of is not None:
        practices = practices.filter(published_at__date__lte=as_of)
    return practices.count()
