"""The demo's illustrative pilots in Portugal, Spain, Italy and England: one network each, on
real municipalities of the country's register, its people invented and working in the
country's language, and it says so; Norway's five pilots stay as the seed reports them
(tests/networks/test_demo.py)."""

import csv

import pytest
from django.http import HttpRequest
from django.urls import reverse

from networks.demo_europe import PILOTS
from networks.models import Network, Role, User
from networks.register import DATA_DIR
from sessions_app.selectors import network_training

pytestmark = pytest.mark.django_db

INVENTED = {"pt": "inventad", "es": "inventad", "it": "inventat", "en": "invented"}


@pytest.fixture
def demo(seeded_demo, db):
    return seeded_demo


def _register_codes(country: str) -> set[str]:
    """The codes of the register file itself, read here without the loader."""
    if country == "PT":
        with open(DATA_DIR / "pt_amt_concelhos_dico_distrito_nuts2013.csv", encoding="utf-8") as f:
            return {row["concelho"].zfill(4) for row in csv.DictReader(f)}
    if country == "GB":
        with open(DATA_DIR / "uk_mysociety_local_authorities_current.csv", encoding="utf-8") as f:
            return {row["gss-code"] for row in csv.DictReader(f) if not row["end-date"]}
    name = {"ES": "es_gisco_lau2020_nuts2021_municipios.csv"}.get(
        country, "it_gisco_lau2020_nuts2021_comuni.csv"
    )
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return {row["lau_id"] for row in csv.DictReader(f)}


@pytest.mark.parametrize("spec", PILOTS, ids=[p.country for p in PILOTS])
def test_each_country_has_one_pilot_on_real_municipalities(demo, spec):
    network = Network.objects.get(programme=demo, region__country__code=spec.country)
    members = set(network.municipalities.values_list("code", flat=True))
    assert members == set(spec.municipality_codes)
    assert members <= _register_codes(spec.country)
    assert network.language == spec.language
    assert INVENTED[spec.language] in network.description
    assert network.state in Network.COUNTED_STATES


@pytest.mark.parametrize("spec", PILOTS, ids=[p.country for p in PILOTS])
def test_each_pilot_has_its_people_working_in_its_language(demo, spec):
    network = Network.objects.get(programme=demo, name=spec.name)
    facilitator = Role.objects.get(kind=Role.Kind.FACILITATOR, network=network).user
    chiefs = User.objects.filter(
        roles__kind=Role.Kind.CHIEF_EXECUTIVE, roles__municipality__in=network.municipalities.all()
    )
    assert chiefs.count() == len(spec.municipality_codes)
    assert {facilitator.language, *chiefs.values_list("language", flat=True)} == {spec.language}
    training = network_training(network_ids=[network.pk])[network.pk]
    assert (len(training.gatherings), training.held) == (4, 4)


@pytest.mark.parametrize("spec", PILOTS, ids=[p.country for p in PILOTS])
def test_the_pilots_chief_signs_in_to_a_home_page_in_their_language(client, demo, spec):
    username = spec.chief[0]
    assert client.login(request=HttpRequest(), username=username, password="cemsdi-demo")
    page = client.get(reverse("home")).content.decode()
    assert f'<html lang="{spec.language}"' in page
    first = Network.objects.get(name=spec.name).municipalities.get(code=spec.municipality_codes[0])
    assert first.name in page


@pytest.mark.parametrize("spec", PILOTS, ids=[p.country for p in PILOTS])
def test_no_two_people_of_a_pilot_share_a_name(demo, spec):
    """A facilitator's attendance list would otherwise show one person in three towns."""
    network = Network.objects.get(programme=demo, name=spec.name)
    people = User.objects.filter(roles__municipality__in=network.municipalities.all()).distinct()
    names = [(person.first_name, person.last_name) for person in people]
    assert len(names) > len(spec.municipality_codes)
    assert len(set(names)) == len(names)
