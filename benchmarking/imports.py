"""Importing key figures: one entry point for the command and the upload page.

``import_preview`` reads a file and works out what it would change, saving nothing;
``import_apply`` saves a preview in one transaction (all or nothing). Codes, periods and
indicators that do not map are listed, never guessed; a number that is not a number stops
the import with its place in the file. Importing the same file again changes nothing.
"""

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.csv
from django.conf import settings
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from networks.models import Country, Municipality, MunicipalityCode
from networks.selectors import municipalities_by_lau, municipalities_holding_lau

from . import categories, partitions
from .cache import data_changed
from .comparability import defined_alike_across_countries
from .events import key_figures_changed
from .models import Indicator, Observation, ReferenceValue
from .readers import FileProblem, OptionMissing, ReadOptions, read

MISSING_SYMBOLS = {".", "..", "...", ":", "x", "NA", "n/a"}
NIL = "-"  # SSB's symbol for a magnitude of nil: zero, not missing
# At most 20 characters, as ReferenceValue.area_code keeps them; a longer code is no aggregate.
AGGREGATE = re.compile(r"^(EAK\w{0,17}|EKG\d{1,17}|EKA\d{1,17}|EAFK\w{0,16})$")
YEAR = re.compile(r"^\d{4}$")
MUNICIPALITY_CODE = re.compile(r"^(?:K-?|k-?)?(\d{3,4})$")
TEXT_COLUMNS = [
    "region_code", "region_label", "indicator_code", "indicator_label", "unit", "status"
]  # fmt: skip
LONGEST_CODE = Indicator._meta.get_field("code").max_length
LONGEST_STATUS = Observation._meta.get_field("status").max_length


@dataclass
class Unmapped:
    code: str
    label: str
    rows: int
    reason: str
    where: str = ""  # where its first rows are in the file ("line 3, column 2017; …")


def _places(table, locations, shown: int = 3) -> str:
    """Where rows are in the file, the first few, so that the person can find them."""
    places = list(dict.fromkeys(table.where(location) for location in locations))
    return "; ".join(places[:shown]) + ("; …" if len(places) > shown else "")


@dataclass
class Preview:
    """What an import would do. ``problems`` stop it; ``unmapped`` need the user's consent."""

    file_name: str
    file_format: str = ""
    indicators_new: list[str] = field(default_factory=list)
    indicators_known: list[str] = field(default_factory=list)
    observations_new: int = 0
    observations_changed: int = 0
    observations_unchanged: int = 0
    references: int = 0
    # Known indicators whose better direction the import would change.
    directions_changed: list[str] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # What the reader says about the file (rows it left out, how it read the periods).
    notes: list[str] = field(default_factory=list)
    # What the file needs the user to give (fields of ReadOptions): each front end says how.
    options_missing: list[str] = field(default_factory=list)
    # What apply saves: prepared rows, keyed as in the database.
    _indicators: dict = field(default_factory=dict, repr=False)
    _observations: pd.DataFrame | None = field(default=None, repr=False)
    _references: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> int:
        return self.observations_new + self.observations_changed + self.references

    @property
    def municipality_ids(self) -> frozenset[int]:
        """The municipalities the file has rows for (those that map)."""
        if self._observations is None:
            return frozenset()
        return frozenset(int(pk) for pk in self._observations["municipality_id"].unique())

    @property
    def reference_codes(self) -> list[str]:
        """The aggregates (the country, peer groups) the file has reference values for."""
        if self._references is None:
            return []
        return sorted(str(code) for code in self._references["code"].unique())


def _parse_values(frame: pd.DataFrame, file_name: str, where) -> pd.Series:
    """Numbers as floats, missing as NaN; text where a number belongs stops the import."""
    raw = frame["value"].fillna("").astype(str).str.strip()
    status = frame["status"].fillna("").astype(str).str.strip()
    raw = raw.mask((raw == NIL) | ((raw == "") & (status == NIL)), "0")
    missing = (raw == "") | raw.isin(MISSING_SYMBOLS)
    numbers = pd.to_numeric(raw.where(~missing), errors="coerce")
    # Infinite is no key figure either: "inf", or a number too large for a float (1e309).
    bad = ~missing & ~np.isfinite(numbers.astype(float))
    if bad.any():
        row = frame[bad].iloc[0]
        raise FileProblem(
            file_name,
            where(row["location"]),
            _(
                "“%(value)s” is not a number (for %(region)s, %(period)s). Use a point or a "
                "comma for decimals, and a symbol such as .. for a missing value."
            )
            % {"value": raw[bad].iloc[0], "region": row["region_code"], "period": row["period"]},
        )
    symbols = frame["value"].fillna("").astype(str).str.strip()
    frame["status"] = status.where(
        status != "", symbols.where(symbols.isin(MISSING_SYMBOLS | {NIL}), "")
    )
    too_long = frame["status"].str.len() > LONGEST_STATUS
    if too_long.any():
        row = frame[too_long].iloc[0]
        raise FileProblem(
            file_name,
            where(row["location"]),
            _("“%(status)s” is not a status symbol such as .. or : (for %(region)s, %(period)s).")
            % {"status": row["status"], "region": row["region_code"], "period": row["period"]},
        )
    return numbers


def _check_text(frame: pd.DataFrame, file_name: str, where) -> None:
    """Text the database cannot keep stops the import, with its place in the file: a NUL
    character (a damaged file, or one that is not text), an indicator code too long."""
    for column in TEXT_COLUMNS:
        values = frame[column].dropna().astype(str)
        damaged = values.str.contains("\x00", regex=False)  # in Arrow, not row by row
        if not damaged.any():
            continue
        row = frame.loc[values[damaged].index[0]]
        raise FileProblem(
            file_name,
            where(row["location"]),
            _("a NUL character, which no key figure holds: the file is damaged, or not a table."),
        )
    codes = frame["indicator_code"].dropna().astype(str)
    too_long = [code for code in codes.unique() if len(code) > LONGEST_CODE]
    if too_long:
        row = frame.loc[codes[codes == too_long[0]].index[0]]
        raise FileProblem(
            file_name,
            where(row["location"]),
            _("the indicator code “%(code)s…” is longer than %(limit)d characters.")
            % {"code": too_long[0][:40], "limit": LONGEST_CODE},
        )


def _among(field: str, values, sql_type: str = "text") -> dict:
    """A filter on a field being among many values (a file's 90,000 codes): on PostgreSQL one
    array parameter, where a placeholder per value takes Django seconds to compile."""
    values = list(values)
    if connection.vendor == "postgresql":
        # The values travel as one parameter; the type is one of this module's own words.
        unnest = RawSQL(f"SELECT unnest(%s::{sql_type}[])", (values,))  # noqa: S611
        return {f"{field}__in": unnest}
    return {f"{field}__in": values}


def _country_of_codes(history: list[tuple], register: list[tuple]) -> set[int] | None:
    """For a file that does not say its country: the one country most of its codes (today's
    or former) belong to, as Norway's 1106 Haugesund is Portugal's 1106 Lisboa too; None when
    no code is known or two countries tie. ``history`` and ``register``: the rows of
    ``_code_history``, the country last."""
    found: dict[int, set[str]] = {}
    for row in (*history, *register):
        found.setdefault(row[-1], set()).add(row[0])
    sizes = sorted((len(c) for c in found.values()), reverse=True)
    if not sizes or (len(sizes) > 1 and sizes[0] == sizes[1]):
        return None
    return {max(found, key=lambda country: len(found[country]))}


def _code_history(codes: set[str], countries=None):
    """From the register's code history: code -> [(first, last, municipality id)], and
    municipality id -> [(first, last, code)] for every code that ever led to it. With
    ``countries`` (ids), only their municipalities: Sweden's 0114 is not Norway's; without,
    the country most of the codes belong to (``_country_of_codes``). The codes' rows are read
    once, for every country, and the country chosen among them."""
    history = list(
        MunicipalityCode.objects.filter(**_among("code", codes)).values_list(
            "code", "first_year", "last_year", "municipality_id", "municipality__country_id"
        )
    )
    register = list(
        Municipality.objects.filter(**_among("code", codes)).values_list("code", "pk", "country_id")
    )
    if countries is None:
        countries = _country_of_codes(history, register)
    if countries is not None:
        history = [row for row in history if row[-1] in countries]
        register = [row for row in register if row[-1] in countries]
    by_code: dict[str, list] = {}
    for code, first, last, pk, _country in history:
        by_code.setdefault(code, []).append((first, last, pk))
    for code, pk, _country in register:
        by_code.setdefault(code, [(None, None, pk)])  # a register without history
    # Eurostat's LAU codes, where they are not the national code.
    if codes - by_code.keys():
        for code, pk in municipalities_by_lau(codes - by_code.keys(), countries).items():
            by_code[code] = [(None, None, pk)]
    targets = {pk for eras in by_code.values() for _f, _l, pk in eras}
    by_municipality: dict[int, list] = {}
    for code, first, last, pk in MunicipalityCode.objects.filter(
        **_among("municipality_id", targets, "bigint")
    ).values_list("code", "first_year", "last_year", "municipality_id"):
        by_municipality.setdefault(pk, []).append((first, last, code))
    return by_code, by_municipality


def _covers(first, last, year) -> bool:
    return (first is None or first <= year) and (last is None or year <= last)


def _resolve(code: str, year: int, by_code: dict, by_municipality: dict) -> tuple:
    """(municipality id or None, reason) for a code in a year.

    Statistics offices publish old years both under the codes of their time and under
    today's codes (a series recomputed for today's municipality). A code used in its own
    years is read in that era; a code used outside its years is read as the municipality it
    leads to, when it leads to one only. A former municipality merged into a larger one keeps
    its own values: they are not the merged municipality's.
    """
    eras = by_code.get(code, ())
    in_era = [(first, last, pk) for first, last, pk in eras if _covers(first, last, year)]
    found = {pk for _f, _l, pk in (in_era or eras)}
    if len(found) != 1:
        return None, "split" if found else ""
    target = found.pop()
    if in_era and in_era[0][1] is not None:  # an old code, in its own years
        sources = {
            c for first, last, c in by_municipality.get(target, ()) if _covers(first, last, year)
        }
        if len(sources) > 1:
            return None, "merged"
    return target, ""


def _compare_with_saved(mapped: pd.DataFrame, known: set[str]) -> Counter:
    """How many rows are new, unchanged and changed against what is saved (one query)."""
    states = Counter()
    if not known:
        states["new"] = len(mapped)
        return states
    saved = pd.DataFrame.from_records(
        list(
            Observation.objects.filter(indicator__code__in=known).values_list(
                "indicator__code", "municipality_id", "year", "value", "status"
            )
        ),
        columns=["indicator_code", "municipality_id", "year", "saved_value", "saved_status"],
    )
    merged = mapped[["indicator_code", "municipality_id", "year", "number", "status"]].merge(
        saved, on=["indicator_code", "municipality_id", "year"], how="left", indicator=True
    )
    new = merged["_merge"] == "left_only"
    saved_value = merged["saved_value"].astype(float)
    same_value = (merged["number"] == saved_value) | (merged["number"].isna() & saved_value.isna())
    same = ~new & same_value & (merged["status"] == merged["saved_status"])
    states["new"], states["same"] = int(new.sum()), int(same.sum())
    states["changed"] = len(merged) - states["new"] - states["same"]
    return states


def _normalise_code(code: str) -> str:
    """SSB's 301 and K-301 are 0301. A three-digit code that keeps its leading zero is
    written in full already (Finland's 091 Helsinki)."""
    match = MUNICIPALITY_CODE.match(code.strip())
    if not match or (len(match.group(1)) == 3 and match.group(1).startswith("0")):
        return code.strip()
    return match.group(1).zfill(4)


def _nothing_maps(file_name: str, unmapped: list[Unmapped], regional: list[str]) -> str:
    codes = [item.code for item in unmapped]
    if not codes:
        return _("%(file)s has no values to import.") % {"file": file_name}
    if regional:
        codes = regional
        return _(
            "%(file)s holds regional figures (%(codes)s): no municipality matches, so there "
            "is nothing to import. The portal keeps key figures per municipality."
        ) % {"file": file_name, "codes": ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")}
    return _(
        "%(file)s: no row maps to a municipality and a year (%(codes)s), so there is nothing "
        "to import."
    ) % {"file": file_name, "codes": ", ".join(codes[:10]) + (", …" if len(codes) > 10 else "")}


def _layout_says(preview: Preview, table, frame: pd.DataFrame, countries):
    """What the file's layout says (readers.Table): its notes, the country whose codes they
    are (when the caller gave none: DICO 1106 is Lisboa, not Haugesund), and the regions it
    marks (a province, a county), listed as such and never guessed onto a municipality.
    Returns the rows less those regions, the countries and the regions' codes."""
    preview.notes = list(table.notes)
    if countries is None and table.country:
        countries = set(Country.objects.filter(code=table.country).values_list("pk", flat=True))
        if not countries:
            preview.notes.append(
                _(
                    "The file's codes are municipalities of %(country)s, whose register is not "
                    "loaded."
                )
                % {"country": table.country}
            )
    regional = frame["region_code"].isin(list(table.regional))
    for code, rows in frame[regional].groupby("region_code", sort=True):
        preview.unmapped.append(
            Unmapped(
                code,
                str(rows["region_label"].iloc[0]),
                len(rows),
                _("regional figures (%(level)s): no municipality matches")
                % {"level": table.regional[code]},
            )
        )
    return frame[~regional], countries, sorted(set(frame.loc[regional, "region_code"]))


def _former_parts_left_out(preview: Preview, mapped: pd.DataFrame, clashing, by_code: dict):
    """Of values that disagree for one municipality and year, those under codes that were not
    the municipality's in that year: the former parts of a merged municipality, whose figures
    a file gives under their own codes after the merger (ONS's 2020/21 survey for Aylesbury
    Vale, Chiltern and Wycombe, Buckinghamshire since 2020). They are listed as merged, not
    added up or chosen between; the municipality's own code keeps its value."""
    key = ["indicator_code", "municipality_id", "year"]
    involved = mapped.set_index(key).index.isin(clashing) & mapped["number"].notna().to_numpy()
    rows = mapped[involved]
    own = [
        any(pk == mid and _covers(first, last, year) for first, last, pk in by_code.get(code, ()))
        for code, mid, year in rows[["code", "municipality_id", "year"]].itertuples(index=False)
    ]
    former = rows[[not flag for flag in own]]
    if former.empty:
        return mapped
    reason = _(
        "merged with others into one municipality since: its own values are not the merged "
        "municipality's"
    )
    listed = {(item.code, item.reason): item for item in preview.unmapped}
    for code, parts in former.groupby("code", sort=True):
        if (code, reason) in listed:  # its other years are listed already
            listed[(code, reason)].rows += len(parts)
        else:
            preview.unmapped.append(
                Unmapped(code, str(parts["region_label"].iloc[0]), len(parts), reason)
            )
    return mapped.drop(index=former.index)


def _values_agree(preview: Preview, mapped: pd.DataFrame, by_code: dict, table, file_name: str):
    """The mapped rows, once any that disagree for one municipality and year are the former
    parts of a merged one (left out, listed); None, with the problem said, when rows still
    disagree."""
    key = ["indicator_code", "municipality_id", "year"]
    with_values = mapped[mapped["number"].notna()]
    clashes = with_values.groupby(key)["number"].nunique()
    if (clashes > 1).any():
        mapped = _former_parts_left_out(preview, mapped, clashes[clashes > 1].index, by_code)
        with_values = mapped[mapped["number"].notna()]
        clashes = with_values.groupby(key)["number"].nunique()
    if not (clashes > 1).any():
        return mapped
    ind, mid, year = clashes[clashes > 1].index[0]
    rows = with_values.set_index(key).loc[(ind, mid, year)]
    preview.problems.append(
        _(
            "%(file)s: %(where)s give different values for the same municipality and year "
            "(%(year)d): %(values)s."
        )
        % {
            "file": file_name,
            "where": _(" and ").join(table.where(x) for x in rows["location"]),
            "year": year,
            "values": ", ".join(f"{v:g}" for v in rows["number"]),
        }
    )
    return None


def _years_only(preview: Preview, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a year, with ``year``: quarters and months are listed as unmapped, not
    squeezed into a year. (Work on the distinct values and map back: a file may have millions
    of rows.)"""
    periods = pd.Series(frame["period"].astype(str).unique())
    years = periods[periods.str.match(YEAR)]
    is_year = frame["period"].astype(str).isin(years)
    for period, rows in frame[~is_year]["period"].value_counts().items():
        preview.unmapped.append(Unmapped(period, "", int(rows), _("not a year")))
    # Each row filter copies every column (Arrow's take, a third of a 900,000-row preview):
    # filter only where something is left out.
    if not is_year.all():
        frame = frame[is_year]
    frame["year"] = frame["period"].astype(int)
    return frame


def _to_municipalities(frame: pd.DataFrame, countries):
    """The rows with their normalised ``code``, ``municipality_id`` (missing where none) and
    ``reason``; the aggregates' codes; the code history read (``_code_history``)."""
    # Regions: aggregates become reference rows; codes map through the code history.
    codes = {code: _normalise_code(code) for code in frame["region_code"].unique()}
    frame["code"] = frame["region_code"].map(codes)
    aggregates = {code for code in codes.values() if AGGREGATE.match(code)}
    aggregate = frame["code"].isin(aggregates)
    by_code, by_municipality = _code_history(set(codes.values()) - aggregates, countries)
    # A code with one era, for all years, needs no year: map it in one go. The others (old
    # codes, renumbered ones) are resolved once per distinct code and year.
    timeless = {
        code: eras[0][2]
        for code, eras in by_code.items()
        if len(eras) == 1 and eras[0][:2] == (None, None)
    }
    needs_year = ~aggregate & ~frame["code"].isin(timeless)
    pairs = frame.loc[needs_year, ["code", "year"]].drop_duplicates()
    resolved = [
        (code, year, *_resolve(code, year, by_code, by_municipality))
        for code, year in pairs.itertuples(index=False)
    ]
    if resolved:
        resolved = pd.DataFrame(resolved, columns=["code", "year", "municipality_id", "reason"])
        frame = frame.merge(resolved, on=["code", "year"], how="left")
        frame["municipality_id"] = frame["municipality_id"].fillna(frame["code"].map(timeless))
        frame["reason"] = frame["reason"].fillna("")
    else:  # every code timeless: nothing to merge
        frame = frame.reset_index(drop=True)
        frame["municipality_id"] = frame["code"].map(timeless)
        frame["reason"] = ""
    return frame, aggregates, by_code


MAPPED_COLUMNS = [
    "indicator_code", "municipality_id", "year", "number", "status", "code", "region_label",
    "location",
]  # fmt: skip


def import_preview(
    data: bytes,
    file_name: str,
    options: ReadOptions | None = None,
    *,
    higher_is_better: bool | None = None,
    countries=None,
) -> Preview:
    """Read the file and work out what importing it would change. Saves nothing. With
    ``countries`` (ids), its codes are read as those countries' municipalities only (a feed
    knows its source's country; a file's codes may be of any country in the register)."""
    preview = Preview(file_name=file_name)
    limit = settings.MAX_IMPORT_MB * 1024 * 1024
    if len(data) > limit:
        preview.problems.append(
            _("%(file)s is %(size).1f MB; the limit is %(limit)d MB.")
            % {"file": file_name, "size": len(data) / 1024 / 1024, "limit": settings.MAX_IMPORT_MB}
        )
        return preview
    try:
        table = read(data, file_name, options)
        frame = table.frame
        _check_text(frame, file_name, table.where)
        frame["number"] = _parse_values(frame, file_name, table.where)
    except FileProblem as problem:
        preview.problems.append(str(problem))
        if isinstance(problem, OptionMissing):
            preview.options_missing.append(problem.option)
        return preview
    preview.file_format = table.file_format
    frame, countries, regional_codes = _layout_says(preview, table, frame, countries)

    frame = _years_only(preview, frame)

    frame, aggregates, by_code = _to_municipalities(frame, countries)
    aggregate = frame["code"].isin(aggregates)
    # A missing value under a code that did not exist that year (or a footnote row) loses
    # nothing: only rows with a value are reported as not mapped.
    kept_rows = aggregate | frame["municipality_id"].notna() | frame["number"].notna()
    if not kept_rows.all():
        frame = frame[kept_rows]
        aggregate = aggregate[frame.index]
    unmapped = frame[~aggregate & frame["municipality_id"].isna()]
    holding = municipalities_holding_lau(set(unmapped["code"]), countries)
    for (code, reason), rows in unmapped.groupby(["code", "reason"]):
        why = {
            "split": _("split between several municipalities since: not guessed"),
            "merged": _(
                "merged with others into one municipality since: its own values "
                "are not the merged municipality's"
            ),
        }.get(reason, _("not a municipality code in the register"))
        if not reason and code in holding:
            why = _(
                "a parish (freguesia) of %(municipality)s: Eurostat's local unit in Portugal "
                "is the parish, the register's municipality is the concelho, and a parish's "
                "figure is not its concelho's (not added up)"
            ) % {"municipality": holding[code]}
        preview.unmapped.append(
            Unmapped(
                code,
                rows["region_label"].iloc[0],
                len(rows),
                why,
                _places(table, rows["location"]),
            )
        )

    # One value per indicator, municipality and year; two rows that disagree are a problem.
    # Only the columns the checks, the comparison and the apply read: fewer to sort and copy.
    mapped = frame.loc[~aggregate & frame["municipality_id"].notna(), MAPPED_COLUMNS]
    mapped["municipality_id"] = mapped["municipality_id"].astype(int)
    mapped = mapped.sort_values("number", na_position="last")
    key = ["indicator_code", "municipality_id", "year"]
    mapped = _values_agree(preview, mapped, by_code, table, file_name)
    if mapped is None:
        return preview
    mapped = mapped.drop_duplicates(key, keep="first")  # a value wins over a missing one
    references = frame[aggregate].drop_duplicates(["indicator_code", "code", "year"])
    if mapped.empty and references.empty:
        # Consent to leave out what does not map cannot make an import of nothing.
        preview.problems.append(_nothing_maps(file_name, preview.unmapped, regional_codes))
        return preview

    # Indicators, and what would change: only those the import gives a row (an indicator
    # whose every row is left out would be an empty indicator).
    kept = set(mapped["indicator_code"].unique()) | set(references["indicator_code"].unique())
    indicators = frame[frame["indicator_code"].isin(kept)]
    indicators = indicators.drop_duplicates("indicator_code").set_index("indicator_code")
    directions = dict(
        Indicator.objects.filter(code__in=list(indicators.index)).values_list(
            "code", "higher_is_better"
        )
    )
    known = set(directions)
    if higher_is_better is not None:
        preview.directions_changed = sorted(
            code for code, better in directions.items() if better != higher_is_better
        )
    preview.indicators_new = sorted(set(indicators.index) - known)
    preview.indicators_known = sorted(known)
    preview._indicators = {
        code: {
            table.label_field: str(row["indicator_label"])[:400],
            "unit": str(row["unit"] or "")[:60],
            "decimals": int(row["decimals"]) if pd.notna(row["decimals"]) else 1,
            # The file's own description: without NUL characters, which a text column refuses.
            "source": table.source.replace("\x00", "")[:100],
            "table_id": table.table_id.replace("\x00", "")[:60],
            "category": categories.for_table(table.table_id),  # a new indicator's chapter
            "higher_is_better": higher_is_better,
            "comparable_across_countries": defined_alike_across_countries(
                code=code, source=table.source
            ),
        }
        for code, row in indicators.iterrows()
    }
    states = _compare_with_saved(mapped, known)
    preview.observations_new = states["new"]
    preview.observations_changed = states["changed"]
    preview.observations_unchanged = states["same"]
    preview.references = len(references)
    preview._observations = mapped
    preview._references = references
    return preview


class ImportRefused(Exception):
    pass


def import_refusal(preview: Preview, *, allow_unmapped: bool = False) -> str | None:
    """Why ``import_apply`` would refuse the preview, or None: the one verdict that a dry run
    and the real run both give."""
    if not preview.ok:
        return " ".join(preview.problems)
    if preview.unmapped and not allow_unmapped:
        count = sum(u.rows for u in preview.unmapped)
        return ngettext(
            "%(count)d row does not map to a municipality or a year (%(codes)s); "
            "allow unmapped rows to import the rest.",
            "%(count)d rows do not map to a municipality or a year (%(codes)s); "
            "allow unmapped rows to import the rest.",
            count,
        ) % {"count": count, "codes": ", ".join(u.code for u in preview.unmapped[:10])}
    return None


OBSERVATION_COLUMNS = ["indicator_id", "municipality_id", "year", "value", "status"]


def _changed_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows whose value or status differs from the stored one, or that are new (the
    SQLite path; PostgreSQL's upsert says so itself with RETURNING)."""
    stored = {
        (i, m, y): (v, s)
        for i, m, y, v, s in Observation.objects.filter(
            indicator_id__in=[int(pk) for pk in rows["indicator_id"].unique()]
        ).values_list("indicator_id", "municipality_id", "year", "value", "status")
    }
    keep = [
        stored.get((int(i), int(m), int(y)), ...) != (None if pd.isna(v) else float(v), s)
        for i, m, y, v, s in rows.itertuples(index=False)
    ]
    return rows[keep]


def _save_observations(rows: pd.DataFrame, *, created: set[int]) -> set[int]:
    """Insert or update observations: on PostgreSQL a large indicator new in this import as a
    partition of its own (partitions.py), the other rows by COPY into a temporary table and
    one INSERT ... ON CONFLICT (millions of rows in seconds); bulk_create elsewhere.
    ``created``: the indicators (ids) this import created, which have no rows to conflict
    with. Returns the indicators (ids) of the rows inserted or changed."""
    rows = rows[OBSERVATION_COLUMNS]
    if connection.vendor != "postgresql":
        rows = _changed_rows(rows) if not created.issuperset(rows["indicator_id"]) else rows
        Observation.objects.bulk_create(
            (
                Observation(
                    indicator_id=i,
                    municipality_id=m,
                    year=y,
                    value=None if pd.isna(v) else float(v),
                    status=s,
                )
                for i, m, y, v, s in rows.itertuples(index=False)
            ),
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["indicator", "municipality", "year"],
            update_fields=["value", "status"],
        )
        return {int(pk) for pk in rows["indicator_id"].unique()}
    sizes = rows["indicator_id"].value_counts()
    large = sizes[sizes >= partitions.OWN_PARTITION_ROWS].index
    own = {int(pk) for pk in large if pk in created}
    for pk in sorted(own):
        # In the file's order: the attach sorts for each index anyway.
        part = rows[rows["indicator_id"] == pk]
        part.insert(0, "id", partitions.first_id(pk) + np.arange(1, len(part) + 1, dtype="int64"))
        partitions.load_as_partition(Observation, pk, ["id", *OBSERVATION_COLUMNS], _csv(part))
    rest = rows[~rows["indicator_id"].isin(own)]
    if rest.empty:
        return own
    table = Observation._meta.db_table
    columns = ", ".join(OBSERVATION_COLUMNS)
    # Names come from the model's metadata; the values travel by COPY, never in the SQL.
    upsert = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM import_rows"  # noqa: S608
    if not created.issuperset(rest["indicator_id"]):
        upsert += (
            " ON CONFLICT (indicator_id, municipality_id, year) DO UPDATE "
            "SET value = EXCLUDED.value, status = EXCLUDED.status "
            f"WHERE ({table}.value, {table}.status) IS DISTINCT FROM "
            "(EXCLUDED.value, EXCLUDED.status)"
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS import_rows")  # an earlier import, same transaction
        cursor.execute(
            f"CREATE TEMPORARY TABLE import_rows (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cursor.execute("ALTER TABLE import_rows DROP COLUMN id")
        cursor.copy_expert(f"COPY import_rows ({columns}) FROM STDIN WITH (FORMAT csv)", _csv(rest))
        # RETURNING gives the rows inserted or changed (not those the WHERE left alone).
        cursor.execute(
            f"WITH written AS ({upsert} RETURNING indicator_id) "  # noqa: S608
            "SELECT DISTINCT indicator_id FROM written"
        )
        return own | {row[0] for row in cursor.fetchall()}


def _csv(rows: pd.DataFrame) -> io.BytesIO:
    """Rows as COPY reads them: CSV without a header, an empty field for a missing value and
    text quoted (pyarrow's writer: a tenth of the time of pandas' for a million rows)."""
    buffer = io.BytesIO()
    pyarrow.csv.write_csv(
        pyarrow.Table.from_pandas(rows, preserve_index=False),
        buffer,
        write_options=pyarrow.csv.WriteOptions(include_header=False),
    )
    buffer.seek(0)
    return buffer


@transaction.atomic
def import_apply(
    preview: Preview, *, allow_unmapped: bool = False, in_request: bool = False
) -> Preview:
    """Save what the preview found, in one transaction. Refuses a preview with problems, and
    one with unmapped rows unless the user allowed them. The standings of its indicators are
    refreshed after the commit, off the request when ``in_request`` (tasks.py)."""
    refusal = import_refusal(preview, allow_unmapped=allow_unmapped)
    if refusal:
        raise ImportRefused(refusal)
    created_ids = set()
    for code, fields in preview._indicators.items():
        indicator, created = Indicator.objects.get_or_create(code=code, defaults=fields)
        if created:
            created_ids.add(indicator.pk)
        if not created and fields["higher_is_better"] is not None:
            Indicator.objects.filter(pk=indicator.pk).update(
                higher_is_better=fields["higher_is_better"]
            )
    ids = dict(
        Indicator.objects.filter(code__in=list(preview._indicators)).values_list("code", "pk")
    )
    rows = preview._observations[
        ["indicator_code", "municipality_id", "year", "number", "status"]
    ].copy()
    rows["indicator_id"] = rows["indicator_code"].map(ids)
    written = _save_observations(rows.rename(columns={"number": "value"}), created=created_ids)
    if written:
        transaction.on_commit(
            lambda: key_figures_changed.send(sender=Observation, indicator_ids=sorted(written))
        )
    references = [
        ReferenceValue(
            indicator_id=ids[row.indicator_code],
            area_code=row.code,
            area_name=str(row.region_label)[:200],
            year=row.year,
            value=None if pd.isna(row.number) else float(row.number),
            status=row.status,
        )
        for row in preview._references.itertuples(index=False)
    ]
    ReferenceValue.objects.bulk_create(
        references,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["indicator", "area_code", "year"],
        update_fields=["area_name", "value", "status"],
    )
    from .tasks import standings_refresh_enqueue  # the task module imports the standings

    data_changed()
    standings_refresh_enqueue(sorted(ids.values()), in_request=in_request)
    return preview
