"""Key figures: a municipality's position ("where we stand"), a network's table, an
indicator's ranking, and the position and the table as CSV and Excel downloads.

The views parse the query string, ask networks/rules.py what the user may see, call one
selector, and turn its numbers into text and charts for the template. The selectors (and so
pandas) are imported inside the views, so that other pages do not load them.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cemsdi_portal.core.access import visible_or_404
from networks.rules import municipalities_visible_to, networks_visible_to, role_scopes

from .. import charts, exports
from ..cache import cached
from ..models import Indicator

# What the statistics office's symbols say about a missing value (SSB's standard symbols).
STATUS_EXPLANATIONS = {
    ".": gettext_lazy("not applicable"),
    "..": gettext_lazy("not available"),
    "...": gettext_lazy("not yet available"),
    ":": gettext_lazy("confidential"),
    "-": gettext_lazy("nil in the source"),
}


def missing_reason(status: str) -> str:
    """Why a value is missing, in words, with the source's symbol."""
    if not status:
        return _("no figure")
    explanation = STATUS_EXPLANATIONS.get(status)
    if explanation is None:
        return _("missing (“%(symbol)s” in the source)") % {"symbol": status}
    return f"{explanation} ({status})"


def _year(request) -> int | None:
    text = request.GET.get("year", "")
    # isdecimal, not isdigit: superscript digits (²⁰²⁴) are digits that int() refuses.
    return int(text) if text.isdecimal() and len(text) == 4 else None


def _shade(indicator, percentile) -> str:
    """The CSS class of a cell: five steps of percentile where a direction is better."""
    if percentile is None:
        return "kf-missing"
    if indicator.higher_is_better is None:
        return "kf-neutral"
    return f"kf-shade-{min(4, int(percentile // 20))}"


# --- A municipality's position ---------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    selected: bool = False
    disabled: bool = False


@dataclass
class PositionLine:
    """One indicator of a municipality's position, as the page shows it."""

    indicator: Indicator
    value: str
    missing: str  # why the value is missing; empty when it is there
    mean: str
    median: str
    rank: int | None
    count: int
    percentile: str
    change: str
    previous_year: int | None
    trend: str  # "better", "worse", "unchanged" or "" (no direction or no change)
    references: list[tuple[str, str]]
    bar: SafeString
    sparkline: SafeString


def _trend(indicator, change_text: str, change: float | None) -> str:
    if change is None:
        return ""
    if change_text == charts.format_number(0, indicator.decimals):  # no change once rounded
        return _("unchanged")
    if indicator.higher_is_better is None:
        return ""
    return _("better") if (change > 0) == indicator.higher_is_better else _("worse")


def _position_line(row, municipality, year) -> PositionLine:
    indicator, decimals = row.indicator, row.indicator.decimals
    change = charts.format_number(row.change, decimals, sign=True) if row.change is not None else ""
    return PositionLine(
        indicator=indicator,
        value=charts.format_number(row.value, decimals),
        missing="" if row.value is not None else missing_reason(row.status),
        mean=charts.format_number(row.mean, decimals),
        median=charts.format_number(row.median, decimals),
        rank=row.rank,
        count=row.count,
        percentile=charts.format_number(row.percentile, 0),
        change=change,
        previous_year=row.previous_year,
        trend=_trend(indicator, change, row.change),
        references=[
            (
                ref.area_name,
                charts.format_number(ref.value, decimals)
                if ref.value is not None
                else f"– {missing_reason(ref.status)}",
            )
            for ref in row.references
        ],
        bar=charts.position_bar(
            value=row.value,
            mean=row.mean,
            median=row.median,
            minimum=row.minimum,
            maximum=row.maximum,
            decimals=decimals,
            unit=indicator.unit,
            label=f"{municipality.name} {year}",
        ),
        sparkline=charts.time_series(
            row.series,
            decimals=decimals,
            unit=indicator.unit,
            label=municipality.name,
            highlight=year,
            compact=True,
        ),
    )


@dataclass
class PositionRequest:
    municipality: object
    comparison: object  # selectors.Comparison
    network: object  # the network compared with, if any
    year: int | None  # the year asked for
    compare: str  # the chosen comparison: "network-<pk>", "country" or "peer_group"
    compared_with: str  # the comparison set in words
    choices: list[Choice] = field(default_factory=list)

    def page(self):
        """The position itself (``selectors.PositionPage``): the work of the page."""
        from .. import selectors

        return selectors.municipality_position(
            municipality=self.municipality,
            comparison=self.comparison,
            network=self.network,
            year=self.year,
        )


@dataclass
class PositionTable:
    """What the position page shows of the key figures, kept in the cache."""

    year: int | None
    years: list[int]
    has_rows: bool
    html: SafeString


def _position(request, pk) -> PositionRequest:
    """The municipality the user may see, and the comparison the query string asks for."""
    from .. import selectors

    municipality = visible_or_404(
        request,
        municipalities_visible_to(request.user).select_related("country", "peer_group"),
        pk,
        perm="networks.view_municipality",
    )
    networks = list(
        networks_visible_to(request.user)
        .filter(memberships__municipality=municipality)
        .order_by("planned_start", "name")
    )
    wanted = request.GET.get("compare", "")
    by_key = {f"network-{n.pk}": n for n in networks}
    network = by_key.get(wanted)
    if network is not None:
        comparison, compare = selectors.Comparison.NETWORK, wanted
    elif wanted == "peer_group" and municipality.peer_group_id:
        comparison, compare = selectors.Comparison.PEER_GROUP, wanted
    elif wanted == "country" or not networks:
        comparison, compare = selectors.Comparison.COUNTRY, "country"
    else:  # the first network the municipality is in
        network = networks[0]
        comparison, compare = selectors.Comparison.NETWORK, f"network-{network.pk}"
    peer_group = municipality.peer_group
    labels = {
        "country": _("the country: %(name)s") % {"name": municipality.country.name},
        "peer_group": _("the peer group: %(name)s") % {"name": peer_group.name}
        if peer_group
        else _("the peer group (not set for this municipality)"),
        **{key: _("the network: %(name)s") % {"name": n.name} for key, n in by_key.items()},
    }
    choices = [Choice(key, labels[key], selected=key == compare) for key in by_key]
    choices.append(Choice("country", labels["country"], selected=compare == "country"))
    choices.append(
        Choice(
            "peer_group",
            labels["peer_group"],
            selected=compare == "peer_group",
            disabled=peer_group is None,
        )
    )
    return PositionRequest(
        municipality, comparison, network, _year(request), compare, labels[compare], choices
    )


@login_required
def municipality_keyfigures(request, pk):
    position = _position(request, pk)
    municipality = position.municipality

    def build() -> PositionTable:
        page = position.page()
        lines = [_position_line(row, municipality, page.year) for row in page.rows]
        html = render_to_string(
            "benchmarking/_position_table.html",
            {
                "municipality": municipality,
                "page": page,
                "lines": lines,
                "compared_with": position.compared_with,
            },
        )
        return PositionTable(page.year, page.years, bool(page.rows), html)

    # Who may see the municipality was asked above; the table itself is the same for everyone
    # who asks for this comparison, until the key figures change (cache.py).
    table = cached(
        (
            "position",
            municipality.pk,
            position.compare,
            position.year,
            get_language(),
            position.compared_with,
        ),
        build,
    )
    return render(
        request,
        "benchmarking/municipality_keyfigures.html",
        {
            "municipality": municipality,
            "table": table,
            "choices": position.choices,
            "query": urlencode({"year": table.year or "", "compare": position.compare}),
        },
    )


@login_required
def municipality_keyfigures_export(request, pk, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    position = _position(request, pk)
    page = position.page()
    sheet = exports.position_sheet(page, compared_with=position.compared_with)
    name = slugify(position.municipality.name, allow_unicode=True) or position.municipality.pk
    filename = f"keyfigures-{name}-{page.year or 'none'}-{position.compare}"
    return exports.download(sheet, fmt, filename)


# --- A network's table -----------------------------------------------------------------------


@dataclass
class TableCell:
    value: str
    missing: str
    rank: int | None
    count: int
    shade: str


@dataclass
class TableColumn:
    indicator: Indicator
    count: int  # members with a value
    shaded: bool


def _network_table(request, pk):
    from .. import selectors

    network = visible_or_404(
        request, networks_visible_to(request.user), pk, perm="networks.view_network"
    )
    return selectors.network_table(network=network, year=_year(request))


@login_required
def network_keyfigures(request, pk):
    table = _network_table(request, pk)
    empty = (None, None, None)
    columns = [
        TableColumn(
            indicator,
            sum(1 for m in table.members if table.cells.get((m.pk, indicator.pk), empty)[1]),
            indicator.higher_is_better is not None,
        )
        for indicator in table.indicators
    ]
    rows = []
    for municipality in table.members:
        cells = []
        for column in columns:
            key = (municipality.pk, column.indicator.pk)
            value, rank, percentile = table.cells.get(key, empty)
            cells.append(
                TableCell(
                    value=charts.format_number(value, column.indicator.decimals),
                    missing=""
                    if value is not None
                    else missing_reason(table.statuses.get(key, "")),
                    rank=rank,
                    count=column.count,
                    shade=_shade(column.indicator, percentile),
                )
            )
        rows.append((municipality, cells))
    return render(
        request,
        "benchmarking/network_keyfigures.html",
        {
            "network": table.network,
            "table": table,
            "columns": columns,
            "rows": rows,
            "query": urlencode({"year": table.year or ""}),
        },
    )


@login_required
def network_keyfigures_export(request, pk, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    table = _network_table(request, pk)
    name = slugify(table.network.name, allow_unicode=True) or table.network.pk
    return exports.download(
        exports.network_sheet(table), fmt, f"keyfigures-{name}-{table.year or 'none'}"
    )


# --- An indicator's ranking ------------------------------------------------------------------


@dataclass
class RankingLine:
    municipality: object
    value: str
    missing: str
    rank: int | None
    percentile: str
    is_own: bool
    strategy_id: int | None = None  # a shared action plan to learn from


@dataclass
class BestOf:
    """The best performers of one set the user belongs to ("learn from the best")."""

    kind: str  # "network" or "peer_group"
    name: str
    lines: list[RankingLine]


@login_required
def indicator_detail(request, pk):
    from strategies.selectors import shared_plans

    from .. import selectors

    indicator = get_object_or_404(Indicator, pk=pk)
    decimals = indicator.decimals
    visible = municipalities_visible_to(request.user)
    ranking = selectors.indicator_ranking(
        indicator=indicator, municipalities=visible, year=_year(request)
    )
    own_ids = role_scopes(request.user).municipality_ids

    def line(municipality, value, rank, percentile):
        return RankingLine(
            municipality=municipality,
            value=charts.format_number(value, decimals),
            missing=""
            if value is not None
            else missing_reason(ranking.statuses.get(municipality.pk, "")),
            rank=rank,
            percentile=charts.format_number(percentile, 0),
            is_own=municipality.pk in own_ids,
        )

    subject = None
    if own_ids:
        subject = visible.filter(pk__in=own_ids).order_by("name").first()
    if subject is None and ranking.rows:
        subject = ranking.rows[0][0]
    chart = None
    if subject is not None:
        chart = charts.time_series(
            selectors.indicator_series(indicator=indicator, municipality=subject),
            decimals=decimals,
            unit=indicator.unit,
            label=f"{indicator.name}, {subject.name}",
            highlight=ranking.year,
        )
    best = [
        BestOf(
            str(learning_set.kind),
            learning_set.name,
            [
                line(*row)
                for row in selectors.best_performers(ranking, among=learning_set.member_ids)
            ],
        )
        for learning_set in selectors.learning_sets(user=request.user)
    ]
    plans = shared_plans(
        user=request.user, municipality_ids={b.municipality.pk for s in best for b in s.lines}
    )
    for best_line in (b for s in best for b in s.lines):
        best_line.strategy_id = plans.get(best_line.municipality.pk)
    return render(
        request,
        "benchmarking/indicator_detail.html",
        {
            "indicator": indicator,
            "ranking": ranking,
            "lines": [line(*row) for row in ranking.rows],
            "references": [
                (
                    ref.area_name,
                    charts.format_number(ref.value, decimals),
                    "" if ref.value is not None else missing_reason(ref.status),
                )
                for ref in ranking.references
            ],
            "subject": subject,
            "chart": chart,
            "best": best,
        },
    )
