"""The statistics offices' own layouts of the other pilot countries, read into the same long
table as every file (readers.py), so that an upload, a command and a feed import them alike.

* ISTAT (Italy) SDMX-CSV: ``DATAFLOW, FREQ, <dimensions>, TIME_PERIOD, OBS_VALUE, <attributes>``
  with the area in ``ITTER107``: a comune's 6-digit ISTAT code, ``IT`` for Italy (kept as the
  country's reference value, ``EAK``), other codes for regions and provinces (not municipal).
  The indicator is the dataflow and the series key without frequency and area
  (``IT1:41_983.F.KILLINJ``).
* ONS Subnational Indicators (England), machine-readable download: Windows-1252, a note on
  line 1, an empty line 2, the header on line 3 (AREACD, AREANM, Geography, Indicator,
  Category, Period, Measure, Unit, Value, MAD). Rows of local authority districts are kept
  (GSS codes E06/E07/E08/E09 and the Welsh, Scottish and Northern Irish equivalents);
  England's own row becomes the country's reference value; counties, regions, ITL areas and
  the like are left out and counted in a note. A period of more than one year (``202021``,
  ``201618``, ``2018/19``) is given to the year it ends in (2021, 2018, 2019).
* Statistics Portugal (INE) via AMT: one row per concelho, ``dico, name, indicator`` and one
  column per year; DICO written without its leading zero (``101`` is 0101 Águeda).
* INE Spain's JSON-stat (Tempus3): area codes ``<level>_<code>``; a 5-digit code is a
  municipio, ``5_00`` Spain (the reference value), the others are provinces (``4_``) and
  autonomous communities (``1_``), marked as regional so the preview says so.

Each layout names the country whose municipalities its codes are (``Table.country``).
"""

import csv
import io
import re

import pandas as pd
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cemsdi_portal.core.csvfiles import FileProblem

from .readers import COLUMNS, ReadOptions, Table

COUNTRY_REFERENCE = "EAK"  # the code the importer keeps as the country's reference value
YEAR = re.compile(r"^\d{4}$")


def csv_layout(text: str):
    """The reader of a statistics office's own CSV layout, or None for a plain CSV."""
    lines = text.lstrip("\ufeff").splitlines()[:5]
    first = lines[0].strip().upper() if lines else ""
    if first.startswith("DATAFLOW,") or first.startswith("STRUCTURE,"):
        return read_sdmx_csv
    if any(line.upper().startswith("AREACD,") for line in lines):
        return read_ons_subnational
    if first.startswith("DICO,"):
        return read_amt_wide
    return None


def _line(location) -> str:
    return _("line %(line)s") % {"line": location}


def _frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def _missing_columns(file_name: str, line: int, missing: list[str], found: list[str]):
    return FileProblem(
        file_name,
        _line(line),
        _("the header lacks the column(s) %(missing)s; it has: %(found)s.")
        % {"missing": ", ".join(missing), "found": ", ".join(repr(c) for c in found)},
    )


def _rows(text: str, file_name: str, header_line: int):
    """(line number, cells) of every row under the header, blank lines left out."""
    reader = csv.reader(io.StringIO(text))
    try:
        for cells in reader:
            if reader.line_num <= header_line or not any(c.strip() for c in cells):
                continue
            yield reader.line_num, cells
    except csv.Error as exc:
        raise FileProblem(
            file_name, _line(reader.line_num), _("this is not CSV (%(error)s).") % {"error": exc}
        ) from exc


def _cells(cells: list[str], header: list[str], line: int, file_name: str) -> dict[str, str]:
    if len(cells) != len(header):
        raise FileProblem(
            file_name,
            _line(line),
            _("%(found)s fields where the header has %(expected)d.")
            % {"found": len(cells), "expected": len(header)},
        )
    return {name: cell.strip() for name, cell in zip(header, cells, strict=True)}


# --- ISTAT SDMX-CSV -------------------------------------------------------------------------

ISTAT_AREA = "ITTER107"
COMUNE = re.compile(r"^\d{6}$")
NOT_DIMENSIONS = {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", ISTAT_AREA}


def read_sdmx_csv(data: bytes, file_name: str, options: ReadOptions) -> Table:
    text = data.decode("utf-8-sig", errors="replace")
    header = [name.strip() for name in next(csv.reader([text.splitlines()[0]]))]
    # SDMX-CSV 2.0 writes a label after the code ("ITTER107: Territorio"): the code counts.
    names = [name.split(":", 1)[0].strip().upper() for name in header]
    structure = "DATAFLOW" if "DATAFLOW" in names else "STRUCTURE_ID"
    missing = [c for c in (structure, ISTAT_AREA, "TIME_PERIOD", "OBS_VALUE") if c not in names]
    if missing:
        raise _missing_columns(file_name, 1, missing, header)
    dimensions = [n for n in names[: names.index("TIME_PERIOD")] if n not in NOT_DIMENSIONS]
    records, regional = [], {}
    for line, cells in _rows(text, file_name, 1):
        row = _cells(cells, names, line, file_name)
        flow = row[structure].split("(", 1)[0]  # IT1:41_983(1.0): agency and id, no version
        key = ".".join(row[d].split(":", 1)[0].strip() for d in dimensions)
        code = row[ISTAT_AREA].split(":", 1)[0].strip()
        if code == "IT":
            code = COUNTRY_REFERENCE
        elif not COMUNE.match(code):
            regional[code] = _("an ISTAT region or province")
        records.append(
            {
                "region_code": code,
                "region_label": "Italia" if code == COUNTRY_REFERENCE else "",
                "indicator_code": options.indicator_code or f"{flow}.{key}".strip("."),
                "indicator_label": options.indicator_name
                or " ".join([flow, *(f"{d}={row[d]}" for d in dimensions)]),
                "unit": options.unit or row.get("UNIT_MEAS", ""),
                "decimals": None,
                "period": row["TIME_PERIOD"],
                "value": row["OBS_VALUE"],
                "status": row.get("OBS_STATUS", ""),
                "location": line,
            }
        )
    if not records:
        raise FileProblem(file_name, "", _("The file has a header but no rows."))
    return Table(
        _frame(records), "sdmx-csv", table_id=records[0]["indicator_code"].split(".", 1)[0][:60],
        source="ISTAT", where=_line, country="IT", regional=regional, label_field="name_en",
    )  # fmt: skip


# --- ONS Subnational Indicators ---------------------------------------------------------------

ONS_COLUMNS = ["AREACD", "AREANM", "Geography", "Indicator", "Period", "Unit", "Value"]
# The geographies of local authority districts: the municipal level of the UK.
LAD_GEOGRAPHIES = {
    "Non-metropolitan District",
    "Unitary Authority",
    "Metropolitan District",
    "London Borough",
    "Council Area",  # Scotland
    "Local Government District",  # Northern Ireland
}
ENGLAND = "E92000001"
ONS_MISSING = {"NA", "na", "N/A", "n/a", ""}
PERIOD = re.compile(r"^(\d{4})(?:\s*[/-]?\s*(\d{2}|\d{4}))?$")


def ons_year(period: str) -> str:
    """The year a period ends in: ``2019`` → 2019, ``202021`` and ``2020/21`` → 2021,
    ``201618`` → 2018, ``2018-2020`` → 2020. Anything else is returned as it is (the importer
    lists it as not a year)."""
    match = PERIOD.match(period.strip())
    if not match:
        return period
    start, end = match.group(1), match.group(2)
    if not end:
        return start
    if len(end) == 4:
        return end if end >= start else period
    year = int(start[:2] + end)
    if year < int(start):
        year += 100
    return str(year)


def _ons_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # ONS writes this download in Windows-1252 (£ is 0xA3, an en dash 0x96).
        return data.decode("cp1252", errors="replace")


def read_ons_subnational(data: bytes, file_name: str, options: ReadOptions) -> Table:
    text = _ons_text(data)
    lines = text.splitlines()
    header_line = next(
        i for i, line in enumerate(lines[:5], start=1) if line.upper().startswith("AREACD,")
    )
    header = [name.strip() for name in next(csv.reader([lines[header_line - 1]]))]
    missing = [c for c in ONS_COLUMNS if c not in header]
    if missing:
        raise _missing_columns(file_name, header_line, missing, header)
    records, left_out = [], {}
    for line, cells in _rows(text, file_name, header_line):
        row = _cells(cells, header, line, file_name)
        code, geography = row["AREACD"], row["Geography"]
        if code == ENGLAND:
            code = COUNTRY_REFERENCE
        elif geography not in LAD_GEOGRAPHIES:
            left_out[geography or "?"] = left_out.get(geography or "?", 0) + 1
            continue
        value = row["Value"]
        missing_value = value in ONS_MISSING
        records.append(
            {
                "region_code": code,
                "region_label": row["AREANM"],
                "indicator_code": "ONS:" + slugify(row["Indicator"])[:190],
                "indicator_label": row["Indicator"],
                "unit": row["Unit"],
                "decimals": None,
                "period": ons_year(row["Period"]),
                # "2,950": a thousands separator (the decimal mark is the point).
                "value": "" if missing_value else value.replace(",", ""),
                "status": ".." if missing_value else "",
                "location": line,
            }
        )
    if not records:
        raise FileProblem(file_name, "", _("The file has no rows of local authority districts."))
    records, miscoded = _names_agree(records)
    frame = _frame(records)
    # As many decimals as the file writes (at most two): 18634 is pounds, 7.28 a rating.
    places = frame["value"].str.extract(r"\.(\d+)$")[0].str.len().fillna(0)
    frame["decimals"] = places.groupby(frame["indicator_code"]).transform("max").clip(0, 2)
    notes = [
        _(
            "A period of more than one year (2020/21, written 202021; 2016–2018, written "
            "201618) is given to the year it ends in."
        )
    ]
    if left_out:
        notes.append(
            _("Left out, as they are not municipalities: %(areas)s.")
            % {
                "areas": ", ".join(
                    _("%(geography)s (%(rows)d rows)") % {"geography": g, "rows": n}
                    for g, n in sorted(left_out.items(), key=lambda item: -item[1])
                )
            }
        )
    if miscoded:
        notes.append(
            _(
                "Left out, as another row gives the same code a value for the same indicator "
                "and period, under the name the code has everywhere else: %(rows)s."
            )
            % {"rows": "; ".join(miscoded)}
        )
    return Table(
        frame, "ons-subnational", table_id="ONS subnational indicators",
        source="ONS Subnational Indicators", notes=notes, where=_line, country="GB",
        label_field="name_en",
    )  # fmt: skip


def _names_agree(records: list[dict]) -> tuple[list[dict], list[str]]:
    """The rows, less those that give a code a second value for the same indicator and
    period under another area's name (the file once gives West Northamptonshire's code to
    Buckinghamshire): of such rows, the one with the name the code has in most rows stays.
    Returns the rows kept and a description of each row left out."""
    names: dict[str, dict[str, int]] = {}
    rows: dict[tuple, int] = {}
    for record in records:
        counts = names.setdefault(record["region_code"], {})
        counts[record["region_label"]] = counts.get(record["region_label"], 0) + 1
        key = (record["indicator_code"], record["region_code"], record["period"])
        rows[key] = rows.get(key, 0) + 1
    usual = {code: max(counts, key=counts.get) for code, counts in names.items()}
    kept, miscoded = [], []
    for record in records:
        key = (record["indicator_code"], record["region_code"], record["period"])
        if rows[key] == 1 or record["region_label"] == usual[record["region_code"]]:
            kept.append(record)
            continue
        miscoded.append(
            _("line %(line)s, %(name)s under %(code)s (%(usual)s)")
            % {
                "line": record["location"],
                "name": record["region_label"],
                "code": record["region_code"],
                "usual": usual[record["region_code"]],
            }
        )
    return kept, miscoded


# --- Statistics Portugal (INE) via AMT, one column per year ------------------------------------

DICO = re.compile(r"^\d{3,4}$")
AMT_INDICATORS = {
    "pop-residente": ("Resident population (annual estimate)", "persons"),
    "dormidas": ("Nights spent in hotel establishments", "nights"),
}


def _amt_where(location) -> str:
    line, year = str(location).split(":", 1)
    return _("line %(line)s, column %(column)s") % {"line": line, "column": year}


def read_amt_wide(data: bytes, file_name: str, options: ReadOptions) -> Table:
    text = data.decode("utf-8-sig", errors="replace")
    header = [name.strip() for name in next(csv.reader([text.splitlines()[0]]))]
    names = [name.lower() for name in header]
    years = [name for name in header if YEAR.match(name)]
    missing = [c for c in ("dico", "name") if c not in names]
    if "indicator" not in names and not options.indicator_code:
        missing.append("indicator")
    if not years:
        missing.append(_("one column per year (2006, 2007, …)"))
    if missing:
        raise _missing_columns(file_name, 1, missing, header)
    records = []
    for line, cells in _rows(text, file_name, 1):
        row = _cells(cells, names, line, file_name)
        dico = row["dico"]
        if not DICO.match(dico):
            raise FileProblem(
                file_name,
                _line(line),
                _("“%(code)s” is not a DICO code (3 or 4 digits, such as 101 or 1106).")
                % {"code": dico},
            )
        indicator = options.indicator_code or row["indicator"]
        label, unit = AMT_INDICATORS.get(indicator, (options.indicator_name or indicator, ""))
        for year in years:
            value = row[year.lower()]
            records.append(
                {
                    "region_code": dico.zfill(4),
                    "region_label": row["name"],
                    "indicator_code": f"INE-PT:{indicator}",
                    "indicator_label": label,
                    "unit": options.unit or unit,
                    "decimals": 0,
                    "period": year,
                    "value": value.replace(" ", ""),
                    "status": "" if value else "..",
                    "location": f"{line}:{year}",
                }
            )
    if not records:
        raise FileProblem(file_name, "", _("The file has a header but no rows."))
    return Table(
        _frame(records), "ine-pt-wide", table_id="INE (PT)",
        source="Statistics Portugal (INE), via AMT", where=_amt_where, country="PT",
        label_field="name_en",
    )  # fmt: skip


# --- INE Spain's JSON-stat ----------------------------------------------------------------------

INE_SPAIN = "Instituto Nacional de Estadística"
INE_CODE = re.compile(r"^(\d+)_([\w~]+)$")  # INE writes some with a suffix: 1_04~16
MUNICIPIO = re.compile(r"^\d{5}$")


def _ine_levels() -> dict[str, str]:
    return {"1": _("autonomous community"), "4": _("province")}


def jsonstat_conventions(table: Table, dataset: dict, geo: str) -> Table:
    """A JSON-stat table with its office's conventions applied: INE Spain's area codes."""
    source = dataset.get("source")
    if not (isinstance(source, str) and source.startswith(INE_SPAIN)):
        return table
    frame = table.frame
    codes = pd.Series(frame["region_code"].unique())
    if not codes.str.match(INE_CODE.pattern).all():
        return table
    levels, renamed, regional = _ine_levels(), {}, {}
    for code in codes:
        level, own = INE_CODE.match(code).groups()
        if MUNICIPIO.match(own):
            renamed[code] = own
        elif own == "00":  # Total Nacional
            renamed[code] = COUNTRY_REFERENCE
        else:
            regional[code] = levels.get(level, _("a region"))
    frame["region_code"] = frame["region_code"].map(lambda c: renamed.get(c, c))
    table.country, table.regional, table.label_field = "ES", regional, "name_en"
    table.table_id = table.table_id or "INE (ES)"
    return table
