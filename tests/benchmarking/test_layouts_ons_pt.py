"""The real ONS Subnational Indicators download (England) and Statistics Portugal's resident
population per concelho (via AMT), imported as an administrator imports them: through the
upload page and the importer, onto the municipalities of their own country. Every expected
figure is read from the file here, with the csv module."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarking.imports import import_apply, import_preview
from benchmarking.layouts import LAD_GEOGRAPHIES, ons_year
from benchmarking.models import Indicator, Observation, ReferenceValue
from networks.models import Municipality
from networks.register import register_load, register_load_code_history
from tests import factories as f

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "benchmarking" / "data"
ONS = "uk_ons_subnational_indicators_machine_readable.csv"
PT_POPULATION = "pt_amt_ine_populacao_residente_concelhos_2006-2017.csv"
LEEDS, HARTLEPOOL, WESTMINSTER = "E08000035", "E06000001", "E09000033"


def _ons_rows() -> list[tuple[int, dict]]:
    """(line, row) of the ONS file: Windows-1252, the header on line 3."""
    text = (DATA / ONS).read_bytes().decode("cp1252")
    reader = csv.DictReader(io.StringIO("\n".join(text.splitlines()[2:])))
    return [(number + 4, row) for number, row in enumerate(reader)]


def _number(text: str) -> float:
    return float(text.replace(",", ""))  # "2,950": a thousands separator


def _pt_rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO((DATA / PT_POPULATION).read_text("utf-8"))))


@pytest.fixture
def england():
    """Three English authorities by their GSS codes (the GB register's, when loaded), and
    Norway's Oslo."""
    country = f.CountryFactory(code="GB", name="United Kingdom")
    region = f.RegionFactory(country=country)
    f.MunicipalityFactory(code="0301", name="Oslo")
    names = {LEEDS: "Leeds", HARTLEPOOL: "Hartlepool", WESTMINSTER: "Westminster"}
    return {
        code: f.MunicipalityFactory(code=code, name=name, region=region)
        for code, name in names.items()
    }


def _ons_preview():
    return import_preview((DATA / ONS).read_bytes(), ONS)


def test_the_ons_file_lands_on_englands_districts_with_its_values(england):
    rows = _ons_rows()
    ours = [row for _line, row in rows if row["AREACD"] in england]
    england_total = [row for _line, row in rows if row["AREACD"] == "E92000001"]

    preview = _ons_preview()

    assert preview.ok, preview.problems
    assert preview.file_format == "ons-subnational"
    assert preview.observations_new == len(ours)
    assert preview.references == len(england_total)  # England: the country's reference
    assert preview.municipality_ids == {m.pk for m in england.values()}
    assert len(preview.indicators_new) == len({r["Indicator"] for r in ours + england_total})
    counties = sum(1 for _line, row in rows if row["Geography"] == "County")
    assert any(f"County ({counties} rows)" in note for note in preview.notes)
    # Every LAD row not among the three is listed, none guessed.
    others = {
        row["AREACD"] for _line, row in rows
        if row["Geography"] in LAD_GEOGRAPHIES and row["AREACD"] not in england
    }  # fmt: skip
    assert {item.code for item in preview.unmapped} == others

    import_apply(preview, allow_unmapped=True)

    (pay,) = [r for r in ours if r["AREACD"] == LEEDS and r["Indicator"] == "Median Weekly Pay"]
    saved = Observation.objects.get(
        municipality=england[LEEDS], indicator__name_en="Median Weekly Pay"
    )
    assert (saved.year, saved.value) == (int(pay["Period"]), float(pay["Value"]))
    assert saved.indicator.unit == pay["Unit"]
    assert ReferenceValue.objects.filter(area_code="EAK").count() == len(england_total)


def test_a_period_of_several_years_is_given_to_the_year_it_ends_in(england):
    (_line, gcse), *_rest = [
        (line, row) for line, row in _ons_rows()
        if row["AREACD"] == LEEDS and len(row["Period"]) == 6
    ]  # fmt: skip
    ends = int(gcse["Period"][:2] + gcse["Period"][4:])  # 202021: 2020/21, ends in 2021

    import_apply(_ons_preview(), allow_unmapped=True)

    saved = Observation.objects.get(
        municipality=england[LEEDS], indicator__name_en=gcse["Indicator"]
    )
    assert saved.year == ends
    assert saved.value == float(gcse["Value"].replace(",", ""))
    assert [ons_year(p) for p in ("2019", "2018/19", "201618", "2018-2020", "1999/00")] == [
        "2019", "2019", "2018", "2020", "2000",
    ]  # fmt: skip


def test_the_ons_file_imported_again_changes_nothing(england):
    first = _ons_preview()
    import_apply(first, allow_unmapped=True)

    again = _ons_preview()

    assert (again.observations_new, again.observations_changed) == (0, 0)
    assert again.observations_unchanged == first.observations_new


def test_a_broken_ons_file_names_what_and_where_and_saves_nothing(england):
    data = (DATA / ONS).read_bytes()
    line, leeds = next((n, r) for n, r in _ons_rows() if r["AREACD"] == LEEDS)
    lines = data.split(b"\n")
    lines[line - 1] = lines[line - 1].replace(f",{leeds['Value']},".encode(), b",lots,")

    preview = import_preview(b"\n".join(lines), ONS)

    assert not preview.ok
    assert f"line {line}" in preview.problems[0]
    assert "“lots” is not a number" in preview.problems[0]
    no_value = data.replace(b",Value,", b",Amount,", 1)
    (problem,) = import_preview(no_value, ONS).problems
    assert "line 3" in problem
    assert "Value" in problem
    assert (Indicator.objects.count(), Observation.objects.count()) == (0, 0)


def test_an_administrator_uploads_the_ons_file_on_the_import_page(
    client, world, england, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["staff"])

    response = client.post(
        reverse("keyfigures_import"), {"file": SimpleUploadedFile(ONS, (DATA / ONS).read_bytes())}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "ONS Subnational Indicators (CSV)" in page
    assert "How the file was read" in page
    assert "Buckinghamshire under E06000062" in page  # the one row the file gets wrong


@pytest.fixture
def portugal():
    """Lisboa (DICO 1106) and Águeda (0101) in Portugal; Haugesund is Norway's 1106."""
    country = f.CountryFactory(code="PT", name="Portugal")
    region = f.RegionFactory(country=country)
    f.MunicipalityFactory(code="1106", name="Haugesund")
    return {
        code: f.MunicipalityFactory(code=code, name=name, region=region)
        for code, name in [("1106", "Lisboa"), ("0101", "Águeda")]
    }


def test_the_portuguese_population_lands_on_the_concelhos_by_dico(portugal):
    rows = _pt_rows()
    (lisboa,) = [row for row in rows if row["dico"] == "1106"]
    years = [column for column in rows[0] if column.isdigit()]

    preview = import_preview((DATA / PT_POPULATION).read_bytes(), PT_POPULATION)

    assert preview.ok, preview.problems
    assert preview.municipality_ids == {m.pk for m in portugal.values()}  # not Haugesund
    assert preview.observations_new == 2 * len(years)
    assert len(preview.unmapped) == len(rows) - 2
    import_apply(preview, allow_unmapped=True)
    saved = Observation.objects.get(municipality=portugal["1106"], year=2017)
    assert saved.value == float(lisboa["2017"])
    assert saved.indicator.code == "INE-PT:pop-residente"
    assert not Observation.objects.filter(municipality__country__code="NO").exists()


def test_every_concelho_maps_when_portugals_register_is_loaded():
    register_load("PT")
    rows = _pt_rows()
    assert Municipality.objects.filter(country__code="PT").count() == len(rows) == 308

    preview = import_preview((DATA / PT_POPULATION).read_bytes(), PT_POPULATION)

    assert preview.ok, preview.problems
    assert preview.unmapped == []
    years = [column for column in rows[0] if column.isdigit()]
    assert preview.observations_new == len(rows) * len(years)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("\n1106,Lisboa", "\n11O6,Lisboa"), "line 154: “11O6” is not a DICO"),
        (lambda t: t.replace(",504964,506088", ",504964,n/d"), "line 154, column 2017"),
        (lambda t: t.replace("dico,name,", "dico,nome,", 1), "lacks the column(s) name"),
    ],
    ids=["bad code", "not a number", "missing column"],
)
def test_a_broken_portuguese_file_names_what_and_where(portugal, change, expected):
    text = change((DATA / PT_POPULATION).read_text("utf-8"))

    preview = import_preview(text.encode(), PT_POPULATION)

    assert not preview.ok
    assert expected in " ".join(preview.problems)
    assert Observation.objects.count() == 0


def test_the_ons_file_on_englands_register_gives_each_district_its_own_values():
    """On the loaded register, with its former codes: every row of a current district lands
    on it with the file's value; the parts of Buckinghamshire (2020), whose own values the
    file gives for 2020/21, are listed as merged, not added to it."""
    england = register_load("GB")
    register_load_code_history(england)
    current = set(Municipality.objects.filter(country=england).values_list("code", flat=True))
    expected = {
        (row["Indicator"], row["AREACD"], int(ons_year(row["Period"])), _number(row["Value"]))
        for _line, row in _ons_rows()
        if row["AREACD"] in current and row["Value"] not in ("NA", "na")
        and not (row["AREACD"] == "E06000062" and row["AREANM"] == "Buckinghamshire")
    }  # fmt: skip

    preview = _ons_preview()

    assert preview.ok, preview.problems
    merged = {item.code for item in preview.unmapped if "merged" in item.reason}
    assert {"E07000004", "E07000005", "E07000007"} <= merged  # Aylesbury Vale, Chiltern, Wycombe
    import_apply(preview, allow_unmapped=True)
    saved = set(
        Observation.objects.filter(value__isnull=False).values_list(
            "indicator__name_en", "municipality__code", "year", "value"
        )
    )
    assert expected <= saved
    assert not Observation.objects.filter(
        municipality__code="E06000060", indicator__name_en="Average anxiety ratings"
    ).exists()
