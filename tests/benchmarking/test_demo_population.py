"""The demo's population figures of 2015, derived from SSB table 1106 by
scripts/derive_ssb_1106.py: the derived file holds what the quarterly source adds up to, the
demo's municipalities get them where the code history maps their 2015 code, and the demo's
kindergarten figure lands wherever its file covers a demo municipality."""

import csv
import importlib.util
import io
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarking import demo
from benchmarking.imports import import_preview
from benchmarking.models import Indicator, Observation
from networks.models import Municipality, MunicipalityCode, NetworkMembership
from networks.register import register_load_code_history, register_load_norway

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarking" / "data"
SOURCE = DATA / "ssb_dataset_1106_population_changes_kommuner_quarterly_jsonstat1.json"
DERIVED = DATA / demo.POPULATION_2015
FIGURES = {
    "SSB1106_FODTE_PER1000": ("Fodte2", 1000, "mean", 1),
    "SSB1106_DODE_PER1000": ("Dode3", 1000, "mean", 1),
    "SSB1106_NETTOINNFLYTTING_PER1000": ("Nettoinnflytting9", 1000, "mean", 1),
    "SSB1106_FOLKETILVEKST_PROSENT": ("Folketilvekst10", 100, "start", 2),
}


def _source_value(dataset, region, contents, period):
    """The source's value, found by walking its dimensions (the last one fastest)."""
    dims = dataset["dimension"]
    position = 0
    for dim, size in zip(dims["id"], dims["size"], strict=True):
        wanted = {"Region": region, "ContentsCode": contents, "Tid": period}[dim]
        position = position * size + dims[dim]["category"]["index"][wanted]
    return dataset["value"][position]


def _expected(region: str) -> dict[str, float]:
    """The four 2015 figures of a 2015 code, computed here from the quarterly source."""
    dataset = json.loads(SOURCE.read_text())["dataset"]
    start = _source_value(dataset, region, "Folketallet11", "2014K4")
    end = _source_value(dataset, region, "Folketallet11", "2015K4")
    expected = {}
    for code, (contents, per, base, decimals) in FIGURES.items():
        total = sum(_source_value(dataset, region, contents, f"2015K{q}") for q in range(1, 5))
        divisor = start if base == "start" else (start + end) / 2
        expected[code] = round(total / divisor * per, decimals)
    return expected


def _derived_rows() -> list[dict]:
    with DERIVED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("region", ["2012", "1804"], ids=["Alta", "Bodø"])
def test_derived_file_holds_what_the_quarters_add_up_to(region):
    rows = {r["indicator"]: r for r in _derived_rows() if r["region_code"] == region}
    assert {code: float(rows[code]["value"]) for code in FIGURES} == _expected(region)
    assert {r["year"] for r in rows.values()} == {"2015"}


def test_derived_file_is_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("derive", ROOT / "scripts" / "derive_ssb_1106.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.derive() == DERIVED.read_text(encoding="utf-8")


def test_derived_file_covers_every_region_of_the_source():
    dataset = json.loads(SOURCE.read_text())["dataset"]
    regions = list(dataset["dimension"]["Region"]["category"]["index"])
    rows = _derived_rows()
    assert len(rows) == len(regions) * len(FIGURES)
    # Where the source has no value (a code that did not exist all year), no figure either.
    missing = [r for r in rows if not r["value"]]
    assert all(r["status"] == "." for r in missing)


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())
    return set(NetworkMembership.objects.values_list("municipality_id", flat=True))


def test_demo_municipalities_get_the_population_and_kindergarten_figures(seeded):
    with_figures = {
        code: set(
            Observation.objects.filter(
                indicator__code=code, year=2015, municipality_id__in=seeded, value__isnull=False
            ).values_list("municipality_id", flat=True)
        )
        for code in FIGURES
    }
    covered = with_figures["SSB1106_FODTE_PER1000"]
    assert all(got == covered for got in with_figures.values())
    # The others are those the import leaves out: a 2015 code merged into today's municipality.
    preview = import_preview(DERIVED.read_bytes(), DERIVED.name)
    left_out = {u.code for u in preview.unmapped}
    for municipality in Municipality.objects.filter(pk__in=seeded - covered):
        codes_2015 = set(
            MunicipalityCode.objects.filter(municipality=municipality)
            .exclude(first_year__gt=2015)
            .exclude(last_year__lt=2015)
            .values_list("code", flat=True)
        )
        assert codes_2015, municipality
        assert codes_2015 <= left_out, municipality

    # Alta's figures are those of its 2015 code, 2012, computed from the source.
    alta = Municipality.objects.get(code="5601")
    saved = dict(
        Observation.objects.filter(
            municipality=alta, year=2015, indicator__code__in=FIGURES
        ).values_list("indicator__code", "value")
    )
    assert saved == _expected("2012")
    indicator = Indicator.objects.get(code="SSB1106_FOLKETILVEKST_PROSENT")
    assert (indicator.decimals, indicator.table_id, indicator.higher_is_better) == (2, "1106", None)

    # And the kindergarten figure (seeded in the same run) wherever its file covers them.
    _kindergarten_lands_wherever_its_file_covers(seeded)


def _kindergarten_lands_wherever_its_file_covers(seeded):
    name = "ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.xlsm"
    preview = import_preview((DATA / name).read_bytes(), name)
    rows = preview._observations
    in_file = set(rows.loc[rows["number"].notna(), "municipality_id"]) & seeded
    saved = set(
        Observation.objects.filter(
            indicator__code="KOSandel120000", value__isnull=False, municipality_id__in=seeded
        ).values_list("municipality_id", flat=True)
    )
    assert in_file
    assert in_file <= saved


def test_seeding_the_key_figures_again_changes_nothing(seeded):
    before = list(Observation.objects.order_by("pk").values())
    indicators = list(Indicator.objects.order_by("pk").values("pk", "code", "table_id", "name_en"))
    demo.seed_keyfigures()
    assert list(Observation.objects.order_by("pk").values()) == before
    assert list(Indicator.objects.order_by("pk").values("pk", "code", "table_id", "name_en")) == (
        indicators
    )


def test_derived_csv_is_read_with_its_decimals(db):
    norway = register_load_norway()
    register_load_code_history(norway)
    text = DERIVED.read_text(encoding="utf-8")
    head = "".join(io.StringIO(text).readlines()[:5]).encode()
    preview = import_preview(head, "head.csv")
    assert {code: fields["decimals"] for code, fields in preview._indicators.items()} == {
        row["indicator"]: int(row["decimals"]) for row in _derived_rows()[:4]
    }
