"""The self-assessment's pages: a network's rounds and results, opening and closing a round,
a round's progress, and a municipality's answers. Logic lives in services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cemsdi_portal.core.forms import form_errors_from
from networks.access import network_or_404

from . import rules, selectors, services
from .access import response_or_404, round_or_404
from .forms import AnswerForm, RoundOpenForm


@login_required
def network_assessment(request, pk):
    network = network_or_404(request, pk)
    context = {
        "network": network,
        "rounds": selectors.network_rounds(network=network),
        "results": selectors.network_results(network=network, user=request.user),
        "own": selectors.speaks_for(network=network, user=request.user),
        "can_run": request.user.has_perm("assessment.run_rounds", network),
    }
    return render(request, "assessment/network_assessment.html", context)


@login_required
def round_open(request, pk):
    network = network_or_404(request, pk, perm="assessment.run_rounds")
    form = RoundOpenForm(request.POST or None, network=network)
    if request.method == "GET":
        gathering = form.fields["gathering"].queryset.first()
        if network.assessment_rounds.exists():
            gathering = form.fields["gathering"].queryset.filter(number=4).first() or gathering
        if gathering:
            form.initial.update(gathering=gathering.pk, year=gathering.attendance_opens_on.year)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(network=network, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The round is open: the members can answer."))
            return redirect("round_detail", round_.pk)
    return render(request, "assessment/round_open.html", {"network": network, "form": form})


@login_required
def round_detail(request, pk):
    round_ = round_or_404(request, pk)
    context = {
        "round": round_,
        "network": round_.network,
        "progress": selectors.round_progress(round_=round_),
        "own": {m.pk for m in selectors.speaks_for(network=round_.network, user=request.user)},
        "can_run": request.user.has_perm("assessment.run_rounds", round_.network),
    }
    return render(request, "assessment/round_detail.html", context)


@login_required
@require_POST
def round_close(request, pk):
    round_ = round_or_404(request, pk, perm="assessment.run_rounds")
    try:
        services.round_close(round_=round_, user=request.user, in_request=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round is closed: the answers are locked and scored."))
    return redirect("round_detail", round_.pk)


CONFLICT = gettext_lazy(
    "Someone else of your municipality saved these answers while you were answering. Nothing "
    "of yours was saved: your choices are still in the form. Open the page again in another "
    "tab to see the stored answers before you save again."
)


@login_required
def response_edit(request, pk, municipality_pk):
    response = response_or_404(request, pk, municipality_pk)
    round_ = response.round
    may_answer = request.user.has_perm("assessment.answer_response", response)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    layout, levels = selectors.questionnaire_layout(round_.questionnaire)
    open_ = rules.response_open(response) and may_answer
    editable = open_ and response.state != response.State.SUBMITTED
    status = 200
    form = AnswerForm(
        request.POST or None,
        layout=layout,
        levels=levels,
        disabled=not editable,
        initial={
            "version": response.version,
            **{f"q{q}": level for q, level in selectors.stored_answers(response).items()},
        },
    )
    if request.method == "POST":
        status = _answer_post(request, response, form)
        if status is None:
            return redirect("response_edit", round_.pk, response.municipality_id)
    context = {
        "round": round_,
        "network": round_.network,
        "response": response,
        "form": form,
        "levels": levels,
        "may_answer": may_answer,
        "open": open_,
        "editable": editable,
    }
    return render(request, "assessment/response_form.html", context, status=status)


def _answer_post(request, response, form):
    """Save, submit or reopen; None when done (the view redirects), else the page's status."""
    action = request.POST.get("action", "save")
    if action == "reopen":
        try:
            services.response_reopen(response=response, user=request.user)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return 400
        messages.success(request, _("The answers are open again as a draft."))
        return None
    if not form.is_valid():
        return 400
    try:
        saved = services.response_save(
            round_=response.round,
            municipality=response.municipality,
            user=request.user,
            answers=form.answers(),
            base_version=form.cleaned_data["version"],
        )
    except services.AnswerConflict as exc:
        form.add_error(None, CONFLICT)
        _show_version(form, exc.response.version)
        return 409
    except ValidationError as exc:
        form_errors_from(form, exc)
        return 400
    if action != "submit":
        messages.success(request, _("Your answers are saved as a draft."))
        return None
    try:
        services.response_submit(
            response=saved.response, user=request.user, base_version=saved.response.version
        )
    except ValidationError as exc:
        form.add_error(
            None, _("Your answers are saved as a draft. Answer every question to submit them.")
        )
        form_errors_from(form, exc)
        _show_version(form, saved.response.version)
        return 400
    messages.success(request, _("The answers are submitted. Thank you."))
    return None


def _show_version(form, version: int) -> None:
    """The form shown again carries the stored version, so that its next save counts."""
    form.data = form.data.copy()
    form.data["version"] = version
