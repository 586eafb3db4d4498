"""Looking up a report request for a view: the one path (unseen is 404, seen but not allowed
is 403). A report's subject is looked up through its own app's lookup (networks.access)."""

from cemsdi_portal.core.access import visible_or_404

from . import rules as perms
from .models import ReportRequest


def report_or_404(request, pk, *, perm="reports.view_reportrequest") -> ReportRequest:
    visible = perms.report_requests_visible_to(request.user).select_related(
        "programme", "network", "municipality"
    )
    return visible_or_404(request, visible, pk, perm=perm)
