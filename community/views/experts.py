"""The network of experts: opting in, the directory, an expert's entry, and inviting an
expert to speak at a gathering, answering and withdrawing the invitation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import LARGEST_ID, form_errors_from
from networks.selectors import zone_named
from sessions_app.access import gathering_or_404

from .. import rules, selectors, services
from ..access import expert_or_404, speaker_invitation_or_404
from ..forms import ExpertFilterForm, ExpertProfileForm, SpeakerInviteForm
from ..models import ExpertProfile


@login_required
def directory(request):
    if not request.user.has_perm("community.view_experts"):
        raise PermissionDenied
    form = ExpertFilterForm(request.GET or None)
    chosen = selectors.ExpertFilter()
    if form.is_valid():
        data = form.cleaned_data
        chosen = selectors.ExpertFilter(
            theme=data["theme"],
            dla_priority=data["dla_priority"],
            language=data["language"],
            country=data["country"],
        )
    elif form.is_bound:  # a value that is not offered: the whole directory, the form reset
        form = ExpertFilterForm()
    return render(
        request,
        "community/expert_directory.html",
        {
            "form": form,
            "entries": selectors.expert_directory(user=request.user, expert_filter=chosen),
            "own": ExpertProfile.objects.filter(user=request.user).first(),
            "can_be_expert": request.user.has_perm("community.be_expert"),
        },
    )


def _profile_initial(profile):
    if profile is None:
        return {"listed": True}
    return {
        "listed": profile.listed,
        "summary": profile.summary,
        "languages": profile.languages,
        "themes": list(profile.themes.all()),
        "dla_priorities": list(profile.dla_priorities.all()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    if not request.user.has_perm("community.be_expert"):
        raise PermissionDenied
    profile = ExpertProfile.objects.filter(user=request.user).first()
    form = ExpertProfileForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.expert_profile_save(user=request.user, **data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if data["listed"]:
                messages.success(request, _("Your expert profile is saved and listed."))
            else:
                messages.success(request, _("Your expert profile is saved; it is not listed."))
            return redirect("expert_profile")
    return render(
        request,
        "community/expert_profile_form.html",
        {
            "form": form,
            "profile": profile,
            "invitations": selectors.my_speaker_invitations(user=request.user),
        },
    )


@login_required
@require_POST
def profile_delete(request):
    services.expert_profile_delete(user=request.user)
    messages.success(request, _("You have left the directory of experts: your profile is gone."))
    return redirect("expert_directory")


def _detail(request, profile, invite_form=None, status=200):
    user = request.user
    can_invite = user.has_perm("community.invite_speakers") and profile.user_id != user.pk
    gatherings = selectors.gatherings_to_invite_to(user) if can_invite else None
    if can_invite and invite_form is None:
        invite_form = SpeakerInviteForm(gatherings=gatherings)
    return render(
        request,
        "community/expert_detail.html",
        {
            "entry": selectors.expert_entry(profile),
            "invite_form": invite_form,
            "can_invite": can_invite and profile.listed,
            "invitations": selectors.invitations_of_expert(user=user, profile=profile),
        },
        status=status,
    )


@login_required
def expert_detail(request, pk):
    return _detail(request, expert_or_404(request, pk))


@login_required
@require_POST
def speaker_invite(request, pk):
    profile = expert_or_404(request, pk)
    if not request.user.has_perm("community.invite_speakers"):
        raise PermissionDenied
    # The gathering as sessions_app looks it up: one the user does not see is 404, one they
    # see but do not run 403. Not a number: the form says so.
    chosen = request.POST.get("gathering", "")
    if chosen.isdigit() and int(chosen) <= LARGEST_ID:
        gathering_or_404(request, int(chosen), perm="community.invite_speaker")
    form = SpeakerInviteForm(
        request.POST, gatherings=selectors.gatherings_to_invite_to(request.user)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.speaker_invite(
                gathering=data["gathering"],
                profile=profile,
                topic=data["topic"],
                message=data["message"],
                duration_minutes=data["duration_minutes"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is invited. They are told in the portal and by e-mail.")
                % {"name": profile.user},
            )
            return redirect("speaker_invitation", pk=invitation.pk)
    return _detail(request, profile, invite_form=form, status=400)


@login_required
def invitation_detail(request, pk):
    invitation = speaker_invitation_or_404(request, pk)
    user = request.user
    return render(
        request,
        "community/speaker_invitation.html",
        {
            "invitation": invitation,
            "gathering": invitation.gathering,
            "can_answer": rules.is_invited_expert(user, invitation)
            and selectors.invitation_is_answerable(invitation),
            "can_withdraw": user.has_perm("community.withdraw_speakerinvitation", invitation)
            and selectors.invitation_is_withdrawable(invitation),
            "is_expert": invitation.expert_id == user.pk,
            "zone_named": zone_named(network=invitation.gathering.network, user=user),
        },
    )


@login_required
@require_POST
def invitation_answer(request, pk):
    invitation = speaker_invitation_or_404(request, pk)
    if not rules.is_invited_expert(request.user, invitation):
        raise PermissionDenied  # only the expert answers, never the inviter for them
    choice = request.POST.get("answer")
    if choice not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or to decline the invitation."))
        return redirect("speaker_invitation", pk=invitation.pk)
    try:
        services.speaker_invitation_answer(
            invitation=invitation, user=request.user, accept=choice == "accept"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if choice == "accept":
            messages.success(request, _("Thank you! Your talk is on the gathering's agenda."))
        else:
            messages.success(request, _("You have declined the invitation."))
    return redirect("speaker_invitation", pk=invitation.pk)


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = speaker_invitation_or_404(request, pk, perm="community.withdraw_speakerinvitation")
    try:
        services.speaker_invitation_withdraw(invitation=invitation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("speaker_invitation", pk=invitation.pk)
