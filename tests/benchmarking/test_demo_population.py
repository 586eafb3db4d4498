"""The demo's population figures of 2015, derived from SSB table 1106 by
scripts/derive_ssb_1106.py: the derived file holds what the quarterly source adds up to, also
for today's municipalities formed by merging several of 2015 (the counts of the parts added
up, as SSB recomputes today's municipality), the demo's municipalities get them where the code
history maps their 2015 code or where they are such a merger, nothing is counted twice, and
the demo's kindergarten figure lands wherever its file covers a demo municipality."""

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest

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


def _expected(*regions: str) -> dict[str, float]:
    """The four 2015 figures of a 2015 code, or of several added up (a merger since),
    computed here from the quarterly source."""
    dataset = json.loads(SOURCE.read_text())["dataset"]
    start = sum(_source_value(dataset, r, "Folketallet11", "2014K4") for r in regions)
    end = sum(_source_value(dataset, r, "Folketallet11", "2015K4") for r in regions)
    expected = {}
    for code, (contents, per, base, decimals) in FIGURES.items():
        total = sum(
            _source_value(dataset, r, contents, f"2015K{q}") for r in regions for q in range(1, 5)
        )
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


# Today's Hammerfest (5603) is the Hammerfest (2004) and Kvalsund (2017) of 2015; today's
# Sogndal (4640) is Sogndal (1420), Leikanger (1419) and Balestrand (1418).
MERGED = {"5603": ("2004", "2017"), "4640": ("1418", "1419", "1420")}


@pytest.mark.parametrize("today", sorted(MERGED), ids=["Sogndal", "Hammerfest"])
def test_derived_file_adds_up_the_parts_of_a_merged_municipality(today):
    rows = {r["indicator"]: r for r in _derived_rows() if r["region_code"] == today}
    assert {code: float(rows[code]["value"]) for code in FIGURES} == _expected(*MERGED[today])
    assert {r["year"] for r in rows.values()} == {"2015"}


def _merged_in_the_register() -> dict[str, set[str]]:
    """Today's municipalities whose 2015 codes in the register's code history are several,
    none of them leading to another municipality too, and today's code not one of 2015's."""
    in_2015 = MunicipalityCode.objects.exclude(first_year__gt=2015).exclude(last_year__lt=2015)
    parts, leads_to = {}, {}
    for code, today in in_2015.values_list("code", "municipality__code"):
        parts.setdefault(today, set()).add(code)
        leads_to.setdefault(code, set()).add(today)
    return {
        today: codes
        for today, codes in parts.items()
        if len(codes) > 1 and all(len(leads_to[c]) == 1 for c in codes) and today not in leads_to
    }


def test_derived_file_covers_every_region_of_the_source_and_every_merger(db):
    register_load_code_history(register_load_norway())
    merged = _merged_in_the_register()
    assert {today: set(parts) for today, parts in MERGED.items()} == {
        today: merged[today] for today in MERGED
    }
    assert "1103" not in merged  # Stavanger kept its code: a CSV row could not tell which
    dataset = json.loads(SOURCE.read_text())["dataset"]
    regions = list(dataset["dimension"]["Region"]["category"]["index"])
    rows = _derived_rows()
    assert len(rows) == (len(regions) + len(merged)) * len(FIGURES)
    assert {r["region_code"] for r in rows} == set(regions) | set(merged)
    # Where the source has no value (a code that did not exist all year), no figure either.
    missing = [r for r in rows if not r["value"]]
    assert all(r["status"] == "." for r in missing)


@pytest.fixture
def seeded(seeded_demo, db):
    """The Norwegian pilots' municipalities (the SSB figures are Norway's)."""
    return set(
        NetworkMembership.objects.filter(network__region__country__code="NO").values_list(
            "municipality_id", flat=True
        )
    )


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


def test_derived_csv_is_read_with_its_decimals(db):
    norway = register_load_norway()
    register_load_code_history(norway)
    text = DERIVED.read_text(encoding="utf-8")
    head = "".join(io.StringIO(text).readlines()[:5]).encode()
    preview = import_preview(head, "head.csv")
    assert {code: fields["decimals"] for code, fields in preview._indicators.items()} == {
        row["indicator"]: int(row["decimals"]) for row in _derived_rows()[:4]
    }


# --- On the demo: seeded once for the module (tests/conftest.py), so these come last.


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
    # Hammerfest's are those of its two 2015 municipalities added up; what the import reports
    # of their own codes: left out as merged, so that nothing is counted twice.
    hammerfest = Municipality.objects.get(code="5603")
    saved = dict(
        Observation.objects.filter(
            municipality=hammerfest, year=2015, indicator__code__in=FIGURES
        ).values_list("indicator__code", "value")
    )
    assert saved == _expected(*MERGED["5603"])
    reasons = {u.code: u.reason for u in preview.unmapped}
    assert {reasons[code] for code in MERGED["5603"]} == {
        "merged with others into one municipality since: its own values are not the merged "
        "municipality's"
    }
    assert "5603" not in reasons
    rows = preview._observations
    per_place = rows.groupby(["indicator_code", "municipality_id", "year"]).size()
    assert per_place.max() == 1
    indicator = Indicator.objects.get(code="SSB1106_FOLKETILVEKST_PROSENT")
    assert (indicator.decimals, indicator.table_id, indicator.higher_is_better) == (2, "1106", None)

    # And the kindergarten figure (seeded in the same run) wherever its file covers them.
    _kindergarten_lands_wherever_its_file_covers(seeded)


def test_seeding_the_key_figures_again_changes_nothing(seeded):
    before = list(Observation.objects.order_by("pk").values())
    indicators = list(Indicator.objects.order_by("pk").values("pk", "code", "table_id", "name_en"))
    demo.seed_keyfigures()
    assert list(Observation.objects.order_by("pk").values()) == before
    assert list(Indicator.objects.order_by("pk").values("pk", "code", "table_id", "name_en")) == (
        indicators
    )
