"""Calendar pages and iCalendar feeds.

The network's calendar and its file need a signed-in person who may see the network. A
person's own feed is fetched by calendar programs, which send no cookies: its address carries
a secret token instead, which the person can replace on the "My calendar" page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from networks.access import network_or_404
from networks.selectors import zone_named

from .. import feeds, services
from ..calendar import calendar_ics
from ..models import CalendarToken


def _feed_url(request, token: CalendarToken) -> str:
    return request.build_absolute_uri(reverse("person_calendar_ics", args=[token.token]))


def _ics_response(content: bytes, *, filename: str, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@require_safe
def network_calendar(request, pk):
    network = network_or_404(request, pk, perm="networks.view_network")
    token = services.calendar_token_get(user=request.user)
    return render(
        request,
        "sessions_app/network_calendar.html",
        {
            "network": network,
            "rows": feeds.network_calendar_rows(network=network),
            "zone_named": zone_named(network=network, user=request.user),
            "feed_url": _feed_url(request, token),
        },
    )


@login_required
@require_safe
def network_calendar_ics(request, pk):
    network = network_or_404(request, pk, perm="networks.view_network")
    content = calendar_ics(feeds.network_calendar_gatherings(network=network), name=network.name)
    return _ics_response(content, filename=f"network-{network.pk}.ics", disposition="attachment")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_calendar(request):
    if request.method == "POST":
        services.calendar_token_renew(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar has a new address. The old one no longer works: subscribe "
                "again with the new one."
            ),
        )
        return redirect("my_calendar")
    token = services.calendar_token_get(user=request.user)
    feed_url = _feed_url(request, token)
    return render(
        request,
        "sessions_app/my_calendar.html",
        {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
    )


@require_safe
def person_calendar_ics(request, token):
    try:
        person = feeds.person_for_calendar_token(token=token)
    except CalendarToken.DoesNotExist as exc:
        raise Http404 from exc
    content = calendar_ics(
        feeds.person_calendar_gatherings(user=person), name=_("CEMSDI gatherings")
    )
    response = _ics_response(content, filename="cemsdi-gatherings.ics", disposition="inline")
    response["Cache-Control"] = "private, no-store"  # the address is the secret
    response["X-Robots-Tag"] = "noindex"
    return response
