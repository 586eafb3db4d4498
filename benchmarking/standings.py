"""Ranks over whole countries and peer groups, computed once per import rather than per page.

At European scale a country comparison would rank up to 90,000 municipalities on every page
view; instead ``standings_refresh`` stores each municipality's rank and percentile, and each
set's count, mean, median and range, with the same arithmetic as ``analysis.ranks`` (ties
share a rank, missing values have none, the better direction counts). The position selector
reads them; a network (a small set) is still ranked on the fly. The import enqueues the
refresh after it commits (tasks.py).
"""

import io

import numpy as np
import pandas as pd
from django.db import connection, transaction

from .cache import data_changed
from .models import Indicator, Scope, SetSummary, Standing

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


def standings_refresh(*, indicator_ids) -> int:
    """Recompute and store the standings of these indicators; returns the rows stored."""
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
