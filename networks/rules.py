"""Who may do what. Every permission question of the portal is answered in this module.

Each rule answers two questions, as Wagtail's permission policies do:

* a predicate, "may this user do this to this object?", registered with django-rules, so that
  views ask ``user.has_perm("networks.change_network", network)`` and templates
  ``{% has_perm "networks.change_network" user network as can_edit %}``;
* its queryset twin, "which objects may this user see?", for lists and for looking an object up
  (an object the user may not see answers 404, so its existence does not leak).

tests/networks/test_rules.py checks that each predicate and its twin agree.
Later apps add their rules in their own ``rules.py`` on top of the scopes defined here.
"""

from dataclasses import dataclass

import rules
from django.db.models import Q, QuerySet

from .models import Municipality, Network, NetworkMembership, Programme, Role


@dataclass(frozen=True)
class RoleScopes:
    """The scopes of a user's roles, loaded once per request (one query)."""

    is_administrator: bool
    facilitated_network_ids: frozenset[int]
    municipality_ids: frozenset[int]
    led_municipality_ids: frozenset[int]  # chief executive or mayor
    officer_programme_ids: frozenset[int]

    @property
    def is_facilitator(self) -> bool:
        return bool(self.facilitated_network_ids)


_NO_SCOPES = RoleScopes(False, frozenset(), frozenset(), frozenset(), frozenset())


def role_scopes(user) -> RoleScopes:
    """The user's scopes, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NO_SCOPES
    cached = getattr(user, "_role_scopes", None)
    if cached is not None:
        return cached
    networks, municipalities, leaders, programmes = set(), set(), set(), set()
    for kind, network_id, municipality_id, programme_id in Role.objects.filter(
        user=user
    ).values_list("kind", "network_id", "municipality_id", "programme_id"):
        if kind == Role.Kind.FACILITATOR:
            networks.add(network_id)
        elif kind == Role.Kind.PROJECT_OFFICER:
            programmes.add(programme_id)
        else:
            municipalities.add(municipality_id)
            if kind in Role.LEADER_KINDS:
                leaders.add(municipality_id)
    scopes = RoleScopes(
        is_administrator=user.is_staff,
        facilitated_network_ids=frozenset(networks),
        municipality_ids=frozenset(municipalities),
        led_municipality_ids=frozenset(leaders),
        officer_programme_ids=frozenset(programmes),
    )
    user._role_scopes = scopes
    return scopes


def forget_role_scopes(user) -> None:
    """Drop the cached scopes after the user's roles changed (with the strategy editor
    scopes that strategies/rules.py caches beside them)."""
    user.__dict__.pop("_role_scopes", None)
    user.__dict__.pop("_strategy_editor_ids", None)


# --- Queryset twins -------------------------------------------------------------------------


def networks_visible_to(user) -> QuerySet[Network]:
    """Networks the user may see: their own as facilitator or member, or their programme's."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Network.objects.all()
    return Network.objects.filter(
        Q(pk__in=scopes.facilitated_network_ids)
        | Q(programme_id__in=scopes.officer_programme_ids)
        | Q(
            pk__in=NetworkMembership.objects.filter(
                municipality_id__in=scopes.municipality_ids
            ).values("network_id")
        )
    )


def networks_changeable_by(user) -> QuerySet[Network]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Network.objects.all()
    return Network.objects.filter(pk__in=scopes.facilitated_network_ids)


def municipalities_visible_to(user) -> QuerySet[Municipality]:
    """A user's own municipalities, and the members of every network they may see."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        Q(pk__in=scopes.municipality_ids)
        | Q(
            pk__in=NetworkMembership.objects.filter(network__in=networks_visible_to(user)).values(
                "municipality_id"
            )
        )
    )


def programmes_visible_to(user) -> QuerySet[Programme]:
    """The programmes the user officers, or takes part in through a network."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Programme.objects.all()
    return Programme.objects.filter(
        Q(pk__in=scopes.officer_programme_ids)
        | Q(pk__in=networks_visible_to(user).values("programme_id"))
    )


# --- Predicates -----------------------------------------------------------------------------


@rules.predicate
def is_administrator(user) -> bool:
    return role_scopes(user).is_administrator


@rules.predicate
def is_facilitator(user) -> bool:
    return role_scopes(user).is_facilitator


@rules.predicate
def facilitates_network(user, network) -> bool:
    return network is not None and network.pk in role_scopes(user).facilitated_network_ids


@rules.predicate
def officers_programme_of_network(user, network) -> bool:
    return network is not None and network.programme_id in role_scopes(user).officer_programme_ids


@rules.predicate
def belongs_to_member_of_network(user, network) -> bool:
    municipality_ids = role_scopes(user).municipality_ids
    if network is None or not municipality_ids:
        return False
    return NetworkMembership.objects.filter(
        network=network, municipality_id__in=municipality_ids
    ).exists()


@rules.predicate
def belongs_to_municipality(user, municipality) -> bool:
    return municipality is not None and municipality.pk in role_scopes(user).municipality_ids


@rules.predicate
def sees_a_network_of_municipality(user, municipality) -> bool:
    if municipality is None or role_scopes(user) is _NO_SCOPES:
        return False
    return NetworkMembership.objects.filter(
        municipality=municipality, network__in=networks_visible_to(user)
    ).exists()


@rules.predicate
def officers_programme(user, programme) -> bool:
    return programme is not None and programme.pk in role_scopes(user).officer_programme_ids


@rules.predicate
def takes_part_in_programme(user, programme) -> bool:
    if programme is None or role_scopes(user) is _NO_SCOPES:
        return False
    return networks_visible_to(user).filter(programme=programme).exists()


can_view_network = (
    is_administrator
    | facilitates_network
    | officers_programme_of_network
    | belongs_to_member_of_network
)
can_change_network = is_administrator | facilitates_network
can_view_municipality = is_administrator | belongs_to_municipality | sees_a_network_of_municipality
can_view_programme = is_administrator | officers_programme | takes_part_in_programme

rules.add_perm("networks.view_network", can_view_network)
rules.add_perm("networks.change_network", can_change_network)
rules.add_perm("networks.add_network", is_administrator | is_facilitator)
rules.add_perm("networks.invite_to_network", can_change_network)
rules.add_perm("networks.view_municipality", can_view_municipality)
rules.add_perm("networks.view_programme", can_view_programme)
