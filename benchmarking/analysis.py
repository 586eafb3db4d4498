"""Comparisons in pure pandas: frames in, frames out, no database.

Ranks are competition ranks (ties share the best of their places: 1, 2, 2, 4) counted in the
indicator's better direction; where neither direction is better, the highest value ranks
first. A missing value has no rank and does not count in the set. The percentile says how
much of the set a municipality does at least as well as: 100 for the best, 0 for the worst.
"""

import numpy as np
import pandas as pd


def ranks(values: pd.Series, *, higher_is_better: bool | None) -> pd.DataFrame:
    """Rank, count and percentile of each value in a set; missing values get none.

    ``values`` is indexed by municipality. Returns the same index with columns ``value``,
    ``rank``, ``count`` and ``percentile`` (``NaN`` where the value is missing).
    """
    present = values.dropna()
    ascending = higher_is_better is False
    rank = present.rank(method="min", ascending=ascending)
    count = len(present)
    # How many of the others do no better (ties count in one's favour), in O(n log n).
    worse_or_equal = present.rank(method="max", ascending=not ascending) - 1
    percentile = (100 * worse_or_equal / (count - 1)) if count > 1 else present * 0 + 100
    frame = pd.DataFrame({"value": values})
    frame["rank"] = rank
    frame["count"] = count
    frame["percentile"] = percentile.round(1) if count else np.nan
    return frame


def position(
    observations: pd.DataFrame,
    *,
    subject: int,
    members: list[int],
    year: int,
    directions: dict[int, bool | None],
) -> pd.DataFrame:
    """Where the subject stands in a set, per indicator, in a year.

    ``observations`` has columns ``indicator``, ``municipality``, ``year``, ``value`` (NaN for
    missing). Returns one row per indicator with ``value``, ``mean``, ``median``, ``rank``,
    ``count``, ``percentile``, ``previous_year``, ``previous_value`` and ``change``.
    """
    rows = []
    in_set = observations[observations["municipality"].isin(members)]
    for indicator, group in in_set.groupby("indicator", sort=True):
        this_year = group[group["year"] == year].set_index("municipality")["value"]
        ranked = ranks(this_year, higher_is_better=directions.get(indicator))
        own = ranked.loc[subject] if subject in ranked.index else None
        history = group[(group["municipality"] == subject) & (group["year"] < year)]
        history = history.dropna(subset=["value"]).sort_values("year")
        previous = history.iloc[-1] if len(history) else None
        value = own["value"] if own is not None else np.nan
        rows.append(
            {
                "indicator": indicator,
                "value": value,
                "mean": this_year.mean(),
                "median": this_year.median(),
                "rank": own["rank"] if own is not None else np.nan,
                "count": int(this_year.notna().sum()),
                "percentile": own["percentile"] if own is not None else np.nan,
                "previous_year": int(previous["year"]) if previous is not None else None,
                "previous_value": previous["value"] if previous is not None else np.nan,
                "change": value - previous["value"] if previous is not None else np.nan,
            }
        )
    columns = [
        "indicator",
        "value",
        "mean",
        "median",
        "rank",
        "count",
        "percentile",
        "previous_year",
        "previous_value",
        "change",
    ]
    return pd.DataFrame(rows, columns=columns).set_index("indicator")


def table(
    observations: pd.DataFrame, *, year: int, directions: dict[int, bool | None]
) -> pd.DataFrame:
    """Every municipality by every indicator in a year, with each value's rank in its column.

    Returns a frame indexed by municipality with a two-level column index
    (indicator, ``value`` or ``rank`` or ``percentile``).
    """
    this_year = observations[observations["year"] == year]
    parts = {}
    for indicator, group in this_year.groupby("indicator", sort=True):
        ranked = ranks(
            group.set_index("municipality")["value"], higher_is_better=directions.get(indicator)
        )
        parts[indicator] = ranked[["value", "rank", "percentile"]]
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, axis=1)


def summary(values) -> tuple[float | None, float | None, float | None, float | None]:
    """A set's mean, median, lowest and highest value (None each for an empty set), with the
    arithmetic of ``position``: missing values do not count."""
    present = pd.Series(values, dtype=float).dropna()
    if present.empty:
        return None, None, None, None
    return (
        float(present.mean()),
        float(present.median()),
        float(present.min()),
        float(present.max()),
    )
