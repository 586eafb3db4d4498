"""Units of key figures as a small vocabulary: each unit a source writes (SSB's Norwegian
``prosent``, ``kr``, ``antall``, ``årsverk``, ...; English ``per cent``, ``NOK``, ``number``,
...) maps to one canonical label, translated into the reader's language. Every place that
shows a unit (pages, charts, exports' headers, reports) shows ``label(unit)``; a unit the
vocabulary does not know is shown as the source gave it.

Statistics offices often end an indicator's name with its unit ("Frie inntekter per innbygger
(kr)"); where the page shows the unit beside the name, ``name_without_unit`` leaves it out of
the name, so that the unit is said once.
"""

import re

from django.utils.translation import pgettext_lazy

# canonical key -> its label ("unit" context: "number" as a unit is not a gathering's number)
LABELS = {
    "per_cent": pgettext_lazy("unit", "%"),
    "percentage_points": pgettext_lazy("unit", "percentage points"),
    "nok": pgettext_lazy("unit", "NOK"),
    "nok_1000": pgettext_lazy("unit", "NOK 1,000"),
    "nok_per_inhabitant": pgettext_lazy("unit", "NOK per inhabitant"),
    "number": pgettext_lazy("unit", "number"),
    "persons": pgettext_lazy("unit", "persons"),
    "km": pgettext_lazy("unit", "km"),
    "square_metres": pgettext_lazy("unit", "m²"),
    "per_inhabitant": pgettext_lazy("unit", "per inhabitant"),
    "per_1000_inhabitants": pgettext_lazy("unit", "per 1,000 inhabitants"),
    "per_10000_inhabitants": pgettext_lazy("unit", "per 10,000 inhabitants"),
    "full_time_equivalents": pgettext_lazy("unit", "full-time equivalents"),
    "yes_no": pgettext_lazy("unit", "yes = 1, no = 0"),
    "index": pgettext_lazy("unit", "index"),
    "years": pgettext_lazy("unit", "years"),
    "hours": pgettext_lazy("unit", "hours"),
    "points": pgettext_lazy("unit", "points"),
    "points_of_100": pgettext_lazy("unit", "points of 100"),
    "inhabitants": pgettext_lazy("unit", "inhabitants"),
    "square_kilometres": pgettext_lazy("unit", "km²"),
    "inhabitants_per_km2": pgettext_lazy("unit", "inhabitants per km²"),
    "nights": pgettext_lazy("unit", "nights"),
}

# What sources write, normalised (``_normal``), -> the canonical key.
SPELLINGS = {
    "per_cent": ["prosent", "%", "per cent", "percent", "pct", "pst", "andel i prosent"],
    "percentage_points": ["prosentpoeng", "percentage points", "pp"],
    "nok": ["kr", "kroner", "nok", "nkr", "norske kroner"],
    "nok_1000": ["1000 kr", "1000 kroner", "nok 1000", "1000 nok", "tusen kroner", "kr 1000"],
    "nok_per_inhabitant": ["kr per innbygger", "kroner per innbygger", "nok per inhabitant"],
    "number": ["antall", "number", "count", "stk"],
    "persons": ["personer", "persons", "people", "person"],
    "km": ["km", "kilometer", "kilometre", "kilometres", "kilometers"],
    "square_metres": ["kvm", "m2", "m²", "kvadratmeter", "square metres", "square meters"],
    "per_inhabitant": ["per innbygger", "per inhabitant", "per capita"],
    "per_1000_inhabitants": ["per 1000 innbyggere", "per 1000 inhabitants", "per 1000 residents"],
    "per_10000_inhabitants": ["per 10000 innbyggere", "per 10000 inhabitants"],
    "full_time_equivalents": ["årsverk", "full-time equivalents", "fte", "ftes"],
    "yes_no": ["ja=1, nei=0", "yes=1, no=0", "ja=1 nei=0", "yes=1 no=0"],
    "index": ["indeks", "index"],
    "years": ["år", "years"],
    "hours": ["timer", "hours", "timar"],
    "points": ["poeng", "points", "score"],
    "points_of_100": ["points of 100", "poeng av 100", "points (0–100)", "score 0-100"],
    "inhabitants": ["innbyggere", "inhabitants", "residents", "invånare"],
    "square_kilometres": ["km²", "km2", "kvadratkilometer", "square kilometres"],
    "inhabitants_per_km2": ["inhabitants per km²", "innbyggere per km²", "inhabitants per km2"],
    "nights": ["nights", "overnattinger", "dormidas", "pernoctaciones"],  # nights spent (hotels)
}


def _normal(text: str) -> str:
    """Lower case, single spaces, no spaces around "=", and thousands written without a
    separator ("1 000", "1,000" and "1.000" are 1000)."""
    text = " ".join(str(text).replace("\u00a0", " ").replace("\u202f", " ").split()).lower()
    text = re.sub(r"\s*=\s*", "=", text)
    return re.sub(r"(?<=\d)[ ,.](?=\d{3}\b)", "", text)


_KEYS = {_normal(spelling): key for key, spellings in SPELLINGS.items() for spelling in spellings}


def canonical(unit: str) -> str | None:
    """The vocabulary's key for a unit as a source writes it, or None if it is not known."""
    return _KEYS.get(_normal(unit)) if unit else None


def label(unit: str) -> str:
    """The unit in the reader's language; an unknown one as the source gave it; "" for none."""
    if not unit:
        return ""
    key = canonical(unit)
    return str(LABELS[key]) if key else " ".join(str(unit).split())


def _same_unit(written: str, unit: str) -> bool:
    key = canonical(written)
    return (key is not None and key == canonical(unit)) or _normal(written) == _normal(unit)


_TRAILING = re.compile(r"^(?P<name>.*?\S)\s*\((?P<unit>[^()]*)\)\s*$", re.DOTALL)


def _without_trailing_words(part: str, unit: str) -> str:
    """ "Deaths per 1,000 inhabitants" with the unit "per 1000 innbyggere" is "Deaths": the
    name ends with the unit, a rate, in words and in a spelling of the same unit."""
    key = canonical(unit)
    spellings = {_normal(unit)} | {_normal(s) for s in SPELLINGS.get(key, ())}
    # Only a rate ("per ..."): "Number of inhabitants" in inhabitants keeps its name.
    spellings = {s for s in spellings if s.startswith("per ")}
    for cut in range(1, len(part)):
        if part[cut - 1] == " " and _normal(part[cut:]) in spellings:
            return part[:cut].rstrip(" ,")
    return part


def _part_without_unit(part: str, unit: str) -> str:
    match = _TRAILING.match(part)
    if match and _same_unit(match["unit"], unit):
        return match["name"]
    return _without_trailing_words(part, unit)


def name_without_unit(name: str, unit: str) -> str:
    """The name without a trailing "(unit)" that says the indicator's unit again, in any
    spelling the vocabulary knows ("... (prosent)" for a unit "%" too). A name joined from
    several dimensions' labels ("Beløp (1000 kr); Politisk styring") loses it from each."""
    if not name or not unit:
        return name
    return "; ".join(_part_without_unit(part, unit) for part in name.split("; "))
