"""Who may import key figures, and which. Reading them follows the municipality's and the
network's rules in networks/rules.py.

An import changes the figures every page compares against, so what a user may import is
decided on the whole file (its preview, ``imports.Preview``):

* An administrator (``is_staff``) may import any file: values of any municipality, reference
  values (the country, peer groups), new indicators, an indicator's better direction.
* A facilitator may import values of indicators already in the portal for the municipalities
  that are members of a network they facilitate (an invited municipality is not a member).
  A file that also carries anything else (another municipality's rows, reference values, a
  new indicator, another direction for an indicator) is refused as a whole, with a message
  naming what lies outside, and nothing is saved. New indicators and directions change every
  municipality's comparison, so they are an administrator's.
* Everyone else may not open the upload page (403) and is offered no link to it.

The ``import_keyfigures`` management command is the operators' and asks no one.
"""

import rules
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from networks.models import Municipality, NetworkMembership
from networks.rules import is_administrator, is_facilitator, role_scopes

NAMED = 10  # a refusal names at most this many municipalities, codes or indicators


def municipalities_importable_by(user) -> QuerySet[Municipality]:
    """Queryset twin: the municipalities whose key figures the user may import."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return Municipality.objects.all()
    members = NetworkMembership.objects.filter(network_id__in=scopes.facilitated_network_ids)
    return Municipality.objects.filter(pk__in=members.values("municipality_id"))


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:NAMED])
    if len(items) <= NAMED:
        return shown
    return _("%(shown)s and %(more)d more") % {"shown": shown, "more": len(items) - NAMED}


def _outside_municipalities(user, preview) -> list[str]:
    wanted = preview.municipality_ids
    if not wanted:
        return []
    allowed = set(
        municipalities_importable_by(user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    outside = Municipality.objects.filter(pk__in=wanted - allowed).order_by("code")
    return [f"{name} ({code})" for name, code in outside.values_list("name", "code")]


def import_refusals(user, preview) -> list[str]:
    """Why the user may not import this previewed file: one message per reason, none when
    they may (see the module's docstring)."""
    if role_scopes(user).is_administrator:
        return []
    if not role_scopes(user).is_facilitator:
        return [_("Only facilitators and administrators may import key figures.")]
    refusals = []
    outside = _outside_municipalities(user, preview)
    if outside:
        refusals.append(
            ngettext(
                "%(count)d municipality in the file is not a member of a network you "
                "facilitate: %(names)s. Remove its rows, or ask an administrator to import "
                "the file.",
                "%(count)d municipalities in the file are not members of a network you "
                "facilitate: %(names)s. Remove their rows, or ask an administrator to import "
                "the file.",
                len(outside),
            )
            % {"count": len(outside), "names": _listed(outside)}
        )
    if preview.reference_codes:
        refusals.append(
            _(
                "The file has reference values (%(codes)s), which every municipality is "
                "compared with: only an administrator imports them. Remove those rows."
            )
            % {"codes": _listed(preview.reference_codes)}
        )
    if preview.indicators_new:
        refusals.append(
            _(
                "The file has indicators the portal does not have yet (%(codes)s): only an "
                "administrator adds indicators."
            )
            % {"codes": _listed(preview.indicators_new)}
        )
    if preview.directions_changed:
        refusals.append(
            _(
                "Which direction is better is set for every municipality: only an "
                "administrator changes it (%(codes)s). Leave the question unanswered."
            )
            % {"codes": _listed(preview.directions_changed)}
        )
    return refusals


@rules.predicate
def may_import_file(user, preview) -> bool:
    return preview is not None and not import_refusals(user, preview)


rules.add_perm("benchmarking.import_keyfigures", is_administrator | is_facilitator)
rules.add_perm("benchmarking.import_keyfigures_file", may_import_file)


# Statistics feeds (feeds.py): connectors to the statistics offices change every comparison,
# so they are configured, fetched and applied by administrators only. Their queryset twin:
def feeds_visible_to(user):
    from .feed_models import StatisticsFeed

    if role_scopes(user).is_administrator:
        return StatisticsFeed.objects.all()
    return StatisticsFeed.objects.none()


rules.add_perm("benchmarking.manage_feeds", is_administrator)
# --- A person's own comparison sets ---------------------------------------------------------
# A saved set is its owner's alone: nobody else sees it, changes it or compares with it, not
# even an administrator or a colleague of the same municipality (they get 404, as for an
# object that does not exist). Any signed-in person may save sets.


def comparison_sets_of(user) -> QuerySet:
    """Queryset twin of ``owns_comparison_set``: the sets the user owns."""
    from .models import ComparisonSet

    if not user.is_authenticated:
        return ComparisonSet.objects.none()
    return ComparisonSet.objects.filter(owner_id=user.pk)


@rules.predicate
def owns_comparison_set(user, comparison_set) -> bool:
    return (
        comparison_set is not None and user.is_authenticated and comparison_set.owner_id == user.pk
    )


rules.add_perm("benchmarking.add_comparisonset", rules.is_authenticated)
rules.add_perm("benchmarking.change_comparisonset", owns_comparison_set)
rules.add_perm("benchmarking.delete_comparisonset", owns_comparison_set)
