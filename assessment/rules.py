"""The self-assessment's policy.

* A network's rounds, its round pages and its results are read by everyone who sees the
  network (its members, facilitators, the programme's project officer): the members compare
  their scores as they compare every key figure in the network.
* Only the network's facilitators (and administrators) open and close its rounds.
* A municipality's response is seen by the people whose municipal role speaks for it in the
  round's network, the network's facilitators and administrators; everyone else gets 404.
  Its chief executive and staff answer, submit and reopen it (the mayor and the facilitators
  read); nobody changes it once the round is closed (``response_open``, asked beside the rule,
  as a superuser's ``has_perm`` says yes to anything).

Each predicate has its queryset twin: the pages ask the predicate, the lists the queryset.
"""

import rules
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from networks import rules as network_rules
from networks.models import Role
from networks.rules import role_scopes

from .models import Response, Round

EDITOR_KINDS = (Role.Kind.CHIEF_EXECUTIVE, Role.Kind.MUNICIPAL_STAFF)

ROUND_CLOSED = gettext_lazy(
    "The round is closed: its answers are locked and can no longer be changed."
)


def rounds_visible_to(user) -> QuerySet[Round]:
    return Round.objects.filter(network__in=network_rules.networks_visible_to(user))


def rounds_runnable_by(user) -> QuerySet[Round]:
    return Round.objects.filter(network__in=network_rules.networks_changeable_by(user))


def responses_visible_to(user) -> QuerySet[Response]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Response.objects.all()
    return Response.objects.filter(
        scopes.held_q(municipality="municipality_id", network="round__network_id")
        | Q(round__network_id__in=scopes.facilitated_network_ids)
    )


def responses_answerable_by(user) -> QuerySet[Response]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Response.objects.all()
    return Response.objects.filter(
        scopes.held_q(EDITOR_KINDS, municipality="municipality_id", network="round__network_id")
    )


@rules.predicate
def sees_response(user, response) -> bool:
    """``response``: saved, or not yet (a municipality that has not started)."""
    if response is None:
        return False
    scopes = role_scopes(user)
    network_id = response.round.network_id
    return (
        scopes.is_administrator
        or network_id in scopes.facilitated_network_ids
        or scopes.holds_in(response.municipality_id, network_id)
    )


@rules.predicate
def answers_response(user, response) -> bool:
    if response is None:
        return False
    scopes = role_scopes(user)
    return scopes.is_administrator or scopes.holds_in(
        response.municipality_id, response.round.network_id, kinds=EDITOR_KINDS
    )


def response_open(response: Response) -> bool:
    """Whether the answers may change at all: the round is open (a submitted response is
    reopened to draft first). Holds for everyone, administrators included."""
    return response.round.is_open and response.state != Response.State.LOCKED


rules.add_perm("assessment.view_round", network_rules.can_view_network)  # asked of the network
rules.add_perm("assessment.run_rounds", network_rules.can_change_network)  # of the network
rules.add_perm("assessment.view_response", sees_response)
rules.add_perm("assessment.answer_response", answers_response)
