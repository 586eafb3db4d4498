"""Ranks over whole countries and peer groups, computed once per import rather than per page.

At European scale a country comparison would rank up to 90,000 municipalities on every page
view; instead ``standings_refresh`` stores each municipality's rank and percentile, and each
set's count, mean, median and range, with the same arithmetic as ``analysis.ranks`` (ties
share a rank, missing values have none, the better direction counts). The position selector
reads them; a network (a small set) is still ranked on the fly. The import enqueues the
refresh after it commits (tasks.py).

On PostgreSQL the ranks are computed where the data is, by window functions in one
``INSERT ... SELECT`` per scope (``_refresh_in_postgres``); elsewhere pandas computes them
(``rank_groups``). tests/benchmarking/test_standings.py holds both to ``analysis.ranks``.
"""

import io

import numpy as np
import pandas as pd
from django.db import connection, transaction

from . import partitions
from .cache import data_changed
from .models import Indicator, Observation, Scope, SetSummary, Standing

SCOPE_COLUMNS = {Scope.COUNTRY: "country_id", Scope.PEER_GROUP: "peer_group_id"}


def _values(indicator_id: int) -> pd.DataFrame:
    """An indicator's non-missing values with each municipality's sets (one query; on
    PostgreSQL through COPY, which hands pandas a million rows in about a second)."""
    columns = ["municipality_id", "year", "value", "country_id", "peer_group_id"]
    sql = (
        "SELECT o.municipality_id, o.year, o.value, m.country_id, m.peer_group_id "
        "FROM benchmarking_observation o JOIN networks_municipality m "
        "ON m.id = o.municipality_id WHERE o.indicator_id = %s AND o.value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            query = cursor.mogrify(sql, [int(indicator_id)]).decode()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buffer)
            buffer.seek(0)
            frame = pd.read_csv(buffer, names=columns, header=None)
            return frame.astype({"peer_group_id": "Int64"})
        cursor.execute(sql, [indicator_id])
        return pd.DataFrame(cursor.fetchall(), columns=columns)


def rank_groups(frame: pd.DataFrame, keys: list[str], *, higher_is_better: bool | None):
    """Rank and percentile of each row within its group: ``analysis.ranks``, vectorised."""
    ascending = higher_is_better is False
    groups = frame.groupby(keys)["value"]
    rank = groups.rank(method="min", ascending=ascending)
    worse_or_equal = groups.rank(method="max", ascending=not ascending) - 1
    count = groups.transform("count")
    percentile = np.where(count > 1, 100 * worse_or_equal / (count - 1).clip(lower=1), 100.0)
    return rank.astype(int), np.round(percentile, 1)


def _copy(model, frame: pd.DataFrame) -> None:
    """Insert a frame's rows: COPY on PostgreSQL, bulk_create elsewhere."""
    if frame.empty:
        return
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, header=False)
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(column) for column in frame.columns)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer
            )
        return
    fields = list(frame.columns)
    model.objects.bulk_create(
        (model(**dict(zip(fields, row, strict=True))) for row in frame.itertuples(index=False)),
        batch_size=2000,
    )


# The better value first: lower for an indicator where lower is better, else higher (as in
# analysis.ranks, the highest first where neither direction is better).
_BEST_FIRST = "CASE WHEN i.higher_is_better IS FALSE THEN o.value ELSE -o.value END"

STANDING_COLUMNS = ["indicator_id", "municipality_id", "year", "scope", "rank", "percentile"]

_STANDINGS_SQL = """
SELECT indicator_id, municipality_id, year, %(scope)s, rank,
       CASE WHEN count > 1
            -- analysis.ranks's arithmetic in float8, and numpy's rounding (x * 10, to even):
            -- the values no better, the own one left out: count - rank (a rank is 1 + the
            -- values strictly better; ties count in one's favour), with no second sort
            THEN round((100.0::float8 * (count - rank) / (count - 1)) * 10.0::float8) / 10.0
            ELSE 100.0 END
FROM (
    SELECT o.indicator_id, o.municipality_id, o.year,
           RANK() OVER set_ AS rank, COUNT(*) OVER set_ AS count
    FROM benchmarking_observation o
    JOIN networks_municipality m ON m.id = o.municipality_id
    JOIN benchmarking_indicator i ON i.id = o.indicator_id
    WHERE o.indicator_id = ANY(%(ids)s) AND o.value IS NOT NULL AND m.{group} IS NOT NULL
    -- One window for both: the frame (the whole set) counts it, RANK ignores the frame; two
    -- windows would be two passes over each set (a tenth of the statement at 900,000 rows).
    WINDOW set_ AS (PARTITION BY o.indicator_id, o.year, m.{group} ORDER BY {best} ASC
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
) ranked
"""

_SUMMARY_SQL = """
INSERT INTO benchmarking_setsummary
    (indicator_id, year, scope, "group", count, mean, median, minimum, maximum)
SELECT o.indicator_id, o.year, %(scope)s, m.{group}, COUNT(*), AVG(o.value),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY o.value), MIN(o.value), MAX(o.value)
FROM benchmarking_observation o
JOIN networks_municipality m ON m.id = o.municipality_id
WHERE o.indicator_id = ANY(%(ids)s) AND o.value IS NOT NULL AND m.{group} IS NOT NULL
GROUP BY o.indicator_id, o.year, m.{group}
"""


def _standings_selects(ids: list[int]) -> list[tuple[str, dict]]:
    """For each scope, the SELECT of the indicators' standings (``STANDING_COLUMNS``)."""
    return [
        (_STANDINGS_SQL.format(group=column, best=_BEST_FIRST), {"scope": scope.value, "ids": ids})
        for scope, column in SCOPE_COLUMNS.items()
    ]


def _summaries(cursor, ids: list[int]) -> None:
    for scope, column in SCOPE_COLUMNS.items():
        cursor.execute(_SUMMARY_SQL.format(group=column), {"scope": scope.value, "ids": ids})


def _locked(ids: list[int]) -> list[int]:
    """Lock the indicators, in one order: one refresh of an indicator at a time."""
    return list(
        Indicator.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refresh_in_postgres(ids: list[int]) -> int:
    """Every standing and set summary of these indicators, computed by PostgreSQL's window
    functions in place of a round trip through pandas. An indicator whose observations have
    a partition of their own gets its standings as one too, swapped in whole, each in its own
    transaction so that the pages wait for one indicator at most (partitions.py)."""
    stored = 0
    own = sorted(partitions.with_partition(Observation, ids))
    for pk in own:
        with transaction.atomic():
            if not _locked([pk]):
                continue  # deleted meanwhile
            SetSummary.objects.filter(indicator_id=pk).delete()
            stored += partitions.replace_partition(
                Standing, pk, STANDING_COLUMNS, _standings_selects([pk])
            )
            with connection.cursor() as cursor:
                _summaries(cursor, [pk])
    rest = [pk for pk in ids if pk not in own]
    if rest:
        with transaction.atomic():
            rest = _locked(rest)
            Standing.objects.filter(indicator_id__in=rest).delete()
            SetSummary.objects.filter(indicator_id__in=rest).delete()
            with connection.cursor() as cursor:
                table, columns = Standing._meta.db_table, ", ".join(STANDING_COLUMNS)
                for select, params in _standings_selects(rest):
                    cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
                    stored += cursor.rowcount
                _summaries(cursor, rest)
    return stored


def standings_refresh(*, indicator_ids) -> int:
    """Recompute and store the standings of these indicators; returns the rows stored."""
    if connection.vendor == "postgresql":
        stored = _refresh_in_postgres(sorted({int(pk) for pk in indicator_ids}))
        data_changed()
        return stored
    stored = 0
    for indicator in Indicator.objects.filter(pk__in=list(indicator_ids)):
        with transaction.atomic():
            # One refresh of an indicator at a time (a worker and a thread, two imports): the
            # second waits, then reads the values of now, and never meets the first's rows.
            list(Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk"))
            frame = _values(indicator.pk)
            Standing.objects.filter(indicator=indicator).delete()
            SetSummary.objects.filter(indicator=indicator).delete()
            for scope, column in SCOPE_COLUMNS.items():
                members = frame[frame[column].notna()].copy()
                if members.empty:
                    continue
                members["group"] = members[column].astype(int)
                keys = ["year", "group"]
                members["rank"], members["percentile"] = rank_groups(
                    members, keys, higher_is_better=indicator.higher_is_better
                )
                members["indicator_id"] = indicator.pk
                members["scope"] = scope.value
                _copy(
                    Standing,
                    members[
                        ["indicator_id", "municipality_id", "year", "scope", "rank", "percentile"]
                    ],
                )
                summary = (
                    members.groupby(keys)["value"]
                    .agg(count="count", mean="mean", median="median", minimum="min", maximum="max")
                    .reset_index()
                )
                summary["indicator_id"] = indicator.pk
                summary["scope"] = scope.value
                _copy(
                    SetSummary,
                    summary[
                        [
                            "indicator_id",
                            "year",
                            "scope",
                            "group",
                            "count",
                            "mean",
                            "median",
                            "minimum",
                            "maximum",
                        ]
                    ],
                )
                stored += len(members)
    data_changed()  # the pages' cached comparisons read the new standings
    return stored
