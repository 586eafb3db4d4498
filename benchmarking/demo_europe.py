"""Demo key figures of the other pilot countries: the real ONS Subnational Indicators download
(England's local authority districts) and Statistics Portugal's resident population and nights
in hotels per concelho (via AMT), shipped in benchmarking/data/ (PROVENANCE.md) and imported
through the same path as an upload (layouts.py reads them). Nights in hotels per 1,000
residents is derived here from those two files (``nights_per_1000_csv``) and imported as a CSV,
for Portugal's municipalities only. Only the municipalities in the register get
figures; the rest of each file is left out, as the import lists it. A file whose country has
no municipalities yet is skipped. Importing again changes nothing.

Call ``seed_european_keyfigures()`` after the registers (or the demo's municipalities) of
England (GB) and Portugal (PT) are loaded.
"""

from pathlib import Path

from cemsdi_portal.core.i18n import fill_blanks
from networks.models import Country, Municipality

from .imports import import_apply, import_preview
from .models import Indicator
from .standings import standings_refresh

DATA = Path(__file__).resolve().parent / "data"

PT_POPULATION = "pt_amt_ine_populacao_residente_concelhos_2006-2017.csv"
PT_NIGHTS = "pt_amt_ine_dormidas_concelhos_2006-2017.csv"
FILES = [
    ("uk_ons_subnational_indicators_machine_readable.csv", "GB"),
    (PT_POPULATION, "PT"),
    (PT_NIGHTS, "PT"),
]
NIGHTS_PER_1000 = "INE-PT:dormidas-per-1000"
NIGHTS_PER_1000_FILE = "pt_nights_per_1000_residents.DERIVED.csv"

# Which way is better, where it is clear; the rest rank by value without a verdict.
DIRECTIONS = {
    "ONS:employment-rate-1664-year-olds": True,
    "ONS:gross-value-added-gva-per-hour-worked": True,
    "ONS:percentage-of-premises-with-gigabit-capable-broadband": True,
    "ONS:female-healthy-life-expectancy-hle": True,
    "ONS:male-healthy-life-expectancy-hle": True,
    "ONS:smoking-prevalence-of-adults": False,
    "ONS:obesity-prevalence-adult": False,
    "ONS:obesity-prevalence-children": False,
}


def nights_per_1000_csv() -> bytes:
    """Nights in hotel establishments per 1,000 residents, per concelho and year: the nights
    divided by the resident population of the same year, times 1,000, where both are given.
    A long CSV the importer reads (region_code, region_name, year, indicator, …)."""
    import pandas as pd

    from .readers import read

    def frame(name):
        table = read((DATA / name).read_bytes(), name).frame
        table["number"] = pd.to_numeric(table["value"], errors="coerce")
        return table[["region_code", "region_label", "period", "number"]]

    both = frame(PT_NIGHTS).merge(
        frame(PT_POPULATION), on=["region_code", "period"], suffixes=("_nights", "_residents")
    )
    both = both[both["number_nights"].notna() & (both["number_residents"] > 0)]
    out = pd.DataFrame(
        {
            "region_code": both["region_code"],
            "region_name": both["region_label_residents"],
            "year": both["period"],
            "indicator": NIGHTS_PER_1000,
            "indicator_name": "Nights in hotel establishments per 1,000 residents",
            "unit": "per 1,000 residents",
            "decimals": 1,
            "value": (both["number_nights"] / both["number_residents"] * 1000).round(3),
        }
    )
    return out.to_csv(index=False).encode()


def _import(data: bytes, name: str, countries=None) -> int | None:
    preview = import_preview(data, name, countries=countries)
    if not preview.municipality_ids:  # none of the file's areas is in the demo
        return None
    if not preview.ok:
        raise RuntimeError(" ".join(preview.problems))
    import_apply(preview, allow_unmapped=True)
    return preview.observations_new + preview.observations_changed


# The files name their indicators in English, or not at all; the demo's readers are in five.
PT_NAMES = {
    "INE-PT:pop-residente": {
        "en": "Resident population (annual estimate)",
        "nb": "Bosatt befolkning (årlig anslag)",
        "pt": "População residente (estimativa anual)",
        "es": "Población residente (estimación anual)",
        "it": "Popolazione residente (stima annuale)",
    },
    "INE-PT:dormidas": {
        "en": "Nights spent in hotel establishments",
        "nb": "Overnattinger på hoteller",
        "pt": "Dormidas nos estabelecimentos hoteleiros",
        "es": "Pernoctaciones en establecimientos hoteleros",
        "it": "Pernottamenti negli esercizi alberghieri",
    },
    NIGHTS_PER_1000: {
        "en": "Nights in hotel establishments per 1,000 residents",
        "nb": "Overnattinger på hoteller per 1000 innbyggere",
        "pt": "Dormidas nos estabelecimentos hoteleiros por 1000 habitantes",
        "es": "Pernoctaciones en establecimientos hoteleros por 1000 habitantes",
        "it": "Pernottamenti negli esercizi alberghieri per 1000 abitanti",
    },
}


def _name_portuguese_indicators() -> None:
    """Each Portuguese indicator's name in the five languages, where a column is blank. A
    plain CSV's names land in the Norwegian column (the reader's default): the English one
    found there is moved to its own."""
    for indicator in Indicator.objects.filter(code__in=PT_NAMES):
        names = PT_NAMES[indicator.code]
        changed = []
        if indicator.name_nb == names["en"]:
            indicator.name_nb = ""
            changed.append("name_nb")
        changed += fill_blanks(indicator, "name", names)
        if changed:
            indicator.save(update_fields=sorted(set(changed)))


def seed_european_keyfigures() -> dict[str, int]:
    """Import the files onto the municipalities there are; returns the municipalities'
    values each file gave (new or changed), by file name."""
    written = {}
    for name, country in FILES:
        if not Municipality.objects.filter(country__code=country).exists():
            continue
        count = _import((DATA / name).read_bytes(), name)
        if count is not None:
            written[name] = count
    portugal = Country.objects.filter(code="PT").values_list("pk", flat=True)
    if PT_POPULATION in written:
        # The derived CSV names no country: its DICO codes are read as Portugal's only.
        count = _import(nights_per_1000_csv(), NIGHTS_PER_1000_FILE, countries=set(portugal))
        if count is not None:
            written[NIGHTS_PER_1000_FILE] = count
    _name_portuguese_indicators()
    directed = Indicator.objects.filter(code__in=DIRECTIONS, higher_is_better__isnull=True)
    changed = []
    for indicator in directed:
        indicator.higher_is_better = DIRECTIONS[indicator.code]
        changed.append(indicator)
    if changed:
        Indicator.objects.bulk_update(changed, ["higher_is_better"])
        # The directions were set after the imports ranked: rank those indicators again.
        standings_refresh(indicator_ids=[indicator.pk for indicator in changed])
    return written
