"""SSB KLASS → KOSTRA groups: a correspondence 131 → 112 fetched from a local server sets the
peer groups and each municipality's group, old codes landing on today's municipality, all or
nothing. The correspondence is a fixture written in KLASS's documented shape."""

import json

import pytest
from django.core.exceptions import ValidationError

from benchmarking import feeds
from benchmarking.feed_models import FeedRun, StatisticsFeed
from cemsdi_portal.core.models import AuditEntry
from networks.models import Municipality, PeerGroup
from tests import factories as f

from .source_server import recorded

pytestmark = pytest.mark.django_db

FIXTURE = "ssb_klass_131_112_correspondsAt_2020_FIXTURE_documented_shape.json"


@pytest.fixture
def register():
    """Oslo and Bergen kept their codes; Halden was 3001 in 2020-2023 and is 3101 since; 1507
    Ålesund was split in 2024 into Ålesund (1508) and Haram (1580)."""
    places = {
        name: f.MunicipalityFactory(code=code, name=name)
        for code, name in [("0301", "Oslo"), ("4601", "Bergen"), ("3101", "Halden"),
                           ("1508", "Ålesund"), ("1580", "Haram")]
    }  # fmt: skip
    f.MunicipalityCodeFactory(
        municipality=places["Halden"], code="3001", first_year=2020, last_year=2023
    )
    f.MunicipalityCodeFactory(municipality=places["Halden"], code="3101", first_year=2024)
    for name in ("Ålesund", "Haram"):
        f.MunicipalityCodeFactory(
            municipality=places[name], code="1507", first_year=2020, last_year=2023
        )
    return places


def _feed():
    return StatisticsFeed.objects.create(name="KLASS KOSTRA groups", source="klass", years=[2020])


def _fetch(feed, capture):
    with capture(execute=True):
        run = feeds.feed_fetch_request(feed=feed)
    run.refresh_from_db()
    return run


def test_klass_correspondence_sets_the_kostra_groups_and_old_codes_land_on_today(
    source_server, register, django_capture_on_commit_callbacks
):
    source_server.respond = lambda request: (200, {}, recorded(FIXTURE))
    items = json.loads(recorded(FIXTURE))["correspondenceItems"]
    feed = _feed()

    run = _fetch(feed, django_capture_on_commit_callbacks)

    (request,) = source_server.requests
    assert request.path == "/api/klass/v1/classifications/131/correspondsAt"
    assert request.query == {
        "targetClassificationId": ["112"], "date": ["2020-01-01"], "language": ["nb"]
    }  # fmt: skip
    assert run.state == FeedRun.State.PREVIEWED
    summary = run.summary
    assert summary["groups_new"] == sorted(f"EKG{int(i['targetCode']):02d}" for i in items)
    assert summary["municipalities_changed"] == 3  # Oslo, Bergen, Halden (as 3001)
    assert {(u["code"], u["reason"]) for u in summary["unmapped"]} == {
        ("1507", "split between several municipalities since: not guessed"),
        ("9999", "not a municipality code in the register"),
    }
    assert summary["not_covered"] == 2  # Ålesund and Haram keep what they had
    assert PeerGroup.objects.count() == 0  # a fetch changes nothing

    with pytest.raises(ValidationError):
        feeds.feed_run_apply(run=run, allow_unmapped=False)
    assert PeerGroup.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_run_apply(run=run, allow_unmapped=True)

    groups = dict(Municipality.objects.values_list("name", "peer_group__code"))
    by_code = {i["sourceCode"]: f"EKG{int(i['targetCode']):02d}" for i in items}
    assert groups == {
        "Oslo": by_code["0301"], "Bergen": by_code["4601"], "Halden": by_code["3001"],
        "Ålesund": None, "Haram": None,
    }  # fmt: skip
    names = dict(PeerGroup.objects.values_list("code", "name"))
    assert names == {f"EKG{int(i['targetCode']):02d}": i["targetName"] for i in items}
    logged = AuditEntry.objects.filter(model="networks.municipality", action="changed")
    assert logged.count() == 3


def test_fetching_the_same_correspondence_again_changes_nothing(
    source_server, register, django_capture_on_commit_callbacks
):
    source_server.respond = lambda request: (200, {}, recorded(FIXTURE))
    feed = _feed()
    first = _fetch(feed, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        feeds.feed_run_apply(run=first, allow_unmapped=True)

    second = _fetch(feed, django_capture_on_commit_callbacks)

    assert second.summary["groups_new"] == []
    assert second.summary["municipalities_changed"] == 0
    assert second.summary["municipalities_unchanged"] == 3


def test_a_klass_table_by_id_is_asked_as_a_correspondence_table(source_server, register):
    body = {"name": "KOSTRA", "correspondenceMaps": json.loads(recorded(FIXTURE))[
        "correspondenceItems"]}  # fmt: skip
    source_server.respond = lambda request: (200, {}, body)
    from benchmarking.connectors import Query, klass

    fetched = klass.fetch(Query(table="2840"))

    assert source_server.requests[0].path == "/api/klass/v1/correspondencetables/2840.json"
    assert len(klass.pairs(fetched.data)) == len(body["correspondenceMaps"])
