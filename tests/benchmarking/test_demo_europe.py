"""The European demo key figures: the ONS and Portuguese files imported onto the demo's
English and Portuguese municipalities, idempotent, and quick about it."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarking.demo_europe import (
    DATA,
    FILES,
    NIGHTS_PER_1000,
    NIGHTS_PER_1000_FILE,
    PT_NAMES,
    seed_european_keyfigures,
)
from benchmarking.models import Indicator, Observation, ReferenceValue
from tests import factories as f

pytestmark = pytest.mark.django_db

ONS, PT, NIGHTS = (name for name, _country in FILES)


def _places(country_code, codes):
    country = f.CountryFactory(code=country_code, name=country_code)
    region = f.RegionFactory(country=country)
    return [f.MunicipalityFactory(code=code, region=region) for code in codes]


def _ons_rows():
    text = (DATA / ONS).read_bytes().decode("cp1252")
    return list(csv.DictReader(io.StringIO("\n".join(text.splitlines()[2:]))))


def _rows(name):
    return list(csv.DictReader(io.StringIO((DATA / name).read_text("utf-8"))))


def _pt_rows():
    return _rows(PT)


def _saved():
    return sorted(
        Observation.objects.values_list("indicator__code", "municipality__code", "year", "value")
    )


def test_the_demos_english_and_portuguese_municipalities_get_the_files_figures():
    english = ["E08000035", "E06000001"]
    portuguese = ["1106", "0101", "1312"]
    _places("GB", english)
    _places("PT", portuguese)
    ons = [r for r in _ons_rows() if r["AREACD"] in english]
    pt = [r for r in _pt_rows() if r["dico"].zfill(4) in portuguese]
    years = [c for c in _pt_rows()[0] if c.isdigit()]

    nights = {r["dico"].zfill(4): r for r in _rows(NIGHTS) if r["dico"].zfill(4) in portuguese}
    per_1000 = {
        (code, int(year)): float(nights[code][year]) / float(row[year]) * 1000
        for code, row in ((r["dico"].zfill(4), r) for r in pt)
        for year in years
        if nights[code][year]
    }

    written = seed_european_keyfigures()

    assert written == {
        ONS: len(ons),
        PT: len(pt) * len(years),
        NIGHTS: len(pt) * len(years),  # an empty cell is a missing value, saved as such
        NIGHTS_PER_1000_FILE: len(per_1000),
    }
    derived = Observation.objects.filter(indicator__code=NIGHTS_PER_1000)
    saved = {(o.municipality.code, o.year): o.value for o in derived.select_related("municipality")}
    assert saved == pytest.approx(per_1000, abs=5e-4)  # kept to three decimals
    england = [r for r in _ons_rows() if r["AREACD"] == "E92000001"]
    assert ReferenceValue.objects.filter(area_code="EAK").count() == len(england)
    lisboa = next(r for r in pt if r["dico"] == "1106")
    population = Observation.objects.get(
        indicator__code="INE-PT:pop-residente", municipality__code="1106", year=2017
    )
    assert population.value == float(lisboa["2017"])
    assert Indicator.objects.get(code="ONS:smoking-prevalence-of-adults").higher_is_better is False


def test_seeding_twice_gives_the_same_rows_and_writes_nothing_the_second_time():
    _places("GB", ["E08000035"])
    _places("PT", ["1106"])
    seed_european_keyfigures()
    first = _saved()

    again = seed_european_keyfigures()

    assert _saved() == first
    assert again == dict.fromkeys([ONS, PT, NIGHTS, NIGHTS_PER_1000_FILE], 0)


def test_a_country_without_municipalities_is_skipped_and_the_seed_stays_quick():
    _places("PT", ["1106"])
    with CaptureQueriesContext(connection) as captured:
        written = seed_european_keyfigures()
    assert list(written) == [PT, NIGHTS, NIGHTS_PER_1000_FILE]
    small = len(captured)
    # Ten more concelhos (SQLite splits an insert of many more rows by its variable limit).
    _places("PT", [f"{n:04d}" for n in range(101, 111)])
    Indicator.objects.all().delete()  # as before the first run
    with CaptureQueriesContext(connection) as captured:
        seed_european_keyfigures()
    assert len(captured) == small  # bulk: no query per municipality or row


def test_the_portuguese_indicators_are_named_in_every_language_and_english_as_english():
    _places("PT", ["1106", "0101"])
    seed_european_keyfigures()
    seed_european_keyfigures()  # again: changes nothing

    for code, names in PT_NAMES.items():
        indicator = Indicator.objects.get(code=code)
        assert {language: getattr(indicator, f"name_{language}") for language in names} == names
