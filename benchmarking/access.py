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
