"""Who may import key figures, and the agreement of the file predicate with its queryset twin
(benchmarking/rules.py)."""

import pytest

from benchmarking import rules as perms
from benchmarking.imports import import_preview
from benchmarking.models import Indicator
from benchmarking.readers import ReadOptions
from networks.models import MembershipInvitation, Municipality

pytestmark = pytest.mark.django_db

IMPORTS_FOR = {
    "anonymous": set(),
    "no_role": set(),
    "facilitator": {"Alta", "Hammerfest"},
    "other_facilitator": {"Bodø"},
    "chief_executive": set(),
    "mayor": set(),
    "municipal_staff": set(),
    "project_officer": set(),
    "staff": {"Alta", "Hammerfest", "Bodø"},
}


def _preview(*municipalities):
    lines = "".join(f"{m.code},2024,{i}\n" for i, m in enumerate(municipalities))
    data = f"region_code,year,value\n{lines}".encode()
    return import_preview(data, "figures.csv", ReadOptions(indicator_code="KOSAG110000"))


@pytest.mark.parametrize("name", sorted(IMPORTS_FOR))
def test_file_predicate_agrees_with_the_queryset_twin(world, name):
    Indicator.objects.create(code="KOSAG110000")
    # Invited, not yet a member: it opens no import.
    MembershipInvitation.objects.create(
        network=world.network, municipality=world.other_municipality
    )
    user = world.users[name]

    by_predicate = {
        m.name
        for m in Municipality.objects.all()
        if user.has_perm("benchmarking.import_keyfigures_file", _preview(m))
    }
    by_queryset = set(perms.municipalities_importable_by(user).values_list("name", flat=True))

    assert by_predicate == by_queryset == IMPORTS_FOR[name]


def test_a_file_is_judged_whole(world):
    Indicator.objects.create(code="KOSAG110000")
    facilitator = world.users["facilitator"]

    assert facilitator.has_perm(
        "benchmarking.import_keyfigures_file", _preview(world.municipality, world.neighbour)
    )
    assert not facilitator.has_perm(
        "benchmarking.import_keyfigures_file",
        _preview(world.municipality, world.other_municipality),
    )
