"""The demo as issue 18 asks it: after ``seed_demo`` every one of the pilot networks'
municipalities has at least 15 key figures with a value, the self-assessment's nine among them
(from a round whose answers are invented, as its pages say), and its full set of similar
municipalities; and seeding again changes nothing.

``seed_demo`` runs once for the module (it takes about 25 s) inside a transaction that is
rolled back at the end, so the other tests never see it.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse

from assessment.models import Questionnaire, Response, Round
from assessment.services import OVERALL, indicator_code
from benchmarking.models import Observation, SimilarMunicipality
from benchmarking.structure import POPULATION
from networks.models import Municipality, NetworkMembership, User

MINIMUM = 15  # key figures per demo municipality, issue 18
INVENTED = "Demo data: the answers are invented."


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo municipalities (ids), seeded once; the module's data is rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        members = set(
            NetworkMembership.objects.filter(network__programme__acronym="CEMSDI").values_list(
                "municipality_id", flat=True
            )
        )
        yield members
        transaction.set_rollback(True)


def _figures_with_a_value(members) -> dict[int, set[str]]:
    rows = Observation.objects.filter(municipality_id__in=members, value__isnull=False).values_list(
        "municipality_id", "indicator__code"
    )
    found: dict[int, set[str]] = {pk: set() for pk in members}
    for municipality_id, code in rows.distinct():
        found[municipality_id].add(code)
    return found


def _self_assessment_codes() -> set[str]:
    codes = set()
    for questionnaire in Questionnaire.objects.filter(rounds__demo=True).distinct():
        codes |= {indicator_code(questionnaire, t.code) for t in questionnaire.themes.all()}
        codes.add(indicator_code(questionnaire, OVERALL))
    return codes


def _in(country: str, members) -> set[int]:
    return set(
        Municipality.objects.filter(pk__in=members, country__code=country).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.django_db
def test_every_other_country_s_demo_municipality_has_its_register_and_assessment_figures(
    seeded,
):
    """The illustrative pilots (networks/demo_europe.py): the register's three structural
    figures and the self-assessment's nine for every member; England's and Portugal's also
    have the real ONS and Statistics Portugal figures."""
    others = seeded - _in("NO", seeded)
    assert len(others) == 50
    figures = _figures_with_a_value(others)
    wanted = _self_assessment_codes() | {"REG-population", "REG-area", "REG-density"}
    assert {pk for pk, codes in figures.items() if not wanted <= codes} == set()
    for country, prefix in (("GB", "ONS:"), ("PT", "INE-PT:")):
        members = _in(country, others)
        assert members
        assert all(any(c.startswith(prefix) for c in figures[pk]) for pk in members)


@pytest.mark.django_db
def test_every_demo_municipality_has_fifteen_key_figures_with_a_value(seeded):
    seeded = _in("NO", seeded)
    assert len(seeded) == 61
    figures = _figures_with_a_value(seeded)
    too_few = {
        Municipality.objects.get(pk=pk).name: len(codes)
        for pk, codes in figures.items()
        if len(codes) < MINIMUM
    }
    assert too_few == {}
    # The self-assessment's nine (eight themes and the overall score) are among them.
    assessment = _self_assessment_codes()
    assert len(assessment) == 9
    assert all(assessment <= codes for codes in figures.values())
    # And figures from the real files beside them: the register's, SSB's 13502 and 1106.
    hammerfest = Municipality.objects.get(code="5603", pk__in=seeded)
    assert {"SSB1106_FODTE_PER1000", POPULATION.code} <= figures[hammerfest.pk]


@pytest.mark.django_db
def test_every_demo_municipality_has_its_full_similar_set(seeded):
    count = settings.SIMILAR_MUNICIPALITIES_COUNT
    assert count > 0
    sets = (
        SimilarMunicipality.objects.filter(municipality_id__in=seeded)
        .values("municipality_id")
        .annotate(
            neighbours=Count("neighbour", distinct=True),
            ranks=Count("rank", distinct=True),
            itself=Count("pk", filter=Q(neighbour_id=F("municipality_id"))),
        )
    )
    by_municipality = {row["municipality_id"]: row for row in sets}
    assert set(by_municipality) == seeded
    assert {(r["neighbours"], r["ranks"], r["itself"]) for r in sets} == {(count, count, 0)}
    ranks = set(
        SimilarMunicipality.objects.filter(municipality_id__in=seeded).values_list(
            "rank", flat=True
        )
    )
    assert ranks == set(range(1, count + 1))


@pytest.mark.django_db
def test_the_chief_sees_alta_s_similar_municipalities(seeded, client):
    client.force_login(User.objects.get(username="chief"))
    alta = Municipality.objects.get(code="5601")
    page = client.get(reverse("municipality_similar", args=[alta.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    neighbours = SimilarMunicipality.objects.filter(municipality=alta).values_list(
        "neighbour_id", flat=True
    )
    assert all(f'id="neighbour-{pk}"' in html for pk in neighbours)


@pytest.mark.django_db
def test_the_self_assessment_pages_say_the_answers_are_invented(seeded, client):
    chief = User.objects.get(username="chief")
    alta = Municipality.objects.get(code="5601")
    client.force_login(chief)
    rounds = Round.objects.filter(demo=True, network__municipalities=alta).order_by("year")
    assert rounds.count() == 2
    network = rounds[0].network
    pages = [reverse("network_assessment", args=[network.pk])]
    for round_ in rounds:
        assert Response.objects.filter(round=round_, municipality=alta).exists()
        pages += [
            reverse("round_detail", args=[round_.pk]),
            reverse("response_edit", args=[round_.pk, alta.pk]),
        ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert INVENTED in page.content.decode(), url


@pytest.mark.django_db
def test_seeding_again_changes_nothing(seeded):
    def counts():
        return (
            Observation.objects.count(),
            Observation.objects.filter(value__isnull=False).count(),
            SimilarMunicipality.objects.count(),
            sorted(
                SimilarMunicipality.objects.filter(municipality_id__in=seeded).values_list(
                    "municipality_id", "rank", "neighbour_id"
                )
            ),
        )

    before = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before
