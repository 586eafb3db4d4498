"""SSB's PxWebApi v2 connector against a local server serving recorded v2 answers: the HTTP
path is real (requests, urllib3's retries, the rate limiter), only the host is local."""

import json

import pytest

from benchmarking import feeds
from benchmarking.connectors import Query, SourceRefused, SourceUnavailable, ssb
from benchmarking.connectors.http import RateLimiter, SourceClient
from benchmarking.feed_models import FeedRun, StatisticsFeed
from benchmarking.models import Indicator, Observation
from benchmarking.readers import read
from tests import factories as f

from .source_server import jsonstat_subset, pxweb_selection, recorded

pytestmark = pytest.mark.django_db

KOSTRA = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"
SCB = "se_scb_TAB6471_folkmangd_21lan_2026M01-M04.jsonstat2.json"
TOO_MANY = "ssb_pxwebapi_v2_error_403_too_many_cells_FIXTURE_documented_shape.json"
UNKNOWN = "ssb_pxwebapi_v2_error_400_unknown_table_FIXTURE_documented_shape.json"


def _answer_selections(server, name):
    """Answer each POST with the recorded table cut to the codes it selects."""
    whole = json.loads(recorded(name))
    server.respond = lambda request: (200, {}, jsonstat_subset(whole, pxweb_selection(request)))
    return whole


def _rows(data: bytes, file_name: str) -> list[tuple]:
    frame = read(data, file_name).frame
    return sorted(
        frame[["region_code", "indicator_code", "period", "value"]].itertuples(index=False)
    )


def _kostra_query(**kwargs):
    whole = json.loads(recorded(KOSTRA))
    regions = list(whole["dimension"]["KOKkommuneregion0000"]["category"]["index"])
    return Query(
        table="12134",
        indicators=["KOSAG110000"],
        regions=regions,
        years=[2024],
        region_variable="KOKkommuneregion0000",
        **kwargs,
    )


def test_ssb_selection_over_the_cell_limit_is_split_into_several_requests(source_server):
    _answer_selections(source_server, KOSTRA)
    query = _kostra_query()

    fetched = ssb.fetch(query, max_cells=2)

    asked = [pxweb_selection(r) for r in source_server.requests]
    assert [a["KOKkommuneregion0000"] for a in asked] == [["0301", "4601"], ["5001"]]
    for selection in asked:
        assert ssb.cells(*selection.values()) <= 2
    assert {r.path for r in source_server.requests} == {"/api/pxwebapi/v2/tables/12134/data"}
    assert all(r.query == {"lang": ["no"], "outputFormat": ["json-stat2"]}
               for r in source_server.requests)  # fmt: skip
    assert fetched.calls == 2
    # Joined again, the answer holds every cell of the recorded one, with its value.
    assert _rows(fetched.data, fetched.file_name) == _rows(recorded(KOSTRA), KOSTRA)


def test_ssb_selection_under_the_limit_is_one_request_passed_on_byte_for_byte(source_server):
    source_server.respond = lambda request: (200, {}, recorded(KOSTRA))

    fetched = ssb.fetch(_kostra_query())

    assert len(source_server.requests) == 1
    assert fetched.data == recorded(KOSTRA)


def test_scb_pxweb_v2_answer_asked_in_parts_joins_into_the_whole(source_server):
    """A real PxWeb v2 answer (SCB) of 21 regions × 4 months, asked 8 regions at a time: the
    joined parts are the recorded table, cell for cell."""
    whole = _answer_selections(source_server, SCB)
    regions = list(whole["dimension"]["Region"]["category"]["index"])
    months = list(whole["dimension"]["Tid"]["category"]["index"])
    contents = list(whole["dimension"]["ContentsCode"]["category"]["index"])
    query = Query(table="TAB6471", indicators=contents, regions=regions, years=[])
    query.years = months  # PxWeb periods are codes; SCB's are months
    per_region = len(contents) * len(months)

    fetched = ssb.fetch(query, max_cells=8 * per_region)

    chunks = [pxweb_selection(r)["Region"] for r in source_server.requests]
    assert [len(c) for c in chunks] == [8, 8, len(regions) - 16]
    assert [code for chunk in chunks for code in chunk] == regions
    assert _rows(fetched.data, "scb.json") == _rows(recorded(SCB), SCB)


def _feed(source="ssb", **fields):
    defaults = {
        "name": "SSB 12134 free income",
        "source": source,
        "table_id": "12134",
        "indicator_codes": ["KOSAG110000"],
        "region_variable": "KOKkommuneregion0000",
        "region_codes": ["0301", "4601", "5001"],
        "years": [2024],
    }
    return StatisticsFeed.objects.create(**{**defaults, **fields})


def _municipalities():
    return {
        code: f.MunicipalityFactory(code=code, name=name)
        for code, name in [("0301", "Oslo"), ("4601", "Bergen"), ("5001", "Trondheim")]
    }


def _fetch(feed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = feeds.feed_fetch_request(feed=feed)
    run.refresh_from_db()
    return run


def test_ssb_feed_fetch_previews_like_an_upload_and_applies_all_of_it(
    source_server, django_capture_on_commit_callbacks
):
    places = _municipalities()
    source_server.respond = lambda request: (200, {}, recorded(KOSTRA))
    whole = json.loads(recorded(KOSTRA))
    feed = _feed()

    run = _fetch(feed, django_capture_on_commit_callbacks)

    assert run.state == FeedRun.State.PREVIEWED
    assert run.summary["observations_new"] == len(whole["value"])
    assert run.summary["indicators_new"] == ["KOSAG110000"]
    assert Observation.objects.count() == 0  # a fetch imports nothing
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_run_apply(run=run, allow_unmapped=False)
    index = whole["dimension"]["KOKkommuneregion0000"]["category"]["index"]
    saved = dict(
        Observation.objects.filter(indicator__code="KOSAG110000").values_list(
            "municipality__code", "value"
        )
    )
    assert saved == {code: float(whole["value"][i]) for code, i in index.items()}
    assert set(saved) == set(places)
    feed.refresh_from_db()
    assert feed.last_success_at is not None
    run.refresh_from_db()
    assert run.state == FeedRun.State.APPLIED


@pytest.mark.parametrize(
    ("status", "fixture", "reason"),
    [(403, TOO_MANY, "Too many cells selected"), (400, UNKNOWN, "Non-existent table")],
)
def test_a_refused_request_names_source_table_and_reason_and_changes_nothing(
    source_server, django_capture_on_commit_callbacks, status, fixture, reason
):
    _municipalities()
    f.ObservationFactory()
    source_server.respond = lambda request: (status, {}, recorded(fixture))
    feed = _feed()
    before = (Observation.objects.count(), Indicator.objects.count())

    run = _fetch(feed, django_capture_on_commit_callbacks)

    assert run.state == FeedRun.State.REFUSED
    assert run.message.startswith("SSB (Statistics Norway) PxWebApi refused table 12134: ")
    assert f"HTTP {status}: " in run.message
    assert reason in run.message
    assert len(source_server.requests) == 1  # a refusal is not retried
    assert (Observation.objects.count(), Indicator.objects.count()) == before
    feed.refresh_from_db()
    assert feed.last_success_at is None


def test_a_503_with_retry_after_is_retried_after_the_wait_then_succeeds(source_server):
    answers = iter([(503, {"Retry-After": "1"}, b"busy"), (200, {}, recorded(KOSTRA))])
    source_server.respond = lambda request: next(answers)

    fetched = ssb.fetch(_kostra_query())

    first, second = source_server.requests
    assert second.at - first.at >= 0.9  # Retry-After: 1 was honoured
    assert second.body == first.body
    assert fetched.data == recorded(KOSTRA)
    assert fetched.calls == 2


def test_a_source_that_stays_unavailable_fails_with_a_message(source_server):
    source_server.respond = lambda request: (503, {}, b"down for maintenance")

    with pytest.raises(SourceUnavailable) as caught:
        ssb.fetch(_kostra_query())

    assert "could not deliver table 12134" in str(caught.value)
    assert len(source_server.requests) == 3  # the first try and two retries


class FakeClock:
    def __init__(self, now):
        self.now = now
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_the_31st_call_within_a_minute_waits_for_the_next_minute(source_server):
    clock = FakeClock(now=1_800_000_010.0)  # 10 s into a minute
    limiter = RateLimiter("ssb", 30, clock=clock, sleep=clock.sleep)
    source_server.respond = lambda request: (200, {}, b"{}")

    with SourceClient("ssb", "12134", limiter=limiter) as client:
        for _ in range(31):
            client.request("GET", f"{source_server.url}/api/pxwebapi/v2/tables/12134")

    assert len(source_server.requests) == 31
    assert clock.slept == [50.0]  # only the 31st waited, until the next minute began


def test_the_rate_limit_counts_every_client_of_the_source_together():
    clock = FakeClock(now=1_800_000_000.0)
    first = RateLimiter("ssb", 2, clock=clock, sleep=clock.sleep)
    second = RateLimiter("ssb", 2, clock=clock, sleep=clock.sleep)
    other_source = RateLimiter("kolada", 2, clock=clock, sleep=clock.sleep)

    first.acquire()
    second.acquire()
    other_source.acquire()
    assert clock.slept == []
    first.acquire()
    assert clock.slept == [60.0]


def test_one_region_over_the_limit_is_refused_before_asking():
    query = _kostra_query()
    query.indicators = ["A", "B", "C"]
    with pytest.raises(SourceRefused) as caught:
        ssb.plan(query, max_cells=2)
    assert "one region alone makes 3 cells" in str(caught.value)


def test_years_are_split_when_one_region_has_too_many_cells():
    query = Query(table="1", indicators=["A"], regions=["0301", "4601"], years=[2020, 2021, 2022])
    assert ssb.plan(query, max_cells=2) == [
        (["0301"], ["2020", "2021"]), (["0301"], ["2022"]),
        (["4601"], ["2020", "2021"]), (["4601"], ["2022"]),
    ]  # fmt: skip
