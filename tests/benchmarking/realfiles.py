"""The real SSB files of benchmarking/data/, imported as an administrator imports them, for
the catalogue, chart and unit tests: Norway's register, the files, the stored standings, and a
network of four Finnmark municipalities whose chief executive looks."""

import json
from dataclasses import dataclass
from pathlib import Path

from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Indicator
from benchmarking.readers import ReadOptions
from benchmarking.standings import standings_refresh
from networks.models import Municipality, Network, Role
from networks.register import register_load_code_history, register_load_norway
from tests import factories as f

DATA = Path(__file__).resolve().parents[2] / "benchmarking" / "data"

KINDERGARTEN = "ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.xlsm"
INCOME = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"
ROADS = "ssb_11816_kostra_samferdsel_nokkeltall.jsonstat2.json"
HEALTH = "ssb_12191_kostra_kommunehelse_nokkeltall.jsonstat2.json"
FILES = [KINDERGARTEN, INCOME, ROADS, HEALTH]

FINNMARK = ["5601", "5603", "5605", "5607"]  # Alta, Hammerfest, Sør-Varanger, Vadsø


@dataclass
class Imported:
    norway: object
    network: Network
    alta: Municipality
    members: list[Municipality]
    chief: object  # Alta's chief executive


def import_file(name: str, options: ReadOptions | None = None):
    preview = import_preview((DATA / name).read_bytes(), name, options or ReadOptions())
    assert preview.ok, preview.problems
    return import_apply(preview, allow_unmapped=True)


def contents(name: str) -> dict[str, tuple[str, str]]:
    """A JSON-stat 2.0 file's indicators as the file itself says: code -> (label, unit)."""
    document = json.loads((DATA / name).read_text())
    category = document["dimension"]["ContentsCode"]["category"]
    return {
        code: (label, category["unit"][code]["base"]) for code, label in category["label"].items()
    }


def import_real_files(files=FILES) -> Imported:
    norway = register_load_norway()
    register_load_code_history(norway)
    for name in files:
        import_file(name)
    standings_refresh(indicator_ids=Indicator.objects.values_list("pk", flat=True))
    members = [Municipality.objects.get(country=norway, code=code) for code in FINNMARK]
    alta = members[0]
    network = f.NetworkFactory(name="eKommune Finnmark", region=alta.region, members=members)
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, alta, username="alta_chief")
    return Imported(norway, network, alta, members, chief)
