"""Reads: the reports page's list. A fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from . import rules as perms
from .models import NarrativeSection, ReportRequest

LIST_LIMIT = 50


def reports_for_list(*, user, limit: int = LIST_LIMIT) -> list[ReportRequest]:
    """The user's requests (and for a project officer their programme's, for administrators
    everyone's) that the user may still read, newest first."""
    queryset: QuerySet[ReportRequest] = perms.report_requests_listed_for(user)
    return list(
        queryset.select_related(
            "programme", "network", "municipality", "requested_by", "period"
        ).order_by("-created_at", "-pk")[:limit]
    )


def any_active(reports: list[ReportRequest]) -> bool:
    return any(report.is_active for report in reports)


@dataclass
class NarrativeRow:
    """A section of the review workspace: the programme's (network None) or a network's, with
    its texts in each language written and whether the user may write it."""

    network: object
    kind: str
    label: str
    sections: list = field(default_factory=list)
    can_write: bool = False

    @property
    def last_change(self):
        dated = [s for s in self.sections if s.updated_at]
        return max(dated, key=lambda s: s.updated_at) if dated else None


def review_workspace(*, user, period) -> list[NarrativeRow]:
    """The period's sections the user may read, in the report's order (the programme's, then
    each network's); two queries whatever the number of networks and texts."""

    programme = period.programme
    networks = list(programme.networks.order_by("name"))
    readable = perms.narratives_visible_to(user).filter(period=period)
    stored: dict = {}
    for section in readable.select_related("updated_by").order_by("language"):
        stored.setdefault((section.network_id, section.kind), []).append(section)
    rows = []
    scopes: list = []
    if perms.reads_programme_report.test(user, programme):
        scopes.append(None)
        scopes.extend(networks)
    else:
        scopes.extend(n for n in networks if perms.network_rules.facilitates_network.test(user, n))
    labels = dict(NarrativeSection.Kind.choices)
    for network in scopes:
        kinds = (
            NarrativeSection.PROGRAMME_KINDS if network is None else NarrativeSection.NETWORK_KINDS
        )
        for kind in kinds:
            probe = NarrativeSection(period=period, network=network, kind=kind)
            rows.append(
                NarrativeRow(
                    network=network,
                    kind=kind,
                    label=labels[kind],
                    sections=stored.get((getattr(network, "pk", None), kind), []),
                    can_write=perms.writes_narrative.test(user, probe),
                )
            )
    return rows
