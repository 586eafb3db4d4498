"""Writes: creating and changing networks, and inviting people into them.

Callers have already asked ``rules.py`` whether the user may do this; these functions keep the
data consistent and send what has to be sent once the transaction commits.
"""

import base64
import secrets
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cemsdi_portal.core import audit
from cemsdi_portal.core.mail import TimestampClaim, send_claimed
from cemsdi_portal.core.models import AuditEntry

from .invite_file import MAX_BYTES, file_digest
from .models import (
    Invitation,
    MembershipInvitation,
    Municipality,
    Network,
    NetworkMembership,
    Role,
    User,
)
from .rules import forget_role_scopes, role_scopes
from .selectors import token_hash


def network_set_members(
    *, network: Network, municipalities: Iterable[Municipality], by: User
) -> None:
    """Make these municipalities the network's members or invited ones.

    An administrator's choice makes members at once. Anyone else's invites: a municipality
    joins when its chief executive accepts (``membership_decide``). Members left out are
    removed and open invitations left out are withdrawn. Every row is in the audit log.
    """
    chosen = {m.pk: m for m in municipalities}
    wanted = set(chosen)
    current = set(network.memberships.values_list("municipality_id", flat=True))
    pending = {
        mi.municipality_id: mi
        for mi in network.membership_invitations.filter(
            state=MembershipInvitation.State.INVITED
        ).select_related("municipality", "network")
    }
    gone = list(
        network.memberships.filter(municipality_id__in=current - wanted).select_related(
            "municipality", "network"
        )
    )
    audit.log_bulk(model=NetworkMembership, objects=gone, action=AuditEntry.Action.DELETED)
    NetworkMembership.objects.filter(pk__in=[m.pk for m in gone]).delete()

    withdrawn = [mi for pk, mi in pending.items() if pk not in wanted]
    now = timezone.now()
    MembershipInvitation.objects.filter(pk__in=[mi.pk for mi in withdrawn]).update(
        state=MembershipInvitation.State.WITHDRAWN, decided_by=by, decided_at=now
    )
    audit.log_bulk(
        model=MembershipInvitation,
        objects=withdrawn,
        action=AuditEntry.Action.CHANGED,
        changes={"state": ["invited", "withdrawn"]},
    )

    new = sorted(wanted - current - pending.keys())
    # The rows carry the objects at hand, so that their log entries name them without a read.
    if role_scopes(by).is_administrator:
        model = NetworkMembership
        rows = [NetworkMembership(network=network, municipality=chosen[pk]) for pk in new]
    else:
        model = MembershipInvitation
        rows = [
            MembershipInvitation(network=network, municipality=chosen[pk], invited_by=by)
            for pk in new
        ]
    made = model.objects.bulk_create(rows)
    audit.log_bulk(model=model, objects=made, action=AuditEntry.Action.CREATED)


@transaction.atomic
def membership_decide(
    *, invitation: MembershipInvitation, by: User, accept: bool
) -> MembershipInvitation:
    """The municipality's chief executive (or an administrator) accepts or declines a
    network's invitation to join. Accepting makes the membership, and the chief executive's
    role counts in the network from then on. A decided invitation cannot be decided again."""
    invitation = (
        MembershipInvitation.objects.select_for_update(of=("self",))
        .select_related("municipality", "network")
        .get(pk=invitation.pk)
    )
    if invitation.state != MembershipInvitation.State.INVITED:
        raise ValidationError(
            _("This invitation was already %(state)s.")
            % {"state": invitation.get_state_display().lower()}
        )
    before = audit.snapshot(invitation)
    invitation.state = (
        MembershipInvitation.State.ACCEPTED if accept else MembershipInvitation.State.DECLINED
    )
    invitation.decided_by = by
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_by", "decided_at"])
    audit.log_change(invitation, before=before)
    if accept:
        membership, made = NetworkMembership.objects.get_or_create(
            network=invitation.network, municipality=invitation.municipality
        )
        if made:
            audit.log(membership, AuditEntry.Action.CREATED)
        _role_counts_in(
            Role.objects.filter(
                user=by, kind=Role.Kind.CHIEF_EXECUTIVE, municipality_id=invitation.municipality_id
            ).first(),
            network_id=invitation.network_id,
        )
        forget_role_scopes(by)
    return invitation


def _role_counts_in(role: Role | None, *, network_id: int, new: bool = False) -> None:
    """A new role, or one given in some networks, counts in this network too (an
    administrator's role, given in none, counts everywhere already)."""
    if role is None or not (new or role.granted_in.exists()):
        return
    role.granted_in.add(network_id)
    audit.log_bulk(
        model=Role,
        objects=[role],
        action=AuditEntry.Action.CHANGED,
        changes={"granted_in": [None, network_id]},
    )


@transaction.atomic
def network_create(
    *, created_by: User, municipalities: Iterable[Municipality] = (), **fields
) -> Network:
    """Create a network from its model fields (a draft unless a state is given); its creator
    becomes its facilitator, and the municipalities are invited (``network_set_members``)."""
    network = Network(**fields)
    _date_dla(network)
    # The name's uniqueness is the database's to decide: a twin request may save first.
    network.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: a twin request may have made it meanwhile
            network.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "name": _("The programme already has a network called “%(name)s”.")
                % {"name": network.name}
            }
        ) from exc
    audit.log(network, AuditEntry.Action.CREATED)
    role = Role.objects.create(user=created_by, kind=Role.Kind.FACILITATOR, network=network)
    audit.log(role, AuditEntry.Action.CREATED)
    forget_role_scopes(created_by)
    network_set_members(network=network, municipalities=municipalities, by=created_by)
    return network


@transaction.atomic
def _date_dla(network: Network) -> None:
    """Keep the day the Digital Local Agenda process was initiated: set when the status first
    moves to initiated or adopted, cleared when it moves back to not started."""
    started = network.dla_status in (
        Network.DlaStatus.INITIATED,
        Network.DlaStatus.STRATEGY_ADOPTED,
    )
    if started and network.dla_initiated_on is None:
        network.dla_initiated_on = timezone.localdate()
    elif not started:
        network.dla_initiated_on = None


def network_update(
    *, network: Network, municipalities: Iterable[Municipality], by: User, **fields
) -> Network:
    """Change a network's model fields and members; ``network`` as stored (the log compares
    its values with the new ones)."""
    before = audit.snapshot(network)
    for name, value in fields.items():
        setattr(network, name, value)
    _date_dla(network)
    network.full_clean()
    network.save()
    audit.log_change(network, before=before)
    network_set_members(network=network, municipalities=municipalities, by=by)
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


def _self_invitation(*, invited_by: User | None, email: str, kind: str) -> bool:
    return (
        invited_by is not None
        and kind in Role.MUNICIPAL_KINDS
        and invited_by.email.strip().lower() == email.strip().lower()
    )


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
) -> tuple[Invitation, bool]:
    """Invite a person to a role in a network and e-mail them a link (a Celery task after
    the commit). Returns the invitation and whether an open one was renewed.

    The invitation gives nothing until the invitee accepts it (``invitation_accept``): no
    role and no account are made here. Inviting again someone with an open invitation for
    the same role renews it (new link, new expiry), so a double-posted form makes one. Nobody
    may invite themself into a municipal role.
    """
    email = email.strip().lower()
    if _self_invitation(invited_by=invited_by, email=email, kind=kind):
        raise ValidationError(
            {"email": _("You cannot invite yourself into a municipality's role.")}
        )
    details = {
        "first_name": first_name,
        "last_name": last_name,
        "municipality": municipality if kind != Role.Kind.FACILITATOR else None,
        "title": title,
        "language": language or translation.get_language() or settings.LANGUAGE_CODE,
        "invited_by": invited_by,
        "expires_at": timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        "sent_at": None,
        "token_hash": "",
    }
    with transaction.atomic():
        open_one = (
            Invitation.objects.select_for_update()
            .filter(network=network, kind=kind, email__iexact=email, state=Invitation.State.SENT)
            .first()
        )
        renewed = open_one is not None
        if renewed:
            before = audit.snapshot(open_one)
            for name, value in details.items():
                setattr(open_one, name, value)
            open_one.save()
            audit.log_change(open_one, before=before)
            invitation = open_one
        else:
            try:
                with transaction.atomic():  # a savepoint: a twin request may win the race
                    invitation = Invitation.objects.create(
                        network=network, kind=kind, email=email, **details
                    )
                    audit.log(invitation, AuditEntry.Action.CREATED)
            except IntegrityError:
                return person_invite(
                    invited_by=invited_by,
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                    kind=kind,
                    network=network,
                    municipality=municipality,
                    title=title,
                    language=language,
                )
        from .tasks import send_invitation  # the task module imports this one

        transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation, renewed


def invitation_send(*, invitation_id: int) -> None:
    """Send an invitation's e-mail once, with a new secret link; a repeated call for a sent
    invitation does nothing."""
    invitation = (
        Invitation.objects.select_related(
            "municipality__country", "network__region__country", "invited_by"
        )
        .filter(pk=invitation_id, sent_at__isnull=True, state=Invitation.State.SENT)
        .first()
    )
    if invitation is None:
        return
    token = secrets.token_urlsafe(32)
    link = settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "link": link,
        "has_account": User.objects.filter(email__iexact=invitation.email).exists(),
    }
    with translation.override(invitation.language):
        subject = render_to_string("networks/email/invitation_subject.txt", context).strip()
        body = render_to_string("networks/email/invitation_body.txt", context)
    # A redelivered task finds sent_at set and sends nothing more; the link's secret is kept
    # in the same update that claims the row.
    claim = TimestampClaim(
        rows=Invitation.objects.filter(pk=invitation.pk, state=Invitation.State.SENT),
        field="sent_at",
        also={"token_hash": token_hash(token)},
    )
    send_claimed(
        [EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email])], claim=claim
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Role:
    """The invitee takes the role the invitation offers; only now does it exist.

    Refused (ValidationError, nothing changed) when the invitation is not open, is for
    another address, was sent by this same person for a municipal role, or its municipality
    is not (or, for a leader, not yet invited to be) in the network. A municipal role counts
    in the networks whose invitations gave it (``Role.granted_in``): this one is added.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation.current_state
    if state != Invitation.State.SENT:
        raise ValidationError(
            _("This invitation can no longer be accepted: it is %(state)s.")
            % {"state": invitation.State(state).label.lower()}
        )
    if user.email.strip().lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation is for %(email)s; you are signed in as someone else.")
            % {"email": invitation.email}
        )
    if invitation.invited_by_id == user.pk and invitation.kind in Role.MUNICIPAL_KINDS:
        raise ValidationError(_("You cannot accept an invitation you sent yourself."))
    if invitation.kind == Role.Kind.FACILITATOR:
        role, created = Role.objects.get_or_create(
            user=user, kind=invitation.kind, network_id=invitation.network_id
        )
        if created:
            audit.log(role, AuditEntry.Action.CREATED)
    else:
        _check_municipality_in_network(invitation)
        role = Role.objects.filter(
            user=user, kind=invitation.kind, municipality_id=invitation.municipality_id
        ).first()
        created = role is None
        if created:
            try:
                with transaction.atomic():
                    role = Role.objects.create(
                        user=user,
                        kind=invitation.kind,
                        municipality_id=invitation.municipality_id,
                        title=invitation.title,
                    )
                    audit.log(role, AuditEntry.Action.CREATED)
            except IntegrityError as exc:
                raise ValidationError(
                    _("%(municipality)s already has someone in this role in the portal.")
                    % {"municipality": invitation.municipality.name}
                ) from exc
        _role_counts_in(role, network_id=invitation.network_id, new=created)
    before = audit.snapshot(invitation)
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.role = role
    invitation.save(update_fields=["state", "accepted_at", "role"])
    audit.log_change(invitation, before=before)
    forget_role_scopes(user)
    return role


def _check_municipality_in_network(invitation: Invitation) -> None:
    member = NetworkMembership.objects.filter(
        network_id=invitation.network_id, municipality_id=invitation.municipality_id
    ).exists()
    invited = MembershipInvitation.objects.filter(
        network_id=invitation.network_id,
        municipality_id=invitation.municipality_id,
        state=MembershipInvitation.State.INVITED,
    ).exists()
    if member or (invited and invitation.kind in Role.LEADER_KINDS):
        return
    raise ValidationError(
        _("%(municipality)s is not a member of the network %(network)s.")
        % {"municipality": invitation.municipality.name, "network": invitation.network.name}
    )


@transaction.atomic
def invitation_accept_as_new_person(*, invitation: Invitation, password: str) -> tuple[User, Role]:
    """A person without an account accepts: the account is made with the invitation's
    address and names and the password they chose, then the role as ``invitation_accept``."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this address exists: sign in to accept."))
    user = User(
        username=_username_for(invitation.email),
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    user.set_password(password)
    user.save()
    return user, invitation_accept(invitation=invitation, user=user)


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation not yet accepted: its link opens nothing any more."""
    updated = Invitation.objects.filter(pk=invitation.pk, state=Invitation.State.SENT).update(
        state=Invitation.State.WITHDRAWN, withdrawn_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Only an invitation not yet accepted can be withdrawn."))
    invitation.refresh_from_db()
    audit.log_bulk(
        model=Invitation,
        objects=[invitation],
        action=AuditEntry.Action.CHANGED,
        changes={"state": ["sent", "withdrawn"]},
    )
    return invitation


# --- Inviting from a file: the upload waits in the session between preview and confirmation --

INVITE_FILE_SESSION_KEY = "networks_invite_file"


class InviteFileMissing(Exception):
    """No file waits in this session for this network under that digest (sent, replaced by a
    newer upload, uploaded for another network, or never there)."""


def invite_file_stage(*, session, network: Network, file_name: str, data: bytes) -> str:
    """Keep a previewed file in the (server-side) session until it is confirmed: its bytes,
    its name, the network it was previewed for and its SHA-256, which the confirmation must
    name. A session keeps one file at most: a new upload replaces it. Returns the digest."""
    if len(data) > MAX_BYTES:
        raise ValueError("a file over the limit is refused by the preview, never kept")
    digest = file_digest(data)
    session[INVITE_FILE_SESSION_KEY] = {
        "network": network.pk,
        "file_name": file_name,
        "data": base64.b64encode(data).decode("ascii"),
        "digest": digest,
    }
    return digest


def invite_file_load(*, session, network: Network, digest: str) -> tuple[str, bytes]:
    """The file waiting for this network whose digest the confirmation names: (name, bytes).
    Raises ``InviteFileMissing`` otherwise; the bytes are checked against the digest."""
    stored = session.get(INVITE_FILE_SESSION_KEY) or {}
    expected = str(stored.get("digest", "")).encode()
    # As bytes: compare_digest refuses text with characters beyond ASCII (a TypeError).
    if (
        not stored
        or stored.get("network") != network.pk
        or not secrets.compare_digest(str(digest).encode(), expected)
    ):
        raise InviteFileMissing
    data = base64.b64decode(stored["data"])
    if file_digest(data) != stored["digest"]:
        raise InviteFileMissing
    return stored["file_name"], data


def invite_file_claim_key(*, network: Network, digest: str) -> str:
    return f"networks:invite-file:{network.pk}:{file_digest(str(digest).encode())}"


@contextmanager
def invite_file_claimed(*, network: Network, digest: str):
    """One confirmation of a waiting file at a time: a double-click's second request, which
    reads the session before the first has emptied it, finds the claim taken (an atomic
    ``cache.add``; the cache is shared between processes, see DESIGN.md) and raises
    ``InviteFileMissing`` instead of sending every invitation again with new links."""
    key = invite_file_claim_key(network=network, digest=digest)
    # Kept for a minute after a confirmation: the session that still names the file may be
    # saved only once the answer is on its way. Given back when the confirmation failed.
    if not cache.add(key, True, timeout=60):
        raise InviteFileMissing
    try:
        yield
    except BaseException:
        cache.delete(key)
        raise


def invite_file_discard(*, session) -> None:
    session.pop(INVITE_FILE_SESSION_KEY, None)


@transaction.atomic
def people_invite_from_file(*, network: Network, invited_by: User, preview) -> list[Invitation]:
    """Send the invitations of a previewed file (``invite_file.invite_preview``), all in one
    transaction, each through ``person_invite``: the same row, link, expiry, audit entry and
    e-mail after the commit as a single invitation. Rows of people who already have the role
    send nothing. A preview with a refused row raises ``ValidationError`` and sends nothing;
    the e-mails go only once the whole file is saved. Written in the network's language."""
    if not preview.ok:
        raise ValidationError(
            [f"{row.line}: {' '.join(row.refusals)}" for row in preview.refused]
            or [preview.problem or _("The file has no rows.")]
        )
    invitations = []
    for row in preview.to_send:
        invitation, _renewed = person_invite(
            invited_by=invited_by,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            kind=row.kind,
            network=network,
            municipality=row.municipality,
            title=row.title,
            language=network.language,
        )
        invitations.append(invitation)
    return invitations


def user_language_set(*, user: User, language: str) -> None:
    """Keep ``language`` (a code of ``settings.LANGUAGES``, or blank: not chosen) as the
    person's own, for pages and e-mail; logged when it changes."""
    if language not in {"", *dict(settings.LANGUAGES)}:
        raise ValidationError(
            {
                "language": _("Choose one of the languages offered: %(codes)s.")
                % {"codes": ", ".join(dict(settings.LANGUAGES))}
            }
        )
    if user.language == language:
        return
    before = audit.snapshot(user)
    user.language = language
    User.objects.filter(pk=user.pk).update(language=language)
    audit.log_change(user, before=before, fields=["language"])
