"""Who may see and run gatherings: the networks' rules, applied to what belongs to a network.

A gathering is seen by whoever sees its network and run by whoever changes its network
(its facilitators, administrators). A municipality's people report its assignments done.
"""

import rules
from django.db.models import QuerySet

from networks import rules as network_rules
from networks.rules import role_scopes

from .models import Gathering


def gatherings_visible_to(user) -> QuerySet[Gathering]:
    return Gathering.objects.filter(network__in=network_rules.networks_visible_to(user))


@rules.predicate
def sees_network_of(user, gathering) -> bool:
    return gathering is not None and network_rules.can_view_network.test(user, gathering.network)


@rules.predicate
def runs_network_of(user, gathering) -> bool:
    return gathering is not None and network_rules.can_change_network.test(user, gathering.network)


@rules.predicate
def speaks_for_municipality(user, municipality) -> bool:
    """Chief executives, mayors and staff report their own municipality's work."""
    return municipality is not None and municipality.pk in role_scopes(user).municipality_ids


rules.add_perm("sessions_app.view_gathering", sees_network_of)
rules.add_perm("sessions_app.change_gathering", runs_network_of)
rules.add_perm("sessions_app.report_for_municipality", speaks_for_municipality)
