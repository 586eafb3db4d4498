"""The catalogue of key figures names the statistics sources of the reader's countries, and
claims a feed only for a source the portal has a connector for."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking import sources
from benchmarking.connectors import FETCHERS
from networks.models import Country, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def person_in(code: str, user=None):
    region = f.RegionFactory(country=Country.objects.get(code=code))
    municipality = f.MunicipalityFactory(region=region)
    if user is None:
        return f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
    Role.objects.create(user=user, kind=Role.Kind.MUNICIPAL_STAFF, municipality=municipality)
    return user


def _sources_part(client) -> str:
    page = client.get(reverse("keyfigure_catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return page[page.index('id="sources-heading"') :]


def test_a_portuguese_reader_sees_portugals_sources_and_eurostat(client):
    client.force_login(person_in("PT"))
    part = _sources_part(client)
    assert "Statistics Portugal (INE)" in part
    assert "Eurostat" in part
    assert "Kolada" not in part
    assert "SSB StatBank" not in part
    assert "<caption>Portugal</caption>" in part


def test_a_norwegian_reader_sees_ssb_klass_and_kostra(client):
    client.force_login(person_in("NO"))
    part = _sources_part(client)
    for name in ("SSB StatBank (PxWebApi)", "SSB KLASS", "KOSTRA (SSB)", "Eurostat"):
        assert name in part
    assert "Statistics Portugal" not in part


def test_a_feed_is_claimed_only_where_a_connector_exists():
    for source in sources.SOURCES.values():
        if source.connector in FETCHERS:
            assert source.reads == "a statistics feed fetches it"
        else:
            assert "imported" in source.reads
    # The Norwegian, Swedish and European connectors are in; these have none.
    for key in ("ssb", "klass", "kostra", "kolada", "eurostat"):
        assert sources.SOURCES[key].has_feed
    for key in ("ine_pt", "ons", "lg_inform", "scb", "statfin"):
        assert not sources.SOURCES[key].has_feed
    named = sources.StatisticsSource("x", "X", "https://example.org", connector="not-here")
    assert not named.has_feed
    assert "imported" in named.reads


def test_every_pilot_country_has_its_own_source_and_eurostat():
    for code in ("NO", "PT", "ES", "IT", "GB", "SE"):
        found = sources.sources_for(Country.objects.get(code=code))
        assert found[-1].key == "eurostat"
        assert len(found) >= 2


def test_the_catalogue_keeps_its_queries_flat_as_the_readers_countries_grow(client):
    person = person_in("PT")
    client.force_login(person)
    url = reverse("keyfigure_catalogue")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for code in ("IT", "ES", "GB"):
        person_in(code, user=person)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert "ISTAT" in page
    assert "LG Inform" in page
    assert len(four) == len(one)
