"""Looking up gatherings and their parts (agenda items, materials, assignments) for a view: the
one path for each kind (unseen is 404, seen but not allowed is 403). A part is judged by its
gathering."""

from cemsdi_portal.core.access import part_or_404, visible_or_404
from networks.countries import use_network_zone

from . import rules as perms
from .models import AgendaItem, Assignment, Gathering, Material


def gathering_or_404(request, pk, *, perm="sessions_app.change_gathering") -> Gathering:
    """The gathering; its page shows and reads times in its network's country's zone."""
    visible = perms.gatherings_visible_to(request.user).select_related(
        "network__programme", "network__region__country"
    )
    gathering = visible_or_404(request, visible, pk, perm=perm)
    use_network_zone(gathering.network)
    return gathering


def _part_or_404(request, model, pk, perm):
    parts = model.objects.select_related("gathering__network__region__country").filter(
        gathering__in=perms.gatherings_visible_to(request.user)
    )
    part = part_or_404(request, parts, pk, parent="gathering", perm=perm)
    use_network_zone(part.gathering.network)
    return part


def agenda_item_or_404(request, pk, *, perm="sessions_app.change_gathering") -> AgendaItem:
    return _part_or_404(request, AgendaItem, pk, perm)


def material_or_404(request, pk, *, perm="sessions_app.view_gathering") -> Material:
    return _part_or_404(request, Material, pk, perm)


def assignment_or_404(request, pk, *, perm="sessions_app.view_gathering") -> Assignment:
    return _part_or_404(request, Assignment, pk, perm)
