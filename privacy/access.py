"""Looking up the person an administrator erases: the one path (anyone without the rule finds
no such page, 404)."""

from django.contrib.auth import get_user_model
from django.http import Http404

from cemsdi_portal.core.access import visible_or_404


def person_to_erase_or_404(request, pk):
    if not request.user.has_perm("privacy.erase_person"):
        raise Http404
    return visible_or_404(request, get_user_model().objects.all(), pk, perm="privacy.erase_person")
