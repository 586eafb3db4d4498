from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from networks.models import Municipality

from .. import rules as perms
from .. import selectors, services
from ..forms import AssignmentForm
from ..models import Assignment
from .gatherings import gathering_or_404


@login_required
@require_http_methods(["GET", "POST"])
def create(request, pk):
    gathering = gathering_or_404(request, pk)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(gathering=gathering, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, _("The assignment is given to every municipality."))
            return redirect("gathering_detail", pk=gathering.pk)
    return render(
        request, "sessions_app/assignment_form.html", {"form": form, "gathering": gathering}
    )


@login_required
@require_POST
def mark_done(request, pk):
    """A municipality's people mark its work on an assignment done, or not done."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("gathering__network").filter(
            gathering__in=perms.gatherings_visible_to(request.user)
        ),
        pk=pk,
    )
    try:  # the button names a municipality; anything else names none
        municipality_id = int(request.POST.get("municipality", ""))
    except ValueError:
        raise Http404 from None
    municipality = get_object_or_404(Municipality, pk=municipality_id)
    if not request.user.has_perm("sessions_app.report_for_municipality", municipality):
        raise PermissionDenied
    spoken_for = selectors.municipalities_spoken_for(
        user=request.user, network_id=assignment.gathering.network_id
    )
    if municipality.pk not in spoken_for:  # a role given through another network
        raise PermissionDenied
    try:
        services.assignment_set_done(
            assignment=assignment,
            municipality=municipality,
            user=request.user,
            done=request.POST.get("done") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("gathering_detail", pk=assignment.gathering_id)
