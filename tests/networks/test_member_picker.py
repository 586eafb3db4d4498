"""The network form's member picker: its filters are markup for the script to show (each
checkbox carries its region), and the server takes the chosen municipalities as before, also
those a filter hid."""

import re

import pytest
from django.urls import reverse

from networks.models import MembershipInvitation
from tests import factories as f

from .test_trust import _network_form

pytestmark = pytest.mark.django_db


def test_each_checkbox_carries_its_region_and_the_filters_wait_for_the_script(client, world):
    elsewhere = f.MunicipalityFactory(name="Bergen")
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("network_update", args=[world.network.pk])).content.decode()
    boxes = re.findall(r'<input type="checkbox"[^>]*name="municipalities"[^>]*>', page)
    assert len(boxes) == 4  # Alta, Hammerfest, Bodø and Bergen
    regions = {
        re.search(r'value="(\d+)"', box)[1]: re.search(r'data-region="(\d+)"', box)[1]
        for box in boxes
    }
    assert regions[str(elsewhere.pk)] == str(elsewhere.region_id)
    assert regions[str(world.municipality.pk)] == str(world.municipality.region_id)
    # The filters are hidden until the script shows them; the region list names each region.
    assert re.search(
        r'<div class="member-picker[^"]*"[^>]*data-member-picker="municipalities"[^>]*hidden>', page
    )
    assert f'<option value="{elsewhere.region_id}">{elsewhere.region.name}</option>' in page
    assert 'data-template="{shown} shown, {chosen} chosen"' in page
    assert "js/member-picker.js" in page


def test_the_chosen_municipalities_are_saved_whatever_the_filter_shows(client, world):
    elsewhere = f.MunicipalityFactory(name="Bergen", region=world.municipality.region)
    client.force_login(world.users["facilitator"])
    members = [world.municipality.pk, world.neighbour.pk, elsewhere.pk]
    response = client.post(
        reverse("network_update", args=[world.network.pk]),
        _network_form(world.network, municipalities=members),
    )
    assert response.status_code == 302
    assert list(
        MembershipInvitation.objects.filter(network=world.network).values_list(
            "municipality", "state"
        )
    ) == [(elsewhere.pk, MembershipInvitation.State.INVITED)]
