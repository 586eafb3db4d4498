"""Demo key figures of the other pilot countries: the real ONS Subnational Indicators download
(England's local authority districts) and Statistics Portugal's resident population per
concelho (via AMT), shipped in benchmarking/data/ (PROVENANCE.md) and imported through the
same path as an upload (layouts.py reads them). Only the municipalities in the register get
figures; the rest of each file is left out, as the import lists it. A file whose country has
no municipalities yet is skipped. Importing again changes nothing.

Call ``seed_european_keyfigures()`` after the registers (or the demo's municipalities) of
England (GB) and Portugal (PT) are loaded.
"""

from pathlib import Path

from networks.models import Municipality

from .imports import import_apply, import_preview
from .models import Indicator
from .standings import standings_refresh

DATA = Path(__file__).resolve().parent / "data"

FILES = [
    ("uk_ons_subnational_indicators_machine_readable.csv", "GB"),
    ("pt_amt_ine_populacao_residente_concelhos_2006-2017.csv", "PT"),
]

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


def seed_european_keyfigures() -> dict[str, int]:
    """Import the files onto the municipalities there are; returns the municipalities'
    values each file gave (new or changed), by file name."""
    written = {}
    for name, country in FILES:
        if not Municipality.objects.filter(country__code=country).exists():
            continue
        preview = import_preview((DATA / name).read_bytes(), name)
        if not preview.municipality_ids:  # none of the file's areas is in the demo
            continue
        if not preview.ok:
            raise RuntimeError(" ".join(preview.problems))
        import_apply(preview, allow_unmapped=True)
        written[name] = preview.observations_new + preview.observations_changed
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
