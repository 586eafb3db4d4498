"""The key-figure catalogue in Portuguese, Spanish and Italian: the register's figures named in
the reader's language (structure.py), a figure with no name in it named in English, the query
count the same in every language and flat as figures are added; the register's write fills a
new language's blank name and keeps an administrator's."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking import selectors
from benchmarking.models import Indicator
from benchmarking.services import register_keyfigures_write
from benchmarking.structure import REGISTER_INDICATORS
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("keyfigure_catalogue")
LANGUAGES = ["pt", "es", "it"]


def _register(world):
    register_keyfigures_write(country=world.municipality.country, year=2024, source="register")


def _names_listed(client, user, language):
    """{indicator id: the name cell's text} of the catalogue's first page in ``language``."""
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    shown = {}
    for pk, row in re.findall(r'<tr id="indicator-(\d+)"(.*?)</tr>', html, flags=re.S):
        first_cell = re.search(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S).group(1)
        shown[int(pk)] = " ".join(unescape(re.sub(r"<[^>]+>", " ", first_cell)).split())
    return shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_names_the_figures_in_the_readers_language(client, world, language):
    _register(world)
    english_only = f.IndicatorFactory(code="KOSONLYEN", name_en="Only in English")
    source_names = f.IndicatorFactory(
        code="KOSSSB", name_en="", name_nb="Frie inntekter per innbygger"
    )
    shown = _names_listed(client, world.users["chief_executive"], language)
    for spec in REGISTER_INDICATORS:
        indicator = Indicator.objects.get(code=spec.code)
        assert shown[indicator.pk] == f"{spec.names[language]} {spec.code}"
    assert shown[english_only.pk] == "Only in English KOSONLYEN"
    # The statistics office's name (Norwegian only) is what there is.
    assert shown[source_names.pk] == "Frie inntekter per innbygger KOSSSB"


def test_english_comes_before_norwegian_for_a_reader_of_another_language(client, world):
    indicator = f.IndicatorFactory(code="KOSBOTH", name_en="Free income", name_nb="Frie inntekter")
    assert _names_listed(client, world.users["chief_executive"], "it")[indicator.pk] == (
        "Free income KOSBOTH"
    )


def _queries(client, user, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_catalogue_makes_the_same_queries_in_every_language_and_size(client, world):
    user = world.users["chief_executive"]
    _register(world)

    def grow(count):
        for _n in range(count):
            indicator = f.IndicatorFactory(name_pt="Indicador", name_it="Indicatore")
            f.ObservationFactory(indicator=indicator, municipality=world.municipality)

    grow(2)
    small = {language: _queries(client, user, language) for language in ["en", "nb", *LANGUAGES]}
    grow(selectors.CATALOGUE_PER_PAGE + 5)
    large = {language: _queries(client, user, language) for language in ["en", "nb", *LANGUAGES]}
    assert large == small
    assert len(set(small.values())) == 1


def test_the_register_write_fills_a_new_languages_blank_name_and_keeps_an_admins(world):
    _register(world)
    population, area = (Indicator.objects.get(code=spec.code) for spec in REGISTER_INDICATORS[:2])
    # As on an installation from before the new languages, and an administrator's own name.
    Indicator.objects.filter(pk=population.pk).update(name_pt="", name_es="", name_it="")
    Indicator.objects.filter(pk=area.pk).update(name_es="Área municipal")

    _register(world)

    population.refresh_from_db()
    area.refresh_from_db()
    spec = REGISTER_INDICATORS[0]
    assert (population.name_pt, population.name_es, population.name_it) == (
        spec.names["pt"],
        spec.names["es"],
        spec.names["it"],
    )
    assert area.name_es == "Área municipal"


def test_the_admin_edits_the_names_in_every_language(client, world):
    indicator = f.IndicatorFactory(code="KOSADMIN", name_en="Free income")
    client.force_login(world.users["staff"])
    url = reverse("admin:benchmarking_indicator_change", args=[indicator.pk])
    form = client.get(url).content.decode()
    for column in ("name_en", "name_nb", "name_pt", "name_es", "name_it"):
        assert f'name="{column}"' in form
