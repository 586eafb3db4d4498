"""Reads: what pages show about programmes, networks, municipalities and people.

Every function returns data with a fixed number of queries, whatever the number of rows.
Visibility comes from the queryset twins in ``rules.py``.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import rules as perms
from .countries import network_zone
from .models import (
    Country,
    Invitation,
    MembershipInvitation,
    Municipality,
    Network,
    Programme,
    Role,
)

MIN_MEMBERS, MAX_MEMBERS = 10, 20
MIN_MONTHS, MAX_MONTHS = 6, 10


def network_period_warning(*, start: date | None, end: date | None) -> str | None:
    """A warning when a network's period is not 6 to 10 calendar months, else None."""
    if not start or not end or end <= start:
        return None
    if end < start + relativedelta(months=MIN_MONTHS):
        return _(
            "The period is shorter than %(months)d months: the four gatherings need time "
            "for work in between."
        ) % {"months": MIN_MONTHS}
    if end > start + relativedelta(months=MAX_MONTHS):
        return _(
            "The period is longer than %(months)d months: networks lose momentum when "
            "gatherings lie far apart."
        ) % {"months": MAX_MONTHS}
    return None


def network_size_warning(*, member_count: int) -> str | None:
    """A warning when a network has fewer than 10 or more than 20 municipalities."""
    if member_count < MIN_MEMBERS:
        return ngettext(
            "The network has %(count)d municipality; the method works best with 10 to 20 "
            "(about 15).",
            "The network has %(count)d municipalities; the method works best with 10 to 20 "
            "(about 15).",
            member_count,
        ) % {"count": member_count}
    if member_count > MAX_MEMBERS:
        return _(
            "The network has %(count)d municipalities; more than 20 leaves too little room "
            "for each at the gatherings."
        ) % {"count": member_count}
    return None


def network_warnings(*, network: Network, member_count: int) -> list[str]:
    warnings = [
        network_size_warning(member_count=member_count),
        network_period_warning(start=network.planned_start, end=network.planned_end),
    ]
    return [w for w in warnings if w]


def networks_for_list(*, user) -> QuerySet[Network]:
    """The networks a user may see, with what a list shows of each."""
    return (
        perms.networks_visible_to(user)
        .select_related("programme", "region", "predecessor")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("programme__acronym", "name")
    )


def _people_prefetch(network: Network | None = None) -> Prefetch:
    """A municipality's people; in a network, only those whose roles count there."""
    roles = Role.objects.select_related("user").order_by(
        "kind", "user__last_name", "user__first_name"
    )
    if network is not None:
        roles = roles.filter(Q(granted_in__isnull=True) | Q(granted_in=network))
    return Prefetch("roles", queryset=roles, to_attr="people")


@dataclass
class NetworkPage:
    network: Network
    members: list[Municipality]
    facilitators: list[Role]
    warnings: list[str]
    participant_count: int
    leader_count: int
    # For those who run the network: municipalities asked to join, and people invited.
    invited_municipalities: list[MembershipInvitation] = field(default_factory=list)
    open_invitations: list[Invitation] = field(default_factory=list)
    # The phases before and after, when the reader may see them.
    previous_phase: Network | None = None
    next_phase: Network | None = None


def network_page(*, network: Network, user) -> NetworkPage:
    """A network the user may see (``access.network_or_404``), its members with their people,
    and its warnings."""
    members = list(
        network.municipalities.select_related("region", "peer_group", "country")
        .prefetch_related(_people_prefetch(network))
        .order_by("name")
    )
    facilitators = list(
        Role.objects.filter(network=network, kind=Role.Kind.FACILITATOR)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    roles = [role for municipality in members for role in municipality.people]
    page = NetworkPage(
        network=network,
        members=members,
        facilitators=facilitators,
        warnings=network_warnings(network=network, member_count=len(members)),
        participant_count=len({role.user_id for role in roles}),
        leader_count=len({role.user_id for role in roles if role.kind in Role.LEADER_KINDS}),
    )
    # One query: the network's phases before and after it that the reader sees.
    for phase in perms.networks_visible_to(user).filter(
        Q(pk=network.predecessor_id) | Q(predecessor=network)
    ):
        if phase.pk == network.predecessor_id:
            page.previous_phase = phase
        else:
            page.next_phase = phase
    if user.has_perm("networks.change_network", network):
        page.invited_municipalities = list(
            network.membership_invitations.filter(state=MembershipInvitation.State.INVITED)
            .select_related("municipality")
            .order_by("municipality__name")
        )
        page.open_invitations = list(
            network.invitations.filter(state=Invitation.State.SENT)
            .select_related("municipality__country")
            .order_by("email")
        )
    return page


@dataclass
class MunicipalityPage:
    municipality: Municipality
    people: list[Role]
    networks: list[Network]


def municipality_page(*, municipality: Municipality, user) -> MunicipalityPage:
    """A municipality the user may see (``access.municipality_or_404``)."""
    prefetch_related_objects([municipality], _people_prefetch())
    networks = list(
        perms.networks_visible_to(user)
        .filter(memberships__municipality=municipality)
        .select_related("programme")
        .order_by("planned_start")
    )
    return MunicipalityPage(
        municipality=municipality, people=municipality.people, networks=networks
    )


def programme_page(*, programme: Programme, user) -> tuple[Programme, list[Network]]:
    """A programme the user may see (``access.programme_or_404``)."""
    prefetch_related_objects([programme], "objectives", "countries")
    # By phase: the first phases, then the networks that continue them.
    networks = list(
        networks_for_list(user=user).filter(programme=programme).order_by("phase", "name")
    )
    listed = {network.pk for network in networks}
    for network in networks:  # a previous phase is named only to those who see it
        shown = network.predecessor_id in listed
        network.shown_predecessor = network.predecessor if shown else None
    return programme, networks


def token_hash(token: str) -> str:
    """What the database keeps of an invitation link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a link's secret belongs to, or None."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("network", "municipality__country", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


# Countries whose LAU (Eurostat's local administrative unit) is a part of the municipality,
# and how many leading digits of the LAU code are the municipality's code: Portugal's
# freguesias (DICOFRE, 6 digits: the concelho's DICO, then the parish).
LAU_WITHIN_MUNICIPALITY = {"PT": 4}


def municipalities_by_lau(codes: set[str], countries=None) -> dict[str, int]:
    """LAU code -> the municipality (id) registered under it; with ``countries`` (ids), only
    theirs. One query (none for no codes)."""
    if not codes:
        return {}
    found = Municipality.objects.filter(lau_code__in=codes)
    if countries is not None:
        found = found.filter(country_id__in=countries)
    by_code: dict[str, set[int]] = {}
    for code, pk in found.values_list("lau_code", "pk"):
        by_code.setdefault(code, set()).add(pk)
    return {code: pks.pop() for code, pks in by_code.items() if len(pks) == 1}


def municipalities_holding_lau(codes: set[str], countries=None) -> dict[str, Municipality]:
    """LAU codes of a part of a municipality (a Portuguese freguesia) -> that municipality;
    with ``countries`` (ids), only theirs. One query."""
    query = Q()
    parents: dict[tuple[str, str], set[str]] = {}
    for country, digits in LAU_WITHIN_MUNICIPALITY.items():
        for code in codes:
            if len(code) == digits + 2 and code.isdigit():
                parents.setdefault((country, code[:digits]), set()).add(code)
        wanted = {parent for (c, parent) in parents if c == country}
        if wanted:
            query |= Q(country__code=country, code__in=wanted)
    if not parents:
        return {}
    found = Municipality.objects.filter(query).select_related("country")
    if countries is not None:
        found = found.filter(country_id__in=countries)
    return {
        code: municipality
        for municipality in found
        for code in parents.get((municipality.country.code, municipality.code), ())
    }


def person_time_zone(user) -> str:
    """The zone a person lives by, as far as the portal knows: that of the countries of their
    municipalities, when those share one zone, else the portal's (``settings.TIME_ZONE``).
    One query."""
    if not user.is_authenticated:
        return settings.TIME_ZONE
    zones = {
        zone or settings.TIME_ZONE
        for zone in Role.objects.filter(user=user, municipality__isnull=False)
        .values_list("municipality__country__time_zone", flat=True)
        .distinct()
    }
    return zones.pop() if len(zones) == 1 else settings.TIME_ZONE


def person_countries(user) -> list[Country]:
    """The countries a person works in: those of their municipalities and of the networks they
    facilitate, by name. One query."""
    if not user.is_authenticated:
        return []
    return list(
        Country.objects.filter(
            Q(municipalities__roles__user=user)
            | Q(regions__networks__roles__user=user, regions__networks__roles__kind="facilitator")
        )
        .distinct()
        .order_by("name")
    )


def zone_named(*, network: Network, user) -> str:
    """The network's time zone when its pages should name it: when it is not the reader's own
    (``person_time_zone``); else "". One query."""
    zone = network_zone(network).key
    return zone if zone != person_time_zone(user) else ""
