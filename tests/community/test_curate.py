"""Curating the library: the facilitators of the programme's networks (and administrators)
feature, merge and retire; nobody else, and another programme's facilitator does not even
see the practice."""

import pytest
from django.core.exceptions import ValidationError

from cemsdi_portal.core.models import AuditEntry
from community import rules, services
from community.models import Adoption, Practice

from .. import factories as f
from .scene import publish_data


@pytest.fixture
def practice(scene):
    return services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )


@pytest.fixture
def duplicate(scene):
    measure = f.MeasureFactory(
        strategy=scene.evora_strategy, title="Correio digital", status="done"
    )
    return services.practice_publish(
        measure=measure,
        data=publish_data(title="Correio digital", what="Correio digital para todos."),
        user=scene.users["evora_chief"],
    )


@pytest.mark.parametrize("who", ["norway_facilitator", "portugal_facilitator", "admin"])
def test_the_programmes_facilitators_curate(client, scene, practice, who):
    client.force_login(scene.users[who])
    client.post(f"/practices/{practice.pk}/curate/", {"action": "feature"})
    practice.refresh_from_db()
    assert practice.featured_at is not None
    assert practice.featured_by == scene.users[who]
    client.post(f"/practices/{practice.pk}/curate/", {"action": "retire"})
    practice.refresh_from_db()
    assert practice.state == Practice.State.RETIRED
    client.post(f"/practices/{practice.pk}/curate/", {"action": "restore"})
    practice.refresh_from_db()
    assert practice.state == Practice.State.PUBLISHED
    assert AuditEntry.objects.filter(model="community.practice", action="changed").count() == 3


def test_another_programmes_facilitator_gets_404(client, scene, practice):
    client.force_login(scene.users["stranger_facilitator"])
    response = client.post(f"/practices/{practice.pk}/curate/", {"action": "retire"})
    assert response.status_code == 404
    assert client.get(f"/practices/{practice.pk}/merge/").status_code == 404
    practice.refresh_from_db()
    assert practice.state == Practice.State.PUBLISHED


@pytest.mark.parametrize("who", ["alta_chief", "evora_chief", "officer", "alta_mayor"])
def test_municipalities_and_the_officer_cannot_curate(client, scene, practice, who):
    client.force_login(scene.users[who])
    response = client.post(f"/practices/{practice.pk}/curate/", {"action": "feature"})
    assert response.status_code == 403
    response = client.post(f"/practices/{practice.pk}/merge/", {"into": practice.pk})
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.featured_at is None
    assert practice.state == Practice.State.PUBLISHED


def test_the_curate_rule_and_its_twin_agree(scene, practice):
    for user in scene.users.values():
        expected = rules.curates_practice.test(user, practice)
        assert rules.practices_curatable_by(user).filter(pk=practice.pk).exists() == expected


def test_merge_moves_the_adoptions_and_the_page_redirects(client, scene, practice, duplicate):
    hammerfest_plan = f.StrategyFactory(
        network=scene.norway, municipality=scene.hammerfest, status="shared"
    )
    adoption = services.practice_adopt(
        practice=duplicate, strategy=hammerfest_plan, user=scene.users["hammerfest_chief"]
    )
    facilitator = scene.users["portugal_facilitator"]
    client.force_login(facilitator)
    response = client.post(f"/practices/{duplicate.pk}/merge/", {"into": practice.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == Practice.State.MERGED
    assert duplicate.merged_into == practice
    assert Adoption.objects.get(pk=adoption.pk).practice == practice
    response = client.get(f"/practices/{duplicate.pk}/")
    assert response.status_code == 302
    assert response.url == f"/practices/{practice.pk}/"
    assert "Hammerfest" in client.get(response.url).content.decode()


def test_merge_into_another_programme_or_itself_is_refused(scene, practice):
    foreign_network = f.NetworkFactory()
    foreign = f.PracticeFactory(
        measure__strategy__network=foreign_network, measure__strategy__status="shared"
    )
    with pytest.raises(ValidationError):
        services.practice_merge(practice=practice, into=foreign, user=scene.users["admin"])
    with pytest.raises(ValidationError):
        services.practice_merge(practice=practice, into=practice, user=scene.users["admin"])
    practice.refresh_from_db()
    assert practice.state == Practice.State.PUBLISHED


def test_the_merge_form_offers_only_the_programmes_practices(client, scene, practice, duplicate):
    f.PracticeFactory(measure__strategy__status="shared")  # another programme's
    client.force_login(scene.users["norway_facilitator"])
    form = client.get(f"/practices/{practice.pk}/merge/").context["form"]
    assert list(form.fields["into"].queryset) == [duplicate]
    response = client.post(f"/practices/{practice.pk}/merge/", {"into": 10**9})
    assert response.status_code == 200
    assert "into" in response.context["form"].errors


def test_merge_into_a_draft_strategys_practice_is_refused(scene, practice):
    hidden_plan = f.StrategyFactory(network=scene.norway, municipality=scene.hammerfest)
    hidden = f.PracticeFactory(measure__strategy=hidden_plan)
    with pytest.raises(ValidationError):
        services.practice_merge(practice=practice, into=hidden, user=scene.users["admin"])
    practice.refresh_from_db()
    assert practice.state == Practice.State.PUBLISHED
