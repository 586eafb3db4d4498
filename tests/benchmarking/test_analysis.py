"""Ranks and percentiles with ties, missing values and both directions (no database)."""

import math

import pandas as pd

from benchmarking.analysis import position, ranks, summary, table


def _ranks(values, better):
    frame = ranks(pd.Series(values), higher_is_better=better)
    return {k: (None if math.isnan(r) else int(r)) for k, r in frame["rank"].items()}


def _percentiles(values, better):
    frame = ranks(pd.Series(values), higher_is_better=better)
    return {k: (None if math.isnan(p) else p) for k, p in frame["percentile"].items()}


def test_higher_is_better_ranks_the_highest_first_and_ties_share_a_place():
    values = {"a": 90.0, "b": 80.0, "c": 80.0, "d": 70.0}
    assert _ranks(values, True) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert _percentiles(values, True) == {"a": 100.0, "b": 66.7, "c": 66.7, "d": 0.0}


def test_lower_is_better_turns_the_order_round():
    values = {"a": 90.0, "b": 80.0, "c": 80.0, "d": 70.0}
    assert _ranks(values, False) == {"a": 4, "b": 2, "c": 2, "d": 1}
    assert _percentiles(values, False) == {"a": 0.0, "b": 66.7, "c": 66.7, "d": 100.0}


def test_no_direction_ranks_by_value_from_the_top():
    assert _ranks({"a": 1.0, "b": 3.0}, None) == {"a": 2, "b": 1}


def test_missing_values_have_no_rank_and_do_not_count():
    values = {"a": 5.0, "b": float("nan"), "c": 7.0}
    frame = ranks(pd.Series(values), higher_is_better=True)
    assert _ranks(values, True) == {"a": 2, "b": None, "c": 1}
    assert set(frame["count"]) == {2}
    assert _percentiles(values, True) == {"a": 0.0, "b": None, "c": 100.0}


def test_a_set_of_one_is_at_the_top():
    assert _percentiles({"a": 3.0}, True) == {"a": 100.0}


def _observations():
    rows = [
        # indicator, municipality, year, value
        (1, 10, 2022, 50.0),
        (1, 10, 2023, 60.0),
        (1, 11, 2023, 80.0),
        (1, 12, 2023, 70.0),
        (1, 13, 2023, float("nan")),
        (2, 10, 2023, 5.0),
        (2, 11, 2023, 5.0),
        (2, 12, 2023, 9.0),
    ]
    return pd.DataFrame(rows, columns=["indicator", "municipality", "year", "value"])


def test_position_in_a_set_with_mean_median_and_change():
    result = position(
        _observations(),
        subject=10,
        members=[10, 11, 12, 13],
        year=2023,
        directions={1: True, 2: False},
    )
    first = result.loc[1]
    assert (first["value"], first["mean"], first["median"]) == (60.0, 70.0, 70.0)
    assert (first["rank"], first["count"], first["percentile"]) == (3, 3, 0.0)
    assert (first["previous_year"], first["change"]) == (2022, 10.0)
    second = result.loc[2]
    assert (second["rank"], second["percentile"]) == (1, 100.0)  # tied best, lower is better


def test_position_outside_the_set_leaves_others_out():
    result = position(
        _observations(), subject=10, members=[10, 12], year=2023, directions={1: True, 2: False}
    )
    assert (result.loc[1]["rank"], result.loc[1]["count"]) == (2, 2)


def test_table_ranks_every_column():
    result = table(_observations(), year=2023, directions={1: True, 2: False})
    assert result.loc[11, (1, "rank")] == 1
    assert result.loc[12, (2, "rank")] == 3
    assert math.isnan(result.loc[13, (1, "rank")])


def test_summary_is_positions_mean_and_median_with_the_range_and_skips_missing():
    observations = pd.DataFrame(
        {
            "indicator": [1, 1, 1, 1],
            "municipality": [10, 11, 12, 13],
            "year": [2024] * 4,
            "value": [4.0, 1.0, float("nan"), 10.0],
        }
    )
    row = position(
        observations, subject=10, members=[10, 11, 12, 13], year=2024, directions={1: True}
    ).loc[1]

    assert summary([4.0, 1.0, None, 10.0]) == (5.0, 4.0, 1.0, 10.0)
    assert summary([4.0, 1.0, None, 10.0])[:2] == (row["mean"], row["median"])
    assert summary([]) == (None, None, None, None)
