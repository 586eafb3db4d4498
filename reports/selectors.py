"""Reads: the reports page's list. A fixed number of queries, whatever the number of rows."""

from django.db.models import QuerySet

from . import rules as perms
from .models import ReportRequest

LIST_LIMIT = 50


def reports_for_list(*, user, limit: int = LIST_LIMIT) -> list[ReportRequest]:
    """The user's requests (and for a project officer their programme's, for administrators
    everyone's) that the user may still read, newest first."""
    queryset: QuerySet[ReportRequest] = perms.report_requests_listed_for(user)
    return list(
        queryset.select_related("programme", "network", "municipality", "requested_by").order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def any_active(reports: list[ReportRequest]) -> bool:
    return any(report.is_active for report in reports)
