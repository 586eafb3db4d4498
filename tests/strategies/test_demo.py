"""The demo data gives the demo municipalities strategies in every status, with revisions by
more than one editor, comments and action plans; loading it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from networks.models import Role
from notices.models import Notice
from strategies.demo import seed_strategies
from strategies.models import (
    BaselineFigure,
    Measure,
    Section,
    SectionComment,
    SectionRevision,
    StatusChange,
    Strategy,
)

from .helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo, db):
    return seeded_demo


def test_demo_has_strategies_in_every_status(demo):
    assert set(Strategy.objects.values_list("status", flat=True)) == {"draft", "shared", "adopted"}
    adopted = Strategy.objects.filter(status="adopted")
    assert not adopted.filter(adopted_on__isnull=True).exists()
    assert not adopted.filter(decision_reference="").exists()
    alta = Strategy.objects.get(municipality__code="5601")
    assert alta.status == "shared"
    assert list(alta.status_changes.values_list("from_status", "to_status")) == [
        ("draft", "shared")
    ]


def test_demo_strategies_have_revisions_by_two_authors(demo):
    alta = Section.objects.get(strategy__municipality__code="5601", kind="clear_strategy")
    authors = list(alta.revisions.order_by("version").values_list("version", "author__roles__kind"))
    assert authors == [(1, "chief_executive"), (2, "municipal_staff")]
    assert SectionRevision.objects.values("author").distinct().count() >= 2


def test_demo_action_plans_have_measures_in_several_statuses(demo):
    statuses = set(Measure.objects.values_list("status", flat=True))
    assert {"planned", "under_way", "done", "delayed"} <= statuses
    tied = Measure.objects.filter(indicator__isnull=False)
    assert tied.exists()
    measure = tied.first()
    frozen = BaselineFigure.objects.get(
        strategy=measure.strategy, indicator=measure.indicator, comparison="network"
    )
    assert (measure.baseline_year, measure.baseline_value) == (frozen.year, frozen.value)
    # The target is a year after the demo was loaded, a little above the baseline.
    assert (measure.target_year, measure.target_value) == (
        timezone.localdate().year + 1,
        min(100.0, round(frozen.value + 5, 1)),
    )


def test_demo_has_facilitator_comments_on_shared_strategies(demo):
    comments = SectionComment.objects.select_related("section__strategy")
    assert comments.filter(parent__isnull=True).exists()
    for comment in comments:
        assert comment.section.strategy.status != "draft"
        # A thread starts with a facilitator's comment; the municipality's chief answers.
        kind = Role.Kind.FACILITATOR if comment.parent_id is None else Role.Kind.CHIEF_EXECUTIVE
        assert Role.objects.filter(
            Q(network=comment.section.strategy.network)
            | Q(municipality=comment.section.strategy.municipality),
            user=comment.author,
            kind=kind,
        ).exists()
    alta = comments.filter(section__strategy__municipality__code="5601")
    assert alta.filter(parent__isnull=False).exists()


def test_demo_notices_tell_the_facilitators_and_the_chief_executives(demo):
    assert set(Notice.objects.values_list("kind", flat=True)) == {
        "strategy_shared",
        "comment",
        "reply",
        "practice_adopted",  # the community's demo: Sevilla takes up Måsøy's practice
    }
    assert set(
        Notice.objects.filter(kind="reply").values_list("recipient__roles__kind", flat=True)
    ) == {Role.Kind.FACILITATOR}


def test_demo_status_history_matches_the_status(demo):
    for strategy in Strategy.objects.all():
        last = strategy.status_changes.last()
        assert (last.to_status if last else "draft") == strategy.status


def test_seed_demo_twice_changes_no_strategy_rows(demo):
    before = snapshot()
    counts = {m.__name__: m.objects.count() for m in (Strategy, StatusChange, Measure)}
    call_command("seed_demo", stdout=StringIO())
    seed_strategies()
    assert snapshot() == before
    assert {m.__name__: m.objects.count() for m in (Strategy, StatusChange, Measure)} == counts


def test_demo_chief_reads_alta_and_the_facilitator_sees_the_overview(client, demo):
    alta = Strategy.objects.get(municipality__code="5601")
    assert client.login(request=HttpRequest(), username="chief", password="cemsdi-demo")
    assert client.get(reverse("strategy_detail", args=[alta.pk])).status_code == 200
    assert client.get(reverse("action_plan", args=[alta.pk])).status_code == 200
    client.logout()
    assert client.login(request=HttpRequest(), username="facilitator", password="cemsdi-demo")
    response = client.get(reverse("network_strategies", args=[alta.network_id]))
    assert response.status_code == 200
