"""Publishing a measure or a section as a practice: the figures come from the data."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from benchmarking.models import Observation
from cemsdi_portal.core.models import AuditEntry
from community import services
from community.models import Practice

from .. import factories as f
from .scene import observe, publish_data


def _expected(municipality, indicator, *, before_year):
    rows = dict(
        Observation.objects.filter(municipality=municipality, indicator=indicator).values_list(
            "year", "value"
        )
    )
    latest = max(rows)
    return (before_year, rows[before_year], latest, rows[latest])


def test_publishing_takes_before_from_the_strategys_baseline_year_and_after_from_the_latest(
    scene,
):
    observe(scene.indicator, scene.alta, {2019: 31.0, 2020: 40.5, 2022: 55.0, 2024: 71.25})
    observe(scene.indicator, scene.hammerfest, {2024: 99.0})  # another municipality's: not read
    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )
    got = (practice.before_year, practice.before_value, practice.after_year, practice.after_value)
    assert got == _expected(scene.alta, scene.indicator, before_year=2020)
    assert practice.indicator == scene.indicator  # the measure's key figure by default
    assert practice.status == scene.measure.status
    assert practice.language == "nb"
    assert practice.search_config == "norwegian"
    assert practice.currency == "NOK"
    assert practice.cost == Decimal(120_000)


def test_publishing_takes_before_from_the_measures_baseline_when_it_has_one(scene):
    observe(scene.indicator, scene.alta, {2020: 40.0, 2021: 47.0, 2023: 60.0})
    scene.measure.baseline_year, scene.measure.baseline_value = 2021, 47.0
    scene.measure.save()
    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_staff"]
    )
    assert (practice.before_year, practice.before_value) == (
        scene.measure.baseline_year,
        scene.measure.baseline_value,
    )
    assert (practice.after_year, practice.after_value) == (2023, 60.0)


def test_publishing_without_a_baseline_year_starts_from_the_earliest_observation(scene):
    scene.strategy.baseline_year = None
    scene.strategy.save()
    observe(scene.indicator, scene.alta, {2018: 12.0, 2021: 30.0})
    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )
    assert practice.before_year == 2018
    assert practice.before_value == Observation.objects.get(year=2018).value
    assert practice.after_year == 2021


def test_typed_values_before_and_after_are_ignored(scene):
    observe(scene.indicator, scene.alta, {2020: 40.0, 2024: 70.0})
    data = publish_data(before_value=1.0, after_value=999.0, after_year=2030)
    practice = services.practice_publish(
        measure=scene.measure, data=data, user=scene.users["alta_chief"]
    )
    assert (practice.before_value, practice.after_value, practice.after_year) == (40.0, 70.0, 2024)


def test_publishing_again_updates_the_practice(scene):
    observe(scene.indicator, scene.alta, {2020: 40.0, 2022: 50.0})
    first = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )
    observe(scene.indicator, scene.alta, {2024: 65.0})
    second = services.practice_publish(
        measure=scene.measure,
        data=publish_data(title="Digital post for alle"),
        user=scene.users["alta_staff"],
    )
    assert second.pk == first.pk
    assert Practice.objects.count() == 1
    second.refresh_from_db()
    assert (second.title, second.after_year, second.after_value) == (
        "Digital post for alle",
        2024,
        65.0,
    )
    assert AuditEntry.objects.filter(model="community.practice", action="changed").exists()


def test_priorities_and_theme_come_from_the_measures_section_by_default(scene):
    priority = f.DlaPriorityFactory()
    theme = f.ThemeFactory()
    section = f.SectionFactory(strategy=scene.strategy, theme=theme)
    section.dla_priorities.add(priority)
    scene.measure.section = section
    scene.measure.save()
    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )
    assert list(practice.dla_priorities.all()) == [priority]
    assert practice.theme == theme


def test_a_section_is_published_with_its_own_priorities(scene):
    priority = f.DlaPriorityFactory()
    section = f.SectionFactory(strategy=scene.strategy, title="Innovasjon")
    section.dla_priorities.add(priority)
    practice = services.practice_publish(
        section=section, data=publish_data(status="under_way"), user=scene.users["alta_chief"]
    )
    assert practice.section == section
    assert practice.measure is None
    assert practice.indicator is None
    assert practice.before_value is None
    assert list(practice.dla_priorities.all()) == [priority]
    assert practice.status == "under_way"


def test_the_publisher_agrees_for_themself_another_contact_stays_hidden(scene):
    chief, staff = scene.users["alta_chief"], scene.users["alta_staff"]
    own = services.practice_publish(
        measure=scene.measure,
        data=publish_data(contact=chief, contact_agrees=True),
        user=chief,
    )
    assert own.contact == chief
    assert own.contact_agreed_at is not None
    other = services.practice_publish(
        measure=scene.measure, data=publish_data(contact=staff, contact_agrees=True), user=chief
    )
    assert other.contact == staff
    assert other.contact_agreed_at is None
    services.contact_agree(practice=other, user=staff, agrees=True)
    other.refresh_from_db()
    assert other.contact_agreed_at is not None
    with pytest.raises(PermissionDenied):
        services.contact_agree(practice=other, user=chief, agrees=False)


def test_a_contact_of_another_municipality_is_refused(scene):
    with pytest.raises(ValidationError) as error:
        services.practice_publish(
            measure=scene.measure,
            data=publish_data(contact=scene.users["evora_chief"]),
            user=scene.users["alta_chief"],
        )
    assert "contact" in error.value.error_dict
    assert not Practice.objects.exists()


def test_publishing_without_what_changes_nothing(scene):
    with pytest.raises(ValidationError) as error:
        services.practice_publish(
            measure=scene.measure, data=publish_data(what="  "), user=scene.users["alta_chief"]
        )
    assert "what" in error.value.error_dict
    assert not Practice.objects.exists()
    assert not AuditEntry.objects.filter(model="community.practice").exists()


@pytest.mark.parametrize("who", ["alta_mayor", "hammerfest_chief", "norway_facilitator", "officer"])
def test_only_the_strategys_editors_publish(scene, who):
    with pytest.raises(PermissionDenied):
        services.practice_publish(measure=scene.measure, data=publish_data(), user=scene.users[who])
    assert not Practice.objects.exists()


def test_currency_follows_the_country(scene):
    assert services.currency_of(scene.alta.country) == "NOK"
    assert services.currency_of(scene.evora.country) == "EUR"
    assert services.currency_of(f.CountryFactory(code="GB", name="United Kingdom")) == "GBP"


def test_publish_page_refuses_a_post_without_what_and_saves_nothing(client, scene):
    client.force_login(scene.users["alta_chief"])
    response = client.post(
        f"/measures/{scene.measure.pk}/publish/",
        {"title": "Digital post", "what": "", "status": "done"},
    )
    assert response.status_code == 200
    assert "what" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_publish_page_publishes_and_shows_the_practice(client, scene):
    observe(scene.indicator, scene.alta, {2020: 40.0, 2024: 70.0})
    client.force_login(scene.users["alta_chief"])
    response = client.post(
        f"/measures/{scene.measure.pk}/publish/",
        {
            "title": "Digital post",
            "what": "Kommunene innførte digital post.",
            "indicator": scene.indicator.pk,
            "contact": scene.users["alta_chief"].pk,
            "contact_agrees": "on",
        },
        follow=True,
    )
    practice = Practice.objects.get()
    assert response.redirect_chain[-1][0] == f"/practices/{practice.pk}/"
    page = response.content.decode()
    assert "40,0" in page or "40.0" in page
    assert "2024" in page
    assert scene.users["alta_chief"].email in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("cost", "-5"), ("cost", "1e40"), ("cost", "NaN"), ("title", "x" * 201), ("what", "a\x00b")],
)
def test_publish_page_names_a_bad_field_and_saves_nothing(client, scene, field, value):
    client.force_login(scene.users["alta_chief"])
    data = {"title": "Digital post", "what": "Kommunene innførte digital post.", field: value}
    response = client.post(f"/measures/{scene.measure.pk}/publish/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Practice.objects.exists()


def test_removing_the_measure_removes_its_practice_and_keeps_the_adopters_measure(scene):
    from strategies import services as strategy_services

    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )
    adoption = services.practice_adopt(
        practice=practice,
        strategy=scene.evora_strategy,
        user=scene.users["evora_chief"],
        target_year=2030,
        target_value=80.0,
    )
    strategy_services.measure_delete(measure=scene.measure)
    assert not Practice.objects.exists()
    assert scene.evora_strategy.measures.filter(pk=adoption.measure_id).exists()
    assert AuditEntry.objects.filter(
        model="community.practice", object_id=str(practice.pk), action="deleted"
    ).exists()


def test_removing_a_section_removes_its_practice(scene):
    from strategies import services as strategy_services

    section = f.SectionFactory(strategy=scene.strategy, kind="own", title="Egen seksjon")
    services.practice_publish(section=section, data=publish_data(), user=scene.users["alta_chief"])
    strategy_services.section_delete(section=section)
    assert not Practice.objects.exists()
