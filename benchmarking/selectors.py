"""Reads: a municipality's position in key figures, a network's table, an indicator's
ranking. Each runs a fixed number of queries and leaves the arithmetic to ``analysis.py``.

pandas (and ``analysis``, which is pandas) is imported inside the functions that compute: the
pages and modules that import this one for a list or a label do not load it.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core import i18n
from networks.models import Municipality, Network, NetworkMembership, Programme
from networks.rules import role_scopes

from .models import (
    ComparisonSet,
    Indicator,
    Observation,
    ReferenceValue,
    Scope,
    SetSummary,
    SimilarMunicipality,
    Standing,
)
from .structure import CATEGORY as STRUCTURAL_CATEGORY

if TYPE_CHECKING:
    import pandas as pd


class Comparison(StrEnum):
    NETWORK = "network"
    COUNTRY = "country"
    PEER_GROUP = "peer_group"
    SIMILAR = "similar"  # the nearest neighbours by structural figures (similar.py)
    SAVED_SET = "set"  # a person's own comparison set
    # Every municipality in the programme's running or finished networks, in every country:
    # only the figures defined alike across countries are compared (comparability.py).
    PROGRAMME = "programme"

    @property
    def label(self):
        return {
            "network": _("the network"),
            "country": _("the country"),
            "peer_group": _("the peer group"),
            "similar": _("similar municipalities"),
            "set": _("your comparison set"),
            "programme": _("the programme"),
        }[self.value]


def _frame(rows) -> "pd.DataFrame":
    import pandas as pd  # see the module's docstring

    frame = pd.DataFrame.from_records(
        list(rows), columns=["indicator", "municipality", "year", "value"]
    )
    frame["value"] = frame["value"].astype(float)
    return frame


def _members_query(
    *,
    municipality: Municipality,
    comparison: Comparison,
    network: Network | None,
    comparison_set: ComparisonSet | None = None,
    programme: Programme | None = None,
) -> QuerySet:
    """The ids of the comparison set as a query, to be used as a subquery: a country holds
    tens of thousands of municipalities, too many to send as a list of parameters (SQLite's
    default build refuses more than 32,766). The similar municipalities and a saved set
    always hold the municipality itself, which is ranked among them."""
    if comparison == Comparison.SIMILAR:
        neighbours = SimilarMunicipality.objects.filter(municipality=municipality)
        return (
            Municipality.objects.filter(
                Q(pk=municipality.pk) | Q(pk__in=neighbours.values("neighbour_id"))
            )
            .order_by()
            .values_list("pk", flat=True)
        )
    if comparison == Comparison.SAVED_SET and comparison_set is not None:
        chosen = ComparisonSet.municipalities.through.objects.filter(
            comparisonset_id=comparison_set.pk
        )
        return (
            Municipality.objects.filter(
                Q(pk=municipality.pk) | Q(pk__in=chosen.values("municipality_id"))
            )
            .order_by()
            .values_list("pk", flat=True)
        )
    if comparison == Comparison.PROGRAMME and programme is not None:
        counted = NetworkMembership.objects.filter(
            network__programme=programme, network__state__in=Network.COUNTED_STATES
        )
        return (
            Municipality.objects.filter(
                Q(pk=municipality.pk) | Q(pk__in=counted.values("municipality_id"))
            )
            .order_by()
            .values_list("pk", flat=True)
        )
    if comparison == Comparison.NETWORK and network is not None:
        return NetworkMembership.objects.filter(network=network).values_list(
            "municipality_id", flat=True
        )
    if comparison == Comparison.PEER_GROUP and municipality.peer_group_id:
        municipalities = Municipality.objects.filter(peer_group_id=municipality.peer_group_id)
    elif comparison == Comparison.PEER_GROUP:
        municipalities = Municipality.objects.filter(pk=municipality.pk)  # a set of one
    else:
        municipalities = Municipality.objects.filter(country_id=municipality.country_id)
    return municipalities.order_by().values_list("pk", flat=True)


@dataclass
class PositionRow:
    indicator: Indicator
    value: float | None
    mean: float | None
    median: float | None
    rank: int | None
    count: int
    percentile: float | None
    previous_year: int | None
    change: float | None
    references: list[ReferenceValue]
    series: list[tuple[int, float | None]]  # the municipality's own values by year
    status: str = ""  # the source's symbol for why the value is missing
    minimum: float | None = None  # the lowest and highest value in the comparison set
    maximum: float | None = None
    year: int | None = None  # the year of this line's figures
    # A national figure beside municipalities of other countries: the page warns.
    not_comparable: bool = False


@dataclass
class PositionPage:
    municipality: Municipality
    comparison: Comparison
    network: Network | None
    year: int | None
    years: list[int]
    rows: list[PositionRow] = field(default_factory=list)
    member_count: int = 0
    # Each line in its own latest year with a value, rather than every line in ``year``.
    latest: bool = False
    countries: int = 0  # the countries of the set's municipalities
    # National figures of the municipality not compared (the programme compares only the
    # figures defined alike in every country).
    left_out: int = 0


def _nan_to_none(value):
    """None for a missing value: None, or the NaN that pandas gives for one."""
    return None if value is None or value != value else value  # NaN is not equal to itself


def _stored(
    *, municipality: Municipality, comparison: Comparison, years: dict[int, int]
) -> dict[int, tuple[SetSummary, Standing | None]]:
    """Country and peer-group figures computed at import (standings.py), where they exist,
    for each indicator in its year (``years``: indicator id -> year)."""
    scope = {Comparison.COUNTRY: Scope.COUNTRY, Comparison.PEER_GROUP: Scope.PEER_GROUP}.get(
        comparison
    )
    group = municipality.country_id if scope == Scope.COUNTRY else municipality.peer_group_id
    if scope is None or group is None or not years:
        return {}
    wanted = {"indicator_id__in": list(years), "year__in": set(years.values()), "scope": scope}
    summaries = [
        s
        for s in SetSummary.objects.filter(group=group, **wanted)
        if years[s.indicator_id] == s.year
    ]
    standings = {
        s.indicator_id: s
        for s in Standing.objects.filter(municipality=municipality, **wanted)
        if years[s.indicator_id] == s.year
    }
    return {s.indicator_id: (s, standings.get(s.indicator_id)) for s in summaries}


def _own_history(frame: "pd.DataFrame", indicator_id: int, subject: int, year: int):
    """The municipality's series up to the year, and the change since the last earlier year."""
    own = frame[(frame["municipality"] == subject) & (frame["indicator"] == indicator_id)]
    own = own.sort_values("year")
    series = [(int(y), _nan_to_none(v)) for y, v in zip(own["year"], own["value"], strict=True)]
    value = dict(series).get(year)
    earlier = [(y, v) for y, v in series if y < year and v is not None]
    previous_year, previous = earlier[-1] if earlier else (None, None)
    change = value - previous if value is not None and previous is not None else None
    return series, value, previous_year, change


def _latest_years(observations: QuerySet) -> dict[int, int]:
    """Each indicator's latest year with a value among ``observations`` (a municipality's own,
    or a network's members'), or its latest year with a row at all (a missing value, shown
    with its reason) when it has no value."""
    return {
        pk: valued or last
        for pk, valued, last in observations.order_by()
        .values("indicator_id")
        .annotate(valued=Max("year", filter=Q(value__isnull=False)), last=Max("year"))
        .values_list("indicator_id", "valued", "last")
    }


def _live_figures(frame, *, live, years, subject, directions):
    """Rank here and now the indicators without stored standings, each in its own year
    (``analysis.position`` per distinct year: a handful, whatever the data)."""
    import pandas as pd  # see the module's docstring

    from . import analysis

    results = []
    for year in sorted({years[pk] for pk in live}):
        ids = [pk for pk in live if years[pk] == year]
        part = frame[frame["indicator"].isin(ids)]
        results.append(
            analysis.position(
                part,
                subject=subject,
                members=sorted(set(part["municipality"].tolist()) | {subject}),
                year=year,
                directions=directions,
            )
        )
    return pd.concat(results) if results else None


def _figures(pk, *, stored, live_result, lowest, highest) -> dict | None:
    """The set's figures of one indicator: stored at import, or ranked here and now."""
    if pk in stored:
        summary, standing = stored[pk]
        return {
            "mean": summary.mean,
            "median": summary.median,
            "count": summary.count,
            "minimum": summary.minimum,
            "maximum": summary.maximum,
            "rank": standing.rank if standing else None,
            "percentile": standing.percentile if standing else None,
        }
    if live_result is None or pk not in live_result.index:
        return None  # no figure in the year or before it
    row = live_result.loc[pk]
    rank = _nan_to_none(row["rank"])
    return {
        "mean": _nan_to_none(row["mean"]),
        "median": _nan_to_none(row["median"]),
        "count": int(row["count"]),
        "minimum": _nan_to_none(lowest.get(pk)),
        "maximum": _nan_to_none(highest.get(pk)),
        "rank": int(rank) if rank is not None else None,
        "percentile": _nan_to_none(row["percentile"]),
    }


def _shown_comparison(comparison, network, comparison_set, programme) -> Comparison:
    """The comparison asked for, or the country when the set it needs is not given."""
    needs = {
        Comparison.NETWORK: network,
        Comparison.SAVED_SET: comparison_set,
        Comparison.PROGRAMME: programme,
    }
    if comparison in needs and needs[comparison] is None:
        return Comparison.COUNTRY
    return comparison


def _set_size(members: QuerySet) -> tuple[int, int]:
    """How many municipalities the comparison set holds, and from how many countries."""
    counts = Municipality.objects.filter(pk__in=members).aggregate(
        members=Count("pk"), countries=Count("country", distinct=True)
    )
    return counts["members"], counts["countries"]


def _page_year(own: QuerySet, year: int | None, latest: bool) -> tuple[int | None, list[int]]:
    """The year shown and the years offered. Unless one is asked: the latest with figures
    beyond the register's structural ones (population and area are often a year ahead)."""
    bounds = own.aggregate(
        first=Min("year"),
        last=Max("year"),
        measured=Max("year", filter=~Q(indicator__category=STRUCTURAL_CATEGORY)),
    )
    years = list(range(bounds["first"], bounds["last"] + 1)) if bounds["last"] is not None else []
    if latest or year not in years:
        year = bounds["measured"] or bounds["last"]
    return year, years


def municipality_position(
    *,
    municipality: Municipality,
    comparison: Comparison = Comparison.NETWORK,
    network: Network | None = None,
    year: int | None = None,
    comparison_set: ComparisonSet | None = None,
    latest: bool = False,
    programme: Programme | None = None,
) -> PositionPage:
    """Every indicator the municipality has figures for, against its comparison set: all in
    one year, or with ``latest`` each in its own latest year with a value (figures of a
    self-assessment round, a census year and a yearly statistic then sit side by side).

    The country and the peer group are read from the standings stored at import; a network,
    or an indicator whose standings are not computed yet, is ranked here and now. A network
    comparison without a network is a comparison with the country, and says so.
    """
    comparison = _shown_comparison(comparison, network, comparison_set, programme)
    own = Observation.objects.filter(municipality=municipality)
    year, years = _page_year(own, year, latest)
    page = PositionPage(municipality, comparison, network, year, years, latest=latest)
    if year is None:
        return page
    indicators = {i.pk: i for i in Indicator.objects.filter(observations__in=own).distinct()}
    if comparison == Comparison.PROGRAMME:  # across countries: only what is defined alike
        international = {pk: i for pk, i in indicators.items() if i.comparable_across_countries}
        page.left_out, indicators = len(indicators) - len(international), international
    row_years = (
        _latest_years(own.filter(indicator_id__in=list(indicators)))
        if latest
        else dict.fromkeys(indicators, year)
    )
    members = _members_query(
        municipality=municipality,
        comparison=comparison,
        network=network,
        comparison_set=comparison_set,
        programme=programme,
    )
    page.member_count, page.countries = _set_size(members)
    if not indicators:
        return page
    stored = _stored(municipality=municipality, comparison=comparison, years=row_years)
    live = [pk for pk in indicators if pk not in stored]
    # The set's values in each indicator's year for what is ranked here and now, and the
    # municipality's own history up to it: not every member's every year.
    rows = [
        row
        for row in Observation.objects.filter(
            indicator_id__in=list(indicators), year__lte=max(row_years.values())
        )
        .filter(
            Q(year__in=set(row_years.values()), municipality_id__in=members, indicator_id__in=live)
            | Q(municipality_id=municipality.pk)
        )
        .values_list("indicator_id", "municipality_id", "year", "value", "status")
        if row[2] <= row_years[row[0]]
        and (row[1] == municipality.pk or row[2] == row_years[row[0]])
    ]
    frame = _frame(row[:4] for row in rows)
    statuses = {
        row[0]: row[4] for row in rows if row[1] == municipality.pk and row[2] == row_years[row[0]]
    }
    in_year = frame[frame["year"] == frame["indicator"].map(row_years)].groupby("indicator")
    lowest, highest = in_year["value"].min(), in_year["value"].max()
    live_result = _live_figures(
        frame[frame["indicator"].isin(live)],
        live=live,
        years=row_years,
        subject=municipality.pk,
        directions={pk: i.higher_is_better for pk, i in indicators.items()},
    )
    references: dict[int, list[ReferenceValue]] = {}
    for reference in ReferenceValue.objects.filter(
        indicator_id__in=list(indicators), year__in=set(row_years.values())
    ).order_by("area_code"):
        if reference.year == row_years[reference.indicator_id]:
            references.setdefault(reference.indicator_id, []).append(reference)
    for pk, indicator in indicators.items():
        figures = _figures(
            pk, stored=stored, live_result=live_result, lowest=lowest, highest=highest
        )
        if figures is None:
            continue
        row_year = row_years[pk]
        series, value, previous_year, change = _own_history(frame, pk, municipality.pk, row_year)
        page.rows.append(
            PositionRow(
                indicator=indicator,
                value=value,
                previous_year=previous_year,
                change=change,
                references=references.get(pk, []),
                series=series,
                status=statuses.get(pk, ""),
                year=row_year,
                not_comparable=page.countries > 1 and not indicator.comparable_across_countries,
                **figures,
            )
        )
    page.rows.sort(key=lambda r: (r.indicator.category, r.indicator.name))
    return page


@dataclass
class NetworkTable:
    network: Network
    year: int | None
    years: list[int]
    indicators: list[Indicator]
    members: list[Municipality]
    cells: dict[tuple[int, int], tuple[float | None, int | None, float | None]]
    # (municipality id, indicator id) -> (value, rank, percentile)
    statuses: dict[tuple[int, int], str] = field(default_factory=dict)
    # (municipality id, indicator id) -> the source's symbol where the value is missing
    latest: bool = False  # each indicator in its own latest year with a member's value
    indicator_years: dict[int, int] = field(default_factory=dict)  # indicator id -> its year


def _network_years(observations: QuerySet, year: int | None, latest: bool):
    """The table's year, the years offered, and each indicator's year: ``year`` for all, or
    with ``latest`` each indicator's latest year with a member's value."""
    kinds = set(
        observations.order_by()
        .values_list("year", Q(indicator__category=STRUCTURAL_CATEGORY))
        .distinct()
    )
    years = sorted({y for y, _structural in kinds})
    measured = sorted({y for y, structural in kinds if not structural})
    if latest or year not in years:
        year = (measured or years or [None])[-1]  # as municipality_position chooses
    if not latest:
        return year, years, None
    return year, years, _latest_years(observations)


def network_table(
    *, network: Network, year: int | None = None, latest: bool = False
) -> NetworkTable:
    """All members by all indicators in a year, with each value's rank among the members; or,
    with ``latest``, each indicator in its own latest year."""
    members = list(network.municipalities.order_by("name"))
    ids = [m.pk for m in members]
    observations = Observation.objects.filter(municipality_id__in=ids)
    year, years, indicator_years = _network_years(observations, year, latest)
    wanted = (
        observations.filter(year=year)
        if indicator_years is None
        else observations.filter(year__in=set(indicator_years.values()))
    )
    cells, statuses = {}, {}
    rows = [
        row
        for row in wanted.values_list("indicator_id", "municipality_id", "year", "value", "status")
        if indicator_years is None or row[2] == indicator_years[row[0]]
    ]
    indicators = list(Indicator.objects.filter(pk__in={row[0] for row in rows}))
    if year is not None:
        statuses = {(row[1], row[0]): row[4] for row in rows if row[4]}
        # Each indicator's rows are of its one year: ranked as one year, whichever it is.
        frame = _frame((row[0], row[1], 0, row[3]) for row in rows)
        from . import analysis  # see the module's docstring

        result = analysis.table(
            frame, year=0, directions={i.pk: i.higher_is_better for i in indicators}
        )
        for indicator in indicators:
            if indicator.pk not in result.columns.get_level_values(0):
                continue
            for municipality_id, row in result[indicator.pk].iterrows():
                rank = _nan_to_none(row["rank"])
                cells[(int(municipality_id), indicator.pk)] = (
                    _nan_to_none(row["value"]),
                    int(rank) if rank is not None else None,
                    _nan_to_none(row["percentile"]),
                )
    indicators.sort(key=lambda i: (i.category, i.name))
    return NetworkTable(
        network,
        year,
        years,
        indicators,
        members,
        cells,
        statuses,
        latest=latest,
        indicator_years=indicator_years or {},
    )


@dataclass
class Ranking:
    indicator: Indicator
    year: int | None
    years: list[int]
    rows: list[tuple[Municipality, float | None, int | None, float | None]]
    references: list[ReferenceValue]
    statuses: dict[int, str] = field(default_factory=dict)
    # municipality id -> the source's symbol where the value is missing


def indicator_ranking(*, indicator: Indicator, municipalities, year: int | None = None) -> Ranking:
    """An indicator's values over a set of municipalities, best first, missing last."""
    observations = Observation.objects.filter(indicator=indicator, municipality__in=municipalities)
    years = sorted(observations.values_list("year", flat=True).distinct())
    if year not in years:
        year = years[-1] if years else None
    rows = list(observations.filter(year=year).select_related("municipality"))
    import pandas as pd  # see the module's docstring

    from . import analysis

    series = pd.Series({o.municipality_id: o.value for o in rows}, dtype=float)
    ranked = analysis.ranks(series, higher_is_better=indicator.higher_is_better)
    by_id = {o.municipality_id: o.municipality for o in rows}
    table = [
        (
            by_id[pk],
            _nan_to_none(r["value"]),
            _nan_to_none(r["rank"]) and int(r["rank"]),
            _nan_to_none(r["percentile"]),
        )
        for pk, r in ranked.iterrows()
    ]
    table.sort(key=lambda row: (row[2] is None, row[2] or 0, row[0].name))
    references = list(
        ReferenceValue.objects.filter(indicator=indicator, year=year).order_by("area_code")
    )
    statuses = {o.municipality_id: o.status for o in rows if o.status}
    return Ranking(indicator, year, years, table, references, statuses)


def best_performers(ranking: Ranking, *, among: set[int], count: int = 3):
    """The best ``count`` of a ranking among some municipalities ("learn from the best")."""
    return [row for row in ranking.rows if row[0].pk in among and row[2] is not None][:count]


def indicator_series(
    *, indicator: Indicator, municipality: Municipality
) -> list[tuple[int, float | None]]:
    """A municipality's values of an indicator by year (``None`` where missing)."""
    return list(
        Observation.objects.filter(indicator=indicator, municipality=municipality)
        .order_by("year")
        .values_list("year", "value")
    )


@dataclass
class LearningSet:
    """A set whose best performers a user learns from: a network or a peer group."""

    kind: Comparison
    name: str
    member_ids: set[int]


def learning_sets(*, user) -> list[LearningSet]:
    """The networks the user belongs to (through a municipality, or as their facilitator)
    and the peer groups of the user's municipalities, with their members. Two queries."""
    scopes = role_scopes(user)
    if not (scopes.municipality_ids or scopes.facilitated_network_ids):
        return []
    networks: dict[int, LearningSet] = {}
    for network_id, name, municipality_id in NetworkMembership.objects.filter(
        Q(network_id__in=scopes.facilitated_network_ids)
        | Q(
            network_id__in=NetworkMembership.objects.filter(
                municipality_id__in=scopes.municipality_ids
            ).values("network_id")
        )
    ).values_list("network_id", "network__name", "municipality_id"):
        networks.setdefault(network_id, LearningSet(Comparison.NETWORK, name, set()))
        networks[network_id].member_ids.add(municipality_id)
    groups: dict[int, LearningSet] = {}
    if scopes.municipality_ids:
        own_groups = Municipality.objects.filter(
            pk__in=scopes.municipality_ids, peer_group__isnull=False
        ).values("peer_group_id")
        for pk, group_id, name in Municipality.objects.filter(
            peer_group_id__in=own_groups
        ).values_list("pk", "peer_group_id", "peer_group__name"):
            groups.setdefault(group_id, LearningSet(Comparison.PEER_GROUP, name, set()))
            groups[group_id].member_ids.add(pk)
    return sorted(networks.values(), key=lambda s: s.name) + sorted(
        groups.values(), key=lambda s: s.name
    )


def indicators_ranks_pending() -> QuerySet[Indicator]:
    """Indicators whose stored ranks are not ready: waiting, being computed, or failed."""
    return Indicator.objects.exclude(standings_state=Indicator.StandingsState.READY).order_by(
        "code"
    )


@dataclass
class Medians:
    """An indicator's medians by year beside a municipality's own line: the network's,
    computed from its members' values, and the country's, stored at import (``SetSummary``)."""

    network: list[tuple[int, float]] = field(default_factory=list)
    country: list[tuple[int, float]] = field(default_factory=list)


def series_medians(
    *, indicator_ids, municipality: Municipality, network: Network | None
) -> dict[int, Medians]:
    """The medians by year of each indicator, for the over-time chart: two queries whatever
    the number of indicators, years or members (one without a network). The network's
    median of a year is over the members with a value that year; the country's is read
    where the standings stored one."""
    from statistics import median  # plain numbers; no need for pandas here

    ids = list(indicator_ids)
    result = {pk: Medians() for pk in ids}
    if network is not None:
        values: dict[tuple[int, int], list[float]] = {}
        for indicator_id, year, value in (
            Observation.objects.filter(
                indicator_id__in=ids,
                municipality_id__in=NetworkMembership.objects.filter(network=network).values(
                    "municipality_id"
                ),
                value__isnull=False,
            )
            .order_by()
            .values_list("indicator_id", "year", "value")
        ):
            values.setdefault((indicator_id, year), []).append(value)
        for (indicator_id, year), numbers in sorted(values.items()):
            result[indicator_id].network.append((year, median(numbers)))
    for indicator_id, year, value in (
        SetSummary.objects.filter(
            indicator_id__in=ids, scope=Scope.COUNTRY, group=municipality.country_id
        )
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "year", "median")
    ):
        result[indicator_id].country.append((year, value))
    return result


# --- The catalogue of indicators -------------------------------------------------------------

CATALOGUE_PER_PAGE = 25
_FOLDED = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ł": "l", "þ": "th"})


def folded(text: str) -> str:
    """Text for matching: case and accents ignored ("Bodø", "BODO" and "bodö" are alike), the
    same on SQLite and PostgreSQL (which has no ``unaccent`` here)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", str(text).casefold().translate(_FOLDED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class CatalogueEntry:
    indicator: Indicator
    first_year: int | None  # the first and last year with a value
    last_year: int | None
    municipalities: int  # how many municipalities have a value in some year


@dataclass
class Catalogue:
    query: str
    category: str
    source: str
    total: int  # every indicator in the portal
    matching: int  # the indicators the search and the filters leave
    page: object  # a django Page of CatalogueEntry
    categories: list[tuple[str, str, int]]  # (value, label, indicators) of every category
    sources: list[tuple[str, int]]  # (source, indicators)


def indicator_catalogue(
    *, query: str = "", category: str = "", source: str = "", page=1
) -> Catalogue:
    """Every indicator, searched by name (in any of the portal's languages), code and table,
    filtered by category and source, sorted by category and name in the reader's language
    (its own column, else English: core/i18n.py); a page of
    them with the years they cover and how many municipalities have values. Two queries
    whatever the number of indicators and observations: the indicators (matched here, not
    in SQL, so that accents and case are ignored on every database; a portal holds
    thousands of indicators, not millions) and the coverage of the page's ones.
    """
    from django.core.paginator import Paginator
    from django.db.models import Count

    from . import categories

    indicators = list(
        Indicator.objects.only(
            "code",
            *i18n.columns("name"),  # every language's, for the search and the fallback
            "unit",
            "source",
            "table_id",
            "category",
            "higher_is_better",
            "decimals",
        ).order_by()
    )
    words = folded(query).split()

    def matches(indicator: Indicator) -> bool:
        if category and indicator.category != category:
            return False
        if source and indicator.source != source:
            return False
        if not words:
            return True
        haystack = folded(
            " ".join(
                (
                    indicator.code,
                    *(getattr(indicator, column) for column in i18n.columns("name")),
                    indicator.table_id,
                    indicator.category_label,
                )
            )
        )
        return all(word in haystack for word in words)

    found = [i for i in indicators if matches(i)]
    found.sort(key=lambda i: (not i.category, folded(i.category_label), folded(i.name), i.code))
    shown = Paginator(found, CATALOGUE_PER_PAGE).get_page(page)
    ids = [i.pk for i in shown.object_list]
    coverage = {
        row["indicator_id"]: row
        for row in Observation.objects.filter(indicator_id__in=ids, value__isnull=False)
        .order_by()
        .values("indicator_id")
        .annotate(
            first=Min("year"), last=Max("year"), count=Count("municipality_id", distinct=True)
        )
    }
    shown.object_list = [
        CatalogueEntry(
            indicator=i,
            first_year=coverage.get(i.pk, {}).get("first"),
            last_year=coverage.get(i.pk, {}).get("last"),
            municipalities=coverage.get(i.pk, {}).get("count", 0),
        )
        for i in shown.object_list
    ]
    by_category: dict[str, int] = {}
    by_source: dict[str, int] = {}
    for indicator in indicators:
        if indicator.category:
            by_category[indicator.category] = by_category.get(indicator.category, 0) + 1
        if indicator.source:
            by_source[indicator.source] = by_source.get(indicator.source, 0) + 1
    return Catalogue(
        query=query,
        category=category,
        source=source,
        total=len(indicators),
        matching=len(found),
        page=shown,
        categories=sorted(
            ((value, categories.label(value), n) for value, n in by_category.items()),
            key=lambda c: folded(c[1]),
        ),
        sources=sorted(by_source.items(), key=lambda s: folded(s[0])),
    )


@dataclass
class Neighbour:
    municipality: Municipality
    rank: int
    distance: float
    compared_on: list[str]  # the codes of the figures both had
    figures: dict[str, float | None]  # code -> the neighbour's value


@dataclass
class SimilarPage:
    """A municipality's similar municipalities, with what they were chosen by."""

    municipality: Municipality
    variables: list  # structure.Variable, as configured
    indicators: dict[str, Indicator]  # code -> indicator, of the variables that exist
    own: dict[str, float | None]  # code -> the municipality's own value
    years: dict[str, int]  # code -> the year of the figures shown
    neighbours: list[Neighbour]
    computed_at: object = None
    method_version: str = ""

    @property
    def lacking(self) -> list[Indicator]:
        """The variables with figures in the portal that the municipality itself lacks."""
        return [i for code, i in self.indicators.items() if self.own.get(code) is None]


def similar_municipalities(*, municipality: Municipality) -> SimilarPage:
    """The stored nearest neighbours of a municipality and the structural figures of each
    (three queries, whatever the number of neighbours or of figures)."""
    from .structure import configured_variables

    variables = configured_variables()
    rows = list(
        SimilarMunicipality.objects.filter(municipality=municipality)
        .select_related("neighbour")
        .order_by("rank")
    )
    codes = [v.code for v in variables]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    ids = [municipality.pk, *(r.neighbour_id for r in rows)]
    latest: dict[tuple[str, int], tuple[int, float | None]] = {}
    for code, pk, year, value in (
        Observation.objects.filter(indicator__code__in=codes, municipality_id__in=ids)
        .order_by("year")
        .values_list("indicator__code", "municipality_id", "year", "value")
    ):
        latest[(code, pk)] = (year, value)  # ordered by year: the latest wins
    years = {code: y for (code, pk), (y, _v) in latest.items() if pk == municipality.pk}

    def figures_of(pk):
        return {code: latest.get((code, pk), (None, None))[1] for code in indicators}

    page = SimilarPage(
        municipality=municipality,
        variables=[v for v in variables if v.code in indicators],
        indicators={code: indicators[code] for code in codes if code in indicators},
        own=figures_of(municipality.pk),
        years=years,
        neighbours=[
            Neighbour(
                r.neighbour, r.rank, r.distance, list(r.compared_on), figures_of(r.neighbour_id)
            )
            for r in rows
        ],
    )
    if rows:
        page.computed_at, page.method_version = rows[0].computed_at, rows[0].method_version
    return page
