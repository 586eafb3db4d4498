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
exist all year) gets an empty value with the status "." for that figure. Standard library
only; the output is the same byte for byte on every run.
"""

import argparse
import csv
import io
import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "benchmarking" / "data"
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


def derive(source: Path = SOURCE) -> str:
    dataset = json.loads(source.read_text(encoding="utf-8"))["dataset"]
    regions = dataset["dimension"]["Region"]["category"]
    value = _cube(dataset)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for code in regions["index"]:
        start = value(Region=code, ContentsCode="Folketallet11", Tid=START)
        end = value(Region=code, ContentsCode="Folketallet11", Tid=END)
        for indicator, name, unit, decimals, contents, base in FIGURES:
            quarters = [value(Region=code, ContentsCode=contents, Tid=q) for q in QUARTERS]
            divisor = start if base == "start" else (
                (start + end) / 2 if start is not None and end is not None else None
            )  # fmt: skip
            if None in quarters or not divisor:
                figure, status = "", "."
            else:
                per = 100 if base == "start" else 1000
                figure, status = f"{sum(quarters) / divisor * per:.{decimals}f}", ""
            writer.writerow(
                [code, regions["label"][code], YEAR, indicator, name, unit, decimals, figure,
                 status]
            )  # fmt: skip
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = derive()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.name}: {'up to date' if same else 'differs from a new derivation'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(DATA.parent.parent)}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
