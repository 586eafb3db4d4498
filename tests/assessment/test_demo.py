"""The demo's self-assessment rounds: two closed rounds per pilot, nine key figures in two years
for every demo municipality, said to be invented on the pages, and loading again changes
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from assessment.models import Answer, Response, Round
from benchmarking.models import Observation
from networks.models import Network, NetworkMembership, User

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(Round.objects.values_list("network__name", "year", "state", "gathering__number")),
        Response.objects.count(),
        sorted(
            Answer.objects.values_list(
                "response__municipality__code", "question_id", "level__value"
            )
        ),
        sorted(
            Observation.objects.filter(indicator__code__startswith="DM-").values_list(
                "indicator__code", "municipality__code", "year", "value"
            )
        ),
    )


def test_every_demo_municipality_has_nine_scores_in_two_years(client):
    call_command("seed_demo", stdout=StringIO())
    first = _state()
    rounds = Round.objects.filter(network__programme__acronym="CEMSDI")
    assert rounds.count() == 2 * Network.objects.filter(programme__acronym="CEMSDI").count()
    assert set(rounds.values_list("state", flat=True)) == {Round.State.CLOSED}
    assert set(rounds.values_list("gathering__number", flat=True)) == {1, 4}
    members = set(
        NetworkMembership.objects.filter(network__in=rounds.values("network")).values_list(
            "municipality_id", flat=True
        )
    )
    per_municipality = (
        Observation.objects.filter(indicator__code__startswith="DM-")
        .values("municipality_id")
        .annotate(figures=Count("pk"), years=Count("year", distinct=True))
    )
    assert {row["municipality_id"] for row in per_municipality} == members
    assert {(row["figures"], row["years"]) for row in per_municipality} == {(18, 2)}

    client.force_login(User.objects.get(username="chief"))
    network = Network.objects.get(name="eKommune Finnmark")
    page = client.get(reverse("network_assessment", args=[network.pk])).content.decode()
    assert "Demo data: the answers are invented." in page

    call_command("seed_demo", stdout=StringIO())
    assert _state() == first
