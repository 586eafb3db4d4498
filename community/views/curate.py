"""Curating the library: feature, retire and bring back, merge a duplicate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from

from .. import selectors, services
from ..access import practice_or_404
from ..forms import MergeForm

ACTIONS = {
    "feature": (
        services.practice_feature,
        {"featured": True},
        gettext_lazy("The practice is featured."),
    ),
    "unfeature": (
        services.practice_feature,
        {"featured": False},
        gettext_lazy("The practice is no longer featured."),
    ),
    "retire": (
        services.practice_retire,
        {"retired": True},
        gettext_lazy("The practice is retired."),
    ),
    "restore": (
        services.practice_retire,
        {"retired": False},
        gettext_lazy("The practice is back in the library."),
    ),
}


@login_required
@require_POST
def practice_curate(request, pk):
    practice = practice_or_404(request, pk, perm="community.curate_practice")
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    service, arguments, done = action
    try:
        service(practice=practice, user=request.user, **arguments)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(done))
    return redirect("practice_detail", pk=practice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def practice_merge(request, pk):
    practice = practice_or_404(request, pk, perm="community.curate_practice")
    form = MergeForm(
        request.POST or None,
        targets=selectors.merge_targets(practice=practice, user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_merge(
                practice=practice, into=form.cleaned_data["into"], user=request.user
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The practice is merged."))
            return redirect("practice_detail", pk=form.cleaned_data["into"].pk)
    return render(request, "community/practice_merge.html", {"practice": practice, "form": form})
