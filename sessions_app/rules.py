"""The gatherings' policy: who may see and run gatherings, open the facilitator's overview and
report a municipality's assignments done; who answers an invitation, who evaluates a gathering,
and who reads its answers, attendance exports and evaluation results. Every gathering rule is
written here, once, as a predicate beside its queryset twin; tests/sessions_app/test_rules.py
checks that they agree.

A gathering is seen by whoever sees its network and run by whoever changes its network
(its facilitators, administrators). Its guests (``hooks.register_gathering_guests``: a speaker
the community app invited, once they accepted) see its page too, agenda and materials
included, but not its network: its answers, attendance and members' work stay the network's.
A municipality's people report its assignments done in a network where their role counts (a
role given through another network's invitation does not); administrators may report for any
member.
"""

import rules
from django.db.models import Q, QuerySet

from networks import rules as network_rules
from networks.models import NetworkMembership
from networks.rules import role_scopes

from . import hooks
from .models import Attendance, Gathering


def gatherings_visible_to(user) -> QuerySet[Gathering]:
    """The gatherings of the networks the user sees, and those they are a guest of."""
    query = Q(network__in=network_rules.networks_visible_to(user))
    if getattr(user, "is_authenticated", False) and user.is_active:
        for ids in hooks.guest_gathering_ids(user):
            query |= Q(pk__in=ids)
    return Gathering.objects.filter(query)


def memberships_reportable_by(user) -> QuerySet[NetworkMembership]:
    """The twin of ``reports_for_member``: the members whose work the user reports."""
    if role_scopes(user).is_administrator:
        return NetworkMembership.objects.all()
    return network_rules.memberships_spoken_for(user)


@rules.predicate
def sees_network_of(user, gathering) -> bool:
    return gathering is not None and network_rules.can_view_network.test(user, gathering.network)


@rules.predicate
def is_guest_of(user, gathering) -> bool:
    """A guest of the gathering (a speaker from outside its network): its page, not its
    network's."""
    if gathering is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return hooks.is_gathering_guest(user, gathering)


@rules.predicate
def runs_network_of(user, gathering) -> bool:
    return gathering is not None and network_rules.can_change_network.test(user, gathering.network)


@rules.predicate
def reports_for_member(user, membership) -> bool:
    """``membership``: a NetworkMembership, saved or not (a municipality in a network).
    Chief executives, mayors and staff report their own municipality's work there."""
    if membership is None:
        return False
    scopes = role_scopes(user)
    return scopes.is_administrator or scopes.holds_in(
        membership.municipality_id, membership.network_id
    )


def gatherings_attendance_readable_by(user) -> QuerySet[Gathering]:
    """The twin of ``reads_attendance``: the gatherings whose answers, attendance, exports
    and evaluation results the user reads."""
    scopes = role_scopes(user)
    return Gathering.objects.filter(
        Q(network__in=network_rules.networks_changeable_by(user))
        | Q(
            network__in=network_rules.networks_visible_to(user),
            network__programme_id__in=scopes.officer_programme_ids,
        )
    )


@rules.predicate
def officers_programme_of(user, gathering) -> bool:
    return gathering is not None and network_rules.officers_programme_of_network.test(
        user, gathering.network
    )


@rules.predicate
def invited_to(user, gathering) -> bool:
    """Among the gathering's invitees (``selectors.gathering_invitees``, the one definition)."""
    if gathering is None or not role_scopes(user).municipal_roles:
        return False
    from .selectors import gathering_invitees  # selectors imports this module

    return any(invitee.person.pk == user.pk for invitee in gathering_invitees(gathering))


@rules.predicate
def took_part_in(user, gathering) -> bool:
    """Who evaluates a gathering: those recorded present, or the invitees while attendance is
    not recorded."""
    if gathering is None or not getattr(user, "is_authenticated", False):
        return False
    if gathering.attendance_recorded_at is None:
        return invited_to.test(user, gathering)
    return Attendance.objects.filter(gathering=gathering, person=user, present=True).exists()


# The facilitators, and the programme's project officer, who reads everything.
reads_attendance = runs_network_of | sees_network_of & officers_programme_of

rules.add_perm("sessions_app.view_gathering", sees_network_of | is_guest_of)
rules.add_perm("sessions_app.change_gathering", runs_network_of)
rules.add_perm("sessions_app.report_for_municipality", reports_for_member)
# Who answers and who evaluates are facts about the person, not permissions an administrator
# holds over everything (Django answers every has_perm of a superuser with yes): views ask
# these two predicates themselves, after the gathering's lookup.
answers_invitation = sees_network_of & invited_to
evaluates = sees_network_of & took_part_in
rules.add_perm("sessions_app.read_attendance", reads_attendance)
# Every network the user runs, side by side (its list: networks_changeable_by).
rules.add_perm(
    "sessions_app.view_facilitator_overview",
    network_rules.is_administrator | network_rules.is_facilitator,
)
