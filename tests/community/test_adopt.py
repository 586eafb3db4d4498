"""Taking a practice up into another action plan: linked both ways, the source told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import services
from community.models import Adoption
from notices.models import Kind, Notice
from strategies.models import Measure

from .. import factories as f
from .scene import observe, publish_data


@pytest.fixture
def practice(scene):
    observe(scene.indicator, scene.alta, {2020: 40.0, 2024: 70.0})
    return services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )


def test_adoption_links_both_ways_and_tells_the_sources_editors(scene, practice):
    observe(scene.indicator, scene.evora, {2023: 20.0})
    evora_chief = scene.users["evora_chief"]
    adoption = services.practice_adopt(
        practice=practice, strategy=scene.evora_strategy, user=evora_chief
    )
    measure = adoption.measure
    assert list(practice.adoptions.all()) == [adoption]
    assert Measure.objects.get(pk=measure.pk).adoption == adoption
    assert measure.strategy == scene.evora_strategy
    assert measure.title == practice.title
    assert practice.what in measure.description
    assert practice.why in measure.description
    assert measure.expected_benefit == practice.benefit
    assert measure.indicator == practice.indicator
    # Évora's own baseline, from its own figures (not Alta's).
    assert (measure.baseline_year, measure.baseline_value) == (2023, 20.0)
    told = set(
        Notice.objects.filter(kind=Kind.PRACTICE_ADOPTED).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"alta_chief", "alta_staff"}  # the editors, not the mayor


def test_a_given_target_is_kept(scene, practice):
    adoption = services.practice_adopt(
        practice=practice,
        strategy=scene.evora_strategy,
        user=scene.users["evora_chief"],
        target_year=2030,
        target_value=80.0,
    )
    assert (adoption.measure.target_year, adoption.measure.target_value) == (2030, 80.0)


def test_adopting_twice_into_one_plan_is_refused(scene, practice):
    services.practice_adopt(
        practice=practice, strategy=scene.evora_strategy, user=scene.users["evora_chief"]
    )
    with pytest.raises(ValidationError) as error:
        services.practice_adopt(
            practice=practice, strategy=scene.evora_strategy, user=scene.users["evora_chief"]
        )
    assert "already" in error.value.messages[0]
    assert Adoption.objects.count() == 1


def test_adopting_ones_own_municipalitys_practice_is_refused(scene, practice):
    other_plan = f.StrategyFactory(network=f.NetworkFactory(programme=scene.programme,
                                                            members=[scene.alta]),
                                   municipality=scene.alta)  # fmt: skip
    with pytest.raises(ValidationError):
        services.practice_adopt(
            practice=practice, strategy=other_plan, user=scene.users["alta_chief"]
        )
    assert not Adoption.objects.exists()


def test_adopting_into_a_foreign_plan_changes_nothing(scene, practice):
    hammerfest_plan = f.StrategyFactory(network=scene.norway, municipality=scene.hammerfest)
    measures = Measure.objects.count()
    with pytest.raises(ValidationError) as error:
        services.practice_adopt(
            practice=practice, strategy=hammerfest_plan, user=scene.users["evora_chief"]
        )
    assert "Hammerfest" in error.value.messages[0]
    assert Measure.objects.count() == measures
    assert not Adoption.objects.exists()
    assert not Notice.objects.filter(kind=Kind.PRACTICE_ADOPTED).exists()


def test_the_mayor_cannot_adopt(scene, practice):
    with pytest.raises(ValidationError):
        services.practice_adopt(
            practice=practice, strategy=scene.evora_strategy, user=scene.users["evora_mayor"]
        )
    assert not Adoption.objects.exists()


def test_a_retired_practice_cannot_be_adopted(scene, practice):
    services.practice_retire(practice=practice, user=scene.users["admin"], retired=True)
    with pytest.raises(ValidationError):
        services.practice_adopt(
            practice=practice, strategy=scene.evora_strategy, user=scene.users["evora_chief"]
        )


def test_the_adopt_page_makes_the_measure_and_the_source_sees_it(client, scene, practice):
    client.force_login(scene.users["evora_chief"])
    page = client.get(f"/practices/{practice.pk}/")
    assert "Use this in our plan" in page.content.decode()
    year, value = (
        page.context["adopt_form"].initial["target_year"],
        page.context["adopt_form"].initial["target_value"],
    )
    response = client.post(
        f"/practices/{practice.pk}/adopt/",
        {"strategy": scene.evora_strategy.pk, "target_year": year, "target_value": value},
    )
    adoption = Adoption.objects.get()
    assert response.status_code == 302
    assert response.url == f"/measures/{adoption.measure_id}/edit/"
    client.force_login(scene.users["alta_chief"])
    shown = client.get(f"/practices/{practice.pk}/").content.decode()
    assert "Évora" in shown


def test_the_adopt_page_offers_a_choice_of_plans_to_who_edits_several(client, scene, practice):
    second = f.StrategyFactory(
        network=f.NetworkFactory(programme=scene.programme, members=[scene.evora]),
        municipality=scene.evora,
        status="shared",
    )
    client.force_login(scene.users["evora_chief"])
    form = client.get(f"/practices/{practice.pk}/").context["adopt_form"]
    assert set(form.fields["strategy"].queryset) == {scene.evora_strategy, second}
    response = client.post(
        f"/practices/{practice.pk}/adopt/",
        {"strategy": second.pk, "target_year": 2030, "target_value": 80},
    )
    assert response.status_code == 302
    assert Adoption.objects.get().strategy == second


def test_the_adopt_page_refuses_a_plan_not_offered(client, scene, practice):
    hammerfest_plan = f.StrategyFactory(network=scene.norway, municipality=scene.hammerfest)
    client.force_login(scene.users["evora_chief"])
    response = client.post(
        f"/practices/{practice.pk}/adopt/",
        {"strategy": hammerfest_plan.pk, "target_year": 2030, "target_value": 80},
    )
    assert response.status_code == 400
    assert "strategy" in response.context["adopt_form"].errors
    assert not Adoption.objects.exists()


def test_the_source_cannot_adopt_its_own_practice_on_the_page(client, scene, practice):
    client.force_login(scene.users["alta_chief"])
    assert "adopt_form" not in client.get(f"/practices/{practice.pk}/").context
    response = client.post(f"/practices/{practice.pk}/adopt/", {"strategy": scene.strategy.pk})
    assert response.status_code == 403
    assert not Adoption.objects.exists()


def test_permission_denied_for_an_unseen_practice(scene, practice):
    stranger = f.municipal("chief_executive", f.MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        services.practice_adopt(practice=practice, strategy=scene.evora_strategy, user=stranger)


@pytest.mark.parametrize(
    ("target_year", "target_value", "field"),
    [
        ("99999999999", "80", "target_year"),
        ("2030", "nan", "target_value"),
        ("2030", "1e300", "target_value"),
        ("2030", "", "target_value"),
        ("abc", "80", "target_year"),
    ],
)
def test_the_adopt_page_names_a_bad_target_and_saves_nothing(
    client, scene, practice, target_year, target_value, field
):
    client.force_login(scene.users["evora_chief"])
    measures = Measure.objects.count()
    response = client.post(
        f"/practices/{practice.pk}/adopt/",
        {
            "strategy": scene.evora_strategy.pk,
            "target_year": target_year,
            "target_value": target_value,
        },
    )
    assert response.status_code == 400
    assert field in response.context["adopt_form"].errors
    assert Measure.objects.count() == measures
    assert not Adoption.objects.exists()


def test_how_a_draft_adopter_fares_stays_its_own(client, scene, practice):
    """Who took the practice up is told to every reader; the status and progress of a
    measure in a draft plan only to those who read that plan."""
    evora_strategy = scene.evora_strategy
    evora_strategy.status = "draft"
    evora_strategy.save()
    adoption = services.practice_adopt(
        practice=practice, strategy=evora_strategy, user=scene.users["evora_chief"]
    )
    measure = adoption.measure
    measure.status, measure.progress = "under_way", 37
    measure.save()

    client.force_login(scene.users["alta_chief"])
    for url in (f"/practices/{practice.pk}/", "/practices/"):
        shown = client.get(url).content.decode()
        assert "Évora" in shown
        assert "Its plan is not shared yet." in shown
        assert "37 %" not in shown

    client.force_login(scene.users["evora_chief"])
    assert "37 %" in client.get(f"/practices/{practice.pk}/").content.decode()
