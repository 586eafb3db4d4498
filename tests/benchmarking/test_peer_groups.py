"""Peer groups (in Norway SSB's KOSTRA groups) set by an administrator: in the Django admin,
one municipality or many at once, with the group's members in view; the key-figure page says
why the peer group comparison is not offered while none is set, and what can be done."""

import json
import re

import pytest
from django.urls import reverse

from benchmarking.models import Indicator, Observation, Scope, SetSummary
from cemsdi_portal.core.models import AuditEntry
from networks.models import Country, Municipality, PeerGroup, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return PeerGroup.objects.create(
        country=world.municipality.country, code="EKG13", name="KOSTRA group 13"
    )


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_administrator_puts_municipalities_in_a_peer_group(client, world, group):
    client.force_login(world.users["staff"])
    chosen = [world.municipality, world.neighbour]
    response = client.post(
        reverse("admin:networks_municipality_changelist"),
        {
            "action": "set_peer_group",
            "_selected_action": [m.pk for m in chosen],
            "peer_group": group.pk,
        },
        follow=True,
    )
    assert "2 municipalities changed their peer group." in response.content.decode()
    assert set(group.municipalities.all()) == set(chosen)
    logged = AuditEntry.objects.filter(model="networks.municipality", action="changed")
    assert {e.object_id for e in logged} == {str(m.pk) for m in chosen}
    assert {e.actor for e in logged} == {world.users["staff"]}
    assert [e.changes["peer_group_id"] for e in logged] == [[None, group.pk]] * 2
    page = client.get(reverse("admin:networks_peergroup_change", args=[group.pk])).content
    text = _text(page.decode())
    for municipality in chosen:
        assert str(municipality) in text
        assert reverse("admin:networks_municipality_change", args=[municipality.pk]) in (
            page.decode()
        )
    listing = _text(client.get(reverse("admin:networks_peergroup_changelist")).content.decode())
    assert "KOSTRA group 13" in listing


def test_a_group_of_another_country_is_refused_and_changes_nothing(client, world):
    sweden = Country.objects.get(code="SE")  # seeded (networks 0010)
    foreign = PeerGroup.objects.create(country=sweden, code="G1", name="Swedish group")
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("admin:networks_municipality_changelist"),
        {
            "action": "set_peer_group",
            "_selected_action": [world.municipality.pk],
            "peer_group": foreign.pk,
        },
        follow=True,
    )
    assert "lies in another country than G1 Swedish group: left as it was." in _text(
        response.content.decode()
    )
    world.municipality.refresh_from_db()
    assert world.municipality.peer_group_id is None


def test_a_new_peer_group_ranks_its_members_again(world, group, django_capture_on_commit_callbacks):
    indicator = Indicator.objects.create(code="KOSAG110000", name_en="Free income")
    for municipality, value in ((world.municipality, 81240.0), (world.neighbour, 66605.0)):
        Observation.objects.create(
            indicator=indicator, municipality=municipality, year=2024, value=value
        )
    with django_capture_on_commit_callbacks() as callbacks:
        for municipality in (world.municipality, world.neighbour):
            municipality.peer_group = group
            municipality.save()
    # Queued to run once the change commits (a worker, or a thread of the web process).
    indicator.refresh_from_db()
    assert indicator.standings_state == Indicator.StandingsState.QUEUED
    assert callbacks
    from benchmarking import tasks

    tasks.refresh_standings([indicator.pk])  # as the worker runs it
    summary = SetSummary.objects.get(indicator=indicator, scope=Scope.PEER_GROUP, group=group.pk)
    assert summary.count == 2
    assert summary.mean == pytest.approx((81240.0 + 66605.0) / 2)


def test_the_page_says_why_there_is_no_peer_group_and_what_to_do(client, world):
    indicator = Indicator.objects.create(code="KOSAG110000", name_en="Free income")
    Observation.objects.create(
        indicator=indicator, municipality=world.municipality, year=2024, value=1.0
    )
    url = reverse("municipality_keyfigures", args=[world.municipality.pk])
    client.force_login(world.users["chief_executive"])
    html = client.get(url).content.decode()
    assert '<option value="peer_group" disabled>' in html
    text = _text(html)
    assert (
        "Alta has no peer group set, so the comparison with its peer group is not offered." in text
    )
    assert "set by an administrator" in text
    admin_link = reverse("admin:networks_municipality_change", args=[world.municipality.pk])
    assert admin_link not in html
    client.force_login(world.users["staff"])
    assert admin_link in client.get(url).content.decode()


def test_the_note_goes_once_a_group_is_set(client, world, group):
    world.municipality.peer_group = group
    world.municipality.save()
    indicator = Indicator.objects.create(code="KOSAG110000", name_en="Free income")
    Observation.objects.create(
        indicator=indicator, municipality=world.municipality, year=2024, value=1.0
    )
    client.force_login(world.users["chief_executive"])
    html = client.get(reverse("municipality_keyfigures", args=[world.municipality.pk])).content
    assert b'id="peer-group-note"' not in html
    assert "the peer group: KOSTRA group 13" in html.decode()


def test_the_register_load_sets_the_area(db):
    from networks.register import MUNICIPALITIES_FILE, register_load_norway

    register_load_norway()
    rows = json.loads(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    areas = dict(Municipality.objects.values_list("code", "area_km2"))
    assert areas == {r["k_id"]: r["k_area"] for r in rows}
    assert Region.objects.filter(country__code="NO").count() == 15
