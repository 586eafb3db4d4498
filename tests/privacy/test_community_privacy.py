"""What the community app holds about a person: in their download (a fixed number of queries)
and on erasure (the expert profile goes, open invitations to speak are withdrawn, practices
stay without the person as their contact)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.models import AuditEntry
from community import services as community_services
from community.models import ExpertProfile, Practice, SpeakerInvitation
from networks.models import Role
from privacy.services import person_erase
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(world):
    """Hammerfest's chief executive, an expert invited to speak at two gatherings of the world's
    network (one accepted, one still open) and a third (declined); contact of a practice."""
    person = world.users["neighbour_chief_executive"]
    person.first_name, person.last_name = "Nils", "Nabo"
    person.save()
    community_services.expert_profile_save(
        user=person,
        listed=True,
        summary="Nils knows shared services.",
        themes=[],
        dla_priorities=[],
        languages=["nb", "en"],
    )
    facilitator = world.users["facilitator"]
    gatherings = [f.GatheringFactory(network=world.network, number=n) for n in (1, 2, 3)]
    invitations = [
        community_services.speaker_invite(
            gathering=g,
            profile=person.expert_profile,
            topic=f"Talk {g.number}",
            message="Welcome",
            duration_minutes=30,
            invited_by=facilitator,
        )
        for g in gatherings
    ]
    community_services.speaker_invitation_answer(
        invitation=invitations[0], user=person, accept=True
    )
    community_services.speaker_invitation_answer(
        invitation=invitations[2], user=person, accept=False
    )
    practice = f.PracticeFactory(
        measure__strategy__municipality=world.neighbour,
        measure__strategy__network=world.network,
        contact=person,
        contact_agreed_at=timezone.now(),
        published_by=person,
    )
    return person, invitations, practice


def _download(client, user) -> dict:
    client.force_login(user)
    return json.loads(client.get(reverse("my_data_download")).content)


def test_download_holds_the_expert_profile_invitations_and_practices(client, world, expert):
    person, _invitations, practice = expert
    data = _download(client, person)
    assert data["expert_profile"]["summary"] == "Nils knows shared services."
    assert data["expert_profile"]["languages"] == "en, nb"  # in the portal's order
    assert [(i["topic"], i["state"]) for i in data["speaker_invitations"]] == [
        ("Talk 1", "accepted"),
        ("Talk 2", "sent"),
        ("Talk 3", "declined"),
    ]
    assert {i["invited_by"] for i in data["speaker_invitations"]} == {
        str(world.users["facilitator"])
    }
    assert [p["practice"] for p in data["practices_as_contact"]] == [practice.title]
    assert [p["practice"] for p in data["practices_published"]] == [practice.title]
    records = {e["record"] for e in data["audit_entries"]}
    assert f"community.expertprofile {person.expert_profile.pk}" in records
    # The inviter's download holds what they sent, and not the expert's profile.
    sent = _download(client, world.users["facilitator"])
    assert [i["expert"] for i in sent["speaker_invitations_sent"]] == ["Nils Nabo"] * 3
    assert sent["expert_profile"] is None
    assert "Nils knows shared services." not in json.dumps(sent)


def test_my_data_page_shows_the_community_parts(client, expert):
    person, _invitations, _practice = expert
    client.force_login(person)
    page = client.get(reverse("my_data")).content.decode()
    assert "Your expert profile" in page
    assert "Invitations to you to speak at a gathering" in page
    assert "Nils knows shared services." in page
    assert f'href="{reverse("expert_profile")}"' in page


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("my_data_download")).status_code == 200
    return len(captured)


def test_download_queries_do_not_grow_with_community_rows(client, world, expert):
    person, _invitations, _practice = expert
    client.force_login(person)
    small = _queries(client)
    for number in (4, 4, 4):
        f.SpeakerInvitationFactory(
            gathering=f.GatheringFactory(network=f.NetworkFactory(), number=number),
            expert=person,
            invited_by=world.users["facilitator"],
        )
        f.PracticeFactory(contact=person, featured_by=person)
        f.AdoptionFactory(adopted_by=person)
    assert _queries(client) == small


def test_erasure_removes_the_expert_withdraws_open_invitations_and_keeps_practices(world, expert):
    person, invitations, practice = expert
    accepted_item = SpeakerInvitation.objects.get(pk=invitations[0].pk).agenda_item
    community_services.expert_profile_save(
        user=person,
        listed=True,
        summary="Also digital archives.",
        themes=[],
        dla_priorities=[],
        languages=["nb"],
    )
    assert AuditEntry.objects.filter(changes__icontains="digital archives").exists()
    person_erase(person=person, erased_by=world.users["staff"])

    assert not ExpertProfile.objects.filter(user=person).exists()
    states = dict(SpeakerInvitation.objects.filter(expert=person).values_list("topic", "state"))
    assert states == {"Talk 1": "withdrawn", "Talk 2": "withdrawn", "Talk 3": "declined"}
    # The talk keeps its place and hours on the agenda, without the person's name.
    accepted_item.refresh_from_db()
    assert (accepted_item.title, accepted_item.duration_minutes, accepted_item.speaker) == (
        "Talk 1",
        30,
        "",
    )
    practice.refresh_from_db()
    assert Practice.objects.filter(pk=practice.pk).exists()
    assert (practice.contact, practice.contact_agreed_at) == (None, None)
    assert practice.published_by == person  # kept, shown as a former participant
    # Each withdrawal is in the audit log; the profile's summary is not kept there.
    withdrawn = AuditEntry.objects.filter(
        model="community.speakerinvitation",
        object_id__in=[str(i.pk) for i in invitations[:2]],
        changes__state=["sent", "withdrawn"],
    ) | AuditEntry.objects.filter(
        model="community.speakerinvitation",
        object_id=str(invitations[0].pk),
        changes__state=["accepted", "withdrawn"],
    )
    assert withdrawn.count() == 2
    assert not AuditEntry.objects.filter(changes__icontains="digital archives").exists()
    # The erased expert no longer sees the gathering they were to speak at.
    assert not Role.objects.filter(user=person).exists()
