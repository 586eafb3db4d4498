"""The catalogue of key figures: every indicator, searched and filtered, each linked to its
page (hub/views.py). Indicators are public statistics: every signed-in person sees all of
them (access.py), as on the indicator's page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode

from networks.models import Country
from networks.selectors import person_countries

from .. import selectors
from ..sources import BY_COUNTRY, sources_for

QUERY_LENGTH = 200  # a longer search is cut, not refused


@login_required
def keyfigure_catalogue(request):
    query = " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]
    catalogue = selectors.indicator_catalogue(
        query=query,
        category=request.GET.get("category", "")[:100],
        source=request.GET.get("source", "")[:100],
        page=request.GET.get("page"),
    )
    kept = {
        key: value
        for key, value in (
            ("q", query),
            ("category", catalogue.category),
            ("source", catalogue.source),
        )
        if value
    }
    # The sources of the reader's countries; for someone of none (an administrator), all.
    countries = person_countries(request.user) or list(
        Country.objects.filter(code__in=BY_COUNTRY).order_by("name")
    )
    return render(
        request,
        "benchmarking/catalogue.html",
        {
            "sources": [(country, sources_for(country)) for country in countries],
            "catalogue": catalogue,
            "page": catalogue.page,
            "filtered": bool(kept),
            "query_string": urlencode(kept),
        },
    )
