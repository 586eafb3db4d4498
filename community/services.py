"""Writes of the community of practice. Each write checks the policy (``rules.py``), refuses
bad input with a ``ValidationError`` naming the field and changing nothing, and logs itself in
the same transaction (``core/audit.py``).

Experts: opting in, changing one's profile and leaving. Speaker invitations: a facilitator
invites a listed expert to speak at a gathering of their network; the expert accepts (the talk
goes on the gathering's agenda through sessions_app's service) or declines; the facilitator
withdraws.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from notices.models import Kind as NoticeKind
from notices.services import notice_publish
from sessions_app import services as sessions_services
from sessions_app.models import AgendaItem, Gathering

from . import rules
from .models import ExpertProfile, SpeakerInvitation
from .selectors import agenda_room_minutes, expert_theme_choices

# --- Experts ----------------------------------------------------------------------------------


def _m2m_codes(profile: ExpertProfile) -> dict:
    return {
        "themes": ", ".join(sorted(t.code for t in profile.themes.all())),
        "dla_priorities": ", ".join(sorted(p.code for p in profile.dla_priorities.all())),
    }


@transaction.atomic
def expert_profile_save(
    *, user, listed: bool, summary: str, themes, dla_priorities, languages: list[str]
) -> ExpertProfile:
    """Opt in as an expert, or change one's profile. Refused (``PermissionDenied``) for a
    person who takes part in no programme. ``ValidationError`` names the field when no
    language is chosen, a language or theme is not offered; nothing is saved then.
    Side effects: one audit entry (the profile's fields and its themes, priorities)."""
    if not user.has_perm("community.be_expert"):
        raise PermissionDenied
    errors = {}
    offered = dict(settings.LANGUAGES)
    languages = list(dict.fromkeys(languages))
    unknown = [code for code in languages if code not in offered]
    if unknown:
        errors["languages"] = _("“%(code)s” is not one of the portal's languages.") % {
            "code": unknown[0]
        }
    elif not languages:
        errors["languages"] = _("Choose at least one language you speak in.")
    allowed = {t.pk for t in expert_theme_choices()}
    themes = list(themes)
    if any(t.pk not in allowed for t in themes):
        errors["themes"] = _("Choose themes of the self-assessment's questionnaire only.")
    if errors:
        raise ValidationError(errors)
    profile = ExpertProfile.objects.select_for_update().filter(user=user).first()
    before = audit.snapshot(profile) if profile is not None else None
    before_m2m = _m2m_codes(profile) if profile is not None else {}
    if profile is None:
        profile = ExpertProfile(user=user)
    profile.listed = listed
    profile.summary = summary.strip()
    # In the order the portal lists its languages, whatever order they came in.
    profile.languages = [code for code in offered if code in languages]
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.themes.set(themes)
    profile.dla_priorities.set(dla_priorities)
    after_m2m = _m2m_codes(profile)
    extra = {
        name: [before_m2m.get(name), codes]
        for name, codes in after_m2m.items()
        if before_m2m.get(name) != codes
    }
    if before is None:
        languages = [None, ", ".join(profile.languages)]
        audit.log(profile, AuditEntry.Action.CREATED, {"languages": languages, **extra})
    else:
        audit.log_change(profile, before=before, extra=extra)
    return profile


@transaction.atomic
def expert_profile_delete(*, user) -> None:
    """Leave the directory: the profile goes (logged before it goes). Invitations already
    sent stay, for the person to answer."""
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile is None:
        return
    audit.log(profile, AuditEntry.Action.DELETED)
    profile.delete()


# --- Speaker invitations ------------------------------------------------------------------


def _refuse_gathering(gathering: Gathering, user) -> None:
    if not rules.gatherings_inviting_speakers(user).filter(pk=gathering.pk).exists():
        if gathering.cancelled_at is not None:
            message = _("The gathering is cancelled: choose another.")
        else:
            message = _("The gathering has begun or is over: choose one still ahead.")
        raise ValidationError({"gathering": message})


@transaction.atomic
def speaker_invite(
    *,
    gathering: Gathering,
    profile: ExpertProfile,
    topic: str,
    message: str,
    duration_minutes: int,
    invited_by,
) -> SpeakerInvitation:
    """Invite the expert of ``profile`` to speak at ``gathering`` about ``topic``.

    ``PermissionDenied`` unless ``invited_by`` runs the gathering's network and finds the
    expert. ``ValidationError`` (nothing saved) for oneself, an unlisted profile, a gathering
    begun, over or cancelled, an agenda with no room for the talk, or an expert already
    invited to it. Side effects: one audit entry; a notice to the expert
    (``SPEAKER_INVITED``, linking to the invitation), e-mailed after the commit as they chose.
    """
    if not invited_by.has_perm("community.invite_speaker", gathering):
        raise PermissionDenied
    if not rules.experts_visible_to(invited_by).filter(pk=profile.pk).exists():
        raise PermissionDenied
    expert = profile.user
    if expert.pk == invited_by.pk:
        raise ValidationError(_("You cannot invite yourself as a speaker."))
    if not profile.listed or not expert.is_active:
        raise ValidationError(_("This person is not listed as an expert: they cannot be invited."))
    topic = topic.strip()
    if not topic:
        raise ValidationError({"topic": _("Say what the talk is about.")})
    Gathering.objects.select_for_update().filter(pk=gathering.pk).first()
    _refuse_gathering(gathering, invited_by)
    room = agenda_room_minutes(gathering)
    if duration_minutes > room:
        raise ValidationError(
            {
                "duration_minutes": _(
                    "The agenda has room for %(room)d minutes only. Shorten the talk, or make "
                    "room on the agenda first."
                )
                % {"room": room}
            }
        )
    already = _("%(name)s is already invited to speak at this gathering.") % {"name": expert}
    if gathering.speaker_invitations.filter(
        expert=expert, state__in=SpeakerInvitation.OPEN_STATES
    ).exists():
        raise ValidationError({"gathering": already})
    invitation = SpeakerInvitation(
        gathering=gathering,
        expert=expert,
        topic=topic,
        message=message.strip(),
        duration_minutes=duration_minutes,
        invited_by=invited_by,
    )
    invitation.full_clean(exclude=["gathering", "expert", "invited_by", "agenda_item"])
    try:
        with transaction.atomic():  # two facilitators at once: the constraint decides
            invitation.save()
    except IntegrityError:
        raise ValidationError({"gathering": already}) from None
    audit.log(invitation, AuditEntry.Action.CREATED)
    notice_publish(
        kind=NoticeKind.SPEAKER_INVITED,
        event_key=f"speaker-invitation:{invitation.pk}",
        recipients=[expert],
        actor=invited_by,
        about=gathering.title,
        link=reverse("speaker_invitation", kwargs={"pk": invitation.pk}),
        language=gathering.network.language,
        excerpt=topic,
    )
    return invitation


def _locked(invitation: SpeakerInvitation) -> SpeakerInvitation:
    return (
        SpeakerInvitation.objects.select_for_update()
        .select_related("gathering__network", "expert")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def speaker_invitation_answer(
    *, invitation: SpeakerInvitation, user, accept: bool
) -> SpeakerInvitation:
    """The expert accepts or declines. Only the expert answers (``PermissionDenied`` for
    anyone else, the inviter and administrators included); a decided invitation, or one to a
    gathering begun or cancelled, is refused with a ``ValidationError``.

    Accepting adds the talk at the end of the gathering's agenda (a lecture of the invitation's
    length, the expert as speaker) through ``sessions_app.services.agenda_item_add``, which
    refuses it when the agenda has no room left; the expert then sees the gathering's page.
    Side effects: the agenda item's audit entry and the invitation's."""
    if not rules.is_invited_expert(user, invitation):
        raise PermissionDenied
    invitation = _locked(invitation)
    if invitation.state != SpeakerInvitation.State.SENT:
        raise ValidationError(
            _("This invitation is already %(state)s.")
            % {"state": invitation.get_state_display().lower()}
        )
    gathering = invitation.gathering
    if gathering.cancelled_at is not None or gathering.starts_at <= timezone.now():
        raise ValidationError(_("The gathering is cancelled or has begun: it cannot be answered."))
    before = audit.snapshot(invitation)
    if accept:
        try:
            invitation.agenda_item = sessions_services.agenda_item_add(
                gathering=gathering,
                title=invitation.topic,
                kind=AgendaItem.Kind.LECTURE,
                duration_minutes=invitation.duration_minutes,
                speaker=str(invitation.expert)[:200],
            )
        except ValidationError as exc:
            raise ValidationError(
                _(
                    "The gathering's agenda has no room for the talk any more. Ask the "
                    "facilitator to make room, then accept again."
                )
            ) from exc
        invitation.state = SpeakerInvitation.State.ACCEPTED
    else:
        invitation.state = SpeakerInvitation.State.DECLINED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_at", "agenda_item"])
    audit.log_change(invitation, before=before)
    return invitation


@transaction.atomic
def speaker_invitation_withdraw(*, invitation: SpeakerInvitation, user) -> SpeakerInvitation:
    """Whoever runs the gathering's network withdraws a sent or accepted invitation before the
    gathering begins; an accepted talk leaves the agenda (``agenda_item_delete``, logged). The
    expert no longer sees the gathering. ``ValidationError`` once decided otherwise or begun."""
    if not rules.runs_gathering_of_invitation(user, invitation):
        raise PermissionDenied
    invitation = _locked(invitation)
    if invitation.state not in SpeakerInvitation.OPEN_STATES:
        raise ValidationError(
            _("This invitation is already %(state)s.")
            % {"state": invitation.get_state_display().lower()}
        )
    if invitation.gathering.starts_at <= timezone.now():
        raise ValidationError(_("The gathering has begun: the invitation stays as it is."))
    before = audit.snapshot(invitation)
    item = invitation.agenda_item
    invitation.state = SpeakerInvitation.State.WITHDRAWN
    invitation.decided_at = timezone.now()
    invitation.agenda_item = None
    invitation.save(update_fields=["state", "decided_at", "agenda_item"])
    audit.log_change(invitation, before=before)
    if item is not None:
        sessions_services.agenda_item_delete(item=item)
    return invitation
