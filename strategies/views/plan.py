"""The action plan: the list with filters and sorting, the timeline, exports, measures."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from benchmarking import charts, exports
from cemsdi_portal.core.forms import form_errors_from

from .. import selectors, services
from ..access import measure_or_404, strategy_or_404
from ..exports import action_plan_sheet
from ..forms import MeasureForm, PlanFilterForm


def _plan(request, strategy):
    """The plan as filtered and sorted by the query string; bad parameters are ignored."""
    unfiltered = selectors.action_plan(strategy=strategy)
    form = PlanFilterForm(request.GET or None, sections=unfiltered.sections,
                          owners=unfiltered.owners)  # fmt: skip
    if not form.is_valid():
        return unfiltered, PlanFilterForm(sections=unfiltered.sections, owners=unfiltered.owners)
    data = form.cleaned_data
    plan_filter = selectors.PlanFilter(
        status=data["status"],
        section=data["section"] or None,
        owner=data["owner"] or None,
        overdue=data["overdue"],
        sort=data["sort"] or "due",
    )
    return selectors.action_plan(strategy=strategy, plan_filter=plan_filter), form


@login_required
def action_plan(request, pk):
    strategy = strategy_or_404(request, pk)
    plan, form = _plan(request, strategy)
    selectors.with_practices(plan, reader=request.user)
    return render(
        request,
        "strategies/action_plan.html",
        {"strategy": strategy, "plan": plan, "filter_form": form, "query": request.GET.urlencode()},
    )


@login_required
def action_plan_timeline(request, pk):
    strategy = strategy_or_404(request, pk)
    plan, form = _plan(request, strategy)
    chart = charts.timeline(
        [(r.measure.title, r.measure.starts_on, r.measure.due_on, r.overdue) for r in plan.rows],
        today=timezone.localdate(),
        label=_("Measures of the action plan from start to due date"),
    )
    return render(
        request,
        "strategies/action_plan_timeline.html",
        {"strategy": strategy, "plan": plan, "chart": chart, "filter_form": form,
         "query": request.GET.urlencode()},
    )  # fmt: skip


@login_required
def action_plan_export(request, pk, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    strategy = strategy_or_404(request, pk)
    plan, _form = _plan(request, strategy)
    name = slugify(strategy.municipality.name, allow_unicode=True) or strategy.pk
    return exports.download(action_plan_sheet(plan), fmt, f"action-plan-{name}")


def _measure_form(request, strategy, measure=None):
    """Add a measure to the strategy's action plan, or change one."""
    # On a copy: the service logs the stored values against the new ones.
    form = MeasureForm(request.POST or None, instance=copy(measure), strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(strategy=strategy, measure=measure, data=form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if measure is None:
                messages.success(request, _("The measure is added to the action plan."))
            else:
                messages.success(request, _("The measure is saved."))
            return redirect("action_plan", pk=strategy.pk)
    return render(
        request,
        "strategies/measure_form.html",
        {
            "strategy": strategy,
            "form": form,
            "measure": measure,
            "figure": selectors.measure_figure(measure=measure) if measure else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request, pk):
    return _measure_form(request, strategy_or_404(request, pk, perm="strategies.change_strategy"))


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk):
    measure = measure_or_404(request, pk)
    return _measure_form(request, measure.strategy, measure)


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request, pk):
    """Remove a measure, after asking."""
    measure = measure_or_404(request, pk)
    if request.method == "POST":
        services.measure_delete(measure=measure)
        messages.success(
            request, _("The measure “%(title)s” is removed.") % {"title": measure.title}
        )
        return redirect("action_plan", pk=measure.strategy_id)
    return render(
        request,
        "strategies/confirm_delete.html",
        {
            "strategy": measure.strategy,
            "question": _("Remove the measure “%(title)s”?") % {"title": measure.title},
            "detail": _("It cannot be brought back."),
            "cancel": reverse("measure_edit", kwargs={"pk": measure.pk}),
        },
    )
