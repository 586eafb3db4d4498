"""Looking strategies, sections and measures up: unseen is 404, seen but not allowed 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cemsdi_portal.core.access import visible_or_404

from .. import rules as perms
from ..models import Measure, Section


def strategy_or_404(request, pk, *, perm="strategies.view_strategy"):
    visible = perms.strategies_visible_to(request.user).select_related(
        "network__programme", "municipality"
    )
    return visible_or_404(request, visible, pk, perm=perm)


def _part_or_404(request, model, pk, perm):
    """A section or measure of a strategy the user sees, if they may ``perm`` that strategy."""
    part = (
        model.objects.select_related("strategy__network__programme", "strategy__municipality")
        .filter(strategy__in=perms.strategies_visible_to(request.user), pk=pk)
        .first()
    )
    if part is None:
        raise Http404
    if not request.user.has_perm(perm, part.strategy):
        raise PermissionDenied
    return part


def section_or_404(request, pk, *, perm="strategies.change_strategy") -> Section:
    return _part_or_404(request, Section, pk, perm)


def measure_or_404(request, pk, *, perm="strategies.change_strategy") -> Measure:
    return _part_or_404(request, Measure, pk, perm)
