"""The community's policy: who reads, publishes, curates and adopts practices, and who finds
and invites experts. Every community rule is written here, once; services, views, templates and
the PDFs ask it.

* A practice is read where its strategy may be read across the programme: by everyone who
  takes part in the strategy's programme, in any country, once the strategy is shared or
  adopted. A practice of a draft strategy is read by its municipality's own people only
  (through a role that speaks for the municipality in the strategy's network), never outside.
* A measure or section is published as a practice, and the practice edited, by the editors
  of its strategy (the municipality's chief executive and staff).
* The facilitators of any network of the practice's programme curate it: feature, merge a
  duplicate, retire and bring back.
* A practice is adopted by whoever reads it and edits an action plan of another municipality;
  never into its own municipality's plans.
* The person named as contact agrees to be asked on a page of their own.
* An expert (``ExpertProfile``) is found by people who share a programme with them: the
  reader and the expert must each take part in one same programme (through a network they see
  or facilitate, a municipal role that counts in one of its networks, or as its project
  officer). Only listed profiles of active accounts are found; an expert reads their own
  profile, listed or not. Anyone who takes part in a programme may opt in and find experts,
  in any country. Administrators find every listed expert who takes part in a programme.
* A speaker invitation is read by its expert and by whoever runs the gathering's network
  (its facilitators, administrators); it is answered (accepted or declined) by its expert
  alone, never for them, and withdrawn by whoever runs the network. A facilitator invites to
  the gatherings of the networks they run, only listed experts they find.
* An accepted invitation makes its expert a guest of the gathering: its page, agenda and
  materials (``sessions_app/hooks.py``, filled by ``CommunityConfig.ready``), not its
  network's pages. A sent, declined or withdrawn one gives nothing.
* Administrators may do all of it, except answering for an expert.

Each predicate has its queryset twin.
"""

import rules
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from networks import rules as network_rules
from networks.models import Network, NetworkMembership, Programme, Role
from networks.rules import (
    can_change_network,
    networks_changeable_by,
    programmes_visible_to,
    role_scopes,
)
from sessions_app.models import Gathering
from strategies.models import Strategy
from strategies.rules import edits_strategy, strategies_editable_by

from .models import ExpertProfile, Practice, SpeakerInvitation

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
# --- The library: who finds, publishes, curates and adopts practices ---------------------------


@rules.predicate
def takes_part_anywhere(user) -> bool:
    """Whoever holds a role in the programme (facilitator, project officer, a municipal role)
    or is an administrator reads the library; asked from the roles already loaded, so the
    navigation asks it on every page without a query of its own."""
    return not role_scopes(user).is_nobody


def practices_editable_by(user) -> QuerySet[Practice]:
    """Practices the user publishes and edits: those of the strategies they edit."""
    return Practice.objects.filter(strategy__in=strategies_editable_by(user))


@rules.predicate
def publishes_from_strategy(user, strategy) -> bool:
    """A measure or section of the strategy is published (and its practice edited) by the
    strategy's editors: the municipality's chief executive and staff."""
    return edits_strategy.test(user, strategy)


@rules.predicate
def edits_practice(user, practice) -> bool:
    return practice is not None and edits_strategy.test(user, practice.strategy)


def practices_curatable_by(user) -> QuerySet[Practice]:
    """Practices the user curates: those of the programmes of the networks they facilitate."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Practice.objects.all()
    return Practice.objects.filter(
        strategy__network__programme__networks__in=scopes.facilitated_network_ids
    ).distinct()


@rules.predicate
def curates_practice(user, practice) -> bool:
    if practice is None:
        return False
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return True
    if not scopes.facilitated_network_ids:
        return False
    return Network.objects.filter(
        pk__in=scopes.facilitated_network_ids, programme_id=practice.strategy.network.programme_id
    ).exists()


def plans_to_adopt_into(user, practice) -> QuerySet[Strategy]:
    """The action plans the user may take the practice up into: the strategies they edit, of
    another municipality than the practice's (the twin of ``adopts_practice``)."""
    return (
        strategies_editable_by(user)
        .exclude(municipality_id=practice.municipality_id)
        .select_related("municipality", "network")
        .order_by("municipality__name", "network__name")
    )


@rules.predicate
def adopts_practice(user, practice) -> bool:
    """Reads the practice, and edits an action plan of another municipality."""
    if practice is None or practice.state != Practice.State.PUBLISHED:
        return False
    if not sees_practice.test(user, practice):
        return False
    return plans_to_adopt_into(user, practice).exists()


@rules.predicate
def is_named_contact(user, practice) -> bool:
    """The person named as the practice's contact, who agrees (or not) to be asked."""
    return practice is not None and user.is_authenticated and practice.contact_id == user.pk


rules.add_perm("community.view_library", takes_part_anywhere)
rules.add_perm("community.publish_practice", publishes_from_strategy)
rules.add_perm("community.change_practice", edits_practice)
rules.add_perm("community.curate_practice", curates_practice)
rules.add_perm("community.adopt_practice", adopts_practice)
rules.add_perm("community.agree_contact", is_named_contact)


# --- Experts ----------------------------------------------------------------------------------


def programmes_taken_part_in(user) -> QuerySet[Programme]:
    """The programmes the user takes part in through their own roles (being an administrator
    is not taking part): ``programmes_visible_to`` without the administrator's everything."""
    scopes = role_scopes(user)
    if scopes.is_nobody or not (
        scopes.facilitated_network_ids or scopes.officer_programme_ids or scopes.municipal_roles
    ):
        return Programme.objects.none()
    networks = Network.objects.filter(
        Q(pk__in=scopes.facilitated_network_ids)
        | Q(
            state__in=Network.OPEN_STATES,
            pk__in=network_rules.memberships_spoken_for(user).values("network_id"),
        )
    )
    return Programme.objects.filter(
        Q(pk__in=scopes.officer_programme_ids) | Q(pk__in=networks.values("programme_id"))
    )


def people_taking_part_in(programmes: QuerySet[Programme]) -> QuerySet:
    """The twin of ``programmes_taken_part_in``, read the other way: the accounts that take
    part in one of ``programmes``, as a queryset of users (the same three ways in)."""
    open_networks = Network.objects.filter(programme__in=programmes, state__in=Network.OPEN_STATES)
    officer = Role.objects.filter(
        user=OuterRef("pk"), kind=Role.Kind.PROJECT_OFFICER, programme__in=programmes
    )
    facilitator = Role.objects.filter(
        user=OuterRef("pk"), kind=Role.Kind.FACILITATOR, network__programme__in=programmes
    )
    # A municipal role given by an administrator counts in every network of its municipality.
    everywhere = Role.objects.filter(
        user=OuterRef("pk"),
        kind__in=Role.MUNICIPAL_KINDS,
        granted_in__isnull=True,
        municipality__in=NetworkMembership.objects.filter(network__in=open_networks).values(
            "municipality_id"
        ),
    )
    # One given through a network's invitation counts there, once the municipality is a member.
    granted = NetworkMembership.objects.filter(
        network__in=open_networks,
        network__granted_roles__user=OuterRef("pk"),
        network__granted_roles__kind__in=Role.MUNICIPAL_KINDS,
        network__granted_roles__municipality=F("municipality"),
    )
    return get_user_model().objects.filter(
        Exists(officer) | Exists(facilitator) | Exists(everywhere) | Exists(granted)
    )


def experts_visible_to(user) -> QuerySet[ExpertProfile]:
    """Listed experts of active accounts who share a programme with the reader, and the
    reader's own profile."""
    scopes = role_scopes(user)
    if scopes.is_nobody:
        return ExpertProfile.objects.none()
    programmes = Programme.objects.all() if scopes.is_administrator else None
    if programmes is None:
        programmes = programmes_taken_part_in(user)
    return ExpertProfile.objects.filter(
        Q(user=user)
        | Q(
            listed=True,
            user__is_active=True,
            user__in=people_taking_part_in(programmes).values("pk"),
        )
    )


@rules.predicate
def sees_expert(user, profile) -> bool:
    if profile is None or not getattr(user, "is_authenticated", False):
        return False
    if profile.user_id == user.pk:
        return user.is_active
    if not (profile.listed and profile.user.is_active):
        return False
    scopes = role_scopes(user)
    if scopes.is_nobody:
        return False
    theirs = programmes_taken_part_in(profile.user)
    if scopes.is_administrator:
        return theirs.exists()
    return theirs.filter(pk__in=programmes_taken_part_in(user).values("pk")).exists()


@rules.predicate
def takes_part_in_a_programme(user) -> bool:
    """Who may opt in as an expert and use the directory."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return True
    return not scopes.is_nobody and programmes_taken_part_in(user).exists()


# --- Speaker invitations ------------------------------------------------------------------


def gatherings_inviting_speakers(user) -> QuerySet[Gathering]:
    """The gatherings the user may invite a speaker to: of the networks they run (not a
    withdrawn one), neither cancelled nor begun."""
    from django.utils import timezone

    return Gathering.objects.filter(
        network__in=network_rules.networks_changeable_by(user).exclude(
            state=Network.State.WITHDRAWN
        ),
        cancelled_at__isnull=True,
        starts_at__gt=timezone.now(),
    )


@rules.predicate
def invites_speakers_to(user, gathering) -> bool:
    """Runs the gathering's network; whether the gathering is still ahead is the service's
    (a message on the form), not a permission."""
    if gathering is None:
        return False
    return network_rules.can_change_network.test(user, gathering.network)


@rules.predicate
def invites_speakers(user) -> bool:
    """May invite someone at all: runs a network (the expert's page offers the form)."""
    scopes = role_scopes(user)
    return scopes.is_administrator or scopes.is_facilitator


def speaker_invitations_visible_to(user) -> QuerySet[SpeakerInvitation]:
    scopes = role_scopes(user)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return SpeakerInvitation.objects.none()
    if scopes.is_administrator:
        return SpeakerInvitation.objects.all()
    return SpeakerInvitation.objects.filter(
        Q(expert=user) | Q(gathering__network_id__in=scopes.facilitated_network_ids)
    )


@rules.predicate
def is_invited_expert(user, invitation) -> bool:
    """The expert of the invitation: the only one who answers it (a fact about the person,
    not a permission an administrator holds, so views ask it themselves)."""
    return (
        invitation is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and invitation.expert_id == user.pk
    )


@rules.predicate
def runs_gathering_of_invitation(user, invitation) -> bool:
    return invitation is not None and network_rules.can_change_network.test(
        user, invitation.gathering.network
    )


sees_speaker_invitation = is_invited_expert | runs_gathering_of_invitation


def guest_gathering_ids(user) -> QuerySet:
    """The twin of ``speaks_at``: the gatherings whose accepted speaker the user is."""
    return SpeakerInvitation.objects.filter(
        expert=user, expert__is_active=True, state=SpeakerInvitation.State.ACCEPTED
    ).values("gathering_id")


def speaks_at(user, gathering) -> bool:
    """An accepted speaker of the gathering (sessions_app asks it through its hook)."""
    return SpeakerInvitation.objects.filter(
        expert=user, gathering=gathering, state=SpeakerInvitation.State.ACCEPTED
    ).exists()


rules.add_perm("community.view_expertprofile", sees_expert)
rules.add_perm("community.be_expert", takes_part_in_a_programme)
rules.add_perm("community.view_experts", takes_part_in_a_programme)
rules.add_perm("community.invite_speaker", invites_speakers_to)
rules.add_perm("community.invite_speakers", invites_speakers)
rules.add_perm("community.view_speakerinvitation", sees_speaker_invitation)
rules.add_perm("community.withdraw_speakerinvitation", runs_gathering_of_invitation)
