"""Eurostat's figures by LAU code land on the right municipality of the other pilot countries'
registers (networks/register.py): the feed asks Eurostat for its members' LAU codes, and the
answer maps by them. Portugal's LAU is the freguesia (parish): its figures are listed with a
message naming the concelho, not added to it. Served by the local source server from a
fixture written by the project in Eurostat's documented shape (recorded/PROVENANCE.md)."""

import json

import pytest
from django.db import transaction

from benchmarking import feeds
from benchmarking.feed_models import FeedRun
from benchmarking.imports import import_preview
from benchmarking.models import Observation
from benchmarking.readers import ReadOptions, read
from networks.models import Municipality
from networks.register import register_load, register_load_code_history
from tests import factories as f

from .source_server import recorded

pytestmark = pytest.mark.django_db

DATA = "eurostat_statistics_1.0_data_FIXTURE_lau_pilot_countries.json"
MEMBERS = {
    "ES": ["28079", "41091"],
    "IT": ["072006", "058091"],
    "GB": ["E08000035"],
    "PT": ["1106"],
}


@pytest.fixture(scope="module")
def registers(django_db_setup, django_db_blocker):
    """The four registers, loaded once for the module in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        countries = {}
        for code in MEMBERS:
            countries[code] = register_load(code)
            register_load_code_history(countries[code])
        yield countries
        transaction.set_rollback(True)


def _members():
    return [
        Municipality.objects.get(country__code=country, code=code)
        for country, codes in MEMBERS.items()
        for code in codes
    ]


@pytest.fixture
def feed(registers):
    network = f.NetworkFactory(region=_members()[0].region)
    network.municipalities.add(*_members())
    return f.StatisticsFeedFactory(
        source="eurostat",
        table_id="FIXTURE_lau_pilots",
        indicator_codes=["unit=NR", "freq=A"],
        region_variable="",
        region_codes=[],
        years=[2023],
        network=network,
    )


def _fixture_values() -> dict[str, float]:
    frame = read(recorded(DATA), "eurostat.json").frame
    return dict(zip(frame["region_code"], frame["value"].astype(float), strict=True))


def test_the_feed_asks_eurostat_for_its_members_lau_codes(feed, source_server):
    source_server.respond = lambda request: (200, {}, recorded(DATA))
    feeds.feed_fetch_request(feed=feed)
    run = FeedRun.objects.get(feed=feed)
    run = feeds.feed_run_fetch(run.pk) or FeedRun.objects.get(pk=run.pk)

    asked = sorted(code for r in source_server.requests for code in r.query["geo"])
    # Their LAU codes; Lisboa has none (its LAU are freguesias): its DICO is asked.
    expected = sorted(m.lau_code or m.code for m in _members())
    assert asked == expected
    assert sorted(m.lau_code for m in _members() if m.lau_code) == sorted(
        c for codes in MEMBERS.values() for c in codes if c != "1106"
    )
    assert run.state == FeedRun.State.PREVIEWED, run.message

    feeds.feed_run_apply(run=run, allow_unmapped=True)
    values = _fixture_values()
    saved = dict(Observation.objects.values_list("municipality__code", "value"))
    parishes = {code for code in values if code.startswith("1106")}  # Lisboa's freguesias
    assert parishes
    assert saved == {code: values[code] for code in values.keys() - parishes}
    assert Observation.objects.get(municipality__code="E08000035").municipality.name == "Leeds"


def test_a_portuguese_freguesia_is_listed_with_its_concelho_not_added_to_it(registers):
    preview = import_preview(
        recorded(DATA), "eurostat.json", ReadOptions(), countries={registers["PT"].pk}
    )
    lisboa = Municipality.objects.get(country__code="PT", code="1106")
    freguesias = sorted(
        c
        for c in json.loads(recorded(DATA))["dimension"]["geo"]["category"]["index"]
        if c.startswith("1106")
    )
    parishes = [u for u in preview.unmapped if u.code in freguesias]
    assert sorted(u.code for u in parishes) == freguesias
    assert all(str(lisboa) in u.reason and "parish" in u.reason for u in parishes)
    assert lisboa.pk not in preview.municipality_ids


def test_a_lau_code_other_than_the_national_code_maps(db):
    """The lookup reads Municipality.lau_code, not only the national code."""
    municipality = f.MunicipalityFactory(code="9999", lau_code="LAU-9999")
    preview = import_preview(
        b"region_code,year,value\nLAU-9999,2023,5\n",
        "lau.csv",
        ReadOptions(indicator_code="TEST-LAU"),
        countries={municipality.country_id},
    )
    assert preview.ok, preview.problems
    assert preview.municipality_ids == {municipality.pk}
