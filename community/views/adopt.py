"""Taking a practice up into one's own action plan ("Use this in our plan")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cemsdi_portal.core.forms import form_errors_from

from .. import services
from ..access import practice_or_404
from ..forms import AdoptForm
from ..rules import plans_to_adopt_into
from .library import detail_context


@login_required
@require_POST
def practice_adopt(request, pk):
    practice = practice_or_404(request, pk, perm="community.adopt_practice")
    plans = plans_to_adopt_into(request.user, practice)
    form = AdoptForm(request.POST, plans=plans, tracks_figure=practice.indicator_id is not None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            adoption = services.practice_adopt(
                practice=practice,
                strategy=data["strategy"],
                user=request.user,
                target_year=data.get("target_year"),
                target_value=data.get("target_value"),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is a new measure of your action plan: give it an owner and dates.")
                % {"title": adoption.measure.title},
            )
            return redirect("measure_edit", pk=adoption.measure_id)
    return render(
        request,
        "community/practice_detail.html",
        {**detail_context(practice, request.user), "adopt_form": form},
        status=400,
    )
