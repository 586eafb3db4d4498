"""Who may ask for a report, and who may read one: whoever may read its subject.

* The programme review report (and the programme's outcome figures) shows every network of
  the programme, so it is read by those who see all of them: the programme's project officer
  and administrators. A facilitator or a municipality sees only its own networks.
* A network report: whoever sees the network (networks/rules.py).
* A strategy and action plan: whoever may read the strategy (strategies/rules.py: a draft only
  its municipality's people).
* A municipality's position in key figures: whoever sees the municipality (and the network it
  is compared with).

A report request is read (listed, downloaded) under its subject's rule, checked again at each
download, so a person who lost a role loses the report too. Each predicate has its queryset
twin; tests/reports/test_rules.py checks that they agree.
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from networks import rules as network_rules
from networks.models import NetworkMembership
from networks.rules import role_scopes
from strategies import rules as strategy_rules
from strategies.models import Strategy

from .models import NarrativeSection, ReportRequest

Kind = ReportRequest.Kind


@rules.predicate
def reads_programme_report(user, programme) -> bool:
    return programme is not None and (
        network_rules.is_administrator.test(user)
        or network_rules.officers_programme.test(user, programme)
    )


def strategy_of(*, network, municipality) -> Strategy | None:
    if network is None or municipality is None:
        return None
    return Strategy.objects.filter(network=network, municipality=municipality).first()


@rules.predicate
def reads_subject_of(user, report) -> bool:
    """May the user read what the report is about?"""
    if report is None:
        return False
    if report.kind == Kind.PROGRAMME:
        return reads_programme_report.test(user, report.programme)
    if report.kind == Kind.NETWORK:
        return network_rules.can_view_network.test(user, report.network)
    if report.kind == Kind.STRATEGY:
        strategy = strategy_of(network=report.network, municipality=report.municipality)
        return strategy_rules.reads_strategy.test(user, strategy)
    if report.network_id and not network_rules.can_view_network.test(user, report.network):
        return False
    return network_rules.can_view_municipality.test(user, report.municipality)


def report_requests_visible_to(user) -> QuerySet[ReportRequest]:
    """The requests whose subject the user may read (the twin of ``reads_subject_of``)."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return ReportRequest.objects.all()
    if scopes.is_nobody:
        return ReportRequest.objects.none()
    networks = network_rules.networks_visible_to(user)
    strategies = strategy_rules.strategies_visible_to(user).filter(
        network_id=OuterRef("network_id"), municipality_id=OuterRef("municipality_id")
    )
    return ReportRequest.objects.filter(
        Q(kind=Kind.PROGRAMME, programme_id__in=scopes.officer_programme_ids)
        | Q(kind=Kind.NETWORK, network__in=networks)
        | Q(Exists(strategies), kind=Kind.STRATEGY)
        | (
            Q(kind=Kind.POSITION, municipality__in=network_rules.municipalities_visible_to(user))
            & (Q(network__isnull=True) | Q(network__in=networks))
        )
    )


def report_requests_listed_for(user) -> QuerySet[ReportRequest]:
    """The reports page: the user's own requests, and for a project officer those about
    their programme (administrators: every request); only those the user may still read."""
    scopes = role_scopes(user)
    visible = report_requests_visible_to(user)
    if scopes.is_administrator:
        return visible
    officer = scopes.officer_programme_ids
    asked = ReportRequest.requesters.through.objects.filter(user_id=user.pk)
    in_programme = NetworkMembership.objects.filter(network__programme_id__in=officer)
    return visible.filter(
        Q(pk__in=asked.values("reportrequest_id"))
        | Q(programme_id__in=officer)
        | Q(network__programme_id__in=officer)
        | Q(network__isnull=True, municipality_id__in=in_programme.values("municipality_id"))
    )


rules.add_perm("reports.view_programme_report", reads_programme_report)
# The programme's coordinator (and administrators) set its reporting periods and targets.
rules.add_perm(
    "reports.plan_programme_review",
    network_rules.is_administrator | network_rules.coordinates_programme,
)
rules.add_perm("reports.view_reportrequest", reads_subject_of)
# Asking for a report needs the same as reading it: the subject.
rules.add_perm("reports.request_network_report", network_rules.can_view_network)
rules.add_perm("reports.request_strategy_report", strategy_rules.reads_strategy)
rules.add_perm("reports.request_position_report", network_rules.can_view_municipality)
# A failed report's technical error is for administrators; others read its reason in words.
rules.add_perm("reports.view_report_error", network_rules.is_administrator)


# --- The review report's narrative ------------------------------------------------------------
# The programme's coordinator writes the programme's sections, a network's facilitator that
# network's (of a network in the period's programme only), administrators both; the project
# officer reads and never writes. Whoever reads the programme report reads every section; a
# facilitator reads their own network's.


@rules.predicate
def writes_narrative(user, section) -> bool:
    """``section`` may be unsaved (a section not written yet): its period, network and kind
    say whose it is."""
    if section is None:
        return False
    programme = section.period.programme
    if section.network_id is None:
        return section.kind in NarrativeSection.PROGRAMME_KINDS and (
            network_rules.is_administrator.test(user)
            or network_rules.coordinates_programme.test(user, programme)
        )
    return (
        section.kind in NarrativeSection.NETWORK_KINDS
        and section.network.programme_id == programme.pk
        and (
            network_rules.is_administrator.test(user)
            or network_rules.facilitates_network.test(user, section.network)
        )
    )


@rules.predicate
def reads_narrative(user, section) -> bool:
    if section is None:
        return False
    if reads_programme_report.test(user, section.period.programme):
        return True
    return section.network_id is not None and network_rules.facilitates_network.test(
        user, section.network
    )


def narratives_visible_to(user) -> QuerySet[NarrativeSection]:
    """The twin of ``reads_narrative``."""
    scopes = role_scopes(user)
    if scopes.is_administrator:
        return NarrativeSection.objects.all()
    return NarrativeSection.objects.filter(
        Q(period__programme_id__in=scopes.officer_programme_ids)
        | Q(network_id__in=scopes.facilitated_network_ids)
    )


@rules.predicate
def reads_review(user, programme) -> bool:
    """The review workspace of a programme: its report's readers, and the facilitators of its
    networks (who see their own network's sections there)."""
    if programme is None:
        return False
    if reads_programme_report.test(user, programme):
        return True
    facilitated = role_scopes(user).facilitated_network_ids
    return bool(facilitated) and programme.networks.filter(pk__in=facilitated).exists()


rules.add_perm("reports.view_review", reads_review)
rules.add_perm("reports.view_narrative", reads_narrative)
rules.add_perm("reports.write_narrative", writes_narrative)


@rules.predicate
def coordinates_report_programme(user, report) -> bool:
    return report.programme_id is not None and network_rules.coordinates_programme(
        user, report.programme
    )


@rules.predicate
def reviews_report_programme(user, report) -> bool:
    """The programme's project officer; the coordinator reads but does not review."""
    return report.programme_id is not None and network_rules.reviews_programme(
        user, report.programme
    )


rules.add_perm(
    "reports.issue_report",
    reads_subject_of & (network_rules.is_administrator | coordinates_report_programme),
)
rules.add_perm("reports.review_report", reads_subject_of & reviews_report_programme)
