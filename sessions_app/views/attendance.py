from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cemsdi_portal.core.forms import form_errors_from

from .. import selectors, services
from ..access import gathering_or_404
from ..forms import AttendanceForm


@login_required
@require_http_methods(["GET", "POST"])
def record(request, pk):
    """Who came: one row per invitee; hours default to the agenda's training hours."""
    gathering = gathering_or_404(request, pk)
    invitees = selectors.gathering_invitees(gathering)
    default_hours = selectors.agenda_training_hours(gathering.agenda.all())
    form = AttendanceForm(request.POST or None, invitees=invitees, default_hours=default_hours)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(gathering=gathering, entries=form.entries())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect("gathering_detail", pk=gathering.pk)
    return render(
        request,
        "sessions_app/attendance_form.html",
        {
            "form": form,
            "gathering": gathering,
            "default_hours": default_hours,
            "not_yet": services.attendance_opens_message(gathering),
        },
    )
