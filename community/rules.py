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
* Administrators may do all of it.

Each predicate has its queryset twin.
"""

import rules
from django.db.models import Q, QuerySet

from networks.models import Network
from networks.rules import programmes_visible_to, role_scopes
from strategies.models import Strategy
from strategies.rules import edits_strategy, strategies_editable_by

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
