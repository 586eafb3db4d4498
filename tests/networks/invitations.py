"""Invitations as a person gets them: made by the service, sent, and the link read back from
the e-mail."""

import re

from django.core import mail

from networks import services
from networks.models import Role

LINK = re.compile(r"https?://\S+/invitation/(?P<token>[^/\s]+)/")


def link_token(message) -> str:
    """The secret of the invitation link in an e-mail."""
    found = LINK.search(message.body)
    assert found, f"no invitation link in: {message.body}"
    return found["token"]


def invitation_with_link(
    *, network, by, email, kind=Role.Kind.MUNICIPAL_STAFF, municipality=None, **extra
):
    """Invite and send at once; returns the invitation and its link's secret."""
    if municipality is None and kind != Role.Kind.FACILITATOR:
        municipality = network.municipalities.order_by("name").first()
    invitation, _renewed = services.person_invite(
        invited_by=by,
        email=email,
        first_name=extra.get("first_name", "Ola"),
        last_name=extra.get("last_name", "Nordmann"),
        kind=kind,
        network=network,
        municipality=municipality,
        language=extra.get("language", "en"),
    )
    services.invitation_send(invitation_id=invitation.pk)
    return invitation, link_token(mail.outbox[-1])
