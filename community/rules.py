"""The community's policy: who reads, publishes, curates and adopts practices, and who finds
and invites experts. Every community rule is written here, once; services, views, templates and
the PDFs ask it.

* A practice is read where its strategy may be read across the programme: by everyone who
  takes part in the strategy's programme, in any country, once the strategy is shared or
  adopted. A practice of a draft strategy is read by its municipality's own people only
  (through a role that speaks for the municipality in the strategy's network), never outside.
* Administrators may do all of it.

Each predicate has its queryset twin.
"""

import rules
from django.db.models import Q, QuerySet

from networks.models import Network
from networks.rules import (
    can_change_network,
    networks_changeable_by,
    programmes_visible_to,
    role_scopes,
)
from strategies.models import Strategy

from .models import Practice

OPEN_STRATEGY = (Strategy.Status.SHARED, Strategy.Status.ADOPTED)


def practices_visible_to(user) -> QuerySet[Practice]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Practice.objects.all()
    if scopes.is_nobody:
        return Practice.objects.none()
    return Practice.objects.filter(
        scopes.held_q(network="strategy__network_id")
        | Q(
            strategy__status__in=OPEN_STRATEGY,
            strategy__network__programme__in=programmes_visible_to(user).values("pk"),
        )
    )


@rules.predicate
def sees_practice(user, practice) -> bool:
    if practice is None:
        return False
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return True
    if scopes.holds_in(practice.municipality_id, practice.strategy.network_id):
        return True
    if practice.strategy.status not in OPEN_STRATEGY or scopes.is_nobody:
        return False
    return programmes_visible_to(user).filter(pk=practice.strategy.network.programme_id).exists()


rules.add_perm("community.view_practice", sees_practice)


# --- Next phase -------------------------------------------------------------------------------


@rules.predicate
def may_continue_network(user, network) -> bool:
    """A finished network's facilitators (and administrators) start its next phase, once: a
    network has one next phase. Asked by the network page's button; the form page and the
    service ask ``networks.change_network`` and say why a state refuses it
    (``services.next_phase_refused``)."""
    if network is None or network.state != Network.State.FINISHED:
        return False
    if not can_change_network.test(user, network):
        return False
    return not Network.objects.filter(predecessor=network).exists()


def networks_continuable_by(user) -> QuerySet[Network]:
    """The twin of ``may_continue_network``."""
    return networks_changeable_by(user).filter(
        state=Network.State.FINISHED, next_phase__isnull=True
    )


rules.add_perm("community.start_next_phase", may_continue_network)
# Asked as a rule (``{% test_rule %}``), not a permission, where the network's state matters:
# Django answers every ``has_perm`` of a superuser with yes, whatever the state.
rules.add_rule("community.start_next_phase", may_continue_network)
