"""Readers: a key-figure file in, one long table out.

Every reader returns a ``Table``: a pandas frame with one row per region, indicator and
period, in these columns::

    region_code region_label indicator_code indicator_label unit decimals period value status
    location

``value`` is text as the file has it (parsed in ``imports.py``, so that every format reports a
bad number the same way); ``location`` says where the row is in the file ("line 12",
"sheet KOSandel120000, cell C7", "value 41"). A file that cannot be read raises
``FileProblem`` with the place and what is wrong; nothing has been saved at that point.

The statistics offices' own layouts of the other pilot countries (ISTAT SDMX-CSV, ONS
Subnational Indicators, Statistics Portugal via AMT, INE Spain's JSON-stat codes) are read by
layouts.py, which ``read_csv`` and ``read_jsonstat`` hand them to.
"""

import io
import json
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cemsdi_portal.core.csvfiles import FileProblem, decode, sniff_header

COLUMNS = [
    "region_code",
    "region_label",
    "indicator_code",
    "indicator_label",
    "unit",
    "decimals",
    "period",
    "value",
    "status",
    "location",
]


def _LINE(location) -> str:
    return _("line %(line)s") % {"line": location}


def _VALUE(location) -> str:
    return _("value %(index)s") % {"index": location}


def _AS_IS(location) -> str:
    return str(location)


@dataclass
class Table:
    """The long table, and how to say where a row is: rows carry a number or a cell name,
    turned into words only for a message (a million rows need no million strings)."""

    frame: pd.DataFrame
    file_format: str
    table_id: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)
    where: Callable[[object], str] = _AS_IS
    # The country whose municipalities the codes are (ISO code), when the file's layout says
    # it: Portugal's DICO 1106 is Lisboa, Norway's 1106 is Haugesund.
    country: str = ""
    # Codes the file itself marks as regions, not municipalities: code -> the level's name.
    regional: dict[str, str] = field(default_factory=dict)
    # Where an indicator's label goes: the file's language (SSB's files are Norwegian).
    label_field: str = "name_nb"


@dataclass
class ReadOptions:
    """What a file may not say itself: the indicator of a plain CSV, the sheet to read."""

    indicator_code: str = ""
    indicator_name: str = ""
    unit: str = ""
    sheet: str = ""


class OptionMissing(FileProblem):
    """A file that needs something it does not say itself; ``option`` names the field of
    ``ReadOptions`` that would give it."""

    def __init__(self, file_name: str, where: str, message: str, *, option: str):
        super().__init__(file_name, where, message)
        self.option = option


# --- CSV ------------------------------------------------------------------------------------

HEADER_NAMES = {
    "region_code": {
        "region_code",
        "region",
        "kommunenummer",
        "kommunenr",
        "knr",
        "code",
        "municipality_code",
        "kode",
        "komm_nr",
    },
    "region_label": {
        "region_name",
        "region_label",
        "kommunenavn",
        "kommune",
        "name",
        "municipality",
        "navn",
    },
    "period": {"year", "år", "aar", "tid", "period", "time"},
    "value": {"value", "verdi", "values"},
    "status": {"status", "flag", "symbol"},
    "indicator_code": {"indicator", "indicator_code", "indikator", "contentscode"},
    "indicator_label": {"indicator_name", "indicator_label", "statistikkvariabel"},
    "unit": {"unit", "enhet"},
    "decimals": {"decimals", "desimaler"},
}


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = name.strip().strip('"').lower()
        for column, names in HEADER_NAMES.items():
            if key in names and column not in found:
                found[column] = index
    return found


def _check_csv_columns(
    columns: dict[str, int], header: list[str], options: ReadOptions, file_name: str
) -> None:
    missing = [c for c in ("region_code", "period", "value") if c not in columns]
    if missing:
        raise FileProblem(
            file_name,
            _("line 1"),
            _(
                "the header needs columns for the region code, the year and the value "
                "(for example region_code, year, value); it has: %(found)s. Is the separator "
                "right?"
            )
            % {"found": ", ".join(repr(h) for h in header)},
        )
    if "indicator_code" not in columns and not options.indicator_code:
        # Where to give the code is the front end's to say (a field, or a command option).
        raise OptionMissing(
            file_name,
            _("line 1"),
            _("the file has no indicator column: give the code of the indicator it holds."),
            option="indicator_code",
        )


def _csv_body(text: str, delimiter: str, header: list[str], file_name: str) -> pd.DataFrame:
    """The rows under the header as text, indexed by line number, blank lines left out."""
    try:
        # pandas' C parser: a large file is read in seconds, not minutes.
        body = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            header=0,
            names=range(len(header)),
            quotechar='"',
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+), saw (\d+)", str(exc))
        where = _("line %(line)s") % {"line": match.group(1)} if match else ""
        raise FileProblem(
            file_name,
            where,
            _("%(found)s fields where the header has %(expected)d.")
            % {"found": match.group(2) if match else "?", "expected": len(header)},
        ) from exc
    if not isinstance(body.index, pd.RangeIndex):
        # The first row has more fields than the header: pandas made the extra ones an index.
        raise FileProblem(
            file_name,
            _("line %(line)s") % {"line": 2},
            _("%(found)s fields where the header has %(expected)d.")
            % {"found": len(header) + body.index.nlevels, "expected": len(header)},
        )
    body.index = body.index + 2  # the line number: the header is line 1
    body = body[(body != "").any(axis=1)]  # blank lines
    if body.empty:
        raise FileProblem(file_name, "", _("The file has a header but no rows."))
    return body


def _csv_frame(
    body: pd.DataFrame, columns: dict[str, int], delimiter: str, options: ReadOptions
) -> pd.DataFrame:
    def column(name):
        if name in columns:
            return body[columns[name]].str.strip()
        return pd.Series("", index=body.index, dtype=object)

    def column_or(name, given):
        """The column's cells, what the options give where a cell is empty or there is no
        such column."""
        return column(name).replace("", given) if name in columns else given

    value = column("value")
    if delimiter != ",":
        value = value.str.replace(",", ".", regex=False)  # decimal comma
    return pd.DataFrame(
        {
            "region_code": column("region_code"),
            "region_label": column("region_label"),
            "indicator_code": column_or("indicator_code", options.indicator_code),
            "indicator_label": column_or("indicator_label", options.indicator_name),
            "unit": column_or("unit", options.unit),
            "decimals": column("decimals").map(_decimals) if "decimals" in columns else None,
            "period": column("period"),
            "value": value.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False),
            "status": column("status"),
            "location": body.index,
        },
        columns=COLUMNS,
    )


def read_csv(data: bytes, file_name: str, options: ReadOptions) -> Table:
    from . import layouts  # the statistics offices' own layouts (it reads Table from here)

    text = decode(data)
    if not text.strip():
        raise FileProblem(file_name, "", _("The file is empty."))
    layout = layouts.csv_layout(text)
    if layout is not None:
        return layout(data, file_name, options)
    delimiter, header = sniff_header(text, file_name)
    columns = _columns(header)
    _check_csv_columns(columns, header, options, file_name)
    body = _csv_body(text, delimiter, header, file_name)
    return Table(_csv_frame(body, columns, delimiter, options), "csv", where=_LINE)


# --- Excel ----------------------------------------------------------------------------------

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # a member that unpacks to more than 200 times its size is a zip bomb
MAX_MEMBERS = 5000
YEAR = re.compile(r"^\d{4}$")
REGION_CELL = re.compile(r"^(?:K-)?(\w{1,10})\s+(.*)$")


# What a damaged or crafted archive makes zipfile raise: a bad header or CRC, a broken deflate
# stream, an encrypted or unsupported member, sizes that do not add up.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)


def _check_workbook_archive(data: bytes, file_name: str) -> None:
    """Refuse zip bombs and XML entity tricks before any parser sees the workbook."""
    not_excel = _("This is not an Excel (.xlsx) file.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise FileProblem(file_name, "", not_excel) from exc
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise FileProblem(file_name, "", _("The workbook has too many parts to be a table."))
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or any(
        m.compress_size and m.file_size / m.compress_size > MAX_RATIO for m in members
    ):
        raise FileProblem(
            file_name,
            "",
            _("The workbook unpacks to %(mb).0f MB: refused as a possible zip bomb.")
            % {"mb": unpacked / 1024 / 1024},
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels", ".vml")):
            try:
                with archive.open(member) as handle:
                    head = handle.read(4096)
            except ZIP_ERRORS as exc:
                raise FileProblem(file_name, member.filename, not_excel) from exc
            if b"<!ENTITY" in head or b"<!DOCTYPE" in head:
                raise FileProblem(
                    file_name,
                    member.filename,
                    _(
                        "the workbook declares XML entities: refused, as they can expand "
                        "without bound."
                    ),
                )


def _sheet_rows(data: bytes, file_name: str, options: ReadOptions) -> tuple[str, list[list]]:
    """The chosen sheet's title and its rows of cell values."""
    import openpyxl  # slow to import; only the import path needs it

    unreadable = _("This is not an Excel workbook we can read.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises what its XML and zip readers meet (any type)
        raise FileProblem(file_name, "", unreadable) from exc
    try:
        try:
            sheet = workbook[options.sheet] if options.sheet else workbook.worksheets[0]
        except KeyError as exc:
            raise FileProblem(
                file_name,
                "",
                _("There is no sheet %(sheet)s; the sheets are %(sheets)s.")
                % {"sheet": options.sheet, "sheets": ", ".join(workbook.sheetnames)},
            ) from exc
        except IndexError as exc:  # a workbook of chart sheets only
            raise FileProblem(file_name, "", unreadable) from exc
        try:
            # A read-only workbook parses each sheet's XML only now, row by row.
            return sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # damaged sheet XML, or a chart sheet (no rows)
            raise FileProblem(
                file_name, _("sheet %(sheet)s") % {"sheet": sheet.title}, unreadable
            ) from exc
    finally:
        workbook.close()


def _cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def _excel_records(rows: list[list], header_row: int, sheet_title: str, indicator: dict):
    """One record per region row and year under the row of years; ``indicator`` holds the
    columns every record shares."""
    from openpyxl.utils import get_column_letter

    years = {i: _cell_text(c) for i, c in enumerate(rows[header_row]) if YEAR.match(_cell_text(c))}
    records = []
    for r, row in enumerate(rows[header_row + 1 :], start=header_row + 2):
        first = _cell_text(row[0]) if row else ""
        if not first:
            continue
        match = REGION_CELL.match(first)
        region_code, region_label = (match.group(1), match.group(2)) if match else (first, "")
        for c, year in years.items():
            raw = row[c] if c < len(row) else None
            value = "" if raw is None else (repr(raw) if isinstance(raw, float) else str(raw))
            status = value if value in {".", "..", "...", ":"} else ""  # "-" is nil: zero
            records.append(
                {
                    "region_code": region_code,
                    "region_label": region_label,
                    **indicator,
                    "decimals": None,
                    "period": year,
                    "value": "" if status else value,
                    "status": status,
                    "location": _("sheet %(sheet)s, cell %(cell)s")
                    % {"sheet": sheet_title, "cell": f"{get_column_letter(c + 1)}{r}"},
                }
            )
    return records


def read_excel(data: bytes, file_name: str, options: ReadOptions) -> Table:
    _check_workbook_archive(data, file_name)
    sheet_title, rows = _sheet_rows(data, file_name, options)
    where = _("sheet %(sheet)s") % {"sheet": sheet_title}

    # A StatBank export: a title, the indicator's name, a row of years, then "code name" rows.
    header_row = next(
        (
            i
            for i, row in enumerate(rows)
            if sum(bool(YEAR.match(_cell_text(c))) for c in row) >= 1 and not _cell_text(row[0])
        ),
        None,
    )
    if header_row is None:
        raise FileProblem(
            file_name, where, _("no row of years (2015, 2016, ...) found above the regions.")
        )
    title = next((_cell_text(c) for row in rows[:header_row] for c in row if _cell_text(c)), "")
    label = next(
        (_cell_text(c) for row in rows[1:header_row] for c in row if _cell_text(c)),
        options.indicator_name,
    )
    table_id = title.split(":", 1)[0].strip() if ":" in title else ""
    indicator = {
        "indicator_code": options.indicator_code or sheet_title,
        "indicator_label": label,
        "unit": options.unit
        or (label.rsplit("(", 1)[1].rstrip(")") if label.endswith(")") else ""),
    }
    records = _excel_records(rows, header_row, sheet_title, indicator)
    if not records:
        raise FileProblem(file_name, where, _("no region rows below the row of years."))
    return Table(pd.DataFrame.from_records(records, columns=COLUMNS), "excel", table_id=table_id)


# --- JSON-stat ------------------------------------------------------------------------------

GEO_NAMES = re.compile(r"region|kommune|geo|area", re.IGNORECASE)
TIME_NAMES = re.compile(r"^(tid|time|year|år|period)$", re.IGNORECASE)


def _is_dataset(part) -> bool:
    return isinstance(part, dict) and isinstance(part.get("dimension"), dict) and "value" in part


def _several_datasets(file_name: str, names: list[str], *, linked: bool = False) -> FileProblem:
    shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
    if linked:
        message = ngettext(
            "this file is a JSON-stat collection that links to %(count)d dataset (%(names)s) "
            "and holds no values itself: download the dataset and import that file.",
            "this file is a JSON-stat collection that links to %(count)d datasets (%(names)s) "
            "and holds no values itself: download the datasets and import them one at a time.",
            len(names),
        )
    else:
        message = _(
            "this file holds %(count)d datasets (%(names)s); import one at a time, each in a "
            "file of its own."
        )
    return FileProblem(file_name, "", message % {"count": len(names), "names": shown})


def _dataset(document, file_name: str) -> tuple[dict, str]:
    """The one dataset in a JSON-stat 2.0 document or a 1.0 bundle, and its version. A file
    of several datasets (a 2.0 collection, a 1.0 bundle of more than one) is refused, naming
    them: a statistics office's API answers one dataset per request, and which of several a
    person meant is not guessed."""
    if isinstance(document, dict) and document.get("class") == "dataset" and _is_dataset(document):
        # "class" is 2.0's: pyjstat reads a dataset as 2.0 only when it says its version.
        return {**document, "version": document.get("version") or "2.0"}, "2.0"
    if isinstance(document, dict) and document.get("class") == "collection":
        link = document.get("link")
        items = link.get("item") if isinstance(link, dict) else None
        items = (
            [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
        )
        names = [
            str(item.get("label") or item.get("href") or index + 1)
            for index, item in enumerate(items)
        ]
        embedded = [item for item in items if _is_dataset(item)]
        if len(embedded) == 1 and len(items) == 1:  # its version is the collection's
            return {**embedded[0], "version": document.get("version") or "2.0"}, "2.0"
        if items:
            raise _several_datasets(file_name, names, linked=not embedded)
    if isinstance(document, dict) and "class" not in document:
        datasets = {name: part for name, part in document.items() if _is_dataset(part)}
        if len(datasets) == 1:
            return next(iter(datasets.values())), "1.0"
        if len(datasets) > 1:
            raise _several_datasets(file_name, list(datasets))
    raise FileProblem(
        file_name,
        "",
        _(
            "This JSON file is not a JSON-stat dataset (it has no dimensions and values): "
            "perhaps a query or metadata rather than data."
        ),
    )


def _json_document(data: bytes, file_name: str):
    if not data.strip():
        raise FileProblem(file_name, "", _("The file is empty."))
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FileProblem(file_name, "", _("The file is not UTF-8 text.")) from exc
    except json.JSONDecodeError as exc:
        raise FileProblem(
            file_name,
            _("line %(line)d, column %(column)d") % {"line": exc.lineno, "column": exc.colno},
            _("the JSON is broken (%(error)s); is the file cut short?") % {"error": exc.msg},
        ) from exc


def _geo_and_time(ids: list[str], role: dict, file_name: str) -> tuple[str, str]:
    """The region and the time dimension: by their roles, else by their names."""
    try:
        geo = (role.get("geo") or [d for d in ids if GEO_NAMES.search(d)])[0]
        time = (role.get("time") or [d for d in ids if TIME_NAMES.match(d)])[0]
    except IndexError as exc:
        raise FileProblem(
            file_name,
            "dimension",
            _("cannot tell which dimension is the region and which the time: %(ids)s")
            % {"ids": ", ".join(ids)},
        ) from exc
    return geo, time


def _single_categories_indexed(dataset: dict, ids: list[str]) -> dict:
    """The dataset with an index for every dimension: JSON-stat 2.0 lets a dimension of one
    category give only its label ("index" is optional then), and pyjstat needs the index."""
    dimensions = dict(dataset["dimension"])
    for dim in ids:
        category = dimensions[dim]["category"]
        if category.get("index") is None:
            (code,) = category["label"]  # one category: _dimensions_described checked
            dimensions[dim] = {**dimensions[dim], "category": {**category, "index": {code: 0}}}
    return {**dataset, "dimension": dimensions}


def _check_value_count(dataset: dict, ids: list[str], file_name: str) -> None:
    """As many values as the dimensions make, before pyjstat sees them (it fails with "list
    index out of range" otherwise). ``value`` is an array of one value per combination, or
    an object of only the values there are (sparse: fewer keys are fine), keyed by position."""
    expected = 1
    for dim in ids:
        expected *= len(dataset["dimension"][dim]["category"]["index"])
    size = dataset.get("size") or dataset["dimension"].get("size")
    if isinstance(size, list) and all(isinstance(n, int) for n in size):
        made = 1
        for n in size:
            made *= n
        if len(size) != len(ids) or made != expected:
            raise FileProblem(
                file_name,
                "size",
                _(
                    "the sizes (%(sizes)s) do not agree with the categories of the dimensions "
                    "(%(counts)s)."
                )
                % {
                    "sizes": ", ".join(str(n) for n in size),
                    "counts": ", ".join(
                        str(len(dataset["dimension"][dim]["category"]["index"])) for dim in ids
                    ),
                },
            )
    values = dataset["value"]
    if isinstance(values, list):
        if len(values) != expected:
            raise FileProblem(
                file_name,
                "value",
                _("%(found)d values where the dimensions make %(expected)d.")
                % {"found": len(values), "expected": expected},
            )
        return
    if not isinstance(values, dict):
        raise FileProblem(
            file_name, "value", _("the values are neither a list nor an object of positions.")
        )
    beyond = [key for key in values if not (str(key).isdecimal() and int(key) < expected)]
    if beyond:
        raise FileProblem(
            file_name,
            _("value %(index)s") % {"index": beyond[0]},
            _(
                "a value at position “%(key)s” where the dimensions make %(expected)d "
                "(positions 0 to %(last)d)."
            )
            % {"key": beyond[0], "expected": expected, "last": expected - 1},
        )


def _jsonstat_frame(dataset: dict, version: str, ids: list[str], file_name: str):
    """pyjstat's frame of the dataset: one row per combination of categories."""
    from pyjstat import pyjstat  # slow to import; only the import path needs it

    _check_value_count(dataset, ids, file_name)
    with warnings.catch_warnings():
        # pyjstat's own Dataset.write calls a function it has deprecated, and warns.
        warnings.filterwarnings("ignore", message="Shouldn't use this function anymore")
        if version == "2.0":
            frame = pyjstat.Dataset.read(json.dumps(dataset)).write("dataframe", naming="id")
        else:
            frame = pyjstat.from_json_stat({"dataset": dataset}, naming="id")[0]
    expected = 1
    for dim in ids:
        expected *= len(dataset["dimension"][dim]["category"]["index"])
    if len(frame) != expected:
        raise FileProblem(
            file_name,
            "value",
            _("%(found)d values where the dimensions make %(expected)d.")
            % {"found": len(frame), "expected": expected},
        )
    return frame


def read_jsonstat(data: bytes, file_name: str, options: ReadOptions) -> Table:
    document = _json_document(data, file_name)
    dataset, version = _dataset(document, file_name)
    dimensions = dataset["dimension"]
    ids = dataset.get("id") or dimensions.get("id")
    role = dataset.get("role") or dimensions.get("role") or {}
    if not _dimensions_described(ids, dimensions, role):
        raise FileProblem(
            file_name,
            "dimension",
            _(
                "the dimensions are not described as JSON-stat describes them: each name in "
                "“id” needs a dimension with its categories, and each role lists such names."
            ),
        )
    dataset = _single_categories_indexed(dataset, ids)
    dimensions = dataset["dimension"]
    geo, time = _geo_and_time(ids, role, file_name)
    metric = (role.get("metric") or [])[:1]
    others = metric + [d for d in ids if d not in (geo, time, *metric)]
    try:
        frame = _jsonstat_frame(dataset, version, ids, file_name)
        out = _jsonstat_rows(frame, dataset, ids, geo, time, others, options)
    except FileProblem:
        raise
    except Exception as exc:  # pyjstat raises plain errors on inconsistent files, and parts
        # of the right names may hold values of the wrong types (a label that is a number)
        raise FileProblem(
            file_name, "", _("the JSON-stat structure is inconsistent: %(error)s") % {"error": exc}
        ) from exc
    label, source = dataset.get("label"), dataset.get("source")
    label = label if isinstance(label, str) else ""
    table_id = label.split(":", 1)[0].strip() if ":" in label else ""
    table = Table(
        out, "json-stat " + version, table_id=table_id,
        source=source if isinstance(source, str) else "", where=_VALUE,
    )  # fmt: skip
    from . import layouts

    return layouts.jsonstat_conventions(table, dataset, geo)


def _dimensions_described(ids, dimensions: dict, role) -> bool:
    """Whether the parts the reader relies on have the shape JSON-stat gives them: a list of
    dimension names, each with a category index (and labels and units as mappings), and
    roles that list those names."""
    if not (isinstance(ids, list) and ids and all(isinstance(d, str) for d in ids)):
        return False
    if len(set(ids)) != len(ids):
        return False
    for dim in ids:
        described = dimensions.get(dim)
        category = described.get("category") if isinstance(described, dict) else None
        if not isinstance(category, dict):
            return False
        index, label = category.get("index"), category.get("label")
        # "index" is optional for a dimension of one category that gives its label.
        if not isinstance(index, dict | list) and not (
            index is None and isinstance(label, dict) and len(label) == 1
        ):
            return False
        if not all(isinstance(category.get(part) or {}, dict) for part in ("label", "unit")):
            return False
    if not isinstance(role, dict):
        return False
    return all(
        isinstance(names, list) and all(name in ids for name in names) for names in role.values()
    )


def _decimals(value) -> int | None:
    """A unit's number of decimals, when it is one (JSON-stat files also say "2" or 2.0)."""
    try:
        decimals = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return decimals if 0 <= decimals <= 10 else None


def _value_text(value) -> str:
    """A value as text, as the other readers give it: numbers in full, anything else as it is
    (imports.py says which text is not a number)."""
    if value is None or value != value:  # NaN: missing
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(float(value))
    return str(value)


def _jsonstat_rows(frame, dataset, ids, geo, time, others, options) -> pd.DataFrame:
    dimensions = dataset["dimension"]
    status = dataset.get("status") or {}
    if isinstance(status, list):
        status = {str(i): s for i, s in enumerate(status) if s}
    elif isinstance(status, str):
        status = {str(i): status for i in range(len(frame))}

    def labels(dim):
        category = dimensions[dim]["category"]
        return category.get("label") or {}

    def units(dim):
        return dimensions[dim]["category"].get("unit") or {}

    def unit(code, part):
        described = units(others[0]).get(code)
        return described.get(part) if isinstance(described, dict) else None

    frame = frame.astype(dict.fromkeys(ids, str))
    return pd.DataFrame(
        {
            "region_code": frame[geo],
            # A region dimension may give no labels at all (the codes are its names).
            "region_label": frame[geo].map(labels(geo)).astype(object).fillna("").astype(str),
            "indicator_code": frame[others].agg("|".join, axis=1)
            if others
            else options.indicator_code,
            "indicator_label": frame[others].apply(
                lambda row: "; ".join(str(labels(dim).get(row[dim], row[dim])) for dim in others),
                axis=1,
            )
            if others
            else options.indicator_name,
            "unit": frame[others[0]].map(lambda c: str(unit(c, "base") or ""))
            if others
            else options.unit,
            "decimals": frame[others[0]].map(lambda c: _decimals(unit(c, "decimals")))
            if others
            else None,
            "period": frame[time],
            "value": frame["value"].map(_value_text),
            "status": pd.Series(status, dtype=object)
            .rename(int)
            .reindex(range(len(frame)))
            .fillna("")
            .tolist()
            if status
            else "",
            "location": range(len(frame)),
        },
        columns=COLUMNS,
    )


READERS = {
    ".csv": read_csv,
    ".txt": read_csv,
    ".xlsx": read_excel,
    ".xlsm": read_excel,
    ".json": read_jsonstat,
}


def read(data: bytes, file_name: str, options: ReadOptions | None = None) -> Table:
    options = options or ReadOptions()
    suffix = file_name[file_name.rfind(".") :].lower() if "." in file_name else ""
    if suffix not in READERS:
        raise FileProblem(
            file_name,
            "",
            _("Not a format we read: give a CSV, Excel (.xlsx) or JSON-stat (.json) file."),
        )
    return READERS[suffix](data, file_name, options)
