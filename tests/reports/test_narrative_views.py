"""The review workspace and the narrative's writing pages through the test client."""

import pytest
from django.urls import reverse

from reports import narrative_services as ns
from reports.models import NarrativeSection
from tests import factories as f

pytestmark = pytest.mark.django_db


def _write_url(world, kind="executive_summary"):
    return reverse("narrative_write_programme", args=[world.programme.pk, 1, kind])


def test_the_coordinator_writes_then_marks_final_and_back(client, world, period, coordinator):
    client.force_login(coordinator)
    response = client.post(_write_url(world), {"language": "it", "body": "Sintesi", "version": "0"})
    assert response.status_code == 302
    section = NarrativeSection.objects.get()
    assert (section.language, section.body, section.version) == ("it", "Sintesi", 1)
    client.post(reverse("narrative_status", args=[section.pk]), {"status": "final"})
    section.refresh_from_db()
    assert section.status == "final"
    page = client.get(_write_url(world) + "?language=it")
    assert "Back to draft" in page.content.decode()
    client.post(reverse("narrative_status", args=[section.pk]), {"status": "draft"})
    section.refresh_from_db()
    assert section.status == "draft"


def test_a_stale_save_shows_the_conflict_and_saves_nothing(client, world, period, coordinator):
    ns.narrative_save(
        period=period,
        kind="executive_summary",
        language="en",
        body="Theirs",
        version=0,
        user=world.users["staff"],
    )
    client.force_login(coordinator)
    response = client.post(_write_url(world), {"language": "en", "body": "Mine", "version": "0"})
    assert response.status_code == 409
    assert "Theirs" in response.content.decode()
    assert "Mine" in response.content.decode()  # still in the editor
    assert NarrativeSection.objects.get().body == "Theirs"


def test_a_bad_language_is_named_and_nothing_saved(client, world, period, coordinator):
    client.force_login(coordinator)
    response = client.post(_write_url(world), {"language": "xx", "body": "x", "version": "0"})
    # An unknown language opens the writer's own; the form refuses it by name.
    assert response.status_code == 200
    assert "Choose one of the languages offered." in response.content.decode()
    assert not NarrativeSection.objects.exists()


def test_an_empty_lessons_section_offers_the_seeds_outline(client, world, period, coordinator):
    client.force_login(coordinator)
    page = client.get(_write_url(world, "lessons") + "?language=en").content.decode()
    for heading in [
        "Engagement and involvement",
        "Capacity",
        "Content",
        "Endurance",
        "Language",
        "Do not underestimate the workload",
    ]:
        assert f"## {heading}" in page


def test_restore_from_the_page(client, world, period, coordinator):
    client.force_login(coordinator)
    first = ns.narrative_save(
        period=period, kind="next_steps", language="en", body="Old", version=0, user=coordinator
    )
    ns.narrative_save(section=first.section, body="New", version=1, user=coordinator)
    client.post(reverse("narrative_restore", args=[first.section_id, 1]))
    assert NarrativeSection.objects.get().body == "Old"


@pytest.mark.parametrize("attacker", ["other_facilitator", "project_officer", "chief_executive"])
def test_attackers_cannot_write_a_networks_progress(client, world, period, attacker):
    client.force_login(world.users[attacker])
    url = reverse("narrative_write_network", args=[world.network.pk, 1, "progress"])
    response = client.post(url, {"language": "en", "body": "Hijack", "version": "0"})
    assert response.status_code in (403, 404)
    assert not NarrativeSection.objects.exists()


def test_another_programmes_coordinator_cannot_write(client, world, period):
    client.force_login(f.coordinator_of(f.ProgrammeFactory()))
    response = client.post(_write_url(world), {"language": "en", "body": "x", "version": "0"})
    assert response.status_code in (403, 404)
    assert not NarrativeSection.objects.exists()


def test_attackers_cannot_finalise_or_restore(client, world, period):
    revision = ns.narrative_save(
        period=period,
        network=world.network,
        kind="progress",
        language="en",
        body="Ours",
        version=0,
        user=world.users["facilitator"],
    )
    for attacker in ["other_facilitator", "project_officer", "chief_executive"]:
        client.force_login(world.users[attacker])
        status = client.post(
            reverse("narrative_status", args=[revision.section_id]), {"status": "final"}
        )
        restore = client.post(reverse("narrative_restore", args=[revision.section_id, 1]))
        assert status.status_code in (403, 404), attacker
        assert restore.status_code in (403, 404), attacker
    assert NarrativeSection.objects.get().status == "draft"


def test_the_facilitator_sees_only_their_networks_sections(client, world, period):
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("narrative_workspace", args=[world.programme.pk, 1]))
    content = page.content.decode()
    assert world.network.name in content
    assert world.other_network.name not in content
    assert "Executive summary" not in content


def test_the_workspace_makes_the_same_queries_at_two_sizes(client, world, period, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    url = reverse("narrative_workspace", args=[world.programme.pk, 1])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for network in [
        world.network,
        world.other_network,
        f.NetworkFactory(programme=world.programme),
    ]:
        for kind in NarrativeSection.NETWORK_KINDS:
            for language in ("en", "nb"):
                ns.narrative_save(
                    period=period,
                    network=network,
                    kind=kind,
                    language=language,
                    body="x",
                    version=0,
                    user=world.users["staff"],
                )
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert page.content.decode().count("Norwegian") >= 9
    assert len(large.captured_queries) == len(small.captured_queries)
