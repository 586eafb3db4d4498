"""Derive yearly 2015 key figures per municipality from SSB table 1106 (population changes,
quarterly), into the importer's long CSV format.

    python scripts/derive_ssb_1106.py            # writes benchmarking/data/<OUT>
    python scripts/derive_ssb_1106.py --check    # exits 1 if the file differs from a new run

Source: benchmarking/data/ssb_dataset_1106_population_changes_kommuner_quarterly_jsonstat1.json
(JSON-stat 1.0, 430 regions with the municipality codes of 2014-2016, quarters 2014K3-2016K3).
2015 is the one full year in it. For each municipality:

- births, deaths and net migration (immigration and domestic moves included) are the sums of
  the four quarters 2015K1-2015K4, per 1,000 of the mean population of the year, as SSB
  computes its rates ("middelfolkemengde"): the mean of the population at the end of 2014K4
  (= 1 January 2015) and at the end of 2015K4 (= 31 December 2015); one decimal;
- population growth is the sum of the four quarters' growth in per cent of the population at
  the end of 2014K4 (the start of the year); two decimals.

A municipality with any of these values missing in the source (status ".", a code that did not
exist all year) gets an empty value with the status "." for that figure.

The rows above are under the codes of 2015. Today's municipalities formed by a merger since
(several 2015 municipalities into one) get rows of their own, under today's code, as SSB
recomputes a series for today's municipality: the counts (births, deaths, net migration,
growth, the populations at the quarters' ends) of all the 2015 municipalities that make up
today's one are added up, and the rates computed from the sums as above. Which 2015 codes make
up which of today's municipalities is SSB's code history (networks/data/
ssb_klass131_code_changes_1971-2024.json, read by networks/code_history.py, the same reading
the register's MunicipalityCode rows come from) against the register's codes (networks/data/
norge-data_kommuner-2025.json). Not added up:
- a municipality any part of which comes from a 2015 municipality split between several of
  today's (the part is not known);
- a municipality whose code today is also the code of one of its parts in 2015 (Stavanger,
  1103): a long CSV row says code and year only, so the two could not be told apart.
The importer reads today's code for 2015 as today's municipality and leaves out the merged
municipalities' own 2015 codes, so nothing is counted twice. Standard library only (and the
project's networks/code_history.py); the output is the same byte for byte on every run.
"""

import argparse
import csv
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from networks.code_history import code_eras  # noqa: E402 (after the path is set)

DATA = ROOT / "benchmarking" / "data"
CODE_CHANGES = ROOT / "networks" / "data" / "ssb_klass131_code_changes_1971-2024.json"
REGISTER = ROOT / "networks" / "data" / "norge-data_kommuner-2025.json"
SOURCE = DATA / "ssb_dataset_1106_population_changes_kommuner_quarterly_jsonstat1.json"
OUT = DATA / "ssb_1106_population_changes_2015_per_1000.DERIVED.csv"
YEAR = "2015"
QUARTERS = [f"{YEAR}K{q}" for q in range(1, 5)]
START, END = "2014K4", "2015K4"  # the population at the end of these quarters

# code, name (Norwegian), unit, decimals, the source's contents code, what it is divided by
FIGURES = [
    ("SSB1106_FODTE_PER1000", "Levendefødte per 1000 innbyggere", "per 1000 innbyggere", 1,
     "Fodte2", "mean"),
    ("SSB1106_DODE_PER1000", "Døde per 1000 innbyggere", "per 1000 innbyggere", 1,
     "Dode3", "mean"),
    ("SSB1106_NETTOINNFLYTTING_PER1000",
     "Nettoinnflytting, inkludert inn- og utvandring, per 1000 innbyggere",
     "per 1000 innbyggere", 1, "Nettoinnflytting9", "mean"),
    ("SSB1106_FOLKETILVEKST_PROSENT", "Folketilvekst (prosent)", "prosent", 2,
     "Folketilvekst10", "start"),
]  # fmt: skip
HEADER = [
    "region_code", "region_name", "year", "indicator", "indicator_name", "unit", "decimals",
    "value", "status",
]  # fmt: skip


def _cube(dataset: dict):
    """value(region, contents, period): the source's value, or None where it has none."""
    dims = dataset["dimension"]
    ids, sizes = dims["id"], dims["size"]
    index = {dim: dims[dim]["category"]["index"] for dim in ids}

    def value(**categories):
        position = 0
        for dim, size in zip(ids, sizes, strict=True):
            position = position * size + index[dim][categories[dim]]
        found = dataset["value"][position]
        return None if found is None or str(position) in dataset.get("status", {}) else found

    return value


def merged_municipalities(year: int = int(YEAR)) -> dict[str, list[str]]:
    """Today's municipalities formed by merging several of ``year``'s: {today's code: the
    year's codes that make it up}. Those with any part split between several of today's
    municipalities are not in it."""
    changes = json.loads(CODE_CHANGES.read_text(encoding="utf-8"))["codeChanges"]
    current = {row["k_id"] for row in json.loads(REGISTER.read_text(encoding="utf-8"))}
    targets, parts = defaultdict(set), defaultdict(set)
    for code, first, last, target in code_eras(changes, current):
        if (first is None or first <= year) and (last is None or year <= last):
            targets[code].add(target)
            parts[target].add(code)
    return {
        today: sorted(codes)
        for today, codes in sorted(parts.items())
        if len(codes) > 1 and all(len(targets[code]) == 1 for code in codes)
        and today not in targets  # today's code was also a code of that year: not told apart
    }  # fmt: skip


def register_names() -> dict[str, str]:
    rows = json.loads(REGISTER.read_text(encoding="utf-8"))
    return {row["k_id"]: row["k_name_no"] for row in rows}


def derive(source: Path = SOURCE) -> str:
    dataset = json.loads(source.read_text(encoding="utf-8"))["dataset"]
    regions = dataset["dimension"]["Region"]["category"]
    value = _cube(dataset)

    def total(parts, contents, periods):
        """The sum over the parts and periods, or None if any of them has no value."""
        found = [value(Region=p, ContentsCode=contents, Tid=t) for p in parts for t in periods]
        return None if None in found else sum(found)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    names = register_names()
    rows = [(code, regions["label"][code], [code]) for code in regions["index"]]
    rows += [(today, names[today], parts) for today, parts in merged_municipalities().items()]
    for code, label, parts in rows:
        start = total(parts, "Folketallet11", [START])
        end = total(parts, "Folketallet11", [END])
        for indicator, name, unit, decimals, contents, base in FIGURES:
            counted = total(parts, contents, QUARTERS)
            divisor = start if base == "start" else (
                (start + end) / 2 if start is not None and end is not None else None
            )  # fmt: skip
            if counted is None or not divisor:
                figure, status = "", "."
            else:
                per = 100 if base == "start" else 1000
                figure, status = f"{counted / divisor * per:.{decimals}f}", ""
            writer.writerow(
                [code, label, YEAR, indicator, name, unit, decimals, figure, status]
            )  # fmt: skip
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = derive()
    merged = merged_municipalities()
    what = (
        f"{text.count(chr(10)) - 1} rows, {len(FIGURES)} figures each for the codes of {YEAR} "
        f"and for {len(merged)} of today's municipalities formed by merging "
        f"{sum(len(parts) for parts in merged.values())} of {YEAR}'s"
    )
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.name}: {'up to date' if same else 'differs from a new derivation'} ({what})")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(DATA.parent.parent)}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
