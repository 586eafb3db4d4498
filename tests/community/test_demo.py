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


def test_the_demo_timeline_reads_in_the_pilots_time(demo, client):
    """Alta's timeline: joined on its network's planned start, the strategy started at the end
    of gathering 1 and moved at later gatherings (an adoption on its council's date), the rounds
    closed at their gatherings: not the day the demo was seeded."""
    from community.selectors import municipality_timeline
    from networks.models import Municipality, User

    alta = Municipality.objects.get(code="5601")
    chief = User.objects.get(username="chief")
    timeline = municipality_timeline(municipality=alta, user=chief)
    group = next(g for g in timeline.groups if g.network.name == "eKommune Finnmark")
    network = group.network
    first = network.gatherings.get(number=1)
    events = {e.kind: e for e in reversed(group.events)}  # the first of each kind
    assert events["joined"].on == network.planned_start
    assert events["started"].at == first.ends_at
    moves = [e for e in group.events if e.kind == "status"]
    assert moves
    held = set(network.gatherings.values_list("ends_at", flat=True))
    for move in moves:  # an adoption on its council's date, another move at a gathering
        assert move.on == move.change.adopted_on if move.change.adopted_on else move.at in held
    assessments = [e for e in group.events if e.kind == "assessment"]
    assert assessments
    assert all(e.round.closed_at == e.round.gathering.ends_at for e in assessments)
    assert [(e.kind, e.on) for e in group.events if e.on.year >= 2013] == []
