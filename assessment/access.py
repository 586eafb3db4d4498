"""Looking up rounds and responses for a view (unseen is 404, seen but not allowed is 403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from networks.models import NetworkMembership

from . import rules as perms
from .models import Response, Round


def round_or_404(request, pk, *, perm="assessment.view_round") -> Round:
    """A round, judged by its network (``perm`` is asked of the network)."""
    round_ = (
        perms.rounds_visible_to(request.user)
        .select_related("network__programme", "questionnaire", "gathering")
        .filter(pk=pk)
        .first()
    )
    if round_ is None:
        raise Http404
    if not request.user.has_perm(perm, round_.network):
        raise PermissionDenied
    return round_


def response_or_404(request, pk, municipality_pk, *, perm="assessment.view_response") -> Response:
    """The municipality's response in the round, or a new unsaved one where it has not started.
    404 unless the user sees that municipality's response: the other members compare scores,
    not answers."""
    round_ = round_or_404(request, pk)
    membership = (
        NetworkMembership.objects.select_related("municipality")
        .filter(network_id=round_.network_id, municipality_id=municipality_pk)
        .first()
    )
    if membership is None:
        raise Http404
    response = Response.objects.filter(round=round_, municipality_id=municipality_pk).first()
    if response is None:
        response = Response(round=round_, municipality=membership.municipality)
    response.round, response.municipality = round_, membership.municipality
    if not perms.sees_response.test(request.user, response):
        raise Http404
    if not request.user.has_perm(perm, response):
        raise PermissionDenied
    return response
