"""The demo data holds the seed's figures, computed from the records, and loads twice alike."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from networks.models import Municipality, Network, NetworkMembership, Programme, Role, User

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Programme, Network, NetworkMembership, Municipality, Role, User)
    }


@pytest.fixture
def demo(seeded_demo, db):
    return seeded_demo


def test_demo_holds_the_norwegian_outcome_after_one_year(demo):
    networks = Network.objects.filter(programme=demo, region__country__code="NO")
    assert networks.count() == 5
    members = NetworkMembership.objects.filter(network__in=networks)
    assert members.values("municipality").distinct().count() == 61
    participants = Role.objects.filter(
        kind__in=Role.MUNICIPAL_KINDS, municipality__memberships__network__in=networks
    )
    assert participants.values("user").distinct().count() == 98
    leaders = participants.filter(kind__in=Role.LEADER_KINDS)
    assert leaders.values("user").distinct().count() == 87
    assert networks.filter(dla_status=Network.DlaStatus.INITIATED).count() == 5
    facilitators = Role.objects.filter(kind=Role.Kind.FACILITATOR, network__in=networks)
    assert sorted(facilitators.values_list("network__name", flat=True)) == sorted(
        networks.values_list("name", flat=True)
    )


def test_seed_demo_prints_the_demo_logins(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    for username in ("facilitator", "chief", "mayor", "officer", "admin"):
        assert f"  {username} " in out.getvalue()
    assert "cemsdi-demo" in out.getvalue()


def test_demo_programme_fact_sheet(demo):
    assert demo.grant_agreement_number == "250482"
    assert str(demo.start_date) == "2010-06-01"
    assert str(demo.end_date) == "2012-05-31"
    assert demo.total_cost == Decimal("5179500.00")
    assert demo.requested_eu_contribution == Decimal("2589750.00")
    assert demo.objectives.count() == 6
    assert sorted(demo.countries.values_list("code", flat=True)) == ["ES", "GB", "IT", "NO", "PT"]


def test_demo_municipalities_come_from_the_register(demo):
    alta = Municipality.objects.get(code="5601")
    assert alta.name == "Alta"
    assert alta.population == 21708
    assert alta.region.name == "Finnmark"
    assert Municipality.objects.filter(country__code="NO").count() == 357


def test_seed_demo_twice_changes_nothing(demo):
    before = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("username", "text"),
    [
        ("facilitator", "Networks you facilitate"),
        ("chief", "Your municipality"),
        ("mayor", "Your municipality"),
        ("officer", "Programmes you follow as project officer"),
        ("admin", "Open the administration"),
    ],
)
def test_demo_logins_sign_in_to_their_home_page(client, demo, username, text):
    assert client.login(request=HttpRequest(), username=username, password="cemsdi-demo")
    assert text in client.get(reverse("home")).content.decode()


def test_demo_pilots_held_their_gatherings_as_the_seed_reports(demo):
    from sessions_app.selectors import network_training

    networks = list(Network.objects.filter(programme=demo, region__country__code="NO"))
    training = network_training(network_ids=[n.pk for n in networks])
    held = sorted(training[n.pk].held for n in networks)
    assert held == [3, 4, 4, 4, 4]  # four pilots completed all sessions, one completed three
    average = sum(training[n.pk].delivered_hours for n in networks) / len(networks)
    assert round(average) == 28  # "average 28 hours of total training for each pilot"
    assert all(len(training[n.pk].gatherings) == 4 for n in networks)
