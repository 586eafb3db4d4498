"""Loads the municipal register shipped with the project (networks/data/, see PROVENANCE.md).

Norway's 15 counties (fylker) and 357 municipalities as of 2025, with population and area
(km²), from aprestmo/norge-data (MIT); ``REGISTER_YEAR`` is the year those figures are of.
Loading is an upsert: running it again changes nothing.
"""

import json
from pathlib import Path

from django.db import transaction

from .models import Country, Municipality, MunicipalityCode, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTIES_FILE = DATA_DIR / "norge-data_fylker-2025.json"
MUNICIPALITIES_FILE = DATA_DIR / "norge-data_kommuner-2025.json"
REGISTER_YEAR = 2025  # the year of the population and area in the file above


@transaction.atomic
def register_load_norway() -> Country:
    """Create or update Norway, its counties and its municipalities in bulk."""
    norway, _ = Country.objects.update_or_create(code="NO", defaults={"name": "Norway"})
    counties = json.loads(COUNTIES_FILE.read_text(encoding="utf-8"))
    Region.objects.bulk_create(
        [Region(country=norway, code=c["f_id"], name=c["f_name"]) for c in counties],
        update_conflicts=True,
        unique_fields=["country", "code"],
        update_fields=["name"],
    )
    regions = {r.code: r for r in Region.objects.filter(country=norway)}
    rows = json.loads(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    Municipality.objects.bulk_create(
        [
            Municipality(
                country=norway,
                region=regions[row["k_id"][:2]],  # the first two digits are the county
                code=row["k_id"],
                name=row["k_name_no"],
                population=row["k_population"],
                area_km2=row["k_area"],
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["country", "code"],
        update_fields=["region", "name", "population", "area_km2"],
    )
    return norway


CODE_CHANGES_FILE = DATA_DIR / "ssb_klass131_code_changes_1971-2024.json"


Era = tuple[str, int | None, int | None, str]


class _CodeHistory:
    """What SSB's change list says of each code: the years its eras end, the years it came
    into use through a change, and the codes each era's change leads to."""

    def __init__(self, changes: list[dict], current: set[str]):
        self.current = current
        self.successors: dict[tuple[str, int], set[str]] = {}
        self.ends: dict[str, set[int]] = {}
        self.starts: dict[str, set[int]] = {}  # years a code came into use through a change
        for change in changes:
            end = int(change["changeOccurred"][:4]) - 1
            self.successors.setdefault((change["oldCode"], end), set()).add(change["newCode"])
            self.ends.setdefault(change["oldCode"], set()).add(end)
            self.starts.setdefault(change["newCode"], set()).add(end + 1)
        for code in current:
            self.ends.setdefault(code, set())
        self._targets: dict[tuple[str, int | None], frozenset[str]] = {}

    def eras(self, code: str) -> list[tuple[int | None, int | None]]:
        """The code's eras in order, as (first_year, last_year); a current code's last era
        has no end."""
        boundaries = sorted(self.ends[code])
        ends = [*boundaries, None] if code in self.current else boundaries
        eras = []
        after = None  # the year after the previous era
        for end in ends:
            # An era begins when the code came into use within it, else after the last one.
            began = [
                y
                for y in self.starts.get(code, ())
                if (after is None or y > after) and (end is None or y <= end)
            ]
            eras.append((max(began) if began else after, end))
            after = None if end is None else end + 1
        return eras

    def _era_end_containing(self, code: str, year: int) -> int | None:
        later = sorted(end for end in self.ends.get(code, ()) if end >= year)
        if later:
            return later[0]
        return None if code in self.current else -1  # -1: the code leads nowhere now

    def targets(self, code: str, end: int | None) -> frozenset[str]:
        """The current codes the era of ``code`` ending in ``end`` leads to."""
        if end is None:
            return frozenset([code])
        if end == -1:
            return frozenset()
        if (code, end) not in self._targets:
            found: set[str] = set()
            for successor in self.successors.get((code, end), ()):
                found |= self.targets(successor, self._era_end_containing(successor, end + 1))
            self._targets[(code, end)] = frozenset(found)
        return self._targets[(code, end)]


def code_eras(changes: list[dict], current: set[str]) -> list[Era]:
    """Every era of every code, as (code, first_year, last_year, current_code).

    A code's eras end where it appears as an old code in a change (the change takes effect on
    1 January, so the era ends the year before). An era maps to the current municipalities its
    successors lead to; a split leads to several, and each becomes a row.
    """
    history = _CodeHistory(changes, current)
    return [
        (code, first, end, target)
        for code in history.ends
        for first, end in history.eras(code)
        for target in sorted(history.targets(code, end))
    ]


@transaction.atomic
def register_load_code_history(country: Country) -> int:
    """Replace the register's former codes with those SSB's change list gives (idempotent)."""
    changes = json.loads(CODE_CHANGES_FILE.read_text(encoding="utf-8"))["codeChanges"]
    municipalities = {m.code: m for m in Municipality.objects.filter(country=country)}
    rows = [
        MunicipalityCode(
            municipality=municipalities[target], code=code, first_year=first, last_year=last
        )
        for code, first, last, target in code_eras(changes, set(municipalities))
    ]
    MunicipalityCode.objects.filter(municipality__country=country).delete()
    MunicipalityCode.objects.bulk_create(rows)
    return len(rows)
