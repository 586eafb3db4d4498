"""Looking up strategies, sections and measures for a view: the one path for each kind
(unseen is 404, seen but not allowed is 403). A section or measure is judged by its strategy."""

from cemsdi_portal.core.access import part_or_404, visible_or_404

from . import rules as perms
from .models import Measure, Section, SectionComment, Strategy


def strategy_or_404(request, pk, *, perm="strategies.view_strategy") -> Strategy:
    visible = perms.strategies_visible_to(request.user).select_related(
        "network__programme", "municipality__country"
    )
    return visible_or_404(request, visible, pk, perm=perm)


def _parts(model, request):
    return model.objects.select_related(
        "strategy__network__programme", "strategy__municipality__country"
    ).filter(strategy__in=perms.strategies_visible_to(request.user))


def section_or_404(request, pk, *, perm="strategies.change_strategy") -> Section:
    return part_or_404(request, _parts(Section, request), pk, parent="strategy", perm=perm)


def measure_or_404(request, pk, *, perm="strategies.change_strategy") -> Measure:
    return part_or_404(request, _parts(Measure, request), pk, parent="strategy", perm=perm)


def comment_or_404(request, pk, *, perm="strategies.answer_strategy") -> SectionComment:
    """A comment, judged by its section's strategy."""
    comments = SectionComment.objects.select_related(
        "section__strategy__network__programme", "section__strategy__municipality__country"
    ).filter(section__strategy__in=perms.strategies_visible_to(request.user))
    return part_or_404(request, comments, pk, parent="strategy", perm=perm)
