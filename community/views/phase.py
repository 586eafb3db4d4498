"""The next phase: a facilitator starts a finished network's next phase. The view parses
input, asks the rules, calls one service, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cemsdi_portal.core.forms import form_errors_from
from networks.access import network_or_404

from .. import services
from ..forms import NextPhaseForm


@login_required
@require_http_methods(["GET", "POST"])
def network_next_phase(request, pk):
    """Start a finished network's next phase. A network that cannot have one (not finished,
    or continued already) shows why, and no form."""
    network = network_or_404(request, pk, perm="networks.change_network")
    refused = services.next_phase_refused(network)
    form = None if refused else NextPhaseForm(request.POST or None, network=network)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            result = services.next_phase_start(
                network=network, data=form.cleaned_data, user=request.user
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(network)s is started as phase %(phase)d, with its gatherings, agendas, "
                    "assignments and self-assessment rounds; %(count)d municipality is invited.",
                    "%(network)s is started as phase %(phase)d, with its gatherings, agendas, "
                    "assignments and self-assessment rounds; %(count)d municipalities are "
                    "invited.",
                    len(result.invited),
                )
                % {
                    "network": result.network.name,
                    "phase": result.network.phase,
                    "count": len(result.invited),
                },
            )
            return redirect("network_detail", pk=result.network.pk)
    return render(
        request,
        "community/next_phase_form.html",
        {"network": network, "form": form, "refused": refused},
    )
