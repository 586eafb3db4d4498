"""Reads that span the apps: what the home page shows each person."""

from dataclasses import dataclass, field

from django.db.models import Count

from networks import rules as perms
from networks.models import MembershipInvitation, Network, Programme, Role
from networks.selectors import network_warnings, networks_for_list
from strategies.selectors import my_strategies


@dataclass
class HomePage:
    """What is the user's own: the home page shows one block per kind of role."""

    facilitated_networks: list[Network] = field(default_factory=list)
    municipal_roles: list[Role] = field(default_factory=list)
    municipal_networks: list[Network] = field(default_factory=list)
    officer_programmes: list[Programme] = field(default_factory=list)
    strategies: list = field(default_factory=list)  # strategies.selectors.MyStrategy
    membership_invitations: list[MembershipInvitation] = field(default_factory=list)
    is_administrator: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.facilitated_networks
            or self.municipal_roles
            or self.officer_programmes
            or self.membership_invitations
            or self.is_administrator
        )


def home_page(*, user) -> HomePage:
    scopes = perms.role_scopes(user)
    page = HomePage(is_administrator=scopes.is_administrator)
    listed = networks_for_list(user=user)
    if scopes.facilitated_network_ids:
        page.facilitated_networks = list(listed.filter(pk__in=scopes.facilitated_network_ids))
        for network in page.facilitated_networks:
            network.warnings = network_warnings(network=network, member_count=network.member_count)
    if scopes.municipality_ids:
        page.municipal_roles = list(
            Role.objects.filter(user=user, municipality__isnull=False)
            .select_related("municipality__region")
            .order_by("municipality__name", "kind")
        )
        page.municipal_networks = list(
            listed.filter(pk__in=perms.memberships_spoken_for(user).values("network_id"))
        )
        page.strategies = my_strategies(user=user)
    if scopes.municipal_roles or scopes.is_administrator:
        page.membership_invitations = list(
            perms.membership_invitations_decidable_by(user)
            .filter(state=MembershipInvitation.State.INVITED)
            .select_related("network__region", "municipality", "invited_by")
            .order_by("created_at")
        )
    if scopes.officer_programme_ids:
        page.officer_programmes = list(
            Programme.objects.filter(pk__in=scopes.officer_programme_ids).annotate(
                network_count=Count("networks", distinct=True),
                municipality_count=Count("networks__memberships__municipality", distinct=True),
            )
        )
    return page
