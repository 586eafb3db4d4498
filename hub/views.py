"""Pages that span the apps: the home page of each person, and an indicator's ranking with
"learn from the best", which links the best performers' shared action plans."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from benchmarking import charts, pages
from benchmarking import selectors as keyfigures
from benchmarking.access import indicator_or_404
from benchmarking.forms import year_asked
from networks.rules import municipalities_visible_to, networks_visible_to, role_scopes
from strategies.selectors import shared_plans

from . import selectors


@login_required
def home(request):
    return render(request, "hub/home.html", {"page": selectors.home_page(user=request.user)})


@login_required
def indicator_detail(request, pk):
    indicator = indicator_or_404(request, pk)
    decimals = indicator.decimals
    visible = municipalities_visible_to(request.user)
    ranking = keyfigures.indicator_ranking(
        indicator=indicator, municipalities=visible, year=year_asked(request.GET)
    )
    own_ids = role_scopes(request.user).municipality_ids

    def line(municipality, value, rank, percentile):
        return pages.RankingLine(
            municipality=municipality,
            value=charts.format_number(value, decimals),
            missing=""
            if value is not None
            else pages.missing_reason(ranking.statuses.get(municipality.pk, "")),
            rank=rank,
            percentile=charts.format_number(percentile, 0),
            is_own=municipality.pk in own_ids,
        )

    subject = None
    if own_ids:
        subject = visible.filter(pk__in=own_ids).select_related("country").order_by("name").first()
    if subject is None and ranking.rows:
        subject = ranking.rows[0][0]
    chart = network = None
    caption = ""
    series = []
    if subject is not None:
        series = keyfigures.indicator_series(indicator=indicator, municipality=subject)
    if any(value is not None for _year, value in series):  # nothing to draw beside otherwise
        # The network the chart's median is of: the subject's first one the user sees, as
        # on the municipality's own page (benchmarking/views/position.py).
        network = (
            networks_visible_to(request.user)
            .filter(memberships__municipality=subject)
            .order_by("planned_start", "name")
            .first()
        )
        medians = keyfigures.series_medians(
            indicator_ids=[indicator.pk], municipality=subject, network=network
        )[indicator.pk]
        chart = pages.over_time_chart(
            indicator=indicator,
            municipality=subject,
            series=series,
            medians=medians,
            network=network,
            year=ranking.year,
        )
        caption = pages.over_time_caption(municipality=subject, medians=medians, network=network)
    best = [
        pages.BestOf(
            str(learning_set.kind),
            learning_set.name,
            [
                line(*row)
                for row in keyfigures.best_performers(ranking, among=learning_set.member_ids)
            ],
        )
        for learning_set in keyfigures.learning_sets(user=request.user)
    ]
    plans = shared_plans(
        user=request.user, municipality_ids={b.municipality.pk for s in best for b in s.lines}
    )
    for best_line in (b for s in best for b in s.lines):
        best_line.strategy_id = plans.get(best_line.municipality.pk)
    return render(
        request,
        "benchmarking/indicator_detail.html",
        {
            "indicator": indicator,
            "ranking": ranking,
            "lines": [line(*row) for row in ranking.rows],
            "references": [
                (
                    ref.area_name,
                    charts.format_number(ref.value, decimals),
                    "" if ref.value is not None else pages.missing_reason(ref.status),
                )
                for ref in ranking.references
            ],
            "subject": subject,
            "chart": chart,
            "caption": caption,
            "best": best,
        },
    )
