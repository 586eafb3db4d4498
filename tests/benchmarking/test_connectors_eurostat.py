"""Eurostat's dissemination API connector against a local server: geo chunks, the
asynchronous answer and then the data, a refusal. The data fixture is written by the project
in Eurostat's documented JSON-stat 2.0 shape (recorded/PROVENANCE.md)."""

import json

import pytest

from benchmarking.connectors import Query, SourceRefused, SourceUnavailable, eurostat
from benchmarking.readers import read

from .source_server import jsonstat_subset, recorded

pytestmark = pytest.mark.django_db

DATA = "eurostat_statistics_1.0_data_FIXTURE_documented_shape.json"
ASYNC_413 = "eurostat_statistics_async_413_FIXTURE_documented_shape.json"
ASYNC_WARNING = "eurostat_statistics_async_warning_FIXTURE_documented_shape.json"
NOT_FOUND = "eurostat_statistics_error_404_FIXTURE_documented_shape.json"
PATH = "/eurostat/api/dissemination/statistics/1.0/data/FIXTURE_demo_lau"


def _query(**kwargs):
    return Query(
        table="FIXTURE_demo_lau",
        indicators=["unit=NR", "freq=A"],
        regions=["0301", "4601", "5001"],
        years=[2023, 2024],
        **kwargs,
    )


def _rows(data: bytes) -> list[tuple]:
    frame = read(data, "eurostat.json").frame
    return sorted(frame[["region_code", "period", "value", "status"]].itertuples(index=False))


def _answer_geo(server):
    whole = json.loads(recorded(DATA))
    server.respond = lambda request: (
        200, {}, jsonstat_subset(whole, {"geo": request.query["geo"]})
    )  # fmt: skip


def test_eurostat_asks_the_regions_in_chunks_and_joins_the_answers(source_server, settings):
    settings.EUROSTAT_GEO_PER_REQUEST = 2
    _answer_geo(source_server)

    fetched = eurostat.fetch(_query())

    assert [r.query["geo"] for r in source_server.requests] == [["0301", "4601"], ["5001"]]
    first = source_server.requests[0]
    assert first.path == PATH
    assert first.query["time"] == ["2023", "2024"]
    assert first.query["unit"] == ["NR"]
    assert first.query["format"] == ["JSON"]
    assert _rows(fetched.data) == _rows(recorded(DATA))


@pytest.mark.parametrize(("status", "fixture"), [(413, ASYNC_413), (200, ASYNC_WARNING)])
def test_an_asynchronous_answer_is_asked_again_until_the_data_comes(source_server, status, fixture):
    answers = iter([(status, {}, recorded(fixture))] * 2 + [(200, {}, recorded(DATA))])
    source_server.respond = lambda request: next(answers)
    slept = []

    fetched = eurostat.fetch(_query(), sleep=slept.append)

    assert len(source_server.requests) == 3
    assert len({json.dumps(r.query, sort_keys=True) for r in source_server.requests}) == 1
    assert slept == [0, 0]  # EUROSTAT_ASYNC_WAIT between the tries
    assert _rows(fetched.data) == _rows(recorded(DATA))


def test_an_extraction_still_asynchronous_after_the_polls_gives_up_with_a_message(
    source_server, settings
):
    settings.EUROSTAT_ASYNC_POLLS = 2
    source_server.respond = lambda request: (413, {}, recorded(ASYNC_413))

    with pytest.raises(SourceUnavailable) as caught:
        eurostat.fetch(_query(), sleep=lambda seconds: None)

    assert len(source_server.requests) == 3
    assert str(caught.value) == (
        "Eurostat could not deliver table FIXTURE_demo_lau: Eurostat is still preparing the "
        "extraction after 3 tries; the next run asks again."
    )


def test_an_unknown_dataset_is_refused_with_eurostats_reason(source_server):
    source_server.respond = lambda request: (404, {}, recorded(NOT_FOUND))

    with pytest.raises(SourceRefused) as caught:
        eurostat.fetch(_query())

    assert str(caught.value) == (
        "Eurostat refused table FIXTURE_demo_lau: HTTP 404: ERR_NOT_FOUND_4: NOT_A_DATASET "
        "(DATA_FLOW:ALL,1.0) is not available for dissemination."
    )


def test_a_filter_that_is_not_dimension_equals_code_is_refused_before_asking(source_server):
    with pytest.raises(SourceRefused):
        eurostat.fetch(Query(table="x", indicators=["NR"], regions=["0301"], years=[2024]))
    assert source_server.requests == []
