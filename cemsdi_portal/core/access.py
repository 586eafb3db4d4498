"""The lookups views make: unseen is 404 (its existence does not leak), seen but not allowed is
403. Each app's ``access.py`` builds its object kinds' lookups from these two, once, and every
view of that kind uses them (pretalx's SubmissionViewMixin, as functions)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def visible_or_404(request, visible, pk, *, perm: str):
    """The object ``pk`` from the queryset of what the user may see, if they have ``perm``."""
    obj = visible.filter(pk=pk).first()
    if obj is None:
        raise Http404
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def part_or_404(request, parts, pk, *, parent: str, perm: str):
    """A part (``parts``: its rows whose ``parent`` the user sees), if the user has ``perm``
    on that parent: a section of a strategy, an agenda item of a gathering."""
    part = parts.filter(pk=pk).first()
    if part is None:
        raise Http404
    if not request.user.has_perm(perm, getattr(part, parent)):
        raise PermissionDenied
    return part
