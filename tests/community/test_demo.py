"""The demo's community: Norwegian practices from shared or adopted strategies whose key figure
moved, their values before and after equal to the observations, one featured and taken up by
Sevilla, two experts; loading it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from benchmarking.models import Observation
from community.demo import PRACTICES
from community.models import Adoption, ExpertProfile, Practice
from notices.models import Notice
from strategies.rules import editors_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo, db):
    return seeded_demo


def _value(practice, year):
    return Observation.objects.get(
        indicator=practice.indicator, municipality=practice.municipality, year=year
    ).value


def test_demo_practices_carry_the_observations_before_and_after(demo):
    practices = list(Practice.objects.select_related("strategy", "indicator", "municipality"))
    assert sorted(p.municipality.code for p in practices) == sorted(s[0] for s in PRACTICES)
    for practice in practices:
        assert practice.language == practice.strategy.language == "nb"
        assert practice.strategy.status in ("shared", "adopted")
        assert practice.state == Practice.State.PUBLISHED
        assert practice.before_value == _value(practice, practice.before_year)
        assert practice.after_value == _value(practice, practice.after_year)
        # The figure moved the better way (all are scores, higher is better).
        assert practice.indicator.higher_is_better is True
        assert practice.after_value > practice.before_value
        assert practice.after_year > practice.before_year
        assert practice.what.endswith("teksten og egenvurderingen er oppdiktet.")
    measures = [p for p in practices if p.measure_id]
    sections = [p for p in practices if p.section_id]
    assert len(measures) == 4
    assert len(sections) == 2
    for practice in measures:
        assert practice.measure.status == "done"
        assert practice.measure.indicator_id == practice.indicator_id
        assert practice.before_year == practice.measure.baseline_year


def test_demo_features_one_practice_that_sevilla_took_up(demo):
    featured = Practice.objects.get(featured_at__isnull=False)
    assert featured.municipality.name == "Måsøy"
    adoption = Adoption.objects.get()
    assert adoption.practice == featured
    assert (adoption.municipality.name, adoption.municipality.country.code) == ("Sevilla", "ES")
    assert adoption.measure.strategy == adoption.strategy
    assert adoption.measure.title == featured.title
    # Måsøy's editors were told.
    told = Notice.objects.filter(kind="practice_adopted").values_list("recipient", flat=True)
    assert set(told) == {u.pk for u in editors_of(featured.strategy)}


def test_demo_lists_two_experts_with_themes_and_languages(demo):
    profiles = {p.user.username: p for p in ExpertProfile.objects.select_related("user")}
    assert set(profiles) == {"ce-5618", "chief-it"}
    assert set(profiles["ce-5618"].languages) == {"nb", "en"}  # kept in the portal's order
    assert set(profiles["ce-5618"].themes.values_list("code", flat=True)) == {
        "competence",
        "strategy",
    }


def test_seed_demo_twice_changes_no_community_rows(demo):
    def rows():
        return (
            list(Practice.objects.order_by("pk").values()),
            list(Adoption.objects.order_by("pk").values()),
            list(ExpertProfile.objects.order_by("pk").values()),
        )

    before = rows()
    call_command("seed_demo", stdout=StringIO())
    assert rows() == before
