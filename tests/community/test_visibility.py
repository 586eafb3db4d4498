"""A practice of a draft strategy is never seen outside its municipality: not in the list,
not in a search, not on its page, not for adoption."""

import pytest
from django.core.exceptions import PermissionDenied

from community import selectors, services
from community.models import Adoption

from .scene import make_scene, publish_data

OUTSIDERS = ["hammerfest_chief", "evora_chief", "norway_facilitator", "officer"]


@pytest.fixture
def draft(db):
    scene = make_scene(status="draft")
    scene.practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )
    return scene


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_draft_strategys_practice_is_not_listed_nor_found(draft, who):
    user = draft.users[who]
    assert not selectors.library_practices(user=user).exists()
    found = selectors.library_practices(user=user, wanted=selectors.LibraryFilter(words="digital"))
    assert not found.exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_draft_strategys_practice_page_is_404(client, draft, who):
    client.force_login(draft.users[who])
    assert client.get(f"/practices/{draft.practice.pk}/").status_code == 404
    assert (
        client.post(
            f"/practices/{draft.practice.pk}/adopt/", {"strategy": draft.evora_strategy.pk}
        ).status_code
        == 404
    )
    listed = client.get("/practices/", {"q": "digital"})
    assert listed.status_code == 200
    assert draft.practice.title not in listed.content.decode()


def test_a_draft_strategys_practice_cannot_be_adopted(draft):
    with pytest.raises(PermissionDenied):
        services.practice_adopt(
            practice=draft.practice, strategy=draft.evora_strategy, user=draft.users["evora_chief"]
        )
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("who", ["alta_chief", "alta_mayor", "alta_staff"])
def test_its_own_municipality_reads_it(client, draft, who):
    client.force_login(draft.users[who])
    assert client.get(f"/practices/{draft.practice.pk}/").status_code == 200
    assert list(selectors.library_practices(user=draft.users[who])) == [draft.practice]


def test_once_shared_everyone_in_the_programme_reads_it_in_any_country(client, draft):
    draft.strategy.status = "shared"
    draft.strategy.save()
    for who in OUTSIDERS:
        client.force_login(draft.users[who])
        assert client.get(f"/practices/{draft.practice.pk}/").status_code == 200, who
    client.force_login(draft.users["stranger_facilitator"])  # another programme
    assert client.get(f"/practices/{draft.practice.pk}/").status_code == 404


def test_the_library_asks_for_a_role(client, draft):
    from .. import factories as f

    client.force_login(f.UserFactory(username="nobody"))
    assert client.get("/practices/").status_code == 403
    client.force_login(draft.users["evora_chief"])
    assert "Practices" in client.get("/practices/").content.decode()
