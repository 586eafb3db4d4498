"""Loads the municipal registers shipped with the project (networks/data/, see PROVENANCE.md).

One path for every country: a small reader per country (networks/register_readers.py, whose
docstring says which region level each country has and why) turns its files into the same
rows, and ``register_load`` writes them in one bulk upsert: the country (its code scheme and
the year of the figures), its regions, its municipalities (code, name, population, area, LAU
code). ``register_load_code_history`` writes the former codes with their years. Loading is an
upsert: running it again changes nothing.

Norway: 15 counties (fylker) and 357 municipalities as of 2025, from aprestmo/norge-data
(MIT); its former codes from SSB's change list. The United Kingdom (GB): England only, where
the UK pilot ran.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from . import register_readers as readers
from .code_history import code_eras
from .models import Country, Municipality, MunicipalityCode, Region

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTIES_FILE = DATA_DIR / readers.NO_COUNTIES
MUNICIPALITIES_FILE = DATA_DIR / readers.NO_MUNICIPALITIES
REGISTER_YEAR = 2025  # Norway's: the year of the population and area in the file above


@dataclass(frozen=True)
class RegisterSpec:
    name: str
    code_scheme: str
    year: int  # of the population figures
    read: Callable[[], readers.Register]
    files: tuple[str, ...]


REGISTERS: dict[str, RegisterSpec] = {
    "NO": RegisterSpec(
        "Norway", "kommunenummer", REGISTER_YEAR, readers.norway,
        (readers.NO_COUNTIES, readers.NO_MUNICIPALITIES),
    ),
    "PT": RegisterSpec(
        "Portugal", "DICO", readers.portugal_population_year(), readers.portugal,
        (readers.PT_CONCELHOS, readers.PT_POPULATION, readers.PT_FREGUESIAS),
    ),
    "ES": RegisterSpec(
        "Spain", "INE", 2020, readers.spain, (readers.ES_MUNICIPIOS, readers.ES_PROVINCE_NAMES)
    ),
    "IT": RegisterSpec(
        "Italy", "ISTAT", 2020, readers.italy,
        (readers.IT_REGISTER, readers.IT_REGISTER_2023, readers.IT_LAU),
    ),
    "GB": RegisterSpec(
        "United Kingdom", "GSS", 2020, readers.england,
        (readers.GB_AUTHORITIES, readers.GB_GSS_LOOKUP, readers.GB_REGIONS),
    ),
    "SE": RegisterSpec(
        "Sweden", "kommunkod", 2020, readers.sweden, (readers.SE_REGISTER, readers.SE_LAU)
    ),
    "FI": RegisterSpec(
        "Finland", "kuntanumero", 2020, readers.finland, (readers.FI_REGISTER, readers.FI_LAU)
    ),
}  # fmt: skip
# The year of each register's population figures (Norway's is REGISTER_YEAR).
REGISTER_YEARS = {code: spec.year for code, spec in REGISTERS.items()}


class UnknownRegister(ValueError):
    pass


def register_spec(country_code: str) -> RegisterSpec:
    code = (country_code or "").strip().upper()
    if code not in REGISTERS:
        raise UnknownRegister(
            _("There is no register for the country code “%(code)s”; the registers are: %(known)s.")
            % {"code": country_code, "known": ", ".join(REGISTERS)}
        )
    return REGISTERS[code]


@transaction.atomic
def register_load(country_code: str) -> Country:
    """Create or update the country, its regions and its municipalities in bulk."""
    spec = register_spec(country_code)
    code = country_code.strip().upper()
    register = spec.read()
    country, _created = Country.objects.update_or_create(
        code=code,
        defaults={"name": spec.name, "code_scheme": spec.code_scheme, "register_year": spec.year},
    )
    Region.objects.bulk_create(
        [Region(country=country, code=c, name=n) for c, n in register.regions.items()],
        update_conflicts=True,
        unique_fields=["country", "code"],
        update_fields=["name"],
    )
    regions = {r.code: r for r in Region.objects.filter(country=country)}
    Municipality.objects.bulk_create(
        [
            Municipality(
                country=country,
                region=regions[row.region],
                code=row.code,
                name=row.name,
                population=row.population,
                area_km2=row.area_km2,
                lau_code=row.lau_code,
            )
            for row in register.municipalities
        ],
        update_conflicts=True,
        unique_fields=["country", "code"],
        update_fields=["region", "name", "population", "area_km2", "lau_code"],
        batch_size=2000,
    )
    logger.info(
        "Register of %s loaded: %d regions, %d municipalities",
        code,
        len(register.regions),
        len(register.municipalities),
    )
    return country


def register_load_norway() -> Country:
    return register_load("NO")


CODE_CHANGES_FILE = DATA_DIR / "ssb_klass131_code_changes_1971-2024.json"


def _eras(country: Country, current: set[str]) -> list[tuple]:
    """(code, first_year, last_year, today's code) of every code of the country's register:
    Norway's from SSB's change list; the others' from their files, with today's codes
    beginning the year after the last former code that leads to them ended."""
    if country.code == "NO":
        changes = json.loads(CODE_CHANGES_FILE.read_text(encoding="utf-8"))["codeChanges"]
        return code_eras(changes, current)
    former = [row for row in register_spec(country.code).read().former if row[3] in current]
    began: dict[str, int] = {}
    for old, _first, last, target in former:
        if last is not None and old != target:
            began[target] = max(began.get(target, 0), last + 1)
    return former + [(code, began.get(code), None, code) for code in sorted(current)]


@transaction.atomic
def register_load_code_history(country: Country) -> int:
    """Replace the register's former codes with those its sources give (idempotent)."""
    municipalities = {m.code: m for m in Municipality.objects.filter(country=country)}
    rows = [
        MunicipalityCode(
            municipality=municipalities[target], code=code, first_year=first, last_year=last
        )
        for code, first, last, target in _eras(country, set(municipalities))
    ]
    MunicipalityCode.objects.filter(municipality__country=country).delete()
    MunicipalityCode.objects.bulk_create(rows, batch_size=2000)
    logger.info("Code history of %s loaded: %d codes", country.code, len(rows))
    return len(rows)
