"""Looking up the community's objects for a view: the one path for each kind (unseen is 404,
seen but not allowed is 403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cemsdi_portal.core.access import visible_or_404
from networks.countries import use_network_zone

from . import rules
from .models import ExpertProfile, Practice, SpeakerInvitation
from .selectors import practice_for_page


def practice_or_404(request, pk, *, perm: str | None = None) -> Practice:
    practice = practice_for_page(user=request.user, pk=pk)
    if practice is None:
        raise Http404
    if perm is not None and not request.user.has_perm(perm, practice):
        raise PermissionDenied
    return practice


# --- Experts and speaker invitations ----------------------------------------------------------


def expert_or_404(request, pk, *, perm="community.view_expertprofile") -> ExpertProfile:
    visible = rules.experts_visible_to(request.user).select_related("user")
    return visible_or_404(request, visible, pk, perm=perm)


def speaker_invitation_or_404(
    request, pk, *, perm="community.view_speakerinvitation"
) -> SpeakerInvitation:
    """The invitation; its page shows the gathering's times in its network's zone."""
    visible = rules.speaker_invitations_visible_to(request.user).select_related(
        "gathering__network__region__country", "expert", "invited_by", "agenda_item"
    )
    invitation = visible_or_404(request, visible, pk, perm=perm)
    use_network_zone(invitation.gathering.network)
    return invitation
