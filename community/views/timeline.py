"""A municipality's own timeline across networks and phases."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from networks.access import municipality_or_404

from .. import selectors


@login_required
def municipality_timeline(request, pk):
    """Whoever sees the municipality sees its timeline; the selector leaves out what the
    reader may not read (networks they do not see, strategies they may not read)."""
    municipality = municipality_or_404(request, pk)
    timeline = selectors.municipality_timeline(municipality=municipality, user=request.user)
    return render(request, "community/timeline.html", {"timeline": timeline})
