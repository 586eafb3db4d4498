"""Ranks stored once per import equal a direct computation on the same data, ties and
missing values included, in both directions."""

import random

import pandas as pd
import pytest

from benchmarking import analysis
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Indicator, Observation, SetSummary, Standing
from benchmarking.readers import ReadOptions
from benchmarking.selectors import Comparison, municipality_position
from benchmarking.standings import standings_refresh
from networks.models import Municipality, PeerGroup
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def country(db):
    """40 municipalities in two peer groups; two indicators with ties and missing values."""
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    first = f.MunicipalityFactory()
    region = first.region
    groups = [
        PeerGroup.objects.create(country=region.country, code=f"EKG{n}", name=f"G{n}")
        for n in (1, 2)
    ]
    municipalities = [first] + [f.MunicipalityFactory(region=region) for _ in range(39)]
    for index, municipality in enumerate(municipalities):
        municipality.peer_group = groups[index % 2]
        municipality.save()
    indicators = [
        Indicator.objects.create(code="UP", higher_is_better=True),
        Indicator.objects.create(code="DOWN", higher_is_better=False),
        Indicator.objects.create(code="NEUTRAL", higher_is_better=None),
    ]
    for indicator in indicators:
        for municipality in municipalities:
            for year in (2022, 2023):
                roll = rng.random()
                value = None if roll < 0.15 else float(rng.randint(1, 12))  # many ties
                Observation.objects.create(
                    indicator=indicator,
                    municipality=municipality,
                    year=year,
                    value=value,
                    status=".." if value is None else "",
                )
    return municipalities, indicators


def _rows(page):
    return {
        row.indicator.code: (
            row.value,
            row.rank,
            row.count,
            row.percentile,
            row.mean,
            row.median,
            row.minimum,
            row.maximum,
            row.change,
        )
        for row in page.rows
    }


@pytest.mark.parametrize("comparison", [Comparison.COUNTRY, Comparison.PEER_GROUP])
def test_stored_standings_equal_a_direct_computation(country, comparison):
    municipalities, indicators = country
    direct = {
        m.pk: _rows(municipality_position(municipality=m, comparison=comparison, year=2023))
        for m in municipalities
    }
    stored_rows = standings_refresh(indicator_ids=[i.pk for i in indicators])
    assert stored_rows == Standing.objects.count() > 0
    for municipality in municipalities:
        stored = _rows(
            municipality_position(municipality=municipality, comparison=comparison, year=2023)
        )
        assert stored.keys() == direct[municipality.pk].keys()
        for code, figures in stored.items():
            expected = direct[municipality.pk][code]
            assert figures[:4] == pytest.approx(expected[:4], nan_ok=True), (code, municipality)
            assert figures[4:] == pytest.approx(expected[4:]), (code, municipality)


def test_missing_values_get_no_standing_and_do_not_count(country):
    _municipalities, indicators = country
    standings_refresh(indicator_ids=[i.pk for i in indicators])
    missing = Observation.objects.filter(value__isnull=True, year=2023).first()
    assert not Standing.objects.filter(
        indicator=missing.indicator, municipality=missing.municipality, year=2023
    ).exists()
    summary = SetSummary.objects.get(indicator=missing.indicator, year=2023, scope="country")
    assert (
        summary.count
        == Observation.objects.filter(
            indicator=missing.indicator, year=2023, value__isnull=False
        ).count()
    )


def test_refreshing_twice_stores_the_same(country):
    _municipalities, indicators = country
    ids = [i.pk for i in indicators]
    standings_refresh(indicator_ids=ids)
    first = sorted(
        Standing.objects.values_list(
            "indicator", "municipality", "year", "scope", "rank", "percentile"
        )
    )
    standings_refresh(indicator_ids=ids)
    again = sorted(
        Standing.objects.values_list(
            "indicator", "municipality", "year", "scope", "rank", "percentile"
        )
    )
    assert first == again


def test_an_import_refreshes_the_standings_after_it_commits(
    country, django_capture_on_commit_callbacks
):
    municipalities, _indicators = country
    lines = "\n".join(f"{m.code},2023,{i % 5}" for i, m in enumerate(municipalities))
    preview = import_preview(
        f"region_code,year,value\n{lines}\n".encode(), "new.csv", ReadOptions(indicator_code="NEW")
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_apply(preview)
    indicator = Indicator.objects.get(code="NEW")
    assert Standing.objects.filter(indicator=indicator, scope="country").count() == 40
    assert SetSummary.objects.get(indicator=indicator, scope="country", year=2023).count == 40


def _each_set(indicators, scope_column):
    """Per indicator, year and set: the values of analysis.ranks's input, read back."""
    rows = Observation.objects.filter(indicator__in=indicators).values_list(
        "indicator", "year", f"municipality__{scope_column}", "municipality", "value"
    )
    frame = pd.DataFrame(
        list(rows), columns=["indicator", "year", "group", "municipality", "value"]
    )
    frame = frame[frame["group"].notna()]
    return frame.groupby(["indicator", "year", "group"])


@pytest.mark.parametrize("scope", ["country", "peer_group"])
def test_stored_ranks_are_exactly_analysis_ranks(country, scope):
    """Rank and percentile exactly as analysis.ranks computes them (on PostgreSQL by window
    functions, elsewhere by pandas), set figures as pandas computes them."""
    _municipalities, indicators = country
    standings_refresh(indicator_ids=[i.pk for i in indicators])
    direction = {i.pk: i.higher_is_better for i in indicators}
    stored = {
        (row.indicator_id, row.year, row.municipality_id): (row.rank, row.percentile)
        for row in Standing.objects.filter(scope=scope)
    }
    expected = {}
    for (indicator, year, group), members in _each_set(indicators, f"{scope}_id"):
        ranked = analysis.ranks(
            members.set_index("municipality")["value"].astype(float),
            higher_is_better=direction[indicator],
        )
        present = ranked.dropna(subset=["rank"])
        expected.update(
            {
                (indicator, year, municipality): (int(line["rank"]), float(line["percentile"]))
                for municipality, line in present.iterrows()
            }
        )
        summary = SetSummary.objects.get(indicator=indicator, year=year, scope=scope, group=group)
        values = members["value"].dropna()
        assert summary.count == len(values)
        assert (summary.minimum, summary.maximum) == (values.min(), values.max())
        assert summary.mean == pytest.approx(values.mean(), rel=1e-12)
        assert summary.median == pytest.approx(values.median(), rel=1e-12)
    assert stored == expected  # missing values have no row, ties share a rank


def test_percentiles_round_as_numpy_does_at_a_half(db):
    """401 values: the second best does at least as well as 399 of 400 others, 99.75 %, which
    numpy rounds to even (99.8) and a decimal rounding half-up would too; the second worst,
    0.25 %, rounds to 0.2 with numpy, where rounding half-up would give 0.3."""
    first = f.MunicipalityFactory()
    Municipality.objects.bulk_create(
        Municipality(region=first.region, country=first.country, code=f"H{n:04d}", name=f"H{n}")
        for n in range(400)
    )
    indicator = Indicator.objects.create(code="HALF", higher_is_better=True)
    Observation.objects.bulk_create(
        Observation(indicator=indicator, municipality=m, year=2023, value=float(n))
        for n, m in enumerate(Municipality.objects.order_by("code"))
    )
    standings_refresh(indicator_ids=[indicator.pk])
    values = pd.Series(
        dict(Observation.objects.filter(indicator=indicator).values_list("municipality", "value"))
    )
    expected = analysis.ranks(values, higher_is_better=True)["percentile"]
    stored = dict(
        Standing.objects.filter(indicator=indicator, scope="country").values_list(
            "municipality", "percentile"
        )
    )
    assert stored == expected.to_dict()
    second_worst = values.sort_values().index[1]
    assert stored[second_worst] == 0.2


def test_importing_the_same_file_again_changes_nothing(country, django_capture_on_commit_callbacks):
    municipalities, _indicators = country
    lines = "\n".join(f"{m.code},2023,{i % 7}" for i, m in enumerate(municipalities))
    content = f"region_code,year,value\n{lines}\n".encode()

    def imported():
        preview = import_preview(content, "same.csv", ReadOptions(indicator_code="SAME"))
        with django_capture_on_commit_callbacks(execute=True):
            import_apply(preview)
        indicator = Indicator.objects.get(code="SAME")
        return preview, {
            "observations": sorted(
                Observation.objects.filter(indicator=indicator).values_list(
                    "municipality", "year", "value", "status"
                )
            ),
            "standings": sorted(
                Standing.objects.filter(indicator=indicator).values_list(
                    "municipality", "year", "scope", "rank", "percentile"
                )
            ),
            "summaries": sorted(
                SetSummary.objects.filter(indicator=indicator).values_list(
                    "year", "scope", "group", "count", "mean", "median", "minimum", "maximum"
                )
            ),
        }

    first_preview, first = imported()
    assert first_preview.observations_new == len(municipalities)
    again_preview, again = imported()
    assert (again_preview.observations_new, again_preview.observations_changed) == (0, 0)
    assert again_preview.observations_unchanged == len(municipalities)
    assert again == first
