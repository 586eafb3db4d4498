"""The evaluation after a gathering: the participant's form, and the anonymous results the
facilitator and the project officer read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cemsdi_portal.core.forms import form_errors_from

from .. import rules as perms
from .. import selectors, services
from ..access import gathering_or_404
from ..forms import EvaluationForm


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request, pk):
    gathering = gathering_or_404(request, pk, perm="sessions_app.view_gathering")
    if not perms.evaluates.test(request.user, gathering):
        raise PermissionDenied
    given = selectors.evaluation_given(gathering=gathering, user=request.user)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and not given and form.is_valid():
        try:
            services.evaluation_submit(
                gathering=gathering, user=request.user, evaluation=form.evaluation()
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
            return redirect("gathering_detail", pk=gathering.pk)
    return render(
        request,
        "sessions_app/evaluation_form.html",
        {
            "gathering": gathering,
            "form": form,
            "given": given,
            "open": selectors.evaluation_open(gathering),
        },
    )


@login_required
@require_GET
def results(request, pk):
    gathering = gathering_or_404(request, pk, perm="sessions_app.read_attendance")
    return render(
        request,
        "sessions_app/evaluation_results.html",
        {"gathering": gathering, "results": selectors.evaluation_results(gathering=gathering)},
    )
