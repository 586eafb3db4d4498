"""The strategies' policy: who may read, write, comment on and move a strategy, and whether
its text is open. Every strategy rule is written here, once; services, views, templates and the
PDFs ask it.

* A draft is read by its municipality's own people (chief executive, mayor, staff) only, and
  only through a role that speaks for the municipality in the strategy's network: a role given
  through another network's invitation opens nothing here.
* A shared or adopted strategy is read by everyone who sees its network: the other member
  municipalities, the network's facilitators, the programme's project officer.
* The municipality's chief executive and staff write the sections and the action plan, and
  share, withdraw or adopt; the mayor and everyone else read. Once adopted, the sections'
  text stays as adopted until the strategy moves back to shared; the action plan stays open.
* The network's facilitators comment on the sections of a shared or adopted strategy.
* A comment's thread is answered, and marked resolved or reopened, by those who comment and by
  the municipality's editors (chief executive and staff), while the strategy is shared or
  adopted: the mayor and the project officer read.
* Administrators may do all of it.

Each predicate has its queryset twin; tests/strategies/test_rules.py checks that they agree.
A section or measure follows its strategy's rules.
"""

import rules
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from networks import rules as network_rules
from networks.models import Role, User
from networks.rules import role_scopes

from .models import Strategy

EDITOR_KINDS = (Role.Kind.CHIEF_EXECUTIVE, Role.Kind.MUNICIPAL_STAFF)


def strategies_visible_to(user) -> QuerySet[Strategy]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Strategy.objects.all()
    return Strategy.objects.filter(
        scopes.held_q()
        | Q(
            status__in=[Strategy.Status.SHARED, Strategy.Status.ADOPTED],
            network__in=network_rules.networks_visible_to(user),
        )
    )


def strategies_editable_by(user) -> QuerySet[Strategy]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Strategy.objects.all()
    return Strategy.objects.filter(scopes.held_q(kinds=EDITOR_KINDS))


def strategies_commentable_by(user) -> QuerySet[Strategy]:
    scopes = role_scopes(user)
    if scopes.is_administrator:
        # As for reading and editing: administrators may do all of it (and a superuser's
        # has_perm says yes to everything, so the twin must too).
        return Strategy.objects.all()
    return Strategy.objects.exclude(status=Strategy.Status.DRAFT).filter(
        network_id__in=scopes.facilitated_network_ids
    )


def strategies_answerable_by(user) -> QuerySet[Strategy]:
    shared = Strategy.objects.exclude(status=Strategy.Status.DRAFT)
    return strategies_commentable_by(user) | shared.filter(pk__in=strategies_editable_by(user))


# --- Who, for notices: the people a rule names for one strategy ------------------------------


def editors_of(strategy: Strategy) -> QuerySet[User]:
    """The people who edit the strategy: its municipality's chief executive and staff, through
    roles that count in its network (the twin of ``edits_strategy``, administrators aside)."""
    roles = Role.objects.filter(
        Q(granted_in__isnull=True) | Q(granted_in=strategy.network_id),
        kind__in=EDITOR_KINDS,
        municipality_id=strategy.municipality_id,
    )
    return User.objects.filter(is_active=True, pk__in=roles.values("user_id"))


def commenters_of(strategy: Strategy) -> QuerySet[User]:
    """The people who comment on the strategy once it is shared: its network's facilitators
    (administrators aside)."""
    roles = Role.objects.filter(kind=Role.Kind.FACILITATOR, network_id=strategy.network_id)
    return User.objects.filter(is_active=True, pk__in=roles.values("user_id"))


@rules.predicate
def reads_strategy(user, strategy) -> bool:
    if strategy is None:
        return False
    scopes = role_scopes(user)
    if scopes.is_administrator or scopes.holds_in(strategy.municipality_id, strategy.network_id):
        return True
    return strategy.status != Strategy.Status.DRAFT and network_rules.can_view_network.test(
        user, strategy.network
    )


@rules.predicate
def edits_strategy(user, strategy) -> bool:
    if strategy is None:
        return False
    scopes = role_scopes(user)
    return scopes.is_administrator or scopes.holds_in(
        strategy.municipality_id, strategy.network_id, kinds=EDITOR_KINDS
    )


def text_open(strategy) -> bool:
    """The one place that decides it: an adopted strategy's text is what its council adopted,
    and stays as it is until the strategy is moved back to shared. Its action plan stays open
    for updates. It holds for everyone, administrators included, so it is asked as itself
    beside ``change_strategy`` (a superuser's ``has_perm`` says yes to anything): services,
    views, the strategy page (``text_open`` in its context) and the PDF ask this."""
    return strategy.status != Strategy.Status.ADOPTED


# What a refused change of an adopted strategy's text says, wherever it is refused.
TEXT_CLOSED = gettext_lazy("The strategy is adopted: move it back to shared to change its text.")


@rules.predicate
def comments_on_strategy(user, strategy) -> bool:
    if strategy is None:
        return False
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return True
    return (
        strategy.status != Strategy.Status.DRAFT
        and strategy.network_id in scopes.facilitated_network_ids
    )


@rules.predicate
def answers_on_strategy(user, strategy) -> bool:
    """Replies in a comment thread, and marks it resolved or open again."""
    if strategy is None:
        return False
    if comments_on_strategy.test(user, strategy):
        return True
    return strategy.status != Strategy.Status.DRAFT and edits_strategy.test(user, strategy)


@rules.predicate
def starts_strategy_for(user, membership) -> bool:
    """Whoever edits a municipality's strategy in a network (``membership``: a
    NetworkMembership, saved or not) may start it."""
    if membership is None:
        return False
    scopes = role_scopes(user)
    return scopes.is_administrator or scopes.holds_in(
        membership.municipality_id, membership.network_id, kinds=EDITOR_KINDS
    )


rules.add_perm("strategies.view_strategy", reads_strategy)
rules.add_perm("strategies.change_strategy", edits_strategy)
rules.add_perm("strategies.comment_strategy", comments_on_strategy)
rules.add_perm("strategies.answer_strategy", answers_on_strategy)
rules.add_perm("strategies.start_strategy", starts_strategy_for)

# The Digital Local Agenda's priorities are reference data: every signed-in person may read
# what the codes on strategies and overviews mean.
rules.add_perm("strategies.view_dla_priorities", rules.is_authenticated)
