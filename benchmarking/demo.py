"""Demo key figures: the real SSB files shipped in benchmarking/data/, imported as a
facilitator would. Rows that do not map (counties, quarters, merged municipalities) are
left out, as the import lists them. Importing again changes nothing.

The population figures of 2015 (births, deaths and net migration per 1,000, population growth
in per cent) are derived from SSB table 1106 by ``scripts/derive_ssb_1106.py`` (see
benchmarking/data/PROVENANCE.md); the 2015 codes map to today's municipalities through the
code history. No direction is set for them: more births or more moving in is not "better" in
itself, and growth is a burden as well as a goal, so they rank by value without a verdict."""

from pathlib import Path

from . import categories
from .imports import import_apply, import_preview
from .models import Indicator
from .readers import ReadOptions
from .standings import standings_refresh

DATA = Path(__file__).resolve().parent / "data"

POPULATION_2015 = "ssb_1106_population_changes_2015_per_1000.DERIVED.csv"
# What the derived CSV cannot say itself: its table and source (a CSV has no metadata).
POPULATION_SOURCE = {
    "table_id": "1106",
    "source": "Statistics Norway (SSB), table 1106, 2015 derived from its quarters",
}

FILES = [
    ("ssb_13502_kostra_barnehage_KOSandel120000_2015-2023.xlsm", ReadOptions()),
    ("ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json", ReadOptions()),
    ("ssb_11816_kostra_samferdsel_nokkeltall.jsonstat2.json", ReadOptions()),
    ("ssb_12191_kostra_kommunehelse_nokkeltall.jsonstat2.json", ReadOptions()),
    ("ssb_12367_kostra_driftsregnskap_detalj.jsonstat2.json", ReadOptions()),
    (POPULATION_2015, ReadOptions()),
]

# Which way is better, where it is clear; the rest rank by value without a verdict.
DIRECTIONS = {
    "KOSandel120000": True,  # share of children aged 1-2 in kindergarten
    "KOSAG110000": True,  # free income per inhabitant
    "KOSandelkvmedlys0000": True,  # share of municipal roads with lighting
    "KOSandelgsavalle0000": True,  # share of roads fit for cycling
}

# The portal's own names of the figures it renames (SSB's titles are Norwegian, and the derived
# 1106 file has none); the other figures keep the names their source gives. The unit is left
# out of the new languages' names: the pages show it beside the name.
NAMES = {
    "KOSandel120000": {
        "en": "Children aged 1-2 in kindergarten (per cent)",
        "pt": "Crianças de 1-2 anos no jardim de infância",
        "es": "Niños de 1-2 años en escuela infantil",
        "it": "Bambini di 1-2 anni all'asilo nido",
    },
    "KOSAG110000": {
        "en": "Free income per inhabitant (NOK)",
        "pt": "Receitas livres por habitante",
        "es": "Ingresos libres por habitante",
        "it": "Entrate libere per abitante",
    },
    "SSB1106_FODTE_PER1000": {
        "en": "Live births per 1,000 inhabitants",
        "pt": "Nados-vivos por 1000 habitantes",
        "es": "Nacidos vivos por 1000 habitantes",
        "it": "Nati vivi per 1000 abitanti",
    },
    "SSB1106_DODE_PER1000": {
        "en": "Deaths per 1,000 inhabitants",
        "pt": "Óbitos por 1000 habitantes",
        "es": "Defunciones por 1000 habitantes",
        "it": "Decessi per 1000 abitanti",
    },
    "SSB1106_NETTOINNFLYTTING_PER1000": {
        "en": "Net migration, immigration and emigration included, per 1,000 inhabitants",
        "pt": "Saldo migratório, incluindo imigração e emigração, por 1000 habitantes",
        "es": "Saldo migratorio, incluidas inmigración y emigración, por 1000 habitantes",
        "it": "Saldo migratorio, immigrazione ed emigrazione incluse, per 1000 abitanti",
    },
    "SSB1106_FOLKETILVEKST_PROSENT": {
        "en": "Population growth (per cent)",
        "pt": "Crescimento populacional",
        "es": "Crecimiento de la población",
        "it": "Crescita della popolazione",
    },
}


def seed_keyfigures() -> None:
    for name, options in FILES:
        preview = import_preview((DATA / name).read_bytes(), name, options)
        import_apply(preview, allow_unmapped=True)
    for code, better in DIRECTIONS.items():
        Indicator.objects.filter(code=code, higher_is_better__isnull=True).update(
            higher_is_better=better
        )
    for code, names in NAMES.items():
        for language, name in names.items():  # only where blank: an administrator's name stays
            Indicator.objects.filter(code=code, **{f"name_{language}": ""}).update(
                **{f"name_{language}": name}
            )
    Indicator.objects.filter(code__startswith="SSB1106_", table_id="").update(**POPULATION_SOURCE)
    # The derived file names no table, so the import could not give the table's category.
    Indicator.objects.filter(code__startswith="SSB1106_", category="").update(
        category=categories.for_table(POPULATION_SOURCE["table_id"])
    )
    # The directions were set after the imports ranked: rank those indicators again.
    standings_refresh(
        indicator_ids=Indicator.objects.filter(code__in=DIRECTIONS).values_list("pk", flat=True)
    )


def seed_register_keyfigures() -> None:
    """Each programme country's population, area and density from its register as key
    figures, and every municipality's similar municipalities computed from them (the
    registers are loaded first, networks/demo.py and demo_europe.py). Computed here and now,
    so that the demo has them without a worker; running it again changes nothing."""
    from celery import current_app
    from django.db import connection

    from networks.models import Country
    from networks.register import REGISTER_YEARS

    from . import tasks
    from .services import register_keyfigures_write
    from .structure import REGISTER_INDICATORS

    countries = Country.objects.filter(
        programmes__acronym="CEMSDI", municipalities__isnull=False
    ).distinct()
    for country in countries:
        register_keyfigures_write(
            country=country,
            year=REGISTER_YEARS[country.code],
            # one indicator for every country: each country's file is in networks/data/
            source="The national municipal registers",
        )
    ids = list(
        Indicator.objects.filter(code__in=[i.code for i in REGISTER_INDICATORS]).values_list(
            "pk", flat=True
        )
    )
    # Outside a transaction, with tasks in process, each write's tasks ran them at its commit;
    # inside one (a test) or with a broker (a worker may not be running) they run here.
    if connection.in_atomic_block or not current_app.conf.task_always_eager:
        tasks.refresh_standings(ids)
        tasks.refresh_similar(ids)
