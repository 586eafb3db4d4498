"""Scheduling a network, the gathering page, moving or cancelling one gathering, its summary
and invitations, and the facilitator's overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from
from cemsdi_portal.core.views import markdown_preview
from networks import rules as network_rules
from networks.access import network_or_404
from networks.countries import network_zone
from networks.selectors import zone_named

from .. import rules as perms
from .. import selectors, services
from ..access import gathering_or_404
from ..forms import (
    AcceptWarningForm,
    AgendaItemForm,
    AssignmentForm,
    GatheringCancelForm,
    GatheringMoveForm,
    GatheringRowForm,
    MaterialForm,
    ScheduleFormSet,
    SummaryForm,
)


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request, pk):
    network = network_or_404(request, pk, perm="networks.change_network")
    zone = network_zone(network)
    proposal = selectors.schedule_proposal(network=network)
    formset = ScheduleFormSet(
        request.POST or None,
        initial=[GatheringRowForm.initial_from(draft, zone=zone) for draft in proposal],
        prefix="gathering",
        network=network,
    )
    warning = None
    accept = AcceptWarningForm(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        warning = services.schedule_warning(formset.drafts, network=network)
        accept = AcceptWarningForm(request.POST, warning=warning)
        if accept.is_valid():
            services.gathering_schedule(network=network, drafts=formset.drafts)
            messages.success(request, _("The four gatherings are scheduled."))
            return redirect("network_gatherings", pk=network.pk)
    return render(
        request,
        "sessions_app/schedule.html",
        {
            "network": network,
            "formset": formset,
            # Each row with the proposal's note on its day (a holiday it avoided), if any.
            "rows": [
                (form, proposal[index].note if index < len(proposal) else "")
                for index, form in enumerate(formset.forms)
            ],
            "accept": accept,
            "warning": warning,
            "is_new": not network.gatherings.exists(),
        },
    )


@login_required
def network_gatherings(request, pk):
    network = network_or_404(request, pk, perm="networks.view_network")
    training = selectors.network_gatherings(network=network)
    return render(
        request,
        "sessions_app/network_gatherings.html",
        {
            "network": network,
            "training": training,
            "members": selectors.municipality_training(network=network, training=training),
            "zone_named": zone_named(network=network, user=request.user),
            "can_change": request.user.has_perm("networks.change_network", network),
        },
    )


@login_required
def facilitator_overview(request):
    if not request.user.has_perm("sessions_app.view_facilitator_overview"):
        raise PermissionDenied
    networks = list(
        network_rules.networks_changeable_by(request.user)
        .select_related("region")
        .order_by("planned_start", "name")
    )
    training = selectors.network_training(network_ids=[n.pk for n in networks])
    rows = [(network, training[network.pk]) for network in networks]
    return render(request, "sessions_app/facilitator_overview.html", {"rows": rows})


def gathering_context(request, page, **extra):
    gathering = page.gathering
    user = request.user
    can_change = user.has_perm("sessions_app.change_gathering", gathering)
    can_answer = page.answers_open and page.mine is not None
    can_evaluate = page.evaluation_open and perms.evaluates.test(user, gathering)
    context = {
        "page": page,
        "gathering": gathering,
        "network": gathering.network,
        # The zone of the times, said when it is not the reader's own.
        "zone_named": zone_named(network=gathering.network, user=user),
        "can_change": can_change,
        # A guest (an invited speaker from outside the network) sees the gathering, not the
        # network: its pages, the members' attendance and assignments are left out.
        "is_guest": not perms.sees_network_of.test(user, gathering),
        "can_answer": can_answer,
        "can_read_attendance": user.has_perm("sessions_app.read_attendance", gathering),
        "can_evaluate": can_evaluate,
        "evaluated": can_evaluate and selectors.evaluation_given(gathering=gathering, user=user),
        "agenda_form": AgendaItemForm(),
        "material_form": MaterialForm(),
        "assignment_form": AssignmentForm(),
        **extra,
    }
    return context


@login_required
def gathering_detail(request, pk):
    gathering = gathering_or_404(request, pk, perm="sessions_app.view_gathering")
    page = selectors.gathering_page(gathering=gathering, user=request.user)
    return render(request, "sessions_app/gathering_detail.html", gathering_context(request, page))


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request, pk):
    gathering = gathering_or_404(request, pk)
    form = SummaryForm(request.POST or None, initial={"summary": gathering.summary})
    if request.method == "POST" and form.is_valid():
        services.gathering_publish_summary(
            gathering=gathering, summary=form.cleaned_data["summary"]
        )
        messages.success(request, _("The summary is published on the gathering's page."))
        return redirect("gathering_detail", pk=gathering.pk)
    return render(request, "sessions_app/summary_form.html", {"form": form, "gathering": gathering})


@login_required
@require_http_methods(["GET", "POST"])
def move(request, pk):
    gathering = gathering_or_404(request, pk)
    form = GatheringMoveForm(request.POST or None, gathering=gathering)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.gathering_move(
                gathering=gathering,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if moved.sequence == gathering.sequence:
                messages.info(request, _("Nothing changed."))
            elif moved.invitations_sent_at:
                messages.success(
                    request, _("The gathering is moved. The invitees get the update by e-mail.")
                )
            else:
                messages.success(request, _("The gathering is moved."))
            return redirect("gathering_detail", pk=gathering.pk)
    return render(
        request,
        "sessions_app/gathering_move.html",
        {
            "form": form,
            "gathering": gathering,
            "cancel_refused": services.cancel_refused(gathering),
            "cancel_form": GatheringCancelForm(),
        },
    )


@login_required
@require_POST
def cancel(request, pk):
    gathering = gathering_or_404(request, pk)
    form = GatheringCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["confirm"]))
        return redirect("gathering_move", pk=gathering.pk)
    try:
        services.gathering_cancel(gathering=gathering)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The gathering is cancelled."))
    return redirect("gathering_detail", pk=gathering.pk)


@login_required
@require_POST
def summary_preview(request, pk):
    """The summary being written, as the gathering's page will show it; nothing is saved."""
    gathering_or_404(request, pk)  # those who may change the summary
    return markdown_preview(request, request.POST.get("summary", ""))


@login_required
@require_POST
def send_invitations(request, pk):
    gathering = gathering_or_404(request, pk)
    try:
        services.gathering_invite(gathering=gathering)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitations are on their way, each with a calendar file."))
    return redirect("gathering_detail", pk=gathering.pk)
