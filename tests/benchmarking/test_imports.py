"""Importing the real statistics files shipped in benchmarking/data/, and broken ones."""

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from benchmarking.imports import ImportRefused, import_apply, import_preview
from benchmarking.models import Indicator, Observation, ReferenceValue
from benchmarking.readers import ReadOptions
from networks.models import Municipality, MunicipalityCode
from networks.register import register_load_code_history, register_load_norway

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "benchmarking" / "data"
BARNEHAGE = ReadOptions(
    indicator_code="KOSandel120000", indicator_name="Andel barn 1-2 år", unit="prosent"
)


@pytest.fixture
def register(db):
    norway = register_load_norway()
    register_load_code_history(norway)
    return norway


def _import(name, options=None, *, allow_unmapped=True):
    preview = import_preview((DATA / name).read_bytes(), name, options)
    assert preview.ok, preview.problems
    return import_apply(preview, allow_unmapped=allow_unmapped)


def _value(indicator, code, year):
    return Observation.objects.get(indicator__code=indicator, municipality__code=code, year=year)


def _file_value(name, region, indicator, year):
    """The value the JSON-stat file itself holds, found by walking its dimensions."""
    document = json.loads((DATA / name).read_text())
    sizes, index = document["size"], 0
    wanted = {"KOKkommuneregion0000": region, "ContentsCode": indicator, "Tid": year}
    for dim, size in zip(document["id"], sizes, strict=True):
        position = document["dimension"][dim]["category"]["index"][wanted[dim]]
        index = index * size + position
    return document["value"][index], document.get("status", {}).get(str(index))


def test_code_history_follows_moss_through_two_renumberings(register):
    moss = Municipality.objects.get(code="3103")
    eras = set(
        MunicipalityCode.objects.filter(municipality=moss).values_list(
            "code", "first_year", "last_year"
        )
    )
    assert ("3002", 2020, 2023) in eras
    assert ("0104", None, 2019) in eras
    assert ("3103", 2024, None) in eras


def test_jsonstat_12134_lands_on_the_three_cities(register):
    _import("ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json")
    indicator = Indicator.objects.get(code="KOSAG110000")
    assert indicator.name_nb == "Frie inntekter per innbygger (kr)"
    assert (indicator.unit, indicator.decimals, indicator.table_id) == ("kr", 0, "12134")
    for code in ("0301", "4601", "5001"):
        expected, _status = _file_value(
            "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json",
            code,
            "KOSAG110000",
            "2024",
        )
        assert _value("KOSAG110000", code, 2024).value == expected


def test_jsonstat_11816_keeps_aggregates_as_reference_rows(register):
    name = "ssb_11816_kostra_samferdsel_nokkeltall.jsonstat2.json"
    _import(name)
    expected, _status = _file_value(name, "EAK", "KOSandelgsavalle0000", "2015")
    reference = ReferenceValue.objects.get(
        indicator__code="KOSandelgsavalle0000", area_code="EAK", year=2015
    )
    assert (reference.value, reference.area_name) == (expected, "Landet")
    assert ReferenceValue.objects.filter(area_code="EKG16").exists()
    assert not Municipality.objects.filter(code__in=["EAK", "EAKUO", "EKG16"]).exists()
    # Halden was 3001 in the file's years; the register says it is 3101 now.
    expected, _status = _file_value(name, "3001", "KOSntodrutgveiin0000", "2020")
    assert _value("KOSntodrutgveiin0000", "3101", 2020).value == expected


def test_missing_values_stay_missing_with_their_symbol(register):
    name = "ssb_12191_kostra_kommunehelse_nokkeltall.jsonstat2.json"
    _import(name)
    value, status = _file_value(name, "3002", "KOSavtalehjemler0001", "2018")
    assert (value, status) == (None, ".")
    observation = _value("KOSavtalehjemler0001", "3103", 2018)
    assert (observation.value, observation.status) == (None, ".")


def test_excel_statbank_export_maps_old_and_new_codes(register):
    _import("ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.xlsm", BARNEHAGE)
    # Halden: 2015 from the row "0101 Halden (-2019)", 2023 from "3001 Halden".
    assert _value("KOSandel120000", "3101", 2015).value == 77.8
    assert _value("KOSandel120000", "3101", 2023).value == 87.7
    assert _value("KOSandel120000", "1870", 2023).value == 100  # Sortland
    # Moss merged with Rygge in 2020: Moss's own 2015 figure is not the merged town's.
    assert not Observation.objects.filter(
        municipality__code="3103", year=2015, value__isnull=False
    ).exists()


def test_csv_and_excel_of_the_same_table_agree(register):
    _import("ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.xlsm", BARNEHAGE)
    before = list(
        Observation.objects.order_by("pk").values("municipality", "year", "value", "status")
    )
    preview = import_preview(
        (DATA / "ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.DERIVED.csv").read_bytes(),
        "derived.csv",
        BARNEHAGE,
    )
    assert (preview.observations_new, preview.observations_changed) == (0, 0)
    assert preview.observations_unchanged == len(before)


def test_reimporting_the_same_file_changes_nothing(register):
    name = "ssb_11816_kostra_samferdsel_nokkeltall.jsonstat2.json"
    _import(name)
    snapshot = list(Observation.objects.order_by("pk").values())
    preview = import_preview((DATA / name).read_bytes(), name)
    assert (preview.observations_new, preview.observations_changed) == (0, 0)
    import_apply(preview, allow_unmapped=True)
    assert list(Observation.objects.order_by("pk").values()) == snapshot


def test_unmapped_codes_are_listed_and_need_consent(register):
    name = "ssb_09220_barnehager_jsonstat1.json"
    preview = import_preview((DATA / name).read_bytes(), name)
    assert {(u.code, u.label) for u in preview.unmapped} == {
        ("0", "Hele landet"),
        ("01", "Østfold"),
    }
    with pytest.raises(ImportRefused, match="do not map"):
        import_apply(preview)
    assert not Observation.objects.exists()


def test_quarterly_periods_are_listed_not_turned_into_years(register):
    name = "ssb_07221_boligprisindeks_region_jsonstat2.json"
    preview = import_preview((DATA / name).read_bytes(), name)
    assert "2022K1" in {u.code for u in preview.unmapped}
    assert preview.observations_new == 0


@pytest.mark.parametrize(
    "name",
    [
        "ssb_07221_query.json",
        "ssb_kostra_formalsbygg_areal_px_metadata.json",
        "ssb_klass131_codes_from2013_excerpt.json",
    ],
)
def test_files_that_are_not_data_say_so(register, name):
    preview = import_preview((DATA / name).read_bytes(), name)
    assert preview.problems == [
        f"{name}: This JSON file is not a JSON-stat dataset (it has no dimensions and values): "
        "perhaps a query or metadata rather than data."
    ]


# --- Broken input: a message with the place, and the database as it was -------------------


def _refused(data, name, options=BARNEHAGE):
    preview = import_preview(data, name, options)
    assert not preview.ok
    with pytest.raises(ImportRefused):
        import_apply(preview, allow_unmapped=True)
    assert not Observation.objects.exists()
    assert not Indicator.objects.exists()
    return preview.problems[0]


def test_wrong_delimiter(register):
    data = b"region_code|year|value\n5601|2020|81,5\n"
    problem = _refused(data, "pipes.csv")
    assert problem.startswith("pipes.csv, line 1: the header needs columns")


def test_text_where_a_number_belongs(register):
    data = "region_code;year;value\n5601;2020;81,5\n5603;2020;åtti\n".encode()
    assert _refused(data, "text.csv") == (
        "text.csv, line 3: “åtti” is not a number (for 5603, 2020). Use a point or a comma "
        "for decimals, and a symbol such as .. for a missing value."
    )


def test_decimal_comma_and_latin1_are_read(register):
    data = "region_code;region_name;year;value\n5601;Alta;2020;81,5\n".encode("latin-1")
    preview = import_preview(data, "latin.csv", BARNEHAGE)
    import_apply(preview)
    assert _value("KOSandel120000", "5601", 2020).value == 81.5


def test_unknown_municipality_code(register):
    data = b"region_code,year,value\n9999,2020,1.5\n5601,2020,2\n"
    preview = import_preview(data, "unknown.csv", BARNEHAGE)
    assert [(u.code, u.rows, u.reason) for u in preview.unmapped] == [
        ("9999", 1, "not a municipality code in the register")
    ]
    with pytest.raises(ImportRefused):
        import_apply(preview)
    assert not Observation.objects.exists()


def test_truncated_jsonstat(register):
    data = (DATA / "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json").read_bytes()
    problem = _refused(data[: len(data) // 2], "cut.json", None)
    assert problem.startswith("cut.json, line ")
    assert "the JSON is broken" in problem


def test_empty_file(register):
    assert _refused(b"", "empty.csv") == "empty.csv: The file is empty."
    assert _refused(b"", "empty.json", None) == "empty.json: The file is empty."


def test_file_over_the_size_limit(register, settings):
    data = b"region_code,year,value\n" + b"5601,2020,1\n" * (50 * 1024 * 1024 // 12)
    assert len(data) >= 50 * 1024 * 1024
    assert _refused(data, "big.csv").startswith("big.csv is 50.0 MB; the limit is 20 MB.")


def _xlsx(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_is_refused_quickly(register):
    bomb = _xlsx(
        {"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": b"0" * (300 * 1024 * 1024)}
    )
    assert len(bomb) < 2 * 1024 * 1024
    problem = _refused(bomb, "bomb.xlsx")
    assert "refused as a possible zip bomb" in problem


def test_xml_entity_expansion_is_refused(register):
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<worksheet>&lol2;</worksheet>"
    )
    data = _xlsx({"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": lol})
    problem = _refused(data, "lol.xlsx")
    assert problem.startswith("lol.xlsx, xl/worksheets/sheet1.xml: the workbook declares XML")


def test_command_imports_and_reports(register, capsys):
    call_command(
        "import_keyfigures",
        str(DATA / "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"),
    )
    out = capsys.readouterr().out
    assert "1 new and 0 known indicators; 3 new, 0 changed and 0 unchanged values" in out
    assert Observation.objects.count() == 3


def test_command_refuses_a_broken_file(register, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("region_code;year;value\n5601;2020;ukjent\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_keyfigures", str(path), "--indicator", "X")
    assert not Observation.objects.exists()


def test_a_zip_that_is_not_a_workbook(register):
    data = _xlsx({"hello.txt": "not a workbook"})
    assert _refused(data, "notbook.xlsx") == (
        "notbook.xlsx: This is not an Excel workbook we can read."
    )


def test_a_dataset_without_dimensions(register):
    problem = _refused(b'{"class": "dataset", "value": [1]}', "nodims.json", None)
    assert problem.startswith("nodims.json: This JSON file is not a JSON-stat dataset")


def test_nil_is_zero_and_missing_is_missing(register):
    data = b"region_code;year;value\n5601;2020;-\n5603;2020;..\n5605;2020;0\n"
    import_apply(import_preview(data, "nil.csv", BARNEHAGE))
    assert (
        _value("KOSandel120000", "5601", 2020).value,
        _value("KOSandel120000", "5601", 2020).status,
    ) == (0.0, "-")
    assert (
        _value("KOSandel120000", "5603", 2020).value,
        _value("KOSandel120000", "5603", 2020).status,
    ) == (None, "..")
    assert _value("KOSandel120000", "5605", 2020).value == 0.0


# --- One verdict: the dry run refuses what the real run refuses ------------------------------

QUARTERLY = "ssb_07221_boligprisindeks_region_jsonstat2.json"  # quarters only: no row maps


def _saved():
    return Indicator.objects.count(), Observation.objects.count(), ReferenceValue.objects.count()


def _command_verdict(*args) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("import_keyfigures", *args)
    return str(refused.value)


@pytest.mark.parametrize("allow", [[], ["--allow-unmapped"]], ids=["strict", "allow-unmapped"])
def test_dry_run_and_real_run_refuse_a_file_where_no_row_maps_alike(register, allow):
    path = str(DATA / QUARTERLY)
    before = _saved()
    dry = _command_verdict(path, "--dry-run", *allow)
    real = _command_verdict(path, *allow)
    assert dry == real
    assert dry.startswith(f"{QUARTERLY}: no row maps to a municipality and a year (")
    assert dry.endswith("so there is nothing to import. Nothing was imported.")
    assert _saved() == before  # no empty indicator either


def test_dry_run_and_real_run_exit_alike(register):
    """Through the command line itself: the same exit code and the same words on stderr."""

    def run(*args):
        done = subprocess.run(  # noqa: S603 (our own manage.py, with fixed arguments)
            [sys.executable, "manage.py", "import_keyfigures", str(DATA / QUARTERLY), *args],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "DATABASE_URL": _database_url()},
        )
        return done.returncode, done.stderr.strip().splitlines()[-1]

    dry, real = run("--dry-run"), run()
    assert dry == real
    assert dry[0] == 1
    assert "no row maps to a municipality and a year" in dry[1]


def _database_url() -> str:
    """The test database, for a command run as a process of its own."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


def test_dry_run_refuses_unmapped_rows_without_consent_like_the_real_run(register):
    name = "ssb_09220_barnehager_jsonstat1.json"
    path = str(DATA / name)
    dry = _command_verdict(path, "--dry-run")
    real = _command_verdict(path)
    assert dry == real
    assert "do not map to a municipality or a year" in dry
    assert _saved() == (0, 0, 0)


def test_dry_run_with_consent_saves_nothing_and_says_so(register, capsys):
    name = "ssb_09220_barnehager_jsonstat1.json"
    call_command("import_keyfigures", str(DATA / name), "--dry-run", "--allow-unmapped")
    assert capsys.readouterr().out.endswith("Dry run: nothing was saved.\n")
    assert _saved() == (0, 0, 0)


@pytest.mark.parametrize("allow_unmapped", [False, True])
def test_a_file_where_no_row_maps_creates_no_indicator(register, allow_unmapped):
    before = _saved()
    preview = import_preview((DATA / QUARTERLY).read_bytes(), QUARTERLY)
    with pytest.raises(ImportRefused, match="no row maps to a municipality and a year"):
        import_apply(preview, allow_unmapped=allow_unmapped)
    assert _saved() == before


def test_an_indicator_whose_rows_all_fail_to_map_is_not_created(register):
    """Two indicators, one of them only for counties: only the other one is created."""
    data = (
        b"region_code;year;indicator;value\n5601;2020;A;1,5\n"
        b"54;2020;COUNTY_ONLY;3\n55;2020;COUNTY_ONLY;4\n"
    )
    preview = import_preview(data, "two.csv")
    assert preview.indicators_new == ["A"]
    import_apply(preview, allow_unmapped=True)
    assert list(Indicator.objects.values_list("code", flat=True)) == ["A"]


# --- Where a file needs what it does not say: each front end in its own words --------------


def test_csv_without_indicator_names_the_command_option_on_the_command_line(register, tmp_path):
    path = tmp_path / "noindicator.csv"
    path.write_text("region_code;year;value\n5601;2020;81,5\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_keyfigures", str(path))
    assert str(refused.value) == (
        "noindicator.csv, line 1: the file has no indicator column: give the code of the "
        "indicator it holds. Nothing was imported."
    )
    assert _saved() == (0, 0, 0)


def test_command_tells_which_option_gives_the_indicator(register, tmp_path):
    path = tmp_path / "noindicator.csv"
    path.write_text("region_code;year;value\n5601;2020;81,5\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_keyfigures", str(path), stderr=err)
    assert err.getvalue() == "On the command line: --indicator CODE.\n"


def test_reader_messages_name_no_command_line_option(register):
    """The readers' and the import's words are shared by the page: none names an option."""
    source = "".join(
        (Path(__file__).resolve().parents[2] / "benchmarking" / name).read_text()
        for name in ("readers.py", "imports.py")
    )
    assert not re.search(r"_\(\s*\"[^\"]*--[a-z]", source)
