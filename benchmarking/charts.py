"""The charts of key figures, as SVG markup: the one place pages and PDF reports draw them.

Each function returns a safe string holding one ``<svg>`` element that scales by its
``viewBox``, carries ``role="img"`` and a text alternative stating the numbers (``aria-label``
and ``<title>``), and needs no script, stylesheet, font file or other resource: colours and
sizes are presentation attributes, so WeasyPrint draws it as a browser does. Every text that
comes from data is escaped (``format_html``); coordinates are written with a decimal point
whatever the language.

Colours are dark enough on white for non-text graphics (WCAG 1.4.11, at least 3:1), and the
marks differ in shape as well as colour: the value is a filled dot, the median a bar, the mean
a hollow diamond. Over the years, the municipality's line is solid with filled dots, the
network's median dashed with hollow squares, the country's median dotted with triangles, each
named in a legend under the chart and in its text alternative.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cemsdi_portal.core.numbers import format_number  # the pages' and the PDFs' one way

VALUE_COLOUR = "#0a4a9e"  # the portal's blue: 8.6:1 on white
MEDIAN_COLOUR = "#212529"  # near black
MEAN_COLOUR = "#a14a00"  # dark orange: 5.6:1 on white
RANGE_COLOUR = "#6c757d"  # grey: 4.7:1 on white
TEXT_COLOUR = "#212529"
FONT = "DejaVu Sans, Arial, sans-serif"


def _c(number: float) -> str:
    """A coordinate, with a decimal point whatever the language."""
    return f"{number:.1f}"


def _with_unit(value: float | None, decimals: int, unit: str) -> str:
    text = format_number(value, decimals)
    return f"{text} {unit}" if unit and value is not None else text


def _svg(*, width: int, height: int, css_class: str, label: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="kf-chart {}" role="img" '
        'aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'preserveAspectRatio="xMidYMid meet"><title>{}</title>{}</svg>',
        css_class,
        label,
        width,
        height,
        width,
        height,
        label,
        body,
    )


def _join(parts) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def position_bar(
    *,
    value: float | None,
    mean: float | None,
    median: float | None,
    minimum: float | None,
    maximum: float | None,
    decimals: int = 1,
    unit: str = "",
    label: str = "",
    width: int = 200,
    height: int = 28,
) -> SafeString:
    """Where a value lies in its comparison set: the set's range as a line from its lowest
    to its highest value, with the median, the mean and the value marked on it."""
    numbers = {
        "value": _with_unit(value, decimals, unit),
        "mean": format_number(mean, decimals),
        "median": format_number(median, decimals),
        "minimum": format_number(minimum, decimals),
        "maximum": format_number(maximum, decimals),
    }
    if value is None:
        text = _(
            "%(label)s: no value. Comparison set: mean %(mean)s, median %(median)s, "
            "from %(minimum)s to %(maximum)s."
        )
    else:
        text = _(
            "%(label)s: %(value)s. Comparison set: mean %(mean)s, median %(median)s, "
            "from %(minimum)s to %(maximum)s."
        )
    alternative = text % {"label": label or _("Value"), **numbers}
    parts = []
    if minimum is not None and maximum is not None:
        pad = 8
        span = maximum - minimum

        def x(number):
            if span == 0:
                return width / 2
            return pad + (number - minimum) / span * (width - 2 * pad)

        middle = height / 2
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                _c(x(minimum)),
                _c(middle),
                _c(x(maximum)),
                _c(middle),
                RANGE_COLOUR,
            )
        )
        for end in (minimum, maximum):
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                    _c(x(end)),
                    _c(middle - 5),
                    _c(x(end)),
                    _c(middle + 5),
                    RANGE_COLOUR,
                )
            )
        if median is not None:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="3" height="{}" fill="{}"/>',
                    _c(x(median) - 1.5),
                    _c(middle - 9),
                    18,
                    MEDIAN_COLOUR,
                )
            )
        if mean is not None:
            cx = x(mean)
            parts.append(
                format_html(
                    '<polygon points="{},{} {},{} {},{} {},{}" '
                    'fill="#ffffff" stroke="{}" stroke-width="2"/>',
                    _c(cx),
                    _c(middle - 6),
                    _c(cx + 6),
                    _c(middle),
                    _c(cx),
                    _c(middle + 6),
                    _c(cx - 6),
                    _c(middle),
                    MEAN_COLOUR,
                )
            )
        if value is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="6" fill="{}" stroke="#ffffff" stroke-width="1.5"/>',
                    _c(x(value)),
                    _c(middle),
                    VALUE_COLOUR,
                )
            )
    return _svg(
        width=width, height=height, css_class="kf-bar", label=alternative, body=_join(parts)
    )


# A time series' margins (left, right, top, bottom): a sparkline has no axis labels.
_SERIES_MARGINS = {True: (4, 4, 4, 4), False: (64, 16, 12, 28)}
_LEGEND_ROW = 18  # the height of a legend's line under a chart with medians


@dataclass(frozen=True)
class Line:
    """A line drawn beside the municipality's own, such as the network's median by year.
    ``style`` is one of ``LINE_STYLES``: each differs from the others in colour, dash and
    the shape of its marks."""

    name: str
    points: list[tuple[int, float | None]]
    style: str = "network"


# style -> (colour, dash pattern, mark); the own line is solid with filled dots.
LINE_STYLES = {
    "own": (VALUE_COLOUR, "", "dot"),
    "network": (MEAN_COLOUR, "7 4", "square"),  # dashed, hollow squares
    "country": (MEDIAN_COLOUR, "2 3", "triangle"),  # dotted, filled triangles
}


def _listed(points, decimals: int) -> str:
    missing = _("missing")  # outside the f-string, where makemessages finds it
    return "; ".join(
        f"{year}: {format_number(value, decimals) if value is not None else missing}"
        for year, value in points
    )


def _series_alternative(
    points: list[tuple[int, float | None]],
    *,
    decimals: int,
    unit: str,
    label: str,
    lines: tuple[Line, ...] = (),
) -> str:
    if not points and not any(line.points for line in lines):
        return _("%(label)s: no figures.") % {"label": label or _("Values by year")}
    text = _("%(label)s by year (%(unit)s): %(values)s.") % {
        "label": label or _("Values"),
        "unit": unit or _("no unit"),
        "values": _listed(points, decimals) if points else _("no figures"),
    }
    for line in lines:
        text += " " + _("%(name)s: %(values)s.") % {
            "name": line.name,
            "values": _listed(line.points, decimals) if line.points else _("no figures"),
        }
    return text


def _series_scales(years, values, *, width: int, height: int, compact: bool):
    """The x of a year and the y of a value inside the margins; one year or one value is
    drawn in the middle."""
    left, right, top, bottom = _SERIES_MARGINS[compact]
    first, last = min(years), max(years)
    low, high = min(values), max(values)

    def x(year):
        if last == first:
            return left + (width - left - right) / 2
        return left + (year - first) / (last - first) * (width - left - right)

    def y(value):
        if high == low:
            return top + (height - top - bottom) / 2
        return top + (high - value) / (high - low) * (height - top - bottom)

    return x, y


def _series_lines(points, x, y, *, compact: bool, style: str = "own") -> list[SafeString]:
    """One line per run of years with values: a missing year breaks the line."""
    colour, dash, _mark = LINE_STYLES[style]
    segments, current = [], []
    for year, value in points:
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((x(year), y(value)))
    if current:
        segments.append(current)
    dashes = format_html(' stroke-dasharray="{}"', dash) if dash else ""
    return [
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" '
            'stroke-linejoin="round"{}/>',
            " ".join(f"{_c(px)},{_c(py)}" for px, py in segment),
            colour,
            1.5 if compact else (2.5 if style == "own" else 2),
            dashes,
        )
        for segment in segments
        if len(segment) > 1
    ]


def _mark(style: str, cx: float, cy: float, size: float) -> SafeString:
    """A value's mark: a filled dot (own), a hollow square (network), a triangle (country)."""
    colour, _dash, shape = LINE_STYLES[style]
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" stroke="{}" '
            'stroke-width="2" class="kf-mark-{}"/>',
            _c(cx - size),
            _c(cy - size),
            _c(2 * size),
            _c(2 * size),
            colour,
            style,
        )
    if shape == "triangle":
        return format_html(
            '<polygon points="{},{} {},{} {},{}" fill="{}" class="kf-mark-{}"/>',
            _c(cx),
            _c(cy - size * 1.2),
            _c(cx + size * 1.1),
            _c(cy + size * 0.8),
            _c(cx - size * 1.1),
            _c(cy + size * 0.8),
            colour,
            style,
        )
    return format_html('<circle cx="{}" cy="{}" r="{}" fill="{}"/>', _c(cx), _c(cy), size, colour)


def _series_dots(present, x, y, *, highlight: int | None, compact: bool) -> list[SafeString]:
    radii = (1.8, 3) if compact else (3.5, 5.5)  # (a year, the highlighted year)
    return [_mark("own", x(year), y(value), radii[year == highlight]) for year, value in present]


def _series_axis_labels(years, values, x, y, *, height: int, decimals: int):
    """The first and last year under the line, the highest and lowest value beside it."""
    text = (
        '<text x="{}" y="{}" font-family="{}" font-size="11" fill="{}" text-anchor="{}">{}</text>'
    )
    left = _SERIES_MARGINS[False][0]
    first, last = min(years), max(years)
    low, high = min(values), max(values)
    shown_years = [first] if last == first else [first, last]
    shown_values = [high] if high == low else [high, low]
    parts = [
        format_html(text, _c(x(year)), _c(height - 8), FONT, TEXT_COLOUR, "middle", year)
        for year in shown_years
    ]
    parts += [
        format_html(
            text,
            _c(left - 6),
            _c(y(value) + 4),
            FONT,
            TEXT_COLOUR,
            "end",
            format_number(value, decimals),
        )
        for value in shown_values
    ]
    return parts


def _legend(entries: list[tuple[str, str]], *, top: float) -> list[SafeString]:
    """A line per (style, name) under the chart: a sample of the line and its mark, then
    the name, so that the legend says what colour, dash and shape each stands for."""
    parts = []
    left = _SERIES_MARGINS[False][0]
    for index, (style, name) in enumerate(entries):
        middle = top + index * _LEGEND_ROW + _LEGEND_ROW / 2
        colour, dash, _shape = LINE_STYLES[style]
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"{}/>',
                _c(left - 40),
                _c(middle),
                _c(left - 12),
                _c(middle),
                colour,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
            )
        )
        parts.append(_mark(style, left - 26, middle, 4))
        short = name if len(name) <= 64 else name[:63] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-family="{}" font-size="11" fill="{}" '
                'class="kf-legend-{}">{}</text>',
                _c(left - 4),
                _c(middle + 4),
                FONT,
                TEXT_COLOUR,
                style,
                short,
            )
        )
    return parts


def time_series(
    points: list[tuple[int, float | None]],
    *,
    decimals: int = 1,
    unit: str = "",
    label: str = "",
    highlight: int | None = None,
    compact: bool = False,
    width: int | None = None,
    height: int | None = None,
    lines: tuple[Line, ...] | list[Line] = (),
    name: str = "",
) -> SafeString:
    """A line of values by year. A missing year breaks the line (it is not drawn as 0).
    ``compact`` draws a sparkline without axis labels; ``highlight`` marks one year.

    ``lines`` are drawn beside the values (the network's and the country's median by
    year, ``Line``), each in its own colour, dash and mark, and named in a legend under the
    chart (the own line as ``name``, else ``label``) and in the text alternative."""
    lines = tuple(line for line in lines if not compact)
    width = width or (120 if compact else 480)
    plot_height = height or (32 if compact else 200)
    legend = [("own", name or label)] + [(line.style, line.name) for line in lines]
    height = plot_height + (_LEGEND_ROW * len(legend) + 6 if lines else 0)
    alternative = _series_alternative(
        points, decimals=decimals, unit=unit, label=label, lines=lines
    )
    present = [(year, value) for year, value in points if value is not None]
    every = present + [(y, v) for line in lines for y, v in line.points if v is not None]
    years = [year for year, _value in points] + [y for line in lines for y, _v in line.points]
    parts = []
    if every:
        values = [value for _year, value in every]
        x, y = _series_scales(years, values, width=width, height=plot_height, compact=compact)
        for line in lines:
            parts += _series_lines(line.points, x, y, compact=compact, style=line.style)
            parts += [
                _mark(line.style, x(year), y(value), 3.5)
                for year, value in line.points
                if value is not None
            ]
        parts += _series_lines(points, x, y, compact=compact)
        parts += _series_dots(present, x, y, highlight=highlight, compact=compact)
        if not compact:
            parts += _series_axis_labels(years, values, x, y, height=plot_height, decimals=decimals)
    if lines:
        parts += _legend(legend, top=plot_height + 4)
    return _svg(
        width=width,
        height=height,
        css_class="kf-spark" if compact else "kf-series",
        label=alternative,
        body=_join(parts),
    )


def timeline(
    bars: list[tuple[str, date | None, date | None, bool]],
    *,
    today: date,
    label: str,
) -> SafeString:
    """A Gantt-like timeline: one bar per (title, start, due, late) from start to due.

    A bar without a start starts at its due date (a dot); without a due date it is left out
    and said so in the text alternative. Late bars are dark orange and hatched by a dash, so
    that they differ in more than colour; a vertical line marks today."""
    dated = [(t, s or d, d, late) for t, s, d, late in bars if d is not None]
    undated = [t for t, _s, d, _late in bars if d is None]
    listed = "; ".join(
        _("%(title)s: %(start)s to %(due)s%(late)s")
        % {
            "title": title,
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "due": date_format(due, "SHORT_DATE_FORMAT"),
            "late": _(" (late)") if late else "",
        }
        for title, start, due, late in dated
    )
    nothing = _("no dated measures")  # outside the f-string, where makemessages finds it
    alternative = f"{label}: {listed or nothing}."
    if undated:
        alternative += " " + _("Without a due date: %(titles)s.") % {"titles": ", ".join(undated)}
    row, left, right, top = 26, 220, 16, 28
    width = 760
    height = top + row * max(len(dated), 1) + 8
    parts = []
    if dated:
        first = min(min(start for _t, start, _d, _l in dated), today)
        last = max(max(due for _t, _s, due, _l in dated), today)
        span = max((last - first).days, 1)

        def x(day):
            return left + (day - first).days / span * (width - left - right)

        text = (
            '<text x="{}" y="{}" font-family="{}" font-size="11" fill="{}" '
            'text-anchor="{}">{}</text>'
        )
        first_label = date_format(first, "SHORT_DATE_FORMAT")
        parts.append(format_html(text, _c(left), 14, FONT, TEXT_COLOUR, "start", first_label))
        parts.append(
            format_html(
                text,
                _c(width - right),
                14,
                FONT,
                TEXT_COLOUR,
                "end",
                date_format(last, "SHORT_DATE_FORMAT"),
            )
        )
        for index, (title, start, due, late) in enumerate(dated):
            y = top + index * row
            short = title if len(title) <= 32 else title[:31] + "…"
            parts.append(
                format_html(text, _c(left - 8), _c(y + 15), FONT, TEXT_COLOUR, "end", short)
            )
            colour = MEAN_COLOUR if late else VALUE_COLOUR
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="14" rx="3" fill="{}"{}/>',
                    _c(x(start)),
                    _c(y + 4),
                    _c(max(x(due) - x(start), 6)),
                    colour,
                    format_html(' stroke="{}" stroke-dasharray="4 2"', TEXT_COLOUR) if late else "",
                )
            )
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"/>',
                _c(x(today)),
                _c(x(today)),
                top - 6,
                _c(height - 4),
                MEDIAN_COLOUR,
            )
        )
        parts.append(
            format_html(text, _c(x(today)), _c(top - 10), FONT, TEXT_COLOUR, "middle", _("today"))
        )
    return _svg(
        width=width, height=height, css_class="kf-timeline", label=alternative, body=_join(parts)
    )
