"""The networks' policy: who may see and change networks, municipalities, programmes and
invitations, and the role scopes (``RoleScopes``) every app's policy builds on. Each app's
``rules.py`` holds the policy of its own object kinds (gatherings in sessions_app/rules.py,
strategies in strategies/rules.py, and so on); a rule is written once, in its owner's module.

Each rule answers two questions, as Wagtail's permission policies do:

* a predicate, "may this user do this to this object?", registered with django-rules, so that
  views ask ``user.has_perm("networks.change_network", network)`` and templates
  ``{% has_perm "networks.change_network" user network as can_edit %}``;
* its queryset twin, "which objects may this user see?", for lists and for looking an object up
  (an object the user may not see answers 404, so its existence does not leak).

tests/networks/test_rules.py checks that each predicate and its twin agree. Views look objects
up through networks/access.py.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

import rules
from django.db.models import Q, QuerySet

from .models import (
    Invitation,
    MembershipInvitation,
    Municipality,
    Network,
    NetworkMembership,
    Programme,
    Role,
)


@dataclass(frozen=True)
class RoleScopes:
    """The scopes of a user's roles, loaded once per request (one query)."""

    is_administrator: bool
    facilitated_network_ids: frozenset[int]
    municipality_ids: frozenset[int]
    led_municipality_ids: frozenset[int]  # chief executive or mayor
    # The programmes the user follows whole, reading every open network of them: as their
    # project officer or as their coordinator.
    officer_programme_ids: frozenset[int]
    # (kind, municipality id, network id the role was given in, or None for every network)
    municipal_roles: frozenset[tuple[str, int, int | None]] = frozenset()
    # Of those, the ones the user coordinates (writes the review report's narrative and sets
    # the objectives' targets) and the ones the user reviews as project officer (acknowledges
    # or returns the report's versions).
    coordinated_programme_ids: frozenset[int] = frozenset()
    reviewed_programme_ids: frozenset[int] = frozenset()

    @property
    def is_facilitator(self) -> bool:
        return bool(self.facilitated_network_ids)

    @property
    def is_nobody(self) -> bool:
        """No role and not an administrator (or signed out): every twin is empty, so a rule
        may answer no without asking the database."""
        return not (
            self.is_administrator
            or self.facilitated_network_ids
            or self.municipality_ids
            or self.officer_programme_ids
            or self.municipal_roles
        )

    def holds_in(self, municipality_id, network_id, kinds=Role.MUNICIPAL_KINDS) -> bool:
        """Whether a municipal role of these kinds speaks for the municipality in the network
        (a role given in another network does not)."""
        return any(
            kind in kinds and m == municipality_id and granted in (None, network_id)
            for kind, m, granted in self.municipal_roles
        )

    def held_q(
        self, kinds=Role.MUNICIPAL_KINDS, *, municipality="municipality_id", network="network_id"
    ) -> Q:
        """The twin of :meth:`holds_in`: rows whose (municipality, network) the roles speak
        for, with the two field names of the rows' model."""
        everywhere = {
            m for kind, m, granted in self.municipal_roles if kind in kinds and not granted
        }
        parts = [Q(**{f"{municipality}__in": everywhere})] if everywhere else []
        parts += [
            Q(**{municipality: m, network: granted})
            for kind, m, granted in self.municipal_roles
            if kind in kinds and granted and m not in everywhere
        ]
        return reduce(or_, parts) if parts else Q(pk__in=[])


_NO_SCOPES = RoleScopes(False, frozenset(), frozenset(), frozenset(), frozenset())


def role_scopes(user) -> RoleScopes:
    """The user's scopes, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NO_SCOPES
    cached = getattr(user, "_role_scopes", None)
    if cached is not None:
        return cached
    networks, municipalities, leaders, programmes = set(), set(), set(), set()
    coordinated, reviewed = set(), set()
    municipal_roles = set()
    # One row per network a municipal role was given in (granted_in None: every network).
    for kind, network_id, municipality_id, programme_id, granted_in_id in Role.objects.filter(
        user=user
    ).values_list("kind", "network_id", "municipality_id", "programme_id", "granted_in"):
        if kind == Role.Kind.FACILITATOR:
            networks.add(network_id)
        elif kind == Role.Kind.PROJECT_OFFICER:
            programmes.add(programme_id)
            reviewed.add(programme_id)
        elif kind == Role.Kind.COORDINATOR:
            programmes.add(programme_id)
            coordinated.add(programme_id)
        else:
            municipalities.add(municipality_id)
            municipal_roles.add((kind, municipality_id, granted_in_id))
            if kind in Role.LEADER_KINDS:
                leaders.add(municipality_id)
    scopes = RoleScopes(
        is_administrator=user.is_staff,
        facilitated_network_ids=frozenset(networks),
        municipality_ids=frozenset(municipalities),
        led_municipality_ids=frozenset(leaders),
        officer_programme_ids=frozenset(programmes),
        municipal_roles=frozenset(municipal_roles),
        coordinated_programme_ids=frozenset(coordinated),
        reviewed_programme_ids=frozenset(reviewed),
    )
    user._role_scopes = scopes
    return scopes


def forget_role_scopes(user) -> None:
    """Drop the cached scopes after the user's roles changed."""
    user.__dict__.pop("_role_scopes", None)


# --- Queryset twins -------------------------------------------------------------------------


def memberships_spoken_for(user) -> QuerySet[NetworkMembership]:
    """Memberships the user's municipal roles speak for: a role given in one network counts
    in that network only."""
    return NetworkMembership.objects.filter(role_scopes(user).held_q())


def networks_visible_to(user) -> QuerySet[Network]:
    """Networks the user may see: their own as facilitator, their programme's, and those
    their municipal roles speak for; a draft only to its facilitators."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Network.objects.all()
    return Network.objects.filter(
        Q(pk__in=scopes.facilitated_network_ids)
        | Q(state__in=Network.OPEN_STATES)
        & (
            Q(programme_id__in=scopes.officer_programme_ids)
            | Q(pk__in=memberships_spoken_for(user).values("network_id"))
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
def network_is_open(_user, network) -> bool:
    return network is not None and network.state in Network.OPEN_STATES


@rules.predicate
def officers_programme_of_network(user, network) -> bool:
    return network is not None and network.programme_id in role_scopes(user).officer_programme_ids


@rules.predicate
def belongs_to_member_of_network(user, network) -> bool:
    if network is None or not role_scopes(user).municipal_roles:
        return False
    return memberships_spoken_for(user).filter(network=network).exists()


@rules.predicate
def belongs_to_municipality(user, municipality) -> bool:
    return municipality is not None and municipality.pk in role_scopes(user).municipality_ids


@rules.predicate
def sees_a_network_of_municipality(user, municipality) -> bool:
    if municipality is None or role_scopes(user).is_nobody:
        return False
    return NetworkMembership.objects.filter(
        municipality=municipality, network__in=networks_visible_to(user)
    ).exists()


@rules.predicate
def officers_programme(user, programme) -> bool:
    return programme is not None and programme.pk in role_scopes(user).officer_programme_ids


@rules.predicate
def coordinates_programme(user, programme) -> bool:
    return programme is not None and programme.pk in role_scopes(user).coordinated_programme_ids


@rules.predicate
def reviews_programme(user, programme) -> bool:
    """The programme's project officer (not its coordinator)."""
    return programme is not None and programme.pk in role_scopes(user).reviewed_programme_ids


@rules.predicate
def takes_part_in_programme(user, programme) -> bool:
    if programme is None or role_scopes(user).is_nobody:
        return False
    return networks_visible_to(user).filter(programme=programme).exists()


can_view_network = (
    is_administrator
    | facilitates_network
    | network_is_open & (officers_programme_of_network | belongs_to_member_of_network)
)
can_change_network = is_administrator | facilitates_network
can_view_municipality = is_administrator | belongs_to_municipality | sees_a_network_of_municipality
can_view_programme = is_administrator | officers_programme | takes_part_in_programme


@rules.predicate
def decides_membership(user, membership_invitation) -> bool:
    """The municipality's chief executive (there is one at a time), or an administrator,
    accepts or declines a network's invitation to join."""
    if membership_invitation is None:
        return False
    scopes = role_scopes(user)
    return scopes.is_administrator or (
        membership_invitation.municipality_id in _chief_executive_of(scopes)
    )


def _chief_executive_of(scopes: RoleScopes) -> set[int]:
    return {m for kind, m, _network in scopes.municipal_roles if kind == Role.Kind.CHIEF_EXECUTIVE}


def membership_invitations_decidable_by(user) -> QuerySet[MembershipInvitation]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return MembershipInvitation.objects.all()
    return MembershipInvitation.objects.filter(municipality_id__in=_chief_executive_of(scopes))


@rules.predicate
def runs_network_of_invitation(user, invitation) -> bool:
    return isinstance(invitation, Invitation | MembershipInvitation) and can_change_network.test(
        user, invitation.network
    )


rules.add_perm("networks.view_network", can_view_network)
rules.add_perm("networks.change_network", can_change_network)
rules.add_perm("networks.add_network", is_administrator | is_facilitator)
rules.add_perm("networks.invite_to_network", can_change_network)
rules.add_perm("networks.view_municipality", can_view_municipality)
rules.add_perm("networks.view_programme", can_view_programme)
# Moving a network into another programme changes which project officer follows it.
rules.add_perm("networks.change_network_programme", is_administrator)
rules.add_perm("networks.decide_membership", decides_membership)
rules.add_perm("networks.withdraw_invitation", runs_network_of_invitation)
