"""Pages that span the apps: the home page of each person, and an indicator's ranking with
"learn from the best", which shows the best performers' practices and links their shared
action plans."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from benchmarking.access import indicator_or_404
from benchmarking.forms import year_asked

from . import selectors


@login_required
def home(request):
    return render(request, "hub/home.html", {"page": selectors.home_page(user=request.user)})


@login_required
def indicator_detail(request, pk):
    indicator = indicator_or_404(request, pk)
    page = selectors.indicator_page(
        user=request.user, indicator=indicator, year=year_asked(request.GET)
    )
    return render(request, "benchmarking/indicator_detail.html", page)
