"""A country's own words: its municipal leaders' titles beside the role wherever a person is
shown with a municipality, and its name in the reader's language."""

from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from networks import services
from networks.countries import country_name, role_title
from networks.models import Country, Invitation, Role
from tests import factories as f

pytestmark = pytest.mark.django_db
seed = import_module("networks.migrations.0011_seed_country_settings")

# The seed's titles (networks/migrations/0010), read from it rather than typed again.
TITLES = {code: (ce, mayor) for code, (_n, _z, _l, ce, mayor) in seed.COUNTRIES.items()}


def network_in(code: str, size: int = 1):
    country = Country.objects.get(code=code)
    region = f.RegionFactory(country=country)
    members = [f.MunicipalityFactory(region=region) for _ in range(size)]
    network = f.NetworkFactory(region=region, members=members)
    for municipality in members:
        f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
        f.municipal(Role.Kind.MAYOR, municipality)
    return network, members


def test_the_seed_fills_every_country_and_keeps_an_administrators_edit():
    italy = Country.objects.get(code="IT")
    assert (italy.chief_executive_title, italy.mayor_title) == TITLES["IT"]
    assert italy.language == "it"
    italy.mayor_title = "sindaca"
    italy.save()
    Country.objects.filter(code="FI").delete()

    from django.apps import apps

    seed.seed(apps, None)

    italy.refresh_from_db()
    assert italy.mayor_title == "sindaca"
    assert Country.objects.get(code="FI").time_zone == "Europe/Helsinki"
    assert Country.objects.get(code="FI").name == "Finland"


@pytest.mark.parametrize("code", ["NO", "PT", "ES", "IT", "GB"])
def test_a_role_carries_the_countrys_own_title_where_it_differs(code):
    country = Country.objects.get(code=code)
    chief, mayor = TITLES[code]
    with translation.override("en"):
        ce = role_title(Role.Kind.CHIEF_EXECUTIVE, country)
        leader = role_title(Role.Kind.MAYOR, country)
    if chief.casefold() == "chief executive":
        assert ce == "Chief executive"  # England's title is the role's own name
    else:
        assert ce == f"Chief executive ({chief})"
    assert leader == f"Mayor ({mayor})"
    assert role_title(Role.Kind.FACILITATOR, country) == "Facilitator"
    assert role_title(Role.Kind.MAYOR, None) == "Mayor"


def test_the_network_page_shows_each_members_titles_with_flat_queries(client, settings):
    network, members = network_in("IT")
    client.force_login(f.facilitator_of(network))
    url = reverse("network_detail", args=[network.pk])
    with CaptureQueriesContext(connection) as one:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"(chief executive ({TITLES['IT'][0]}))" in page
    assert f"(mayor ({TITLES['IT'][1]}))" in page
    assert "Italy" in page

    region = members[0].region
    for _ in range(3):
        municipality = f.MunicipalityFactory(region=region)
        network.municipalities.add(municipality)
        f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
        f.InvitationFactory(network=network, municipality=municipality, kind=Role.Kind.MAYOR)
    with CaptureQueriesContext(connection) as four:
        client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert len(four) == len(one)


def test_the_municipality_page_and_its_median_name_the_country(client):
    _network, members = network_in("PT")
    person = members[0].roles.get(kind=Role.Kind.CHIEF_EXECUTIVE).user
    client.force_login(person)
    page = client.get(
        reverse("municipality_detail", args=[members[0].pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert f"Chief executive ({TITLES['PT'][0]})" in page
    assert "Portugal" in page


def test_the_invitation_e_mail_and_page_name_the_countrys_title(
    client, django_capture_on_commit_callbacks
):
    network, members = network_in("ES")
    facilitator = f.facilitator_of(network)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _renewed = services.person_invite(
            network=network,
            invited_by=facilitator,
            email="nuevo@example.es",
            first_name="Ana",
            last_name="Ruiz",
            kind=Role.Kind.MAYOR,
            municipality=members[0],
            language="en",
        )
    assert isinstance(invitation, Invitation)
    body = " ".join(mail.outbox[-1].body.split())
    assert f"as mayor ({TITLES['ES'][1]}) of {members[0].name}" in body
    link = next(word for word in body.split() if "/invitation/" in word)
    page = client.get(urlsplit(link).path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"as mayor ({TITLES['ES'][1]}) of {members[0].name}" in " ".join(page.split())


def test_a_country_is_named_in_the_readers_language():
    norway = Country.objects.get(code="NO")
    with translation.override("en"):
        assert norway.display_name == "Norway"
        assert str(Country.objects.get(code="GB")) == "United Kingdom"
    elsewhere = f.CountryFactory(code="XK", name="Kosovo")
    assert country_name(elsewhere) == "Kosovo"  # not in the table: its stored name
