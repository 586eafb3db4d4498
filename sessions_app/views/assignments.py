from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from
from networks.models import Municipality, NetworkMembership

from .. import services
from ..access import assignment_or_404, gathering_or_404
from ..forms import AssignmentForm


@login_required
@require_http_methods(["GET", "POST"])
def create(request, pk):
    gathering = gathering_or_404(request, pk)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(gathering=gathering, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The assignment is given to every municipality."))
            return redirect("gathering_detail", pk=gathering.pk)
    return render(
        request, "sessions_app/assignment_form.html", {"form": form, "gathering": gathering}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    assignment = assignment_or_404(request, pk, perm="sessions_app.change_gathering")
    gathering = assignment.gathering
    # On a copy: the service logs the stored values against the new ones.
    form = AssignmentForm(request.POST or None, instance=copy(assignment))
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(assignment=assignment, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The assignment is changed."))
            return redirect("gathering_detail", pk=gathering.pk)
    context = {"form": form, "gathering": gathering, "assignment": assignment}
    return render(request, "sessions_app/assignment_form.html", context)


def _done_confirmed(request) -> int:
    try:
        return max(int(request.POST.get("done_confirmed", "0")), 0)
    except ValueError:
        return 0  # not a number: nothing confirmed, so the page asks


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """Remove an assignment. One that municipalities have marked done is removed only once the
    facilitator has been told how many marks go with it."""
    assignment = assignment_or_404(request, pk, perm="sessions_app.change_gathering")
    done = None
    if request.method == "POST":
        try:
            services.assignment_delete(
                assignment=assignment, done_confirmed=_done_confirmed(request)
            )
        except services.DoneMarksUnconfirmed as exc:
            done = exc
        else:
            messages.success(
                request,
                _("The assignment “%(title)s” is removed.") % {"title": assignment.title},
            )
            return redirect("gathering_detail", pk=assignment.gathering_id)
    if done is None:
        done = services.DoneMarksUnconfirmed(assignment.completions.count())
    context = {"assignment": assignment, "gathering": assignment.gathering, "done": done}
    return render(request, "sessions_app/assignment_delete.html", context)


@login_required
@require_POST
def mark_done(request, pk):
    """A municipality's people mark its work on an assignment done, or not done."""
    assignment = assignment_or_404(request, pk)
    try:  # the button names a municipality; anything else names none
        municipality_id = int(request.POST.get("municipality", ""))
    except ValueError:
        raise Http404 from None
    municipality = get_object_or_404(Municipality, pk=municipality_id)
    member = NetworkMembership(network=assignment.gathering.network, municipality=municipality)
    if not request.user.has_perm("sessions_app.report_for_municipality", member):
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
