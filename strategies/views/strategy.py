"""The network's strategy overview, starting a strategy, its page, its language and its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from
from networks.access import network_or_404
from networks.models import NetworkMembership

from .. import rules as perms
from .. import selectors, services
from ..access import strategy_or_404
from ..forms import LanguageForm, SectionAddForm, StatusForm


@login_required
def network_strategies(request, pk):
    """Per member: status, sections written, measures done and late, DLA priorities."""
    network = network_or_404(request, pk, perm="networks.view_network")
    overview = selectors.network_overview(network=network, user=request.user)
    startable = [
        row.municipality
        for row in overview.rows
        if row.strategy is None
        and request.user.has_perm(
            "strategies.start_strategy",
            NetworkMembership(network=network, municipality=row.municipality),
        )
    ]
    return render(
        request,
        "strategies/network_strategies.html",
        {"network": network, "overview": overview, "startable": startable},
    )


@login_required
@require_POST
def strategy_start(request, pk, municipality_pk):
    network = network_or_404(request, pk, perm="networks.view_network")
    membership = get_object_or_404(
        network.memberships.select_related("municipality"), municipality_id=municipality_pk
    )
    municipality = membership.municipality
    if not request.user.has_perm("strategies.start_strategy", membership):
        raise PermissionDenied
    try:
        strategy = services.strategy_start(
            network=network, municipality=municipality, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("network_strategies", pk=network.pk)
    messages.success(
        request,
        _("The strategy is started, and today's key figures are kept as its baseline."),
    )
    return redirect("strategy_detail", pk=strategy.pk)


@login_required
def strategy_detail(request, pk):
    strategy = strategy_or_404(request, pk)
    return render(
        request,
        "strategies/strategy_detail.html",
        {
            "page": selectors.strategy_page(strategy=strategy),
            "strategy": strategy,
            "text_open": perms.text_open(strategy),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request, pk):
    """The language the strategy is written in."""
    strategy = strategy_or_404(request, pk, perm="strategies.change_strategy")
    form = LanguageForm(request.POST or None, initial={"language": strategy.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_set_language(
                strategy=strategy, language=form.cleaned_data["language"]
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The strategy's language is saved."))
            return redirect("strategy_detail", pk=strategy.pk)
    return render(request, "strategies/strategy_edit.html", {"strategy": strategy, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def strategy_status(request, pk):
    strategy = strategy_or_404(request, pk, perm="strategies.change_strategy")
    form = StatusForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_set_status(strategy=strategy, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The strategy's status is changed."))
            return redirect("strategy_detail", pk=strategy.pk)
    history = strategy.status_changes.select_related("changed_by")
    return render(
        request,
        "strategies/status_form.html",
        {"strategy": strategy, "form": form, "history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_add(request, pk):
    strategy = strategy_or_404(request, pk, perm="strategies.change_strategy")
    if not perms.text_open(strategy):
        messages.warning(request, perms.TEXT_CLOSED)
        return redirect("strategy_detail", pk=strategy.pk)
    form = SectionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_add(
                strategy=strategy, title=form.cleaned_data["title"], user=request.user
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return redirect("section_edit", pk=section.pk)
    return render(request, "strategies/section_add.html", {"strategy": strategy, "form": form})
