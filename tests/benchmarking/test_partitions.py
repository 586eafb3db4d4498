"""A large indicator's first import as a partition of its own, and its standings swapped in
whole (benchmarking/partitions.py), on PostgreSQL: the same rows and ranks as the shared
table's path, ties and missing values included; a re-import changes nothing."""

import pandas as pd
import pytest
from django.db import connection

from benchmarking import analysis, partitions
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Indicator, Observation, SetSummary, Standing
from benchmarking.readers import ReadOptions
from benchmarking.standings import standings_refresh
from tests import factories as f
from tests.conftest import missing_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_enough(monkeypatch):
    """Partitions from 20 rows (instead of 50,000), so that a small file gets one."""
    if connection.vendor != "postgresql":
        missing_service("DATABASE_URL is not PostgreSQL, whose partitions these tests check")
    monkeypatch.setattr(partitions, "OWN_PARTITION_ROWS", 20)


@pytest.fixture
def municipalities(db):
    first = f.MunicipalityFactory()
    return [first] + [f.MunicipalityFactory(region=first.region) for _ in range(29)]


def _file(municipalities, shift=0):
    """30 municipalities x 2 years: ties (values modulo 5) and missing values (every 7th)."""
    lines = []
    for index, municipality in enumerate(municipalities):
        for year in (2022, 2023):
            cell = ".." if (index + year) % 7 == 0 else f"{(index * 3 + year + shift) % 5}.5"
            lines.append(f"{municipality.code},{year},{cell}")
    return ("region_code,year,value\n" + "\n".join(lines) + "\n").encode()


def _import(content, code, higher_is_better=True):
    preview = import_preview(
        content, f"{code}.csv", ReadOptions(indicator_code=code), higher_is_better=higher_is_better
    )
    import_apply(preview)
    return preview, Indicator.objects.get(code=code)


def _partition_of(model, indicator):
    """The table that holds the model's rows of the indicator (from PostgreSQL itself)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE indicator_id = %s",  # noqa: S608
            [indicator.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def _observations(indicator):
    return sorted(
        Observation.objects.filter(indicator=indicator).values_list(
            "municipality__code", "year", "value", "status"
        )
    )


def test_a_large_new_indicator_gets_a_partition_with_the_shared_tables_rows(
    big_enough, municipalities, monkeypatch
):
    content = _file(municipalities)
    own_preview, own = _import(content, "OWN")
    monkeypatch.setattr(partitions, "OWN_PARTITION_ROWS", 10**9)  # the same file, shared path
    shared_preview, shared = _import(content, "SHARED")
    assert _partition_of(Observation, own) == [f"benchmarking_observation_i{own.pk}"]
    assert _partition_of(Observation, shared) == ["benchmarking_observation_default"]
    assert own_preview.observations_new == shared_preview.observations_new == 60
    assert _observations(own) == _observations(shared)
    assert ".." in {status for *_rest, status in _observations(own)}
    # The ids are the table's own: unique across both partitions, found by the ORM.
    ids = list(Observation.objects.values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == 120
    one = Observation.objects.filter(indicator=own).first()
    assert Observation.objects.get(pk=one.pk) == one
    # The partition numbers its rows in the indicator's block; the shared path's ids come from
    # the sequence, which stops below every block (migration 0014).
    block = partitions.first_id(own.pk)
    assert set(Observation.objects.filter(indicator=own).values_list("pk", flat=True)) == set(
        range(block + 1, block + 61)
    )
    assert max(Observation.objects.filter(indicator=shared).values_list("pk", flat=True)) < block
    assert _sequence_maximum(Observation) == partitions.first_id(1) - 1


def _sequence_maximum(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seqmax FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence(%s, 'id')"
            "::regclass",
            [model._meta.db_table],
        )
        return cursor.fetchone()[0]


def test_standings_of_a_partitioned_indicator_are_exactly_analysis_ranks(
    big_enough, municipalities
):
    _preview, indicator = _import(_file(municipalities), "RANKED", higher_is_better=False)
    standings_refresh(indicator_ids=[indicator.pk])
    assert _partition_of(Standing, indicator) == [f"benchmarking_standing_i{indicator.pk}"]
    stored = {
        (row.year, row.municipality_id): (row.rank, row.percentile)
        for row in Standing.objects.filter(indicator=indicator, scope="country")
    }
    values = pd.DataFrame(
        list(
            Observation.objects.filter(indicator=indicator).values_list(
                "year", "municipality_id", "value"
            )
        ),
        columns=["year", "municipality", "value"],
    )
    expected = {}
    for year, members in values.groupby("year"):
        ranked = analysis.ranks(
            members.set_index("municipality")["value"].astype(float), higher_is_better=False
        ).dropna(subset=["rank"])
        expected.update(
            {
                (year, municipality): (int(line["rank"]), float(line["percentile"]))
                for municipality, line in ranked.iterrows()
            }
        )
    assert stored == expected  # ties share a rank, a missing value has none
    ids = sorted(Standing.objects.filter(indicator=indicator).values_list("pk", flat=True))
    block = partitions.first_id(indicator.pk)
    assert ids == list(range(block + 1, block + len(ids) + 1))  # both scopes, one block
    assert _sequence_maximum(Standing) == partitions.first_id(1) - 1
    assert len(stored) < 60
    summary = SetSummary.objects.get(indicator=indicator, year=2023, scope="country")
    assert summary.count == values[values["year"] == 2023]["value"].notna().sum()


def test_refreshing_again_replaces_the_partition_and_a_reimport_changes_nothing(
    big_enough, municipalities, django_capture_on_commit_callbacks
):
    content = _file(municipalities)
    with django_capture_on_commit_callbacks(execute=True):
        _preview, indicator = _import(content, "AGAIN")

    def stored():
        return sorted(
            Standing.objects.filter(indicator=indicator).values_list(
                "municipality", "year", "scope", "rank", "percentile"
            )
        )

    first_observations, first_standings = _observations(indicator), stored()
    assert first_standings  # the import's refresh ran after its commit
    standings_refresh(indicator_ids=[indicator.pk])
    assert stored() == first_standings  # replaced, not doubled
    with django_capture_on_commit_callbacks(execute=True):
        again, _indicator = _import(content, "AGAIN")
    assert (again.observations_new, again.observations_changed) == (0, 0)
    assert _observations(indicator) == first_observations
    assert stored() == first_standings
    # A changed file goes through the shared path's upsert, into the indicator's partition.
    with django_capture_on_commit_callbacks(execute=True):
        changed, _indicator = _import(_file(municipalities, shift=1), "AGAIN")
    assert changed.observations_changed > 0
    assert _partition_of(Observation, indicator) == [f"benchmarking_observation_i{indicator.pk}"]
    assert _observations(indicator) != first_observations
    assert stored() != first_standings


def test_an_indicator_deleted_takes_its_partitions_rows_along(big_enough, municipalities):
    _preview, indicator = _import(_file(municipalities), "GONE")
    standings_refresh(indicator_ids=[indicator.pk])
    indicator.delete()
    assert not Observation.objects.filter(indicator_id=indicator.pk).exists()
    assert not Standing.objects.filter(indicator_id=indicator.pk).exists()
