"""Loads the municipal register shipped with the project (networks/data/, see PROVENANCE.md).

Norway's 15 counties (fylker) and 357 municipalities as of 2025, with population and area
(km²), from aprestmo/norge-data (MIT); ``REGISTER_YEAR`` is the year those figures are of.
Loading is an upsert: running it again changes nothing.
"""

import json
from pathlib import Path

from django.db import transaction

from .code_history import code_eras
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
