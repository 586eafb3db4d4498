"""What the Digital Local Agenda's codes mean: the page the DLA badges link to."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .. import selectors


@login_required
def dla_priorities(request):
    if not request.user.has_perm("strategies.view_dla_priorities"):
        raise PermissionDenied
    return render(
        request, "strategies/dla_priorities.html", {"priorities": selectors.dla_priorities()}
    )
