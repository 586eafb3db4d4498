"""Sign-in throttling (django-axes): the username and the client address a failed sign-in is
counted under."""

import ipaddress

from django.conf import settings


def attempted_username(request, credentials: dict | None = None) -> str | None:
    """The username the sign-in gave, taken as django-axes takes it, cut to the length its
    records keep. No account has a longer one (they stop at 150 characters), but Django's
    sign-in form does not refuse one: uncut, it made the failure's record fail to save."""
    from axes.models import AccessAttempt  # settings name this function before apps load

    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not isinstance(username, str):
        return username
    return username[: AccessAttempt._meta.get_field("username").max_length]


def client_ip(request) -> str | None:
    """The address a request came from, as sign-in and password-reset throttling count it.

    Each of the ``TRUSTED_PROXY_COUNT`` proxies in front appends the address it received the
    request from to X-Forwarded-For, so the client's is that many places from the header's
    end; whatever a client wrote to the left of it is not trusted. Without trusted proxies, or
    when the header is shorter (a request that went round the proxy), or its entry is not an
    address, the connection's own address counts."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
