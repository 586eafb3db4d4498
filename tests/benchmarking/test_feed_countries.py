"""A feed's codes are read as its own country's municipalities: Kolada's 0114 is Upplands
Väsby in Sweden, and a Norwegian municipality with the same four digits must not get its
figures (nor the other way round)."""

import pytest

from benchmarking import feeds
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Observation
from benchmarking.readers import ReadOptions
from tests import factories as f

pytestmark = pytest.mark.django_db

CSV = b"region_code,year,value\n0114,2023,42.5\n"


@pytest.fixture
def twins():
    norway = f.CountryFactory(code="NO", name="Norway")
    sweden = f.CountryFactory(code="SE", name="Sweden")
    norwegian = f.MunicipalityFactory(
        code="0114", name="Norwegian twin", region=f.RegionFactory(country=norway)
    )
    swedish = f.MunicipalityFactory(
        code="0114", name="Upplands Väsby", region=f.RegionFactory(country=sweden)
    )
    return norway, sweden, norwegian, swedish


@pytest.mark.parametrize("which", ["sweden", "norway"])
def test_a_country_reads_the_codes_as_its_own_municipalities(twins, which):
    norway, sweden, norwegian, swedish = twins
    country, expected = (sweden, swedish) if which == "sweden" else (norway, norwegian)
    preview = import_preview(
        CSV, "values.csv", ReadOptions(indicator_code="N00945"), countries={country.pk}
    )
    assert preview.ok, preview.problems
    assert preview.municipality_ids == frozenset({expected.pk})
    import_apply(preview)
    assert list(Observation.objects.values_list("municipality_id", "value")) == [
        (expected.pk, 42.5)
    ]


def test_a_feed_reads_codes_in_its_country_or_its_networks(twins):
    norway, sweden, norwegian, _swedish = twins
    by_country = f.StatisticsFeedFactory(source="kolada", country=sweden)
    assert feeds._countries(by_country) == {sweden.pk}
    network = f.NetworkFactory()
    network.municipalities.add(norwegian)
    by_network = f.StatisticsFeedFactory(source="ssb", network=network)
    assert feeds._countries(by_network) == {norway.pk}
    assert feeds._countries(f.StatisticsFeedFactory(region_codes=["0114"])) is None
