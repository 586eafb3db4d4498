"""Erasing a person on request, keeping what the programme must keep.

The account row stays (attendance, revisions, comments and measures point at it) but holds
nothing personal: username ``former-<id>``, no names, the address ``former-<id>@invalid``, an
unusable password, inactive. Pages show it as "a former participant" (display.py). What the
person held (roles, sessions, presence, calendar feed, expert profile) goes; what the
programme counts (attendance and its hours) and what they wrote stays. Audit and admin log
entries that carried their name, username or address keep their place with ``former-<id>``
instead.
"""

import json
import re
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from community.models import ExpertProfile, Practice, SpeakerInvitation
from networks.models import Invitation, Role
from sessions_app.models import AgendaItem, Attendance

from .display import erased_email, erased_username, is_erased
from .selectors import USER_LABEL, about_person_q, invitations_to

# What erasure does with the rows of every relation to the user model: "deleted", "kept"
# (they stay, attributed to the anonymised account), or "cleared" (the row stays, without the
# person: the relation is emptied). tests/privacy/test_coverage.py holds
# this list to the models, as it holds selectors.COVERED.
ON_ERASURE = {
    "admin.LogEntry.user": "kept",
    "core.AuditEntry.actor": "kept",
    "networks.Role.user": "deleted",  # every access goes with them
    "networks.Invitation.invited_by": "kept",
    "networks.MembershipInvitation.invited_by": "kept",
    "networks.MembershipInvitation.decided_by": "kept",
    "sessions_app.Material.uploaded_by": "kept",
    "sessions_app.Attendance.person": "kept",  # the programme's counts and hours
    "sessions_app.AssignmentCompletion.done_by": "kept",
    "sessions_app.CalendarToken.user": "deleted",
    "sessions_app.GatheringAnswer.person": "deleted",  # no longer invited once roles go
    "sessions_app.AnswerReminderSent.person": "deleted",
    "sessions_app.EvaluationGiven.person": "kept",  # still evaluated once, so not twice
    "sessions_app.GatheringUpdateSent.person": "deleted",  # bookkeeping of e-mails sent
    "strategies.Strategy.started_by": "kept",
    "strategies.StatusChange.changed_by": "kept",
    "strategies.Section.updated_by": "kept",
    "strategies.SectionRevision.author": "kept",
    "strategies.SectionComment.author": "kept",
    "strategies.SectionComment.resolved_by": "kept",
    "strategies.SectionPresence.user": "deleted",
    "strategies.Measure.owner": "kept",
    "strategies.DigestSent.user": "deleted",
    "reports.ReportRequest.requested_by": "kept",
    "reports.ReportRequest.requesters": "kept",
    # An issued version is the programme's deliverable: it keeps who issued and reviewed it.
    "reports.ReportRequest.issued_by": "kept",
    "reports.ReportReview.reviewer": "kept",
    "reports.NarrativeRevision.author": "kept",  # the report's text stays, as a strategy's
    "reports.NarrativeSection.updated_by": "kept",
    "reports.NarrativeSection.finalised_by": "kept",
    "notices.Notice.recipient": "deleted",
    "notices.Notice.actor": "kept",  # others' notices, shown as by a former participant
    "notices.NoticePreference.user": "deleted",
    "assessment.Round.opened_by": "kept",
    "assessment.Round.closed_by": "kept",
    "assessment.Response.updated_by": "kept",
    "assessment.Response.submitted_by": "kept",
    "benchmarking.ComparisonSet.owner": "deleted",  # the person's own choice, seen by no one else
    # The practice stays the municipality's; nobody is to be asked through it any more.
    "community.Practice.contact": "cleared",
    "community.Practice.featured_by": "kept",
    "community.Practice.published_by": "kept",
    "community.Adoption.adopted_by": "kept",
    "community.ExpertProfile.user": "deleted",  # no longer found as an expert
    # Kept as history; the open ones are answered as withdrawn (_community_erase).
    "community.SpeakerInvitation.expert": "kept",
    "community.SpeakerInvitation.invited_by": "kept",
}
# Fields of an entry about the person whose values are theirs alone.
PERSONAL_FIELDS = {"first_name", "last_name", "email", "username", "title", "summary", "languages"}
INVITATION_PERSONAL_FIELDS = {"first_name", "last_name", "title", "token_hash"}


def _delete_held(person) -> None:
    for label, what in ON_ERASURE.items():
        if what != "deleted":
            continue
        app_model, field = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        rows = model._default_manager.filter(**{field: person})
        if model is Role:  # the audit log has each role; the rest is the person's bookkeeping
            rows = list(rows.select_related("network", "municipality", "programme"))
            audit.log_bulk(model=Role, objects=rows, action=AuditEntry.Action.DELETED)
            rows = Role.objects.filter(pk__in=[role.pk for role in rows])
        rows.delete()


def _clear_held(person) -> None:
    for label, what in ON_ERASURE.items():
        if what != "cleared":
            continue
        app_model, field = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        cleared = {field: None}
        if model is Practice:  # their agreement to be asked goes with them
            cleared["contact_agreed_at"] = None
        model._default_manager.filter(**{field: person}).update(**cleared)


def _community_erase(person) -> None:
    """Open invitations to speak are answered as withdrawn (the audit log has each), and an
    accepted talk's agenda item keeps its place and hours without the person's name."""
    invitations = list(
        SpeakerInvitation.objects.select_for_update().filter(
            expert=person, state__in=SpeakerInvitation.OPEN_STATES
        )
    )
    now = timezone.now()
    audit.log_bulk(
        model=SpeakerInvitation,
        objects=invitations,
        action=AuditEntry.Action.CHANGED,
        changes=lambda i: {"state": [i.state, SpeakerInvitation.State.WITHDRAWN]},
    )
    SpeakerInvitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        state=SpeakerInvitation.State.WITHDRAWN, decided_at=now
    )
    AgendaItem.objects.filter(
        pk__in=SpeakerInvitation.objects.filter(expert=person).values("agenda_item_id")
    ).update(speaker="")


def _end_sessions(person_id: int) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if session.get_decoded().get(SESSION_KEY) == str(person_id):
            store(session_key=session.session_key).delete()


def _clear_invitations(invitations, pk: int) -> None:
    """Invitations addressed to the person keep their network, kind and dates, not who."""
    names = {f.name for f in Invitation._meta.concrete_fields}
    ids = list(invitations.values_list("pk", flat=True))
    rows = Invitation.objects.filter(pk__in=ids)
    if "state" in names:  # an open invitation can no longer be accepted
        withdrawn = {"state": Invitation.State.WITHDRAWN}
        if "withdrawn_at" in names:
            withdrawn["withdrawn_at"] = timezone.now()
        rows.filter(state=Invitation.State.SENT).update(**withdrawn)
    cleared = dict.fromkeys(INVITATION_PERSONAL_FIELDS & names, "")
    if "email" in names:
        cleared["email"] = erased_email(pk)
    if cleared:
        rows.update(**cleared)


def _replacer(*, names: list[str], username: str, placeholder: str):
    """A function that puts ``placeholder`` for the person's names and address (in any case)
    and username (as written: a username such as "chief" is also a word in other text)."""
    edge = r"(?<![\w@.-]){}(?![\w@-])"
    any_case = re.compile("|".join(edge.format(re.escape(n)) for n in names), re.IGNORECASE)
    exact = re.compile(edge.format(re.escape(username)))

    def scrub(value):
        if isinstance(value, str):
            return exact.sub(placeholder, any_case.sub(placeholder, value))
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    return scrub


def _mentions(needles: list[str], *fields: str) -> Q:
    query = Q()
    for needle in needles:
        # JSON stored by json.dumps escapes letters such as ø; look for both spellings.
        for form in {needle, json.dumps(needle)[1:-1]}:
            for field in fields:
                query |= Q(**{f"{field}__icontains": form})
    return query


def _scrub_logs(*, person, names: list[str], username: str, about: Q) -> None:
    placeholder = erased_username(person.pk)
    scrub = _replacer(names=names, username=username, placeholder=placeholder)
    needles = [*names, username]
    candidates = AuditEntry.objects.annotate(changes_text=Cast("changes", TextField())).filter(
        about | _mentions(needles, "object_repr", "changes_text")
    )
    about_ids = set(AuditEntry.objects.filter(about).values_list("pk", flat=True))
    entries = []
    for entry in candidates:
        changes = scrub(entry.changes)
        if entry.pk in about_ids and isinstance(changes, dict):
            changes = {
                k: ([placeholder, placeholder] if k in PERSONAL_FIELDS else v)
                for k, v in changes.items()
            }
        repr_ = scrub(entry.object_repr)
        if (repr_, changes) != (entry.object_repr, entry.changes):
            entry.object_repr, entry.changes = repr_, changes
            entries.append(entry)
    AuditEntry.objects.bulk_update(entries, ["object_repr", "changes"])

    user_type = ContentType.objects.get_for_model(type(person))
    logged = list(
        LogEntry.objects.filter(
            Q(content_type=user_type, object_id=str(person.pk))
            | _mentions(needles, "object_repr", "change_message")
        )
    )
    for entry in logged:
        entry.object_repr = scrub(entry.object_repr)
        if entry.content_type_id == user_type.pk and entry.object_id == str(person.pk):
            entry.object_repr = placeholder
        entry.change_message = scrub(entry.change_message)
    LogEntry.objects.bulk_update(logged, ["object_repr", "change_message"])


def _forget_sign_ins(names: list[str]) -> None:
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=names).delete()


@transaction.atomic
def person_erase(*, person, erased_by) -> None:
    """Erase ``person``'s personal data on request; an administrator's act.

    Side effects: the account is anonymised and can no longer sign in (its sessions end);
    its roles, presence, calendar feed, digest records and expert profile are deleted;
    invitations addressed to it are withdrawn and lose the name, address and title; its open
    invitations to speak are withdrawn (logged) and its talks on agendas lose its name; the
    practices naming it as their contact lose it (the practices stay); its sign-in records
    are deleted; audit and admin log entries lose its name, username and address; one audit
    entry records the erasure (who erased, which account, nothing personal). Attendance, text
    and measures stay. Raises ``PermissionDenied`` for a non-administrator and
    ``ValidationError`` for oneself or an account already erased.
    """
    if not erased_by.has_perm("privacy.erase_person"):
        raise PermissionDenied
    if person.pk == erased_by.pk:
        raise ValidationError(
            _("You cannot erase your own account. Ask another administrator to do it.")
        )
    if is_erased(person):
        raise ValidationError(_("This account has already been erased."))
    names = sorted({n for n in [person.get_full_name(), person.email] if n}, key=len)[::-1]
    username = person.username
    invitations = invitations_to(person)
    about = about_person_q(
        user=person,
        role_ids=list(Role.objects.filter(user=person).values_list("pk", flat=True)),
        attendance_ids=list(Attendance.objects.filter(person=person).values_list("pk", flat=True)),
        invitation_ids=list(invitations.values_list("pk", flat=True)),
        expert_profile_ids=list(
            ExpertProfile.objects.filter(user=person).values_list("pk", flat=True)
        ),
        speaker_ids=list(
            SpeakerInvitation.objects.filter(expert=person).values_list("pk", flat=True)
        ),
    )
    _clear_invitations(invitations, person.pk)
    _forget_sign_ins([person.username, person.email])

    person.username = erased_username(person.pk)
    person.first_name = person.last_name = ""
    person.email = erased_email(person.pk)
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    person.save()
    person.groups.clear()
    person.user_permissions.clear()

    _community_erase(person)
    _clear_held(person)
    _delete_held(person)  # after anonymising: the log names a former participant
    _end_sessions(person.pk)
    _scrub_logs(person=person, names=names, username=username, about=about)
    AuditEntry.objects.create(
        actor=erased_by,
        action=AuditEntry.Action.CHANGED,
        model=USER_LABEL,
        object_id=str(person.pk),
        object_repr=erased_username(person.pk),
        changes={"erased": [False, True]},
    )
