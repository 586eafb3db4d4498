"""Looking up networks, municipalities, programmes and invitations for a view: the one path
for each kind (unseen is 404, seen but not allowed is 403). Other apps' views use these too."""

from cemsdi_portal.core.access import visible_or_404

from . import rules as perms
from .countries import use_network_zone
from .models import Invitation, Municipality, Network, Programme


def network_or_404(request, pk, *, perm="networks.view_network") -> Network:
    """The network; its page shows times in its country's zone."""
    visible = perms.networks_visible_to(request.user).select_related("programme", "region__country")
    network = visible_or_404(request, visible, pk, perm=perm)
    use_network_zone(network)
    return network


def municipality_or_404(request, pk, *, perm="networks.view_municipality") -> Municipality:
    visible = perms.municipalities_visible_to(request.user).select_related(
        "country", "region__country", "peer_group"
    )
    return visible_or_404(request, visible, pk, perm=perm)


def programme_or_404(request, pk, *, perm="networks.view_programme") -> Programme:
    return visible_or_404(request, perms.programmes_visible_to(request.user), pk, perm=perm)


def invitation_or_404(request, pk, *, perm="networks.withdraw_invitation") -> Invitation:
    """A person's invitation, seen by those who run its network."""
    visible = Invitation.objects.filter(network__in=perms.networks_changeable_by(request.user))
    return visible_or_404(request, visible, pk, perm=perm)


def membership_invitation_or_404(request, pk, *, perm="networks.decide_membership"):
    """A network's invitation to a municipality, seen by those who decide on it only."""
    visible = perms.membership_invitations_decidable_by(request.user).select_related(
        "network", "municipality"
    )
    return visible_or_404(request, visible, pk, perm=perm)
