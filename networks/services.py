"""Writes: creating and changing networks, and inviting people into them.

Callers have already asked ``rules.py`` whether the user may do this; these functions keep the
data consistent and send what has to be sent once the transaction commits.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import (
    Invitation,
    Municipality,
    Network,
    NetworkMembership,
    Role,
    User,
)
from .rules import forget_role_scopes


def network_set_members(*, network: Network, municipalities: Iterable[Municipality]) -> None:
    """Make exactly these municipalities the network's members, keeping existing memberships."""
    wanted = {m.pk for m in municipalities}
    current = set(network.memberships.values_list("municipality_id", flat=True))
    network.memberships.filter(municipality_id__in=current - wanted).delete()
    NetworkMembership.objects.bulk_create(
        [NetworkMembership(network=network, municipality_id=pk) for pk in wanted - current]
    )


@transaction.atomic
def network_create(
    *, created_by: User, municipalities: Iterable[Municipality] = (), **fields
) -> Network:
    """Create a network from its model fields; its creator becomes its facilitator."""
    network = Network(**fields)
    network.full_clean()
    network.save()
    network_set_members(network=network, municipalities=municipalities)
    Role.objects.create(user=created_by, kind=Role.Kind.FACILITATOR, network=network)
    forget_role_scopes(created_by)
    return network


@transaction.atomic
def network_update(
    *, network: Network, municipalities: Iterable[Municipality], **fields
) -> Network:
    for name, value in fields.items():
        setattr(network, name, value)
    network.full_clean()
    network.save()
    network_set_members(network=network, municipalities=municipalities)
    return network


def _username_for(email: str) -> str:
    """The address as the new account's username, or, when an account has that name already
    (given by hand in the admin, or the first 150 characters of a longer address), the
    address with a number."""
    limit = User._meta.get_field("username").max_length
    username = email.lower()[:limit]
    number = 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        suffix = f"-{number}"
        username = email.lower()[: limit - len(suffix)] + suffix
    return username


@transaction.atomic
def person_invite(
    *,
    invited_by: User,
    email: str,
    first_name: str,
    last_name: str,
    kind: str,
    network: Network,
    municipality: Municipality | None = None,
    title: str = "",
    language: str = "",
) -> Invitation:
    """Give a person a role in a network (creating their account) and e-mail them a link.

    A new person gets a link to set their password; a person who already has an account
    gets a link to sign in. The e-mail goes out from a Celery task after the commit.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(
            username=_username_for(email), email=email, first_name=first_name,
            last_name=last_name,
        )
        user.set_unusable_password()
        user.save()
    # An existing person keeps the name they have: an invitation does not rename anyone.

    scope = {"network": network} if kind == Role.Kind.FACILITATOR else {
        "municipality": municipality
    }
    role, _created = Role.objects.get_or_create(
        user=user, kind=kind, **scope, defaults={"title": title}
    )
    invitation = Invitation.objects.create(
        role=role,
        invited_by=invited_by,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        network=network,
    )
    from .tasks import send_invitation  # the task module imports this one

    transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation


def invitation_send(*, invitation_id: int) -> None:
    """Send an invitation's e-mail once; a repeated call for a sent invitation does nothing."""
    invitation = (
        Invitation.objects.select_related(
            "role__user", "role__municipality", "network", "invited_by"
        )
        .filter(pk=invitation_id, sent_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    user = invitation.role.user
    if user.has_usable_password():
        link = settings.SITE_URL + reverse("login")
    else:
        link = settings.SITE_URL + reverse(
            "invitation_accept",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    context = {"invitation": invitation, "user": user, "link": link}
    with translation.override(invitation.language):
        subject = render_to_string("networks/email/invitation_subject.txt", context).strip()
        body = render_to_string("networks/email/invitation_body.txt", context)
    # Claim the row first: a redelivered task finds sent_at set and sends nothing more.
    if not Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    ):
        return
    try:
        EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()
    except Exception:
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)  # let a retry send it
        raise


def invitation_language(*, user: User | None) -> str | None:
    """The language of the person's latest invitation, if any."""
    if user is None:
        return None
    invitation = Invitation.objects.filter(role__user=user).order_by("-created_at").first()
    return invitation.language if invitation else None


def invitations_accepted(*, user: User) -> None:
    """Record that the user set a password from an invitation."""
    Invitation.objects.filter(role__user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
