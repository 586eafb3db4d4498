"""Who may see and change what, and the agreement of each predicate with its queryset twin."""

import pytest

from networks import rules as perms
from networks.models import MembershipInvitation, Municipality, Network, Programme, Role
from tests import factories as f

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
    assert (
        user.has_perm("networks.view_municipality", world.municipality) is (SEES_MUNICIPALITY[name])
    )
    assert (
        user.has_perm("networks.view_municipality", world.other_municipality)
        is (SEES_OTHER_MUNICIPALITY[name])
    )


@pytest.mark.parametrize("name", sorted(SEES_NETWORK))
def test_add_network_only_facilitators_and_staff(world, name):
    assert world.users[name].has_perm("networks.add_network") is ADDS_NETWORK[name]


@pytest.fixture
def states(world):
    """The world with the states the trust fixes added: a draft network and a withdrawn one
    of the same programme, both with Alta as member; Alta invited to the other network, and
    Hammerfest to the draft; a staff member of Alta given through the other network; a chief
    executive of Hammerfest given in the draft only."""
    draft = f.NetworkFactory(
        programme=world.programme, state=Network.State.DRAFT, members=[world.municipality]
    )
    f.NetworkFactory(
        programme=world.programme, state=Network.State.WITHDRAWN, members=[world.municipality]
    )
    Role.objects.create(user=world.users["facilitator"], kind="facilitator", network=draft)
    for network, municipality in [
        (world.other_network, world.municipality),
        (draft, world.neighbour),
    ]:
        MembershipInvitation.objects.create(network=network, municipality=municipality)
    decided = MembershipInvitation.objects.create(
        network=world.other_network, municipality=world.neighbour, state="declined"
    )
    assert decided.state == "declined"
    world.users["staff_through_other"] = f.municipal(
        Role.Kind.MUNICIPAL_STAFF,
        world.municipality,
        granted_in=world.other_network,
        username="staff_through_other",
    )
    world.users["chief_in_draft"] = f.municipal(
        Role.Kind.MAYOR, world.neighbour, granted_in=draft, username="chief_in_draft"
    )
    return world


TWINS = [
    (Network, "networks.view_network", perms.networks_visible_to),
    (Network, "networks.change_network", perms.networks_changeable_by),
    (Municipality, "networks.view_municipality", perms.municipalities_visible_to),
    (Programme, "networks.view_programme", perms.programmes_visible_to),
    (
        MembershipInvitation,
        "networks.decide_membership",
        perms.membership_invitations_decidable_by,
    ),
]


@pytest.mark.parametrize("name", [*sorted(SEES_NETWORK), "staff_through_other", "chief_in_draft"])
def test_predicates_agree_with_querysets(states, name):
    user = states.users[name]
    for model, perm, twin in TWINS:
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


def test_a_draft_is_seen_by_its_facilitators_only(states):
    draft = Network.objects.get(state=Network.State.DRAFT)
    seen = {
        name for name, user in states.users.items() if user.has_perm("networks.view_network", draft)
    }
    assert seen == {"facilitator", "staff"}


def test_a_role_given_in_another_network_opens_that_network_only(states):
    user = states.users["staff_through_other"]
    assert not user.has_perm("networks.view_network", states.other_network)  # only invited
    states.other_network.memberships.create(municipality=states.municipality)
    user = type(user).objects.get(pk=user.pk)  # scopes are read once per request
    assert user.has_perm("networks.view_network", states.other_network)
    assert not user.has_perm("networks.view_network", states.network)


def test_only_the_chief_executive_of_the_invited_municipality_decides(states):
    invited = MembershipInvitation.objects.get(network=states.other_network, state="invited")
    deciders = {
        name
        for name, user in states.users.items()
        if user.has_perm("networks.decide_membership", invited)
    }
    assert deciders == {"chief_executive", "staff"}
