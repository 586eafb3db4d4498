"""ISTAT's SDMX REST connector against a local server serving a real ISTAT SDMX-CSV answer
(dataflow 41_983, Bari and Palermo, 2001-2018; recorded/PROVENANCE.md): the request it makes,
the rows landing on the comuni by their ISTAT codes, a feed run from fetch to apply, and bad
answers refused with their place."""

import csv
import io

import pytest
from django.urls import reverse

from benchmarking import feeds
from benchmarking.connectors import Query, SourceRefused, istat
from benchmarking.feed_models import FeedRun, StatisticsFeed
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Observation
from networks.register import register_load
from tests import factories as f

from .source_server import recorded

pytestmark = pytest.mark.django_db

ANSWER = "it_istat_sdmx_41_983_incidenti_comuni_Bari_Palermo_2001-2018.csv"
KEY = "A.F.{regions}.KILLINJ"
INDICATOR = "IT1:41_983.F.KILLINJ"


def _file_rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO(recorded(ANSWER).decode())))


@pytest.fixture
def comuni():
    """Bari and Palermo in the register: the Italian register's when it is loaded, else made
    here with their ISTAT codes."""
    italy = f.CountryFactory(code="IT", name="Italy")
    region = f.RegionFactory(country=italy)
    return {
        code: f.MunicipalityFactory(code=code, name=name, region=region)
        for code, name in [("072006", "Bari"), ("082053", "Palermo")]
    }


def _serve(server, body=None):
    server.respond = lambda request: (
        200, {"Content-Type": "application/vnd.sdmx.data+csv"}, body or recorded(ANSWER)
    )  # fmt: skip


def _query(**kw):
    return Query(table="41_983", indicators=[KEY], regions=["072006", "082053"], **kw)


def test_istat_is_asked_for_sdmx_csv_of_the_key_with_the_areas(source_server):
    _serve(source_server)

    fetched = istat.fetch(_query(years=list(range(2001, 2019))))

    (request,) = source_server.requests
    assert request.path == "/SDMXWS/rest/data/41_983/A.F.072006+082053.KILLINJ"
    assert request.query == {"startPeriod": ["2001"], "endPeriod": ["2018"]}
    assert "application/vnd.sdmx.data+csv" in request.headers["Accept"]
    assert fetched.file_name == "istat-41_983.csv"
    assert len(fetched.data.decode().splitlines()) == len(_file_rows()) + 1


def test_the_latest_years_are_asked_as_last_observations(source_server):
    _serve(source_server)
    istat.fetch(_query(latest_years=3))
    assert source_server.requests[0].query == {"lastNObservations": ["3"]}


def test_many_areas_are_asked_in_chunks_and_joined_under_one_header(source_server, settings):
    settings.ISTAT_AREAS_PER_REQUEST, settings.ISTAT_MAX_REQUESTS = 1, 5
    _serve(source_server)

    fetched = istat.fetch(_query(years=[2018]))

    assert [r.path.rsplit("/", 1)[1] for r in source_server.requests] == [
        "A.F.072006.KILLINJ",
        "A.F.082053.KILLINJ",
    ]
    lines = fetched.data.decode().splitlines()
    assert sum(line.startswith("DATAFLOW,") for line in lines) == 1
    assert len(lines) == 2 * len(_file_rows()) + 1  # the server answered the file twice


def test_more_areas_than_a_few_requests_hold_are_asked_in_one_request_for_all(
    source_server, settings
):
    settings.ISTAT_AREAS_PER_REQUEST, settings.ISTAT_MAX_REQUESTS = 1, 1
    _serve(source_server)

    istat.fetch(_query(years=[2018]))

    assert [r.path for r in source_server.requests] == ["/SDMXWS/rest/data/41_983/A.F..KILLINJ"]


def test_the_bari_rows_land_on_bari_by_its_istat_code(source_server, comuni):
    _serve(source_server)
    rows = _file_rows()

    fetched = istat.fetch(_query(years=list(range(2001, 2019))))
    preview = import_preview(fetched.data, fetched.file_name)

    assert preview.ok, preview.problems
    assert preview.unmapped == []
    assert preview.indicators_new == [INDICATOR]
    assert preview.observations_new == len(rows)
    import_apply(preview)
    bari = [r for r in rows if r["ITTER107"] == "072006"]
    saved = dict(
        Observation.objects.filter(municipality=comuni["072006"]).values_list("year", "value")
    )
    assert saved == {int(r["TIME_PERIOD"]): float(r["OBS_VALUE"]) for r in bari}
    # Imported again: nothing changes.
    again = import_preview(fetched.data, fetched.file_name)
    assert (again.observations_new, again.observations_changed) == (0, 0)
    assert again.observations_unchanged == len(rows)


def test_an_italian_area_that_is_not_a_comune_is_listed_as_regional(comuni):
    text = recorded(ANSWER).decode().replace(",082053,", ",ITG12,")

    preview = import_preview(text.encode(), "istat.csv")

    (item,) = preview.unmapped
    assert item.code == "ITG12"
    assert "regional figures" in item.reason
    assert "no municipality matches" in item.reason
    assert item.rows == sum(1 for r in _file_rows() if r["ITTER107"] == "082053")


def test_a_key_without_the_place_of_the_areas_is_refused_before_asking(source_server):
    with pytest.raises(SourceRefused) as caught:
        istat.fetch(Query(table="41_983", indicators=["A.F.072006.KILLINJ"], regions=["072006"]))
    assert "{regions}" in str(caught.value)
    assert source_server.requests == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("OBS_VALUE", "VALUE", 1), "OBS_VALUE"),
        (lambda t: t.replace("KILLINJ,2003,2663", "KILLINJ,2003,n.d.", 1), "line 4"),
        (lambda t: t.replace("KILLINJ,2003,2663,", "KILLINJ,2003,2663", 1), "line 4"),
    ],
    ids=["missing column", "not a number", "a field short"],
)
def test_a_broken_answer_names_what_and_where_and_saves_nothing(comuni, change, expected):
    text = change(recorded(ANSWER).decode())

    preview = import_preview(text.encode(), "istat-41_983.csv")

    assert not preview.ok
    assert expected in " ".join(preview.problems)
    assert Observation.objects.count() == 0


def test_an_istat_feed_runs_from_fetch_to_apply(
    source_server, comuni, django_capture_on_commit_callbacks
):
    _serve(source_server)
    feed = f.StatisticsFeedFactory(
        source="istat", table_id="41_983", indicator_codes=[KEY],
        region_codes=["072006", "082053"], years=list(range(2001, 2019)), region_variable="",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        run = feeds.feed_fetch_request(feed=feed)
    run.refresh_from_db()
    assert run.state == FeedRun.State.PREVIEWED, run.message
    assert run.summary["observations_new"] == len(_file_rows())

    feeds.feed_run_apply(run=run, allow_unmapped=False)

    assert Observation.objects.filter(indicator__code=INDICATOR).count() == len(_file_rows())


def test_the_bari_rows_land_on_bari_of_the_italian_register(source_server):
    register_load("IT")
    _serve(source_server)
    bari = {r["TIME_PERIOD"]: r["OBS_VALUE"] for r in _file_rows() if r["ITTER107"] == "072006"}

    fetched = istat.fetch(_query(years=list(range(2001, 2019))))
    import_apply(import_preview(fetched.data, fetched.file_name))

    saved = Observation.objects.filter(
        municipality__country__code="IT", municipality__code="072006"
    )
    assert saved.first().municipality.name == "Bari"
    assert dict(saved.values_list("year", "value")) == {int(y): float(v) for y, v in bari.items()}


def test_the_feed_form_wants_an_istat_key_with_the_place_of_the_areas(client, world):
    client.force_login(world.users["staff"])
    data = {
        "name": "ISTAT 41_983", "source": "istat", "table_id": "41_983",
        "indicators_text": "A.F.072006.KILLINJ", "regions_text": "072006, 082053",
        "years_text": "2001-2018", "latest_years": "0", "release_day": "15",
    }  # fmt: skip

    refused = client.post(reverse("feed_create"), data)

    assert refused.status_code == 200
    assert "ISTAT: give one series key with {regions}" in refused.content.decode()
    assert not StatisticsFeed.objects.exists()
    response = client.post(reverse("feed_create"), {**data, "indicators_text": KEY})
    assert response.status_code == 302
    feed = StatisticsFeed.objects.get()
    assert (feed.indicator_codes, feed.region_codes) == ([KEY], ["072006", "082053"])
