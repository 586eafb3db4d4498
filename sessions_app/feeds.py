"""Calendar feeds: which gatherings each feed holds, and the secret in a person's feed address.

A personal feed is fetched by calendar programs, which send no cookies: the address itself
carries a token (``CalendarToken``) that the person can replace, which ends the old address.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from networks.models import Network, NetworkMembership, Role
from networks.rules import role_scopes

from .calendar import for_calendar
from .models import GATHERINGS_PER_NETWORK, CalendarToken, Gathering
from .selectors import held_in, invited_role_kinds


@dataclass
class CalendarRow:
    gathering: Gathering
    starts: datetime  # local time
    ends: datetime

    @property
    def same_day(self) -> bool:
        return self.starts.date() == self.ends.date()


def network_calendar_rows(*, network: Network) -> list[CalendarRow]:
    """The network's gatherings in date order, in local time, for its calendar page."""
    return [
        CalendarRow(g, timezone.localtime(g.starts_at), timezone.localtime(g.ends_at))
        for g in Gathering.objects.filter(network=network).order_by("starts_at", "pk")
    ]


def network_calendar_gatherings(*, network: Network) -> QuerySet[Gathering]:
    """The network's gatherings in date order, ready for a calendar file (two queries)."""
    return for_calendar(Gathering.objects.filter(network=network))


def person_calendar_gatherings(*, user) -> QuerySet[Gathering]:
    """The gatherings the person is invited to or facilitates, in date order.

    Invited: the gatherings whose invited role kinds (``invited_role_kinds``: chief executives
    to all, mayors to the first) include one of the person's roles in a member municipality
    that counts in the network (``held_in``).
    Facilitated: every gathering of the networks the person facilitates. Three queries in all
    (the person's roles, the gatherings, their agendas), whatever the number of networks.
    """
    if not user.is_active:
        return Gathering.objects.none()
    wanted = Q(network_id__in=role_scopes(user).facilitated_network_ids)
    numbers_by_kinds = defaultdict(list)
    for number in range(1, GATHERINGS_PER_NETWORK + 1):
        kinds = tuple(sorted(invited_role_kinds(Gathering(number=number))))
        numbers_by_kinds[kinds].append(number)
    for kinds, numbers in numbers_by_kinds.items():
        roles = Role.objects.filter(
            held_in(OuterRef("network_id")),
            user=user,
            kind__in=kinds,
            municipality_id=OuterRef("municipality_id"),
        )
        networks = NetworkMembership.objects.filter(Exists(roles)).values("network_id")
        wanted |= Q(number__in=numbers, network_id__in=networks)
    return for_calendar(Gathering.objects.filter(wanted))


def person_for_calendar_token(*, token: uuid.UUID):
    """The active person whose feed address holds the token.

    Raises ``CalendarToken.DoesNotExist`` for an unknown (or replaced) token.
    """
    return CalendarToken.objects.select_related("user").get(token=token, user__is_active=True).user
