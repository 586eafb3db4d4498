"""Who may see and change what, and the agreement of each predicate with its queryset twin."""

import pytest

from networks import rules as perms
from networks.models import Municipality, Network, Programme

pytestmark = pytest.mark.django_db

SEES_NETWORK = {
    "anonymous": False,
    "no_role": False,
    "facilitator": True,
    "other_facilitator": False,
    "chief_executive": True,
    "mayor": True,
    "municipal_staff": True,
    "neighbour_chief_executive": True,
    "other_chief_executive": False,
    "project_officer": True,
    "other_officer": False,
    "staff": True,
}
CHANGES_NETWORK = {name: name in {"facilitator", "staff"} for name in SEES_NETWORK}
SEES_MUNICIPALITY = {**SEES_NETWORK}
SEES_OTHER_MUNICIPALITY = {
    name: name in {"other_facilitator", "other_chief_executive", "project_officer", "staff"}
    for name in SEES_NETWORK
}
ADDS_NETWORK = {
    name: name in {"facilitator", "other_facilitator", "staff"} for name in SEES_NETWORK
}


@pytest.mark.parametrize("name", sorted(SEES_NETWORK))
def test_view_network_by_role(world, name):
    user = world.users[name]
    assert user.has_perm("networks.view_network", world.network) is SEES_NETWORK[name]
    assert user.has_perm("networks.change_network", world.network) is CHANGES_NETWORK[name]
    assert user.has_perm("networks.invite_to_network", world.network) is CHANGES_NETWORK[name]


@pytest.mark.parametrize("name", sorted(SEES_NETWORK))
def test_view_municipality_by_role(world, name):
    user = world.users[name]
    assert user.has_perm("networks.view_municipality", world.municipality) is (
        SEES_MUNICIPALITY[name]
    )
    assert user.has_perm("networks.view_municipality", world.other_municipality) is (
        SEES_OTHER_MUNICIPALITY[name]
    )


@pytest.mark.parametrize("name", sorted(SEES_NETWORK))
def test_add_network_only_facilitators_and_staff(world, name):
    assert world.users[name].has_perm("networks.add_network") is ADDS_NETWORK[name]


@pytest.mark.parametrize("name", sorted(SEES_NETWORK))
def test_predicates_agree_with_querysets(world, name):
    user = world.users[name]
    for model, perm, twin in [
        (Network, "networks.view_network", perms.networks_visible_to),
        (Network, "networks.change_network", perms.networks_changeable_by),
        (Municipality, "networks.view_municipality", perms.municipalities_visible_to),
        (Programme, "networks.view_programme", perms.programmes_visible_to),
    ]:
        by_predicate = {obj.pk for obj in model.objects.all() if user.has_perm(perm, obj)}
        by_queryset = set(twin(user).values_list("pk", flat=True))
        assert by_predicate == by_queryset, (perm, name)


def test_role_scopes_are_read_once_per_user(world, django_assert_num_queries):
    user = world.users["chief_executive"]
    with django_assert_num_queries(1):
        perms.role_scopes(user)
        perms.role_scopes(user)


def test_inactive_user_sees_nothing(world):
    user = world.users["facilitator"]
    user.is_active = False
    assert not user.has_perm("networks.view_network", world.network)
    assert not perms.networks_visible_to(user).exists()
