"""Loads the municipal register shipped with the project (networks/data/, see PROVENANCE.md).

Norway's 15 counties (fylker) and 357 municipalities as of 2025, with population, from
aprestmo/norge-data (MIT). Loading is an upsert: running it again changes nothing.
"""

import json
from pathlib import Path

from django.db import transaction

from .models import Country, Municipality, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTIES_FILE = DATA_DIR / "norge-data_fylker-2025.json"
MUNICIPALITIES_FILE = DATA_DIR / "norge-data_kommuner-2025.json"


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
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["country", "code"],
        update_fields=["region", "name", "population"],
    )
    return norway
