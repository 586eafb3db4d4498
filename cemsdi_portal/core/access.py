"""The one way views look objects up: unseen is 404 (its existence does not leak), seen but
not allowed is 403."""

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
