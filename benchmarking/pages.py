"""What the key-figure pages and the review reports show: numbers turned into text, labels
and charts. Pages (benchmarking/views/, hub/views.py) and PDFs (reports/documents.py) build
their lines here, so both say the same."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from .comparability import not_comparable_warning
from .models import Indicator

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


def shade(indicator, percentile) -> str:
    """The CSS class of a cell: five steps of percentile where a direction is better."""
    if percentile is None:
        return "kf-missing"
    if indicator.higher_is_better is None:
        return "kf-neutral"
    return f"kf-shade-{min(4, int(percentile // 20))}"


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
    year: int | None = None  # the year of the line's figures
    source: str = ""  # who defined the figure
    warning: str = ""  # a national figure beside other countries' municipalities


def trend(indicator, change_text: str, change: float | None) -> str:
    if change is None:
        return ""
    if change_text == charts.format_number(0, indicator.decimals):  # no change once rounded
        return _("unchanged")
    if indicator.higher_is_better is None:
        return ""
    return _("better") if (change > 0) == indicator.higher_is_better else _("worse")


def position_line(row, municipality, year) -> PositionLine:
    """The line of ``row`` as the page shows it, in the row's own year where it has one."""
    year = row.year or year
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
        trend=trend(indicator, change, row.change),
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
            unit=indicator.unit_label,
            label=f"{municipality.name} {year}",
        ),
        sparkline=charts.time_series(
            row.series,
            decimals=decimals,
            unit=indicator.unit_label,
            label=municipality.name,
            highlight=year,
            compact=True,
        ),
        year=year,
        source=indicator.source_name,
        warning=not_comparable_warning(indicator) if row.not_comparable else "",
    )


def over_time_chart(
    *, indicator, municipality, series, medians, network=None, year=None
) -> SafeString:
    """The over-time chart of a municipality's values, with the network's and the
    country's median by year beside them (``selectors.series_medians``), each named in the
    legend and in the text alternative."""
    lines = []
    if network is not None and medians.network:
        lines.append(
            charts.Line(
                _("Median of the network %(name)s") % {"name": network.name},
                medians.network,
                "network",
            )
        )
    if medians.country:
        lines.append(
            charts.Line(
                _("Median of %(country)s") % {"country": municipality.country.display_name},
                medians.country,
                "country",
            )
        )
    return charts.time_series(
        series,
        decimals=indicator.decimals,
        unit=indicator.unit_label,
        label=f"{indicator.name}, {municipality.name}",
        name=municipality.name,
        highlight=year,
        lines=lines,
    )


def over_time_caption(*, municipality, medians, network=None) -> str:
    """What the over-time chart's lines are, in words, for the caption under it."""
    values = {"name": municipality.name, "network": network.name if network else ""}
    if network is not None and medians.network and medians.country:
        text = _(
            "%(name)s's values (solid line, dots) beside the median of the network "
            "%(network)s (dashed line, squares) and of the country (dotted line, triangles), "
            "where they are known."
        )
    elif network is not None and medians.network:
        text = _(
            "%(name)s's values (solid line, dots) beside the median of the network "
            "%(network)s (dashed line, squares)."
        )
    elif medians.country:
        text = _(
            "%(name)s's values (solid line, dots) beside the median of the country "
            "(dotted line, triangles)."
        )
    else:
        return ""
    return text % values


@dataclass
class PositionTable:
    """What the position page shows of the key figures, kept in the cache."""

    year: int | None
    years: list[int]
    has_rows: bool
    html: SafeString
    latest: bool = False  # each line in its own latest year


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
    year: int | None = None  # the column's year


def network_table_lines(table) -> tuple[list[TableColumn], list[tuple[object, list[TableCell]]]]:
    """The network table's columns and, per member, its cells shaded by rank."""
    empty = (None, None, None)
    columns = [
        TableColumn(
            indicator,
            sum(1 for m in table.members if table.cells.get((m.pk, indicator.pk), empty)[1]),
            indicator.higher_is_better is not None,
            table.indicator_years.get(indicator.pk, table.year),
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
                    shade=shade(column.indicator, percentile),
                )
            )
        rows.append((municipality, cells))
    return columns, rows


@dataclass
class RankingLine:
    municipality: object
    value: str
    missing: str
    rank: int | None
    percentile: str
    is_own: bool
    strategy_id: int | None = None  # a shared action plan to learn from
    practices: list = field(default_factory=list)  # its practices to learn from (filled by hub)


@dataclass
class BestOf:
    """The best performers of one set the user belongs to ("learn from the best")."""

    kind: str  # "network" or "peer_group"
    name: str
    lines: list[RankingLine]


@dataclass
class SimilarFigure:
    label: str  # the figure's name
    value: str  # the neighbour's figure
    difference: str  # how far from the municipality's own, in per cent; "" when not compared
    compared: bool  # whether this figure counted in the distance


@dataclass
class SimilarLine:
    """One of a municipality's similar municipalities, as its page shows it."""

    municipality: object
    rank: int
    distance: str
    figures: list[SimilarFigure]
    partial: bool  # compared on fewer figures than the page lists


def similar_lines(page) -> list[SimilarLine]:
    """Each neighbour with its figures beside the municipality's own (selectors.SimilarPage)."""
    lines = []
    for neighbour in page.neighbours:
        figures = []
        for code, indicator in page.indicators.items():
            value, own = neighbour.figures.get(code), page.own.get(code)
            compared = code in neighbour.compared_on
            difference = ""
            if compared and value is not None and own:
                difference = charts.format_number(100 * (value - own) / own, 0, sign=True) + " %"
            figures.append(
                SimilarFigure(
                    indicator.name,
                    charts.format_number(value, indicator.decimals),
                    difference,
                    compared,
                )
            )
        lines.append(
            SimilarLine(
                neighbour.municipality,
                neighbour.rank,
                charts.format_number(neighbour.distance, 2),
                figures,
                partial=len(neighbour.compared_on) < len(page.indicators),
            )
        )
    return lines


@dataclass
class SimilarVariable:
    name: str
    unit: str
    year: int | None
    treatment: str
    own: str  # the municipality's own figure


def similar_variables(page) -> list[SimilarVariable]:
    """The figures the neighbours were found by, with the municipality's own."""
    by_code = {v.code: v for v in page.variables}
    return [
        SimilarVariable(
            indicator.name,
            indicator.unit_label,
            page.years.get(code),
            by_code[code].label,
            charts.format_number(page.own.get(code), indicator.decimals),
        )
        for code, indicator in page.indicators.items()
        if code in by_code
    ]
