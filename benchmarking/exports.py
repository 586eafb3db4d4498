"""Comparisons as files: a municipality's position and a network's table, as CSV and Excel.

A comparison becomes a ``Sheet`` (a title, a header row and rows of cells), and a sheet is
written as CSV (UTF-8 with a byte order mark, so that Excel reads Norwegian letters, and
semicolons between cells) or as an Excel workbook. Numbers stay numbers; a missing value is an
empty cell (or the source's symbol, as text), never 0.

Names come from imported files and people, so a text cell could hold a formula
(``=cmd|' /C calc'!A0``). Every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return gets a single quote in front, so that no spreadsheet runs it (OWASP's advice
on CSV injection).
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.formats import get_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | None


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def neutralise(cell: Cell) -> Cell:
    """A text cell a spreadsheet would read as a formula, quoted; anything else unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return f"'{cell}"
    return cell


SIGNIFICANT_DIGITS = 12


def _number(value):
    """A plain Python number (pandas hands out numpy floats), without the noise of float
    arithmetic: at most 12 significant digits, more than any statistics office publishes and
    fewer than the noise's (87.7 - 80.9 is 6.800000000000011 in binary floats; written 6.8).
    A whole float becomes an int (81240.0 is written 81240); ``None`` stays empty."""
    if isinstance(value, float):
        value = float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")
        return int(value) if value.is_integer() else value
    return value


def _reference_areas(page) -> list[tuple[str, str]]:
    """One (code, name) per reference area on the page, by code: the same area may come
    under several names (files of different years or tables call EKG16 "Kostragruppe 16" or
    "KOSTRA-gruppe 16"), and one area is one column. Its header is the name most of its
    values carry (the first in alphabetical order where as many carry another)."""
    names: dict[str, Counter] = {}
    for row in page.rows:
        for ref in row.references:
            names.setdefault(ref.area_code, Counter())[ref.area_name or ref.area_code] += 1
    return [
        (code, min(counter.items(), key=lambda item: (-item[1], item[0]))[0])
        for code, counter in sorted(names.items())
    ]


def position_sheet(page, *, compared_with: str) -> Sheet:
    """A municipality's position (``selectors.PositionPage``): a row per indicator, with a
    column per reference area (such as "Landet") found on the page."""
    areas = _reference_areas(page)
    headers = [
        _("Municipality"),
        _("Compared with"),
        _("Year"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Status"),
        _("Mean"),
        _("Median"),
        _("Rank"),
        _("Ranked"),
        _("Percentile"),
        _("Previous year"),
        _("Change"),
        *(name for _code, name in areas),
    ]
    title_year = "" if page.latest else page.year or ""
    sheet = Sheet(f"{page.municipality.name} {title_year}".strip(), headers)
    for row in page.rows:
        references = {ref.area_code: ref.value for ref in row.references}
        sheet.rows.append(
            [
                page.municipality.name,
                compared_with,
                row.year or page.year,
                row.indicator.code,
                row.indicator.name,
                row.indicator.unit_label,
                _number(row.value),
                row.status,
                _number(row.mean),
                _number(row.median),
                row.rank,
                row.count,
                _number(row.percentile),
                row.previous_year,
                _number(row.change),
                *(_number(references.get(code)) for code, _name in areas),
            ]
        )
    return sheet


def network_sheet(table) -> Sheet:
    """A network's table (``selectors.NetworkTable``): a row per member, two columns per
    indicator (its value, and its rank among the members). A missing value shows the source's
    symbol where there is one."""
    headers = [_("Year"), _("Code"), _("Municipality")]
    for indicator in table.indicators:
        name = indicator.name_with_unit  # the unit once, in the reader's language (units.py)
        if table.latest:  # each column in its own year: the header says which
            name = f"{name}, {table.indicator_years[indicator.pk]}"
        headers += [name, _("%(indicator)s: rank") % {"indicator": indicator.name}]
    year = None if table.latest else table.year
    sheet = Sheet(f"{table.network.name} {year or ''}".strip(), headers)
    for municipality in table.members:
        row: list[Cell] = [year, municipality.code, municipality.name]
        for indicator in table.indicators:
            key = (municipality.pk, indicator.pk)
            value, rank, _percentile = table.cells.get(key, (None, None, None))
            if value is None:
                value = table.statuses.get(key) or None
            row += [_number(value), rank]
        sheet.rows.append(row)
    return sheet


def _csv_cell(cell: Cell, decimal_separator: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(int(cell))
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return repr(float(cell)).replace(".", decimal_separator)
    return str(neutralise(cell))


def write_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV: UTF-8 with a byte order mark, semicolons, decimals as the current
    language writes them (a comma in Norwegian, which is why the separator is a semicolon)."""
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(h, decimal_separator) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_cell(cell, decimal_separator) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")


def write_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an Excel workbook: a bold, frozen header row, numbers as numbers, and
    every text cell stored as text (never as a formula)."""
    from openpyxl import Workbook  # slow to import; only the download needs it
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    worksheet = workbook.active
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", sheet.title)).strip()
    worksheet.title = (title.lstrip("'") or _("Key figures"))[:31]
    bold = Font(bold=True)
    for row_number, cells in enumerate([sheet.headers, *sheet.rows], start=1):
        for column, cell in enumerate(cells, start=1):
            if isinstance(cell, str):
                # Control characters out first, so that none hides a formula's "=".
                text = str(neutralise(ILLEGAL_CHARACTERS_RE.sub("", cell)))
                target = worksheet.cell(row=row_number, column=column, value=text)
                target.data_type = "s"
            else:
                target = worksheet.cell(row=row_number, column=column, value=cell)
            if row_number == 1:
                target.font = bold
    worksheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FORMATS = {"csv": (write_csv, CSV_TYPE), "xlsx": (write_xlsx, XLSX_TYPE)}


def download(sheet: Sheet, fmt: str, filename: str) -> HttpResponse:
    """The sheet as a file to download, ``fmt`` being "csv" or "xlsx"."""
    write, content_type = FORMATS[fmt]
    return HttpResponse(
        write(sheet),
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, f"{filename}.{fmt}")},
    )
