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


def feed_or_404(request, pk):
    """A statistics feed: administrators only; for everyone else it does not exist (404)."""
    from cemsdi_portal.core.access import visible_or_404

    from .rules import feeds_visible_to

    return visible_or_404(
        request, feeds_visible_to(request.user), pk, perm="benchmarking.manage_feeds"
    )


def feed_run_or_404(request, pk):
    from .feed_models import FeedRun
    from .rules import feeds_visible_to

    run = (
        FeedRun.objects.filter(pk=pk, feed__in=feeds_visible_to(request.user))
        .select_related("feed")
        .defer("data")
        .first()
    )
    if run is None:
        raise Http404
    return run


def comparison_set_or_404(request, pk, *, perm="benchmarking.change_comparisonset"):
    """One of the user's own comparison sets; anyone else's is 404 (rules.py)."""
    from cemsdi_portal.core.access import visible_or_404

    from .rules import comparison_sets_of

    return visible_or_404(request, comparison_sets_of(request.user), pk, perm=perm)
