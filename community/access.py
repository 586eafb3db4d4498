"""Looking up a practice for a view: the one path (unseen is 404, seen but not allowed 403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Practice
from .selectors import practice_for_page


def practice_or_404(request, pk, *, perm: str | None = None) -> Practice:
    practice = practice_for_page(user=request.user, pk=pk)
    if practice is None:
        raise Http404
    if perm is not None and not request.user.has_perm(perm, practice):
        raise PermissionDenied
    return practice
