"""The position export of figures imported from the real SSB files: one column per reference
area however many names it comes under, and numbers without the noise of float arithmetic."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from benchmarking import exports, selectors
from benchmarking.imports import import_apply, import_preview
from benchmarking.readers import ReadOptions
from networks.models import Municipality
from networks.register import register_load_code_history, register_load_norway

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "benchmarking" / "data"
ROADS = "ssb_11816_kostra_samferdsel_nokkeltall.jsonstat2.json"
KINDERGARTEN = "ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.xlsm"
KINDERGARTEN_CSV = "ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.DERIVED.csv"
FIXED_COLUMNS = 15  # Municipality ... Change; the reference areas follow


@pytest.fixture
def register(db):
    norway = register_load_norway()
    register_load_code_history(norway)
    return norway


def _import(data: bytes, name: str, options=None):
    preview = import_preview(data, name, options)
    assert preview.ok, preview.problems
    import_apply(preview, allow_unmapped=True)


def _sheet(municipality, year):
    page = selectors.municipality_position(
        municipality=municipality, comparison=selectors.Comparison.COUNTRY, year=year
    )
    return exports.position_sheet(page, compared_with="the country")


def _csv_rows(sheet) -> list[list[str]]:
    text = exports.write_csv(sheet).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx_rows(sheet) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(exports.write_xlsx(sheet)))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


def test_one_column_per_reference_area_under_several_names(register):
    _import((DATA / ROADS).read_bytes(), ROADS)  # EAK is "Landet" there
    # A second table of the same year calls EAK "Hele landet".
    halden = Municipality.objects.get(code="3101")
    _import(
        b"region_code;region_name;year;indicator;value\n"
        b"EAK;Hele landet;2020;OTHER;1,5\n3001;Halden;2020;OTHER;2,5\n",
        "other.csv",
    )
    sheet = _sheet(halden, 2020)
    page = selectors.municipality_position(
        municipality=halden, comparison=selectors.Comparison.COUNTRY, year=2020
    )
    codes = sorted({ref.area_code for row in page.rows for ref in row.references})
    names = {(ref.area_code, ref.area_name) for row in page.rows for ref in row.references}
    assert len(names) > len(codes)  # the case: one code, two names

    areas = sheet.headers[FIXED_COLUMNS:]
    assert len(areas) == len(codes)
    assert len(set(areas)) == len(areas)
    # EAK's column is headed by the name most of its values carry (the roads file's five).
    eak = codes.index("EAK")
    assert areas[eak] == "Landet"
    other = next(r for r in sheet.rows if r[3] == "OTHER")
    assert other[FIXED_COLUMNS + eak] == 1.5
    roads = next(r for r in sheet.rows if r[3] == "KOSandelgsavalle0000")
    expected = next(
        ref.value for row in page.rows for ref in row.references
        if row.indicator.code == "KOSandelgsavalle0000" and ref.area_code == "EAK"
    )  # fmt: skip
    assert roads[FIXED_COLUMNS + eak] == exports._number(expected)


def _noisy_change() -> tuple[str, int, float, float]:
    """A municipality of today's codes, a year and its two values in the real file whose
    difference float arithmetic writes with noise (87.7 - 80.9 = 6.800000000000011)."""
    today = set(Municipality.objects.values_list("code", flat=True))
    with (DATA / KINDERGARTEN_CSV).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    values = {(r["region_code"], int(r["year"])): r["value"] for r in rows if r["value"]}
    for (code, year), value in sorted(values.items()):
        previous = values.get((code, year - 1))
        if previous and code in today and len(repr(float(value) - float(previous))) > 12:
            return code, year, float(value), float(previous)
    raise AssertionError("no noisy difference in the file")


def test_position_export_writes_no_float_noise(register):
    options = ReadOptions(indicator_code="KOSandel120000")
    _import((DATA / KINDERGARTEN).read_bytes(), KINDERGARTEN, options)
    code, year, value, previous = _noisy_change()
    municipality = Municipality.objects.get(code=code)
    expected = round(value - previous, 1)  # the file gives one decimal
    assert repr(value - previous) != repr(expected)

    sheet = _sheet(municipality, year)
    header = sheet.headers.index("Change")
    [csv_row] = _csv_rows(sheet)[1:]
    assert csv_row[header] == repr(expected)
    [xlsx_row] = _xlsx_rows(sheet)[1:]
    assert xlsx_row[header] == expected
    # No number in the file has more than 12 significant digits (means and medians of 350
    # values included).
    for cell in xlsx_row:
        if isinstance(cell, float):
            assert float(f"{cell:.12g}") == cell
    for text in csv_row:
        digits = text.replace(".", "").replace("-", "").lstrip("0")
        assert not (text.replace(".", "").lstrip("-").isdigit() and len(digits) > 12), text
