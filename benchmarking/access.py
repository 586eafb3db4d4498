"""Looking up key-figure objects for a view: the one path for each kind. Indicators are public
statistics: every signed-in person sees each of them (what a page shows of municipalities is
limited by networks/rules.py)."""

from django.http import Http404

from .models import Indicator


def indicator_or_404(request, pk) -> Indicator:
    indicator = Indicator.objects.filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


def comparison_set_or_404(request, pk, *, perm="benchmarking.change_comparisonset"):
    """One of the user's own comparison sets; anyone else's is 404 (rules.py)."""
    from cemsdi_portal.core.access import visible_or_404

    from .rules import comparison_sets_of

    return visible_or_404(request, comparison_sets_of(request.user), pk, perm=perm)
