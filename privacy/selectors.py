"""What the portal holds about one person, gathered for their download.

Every relation to the user model is read here; ``COVERED`` names each one and the part of the
download it lands in, and tests/privacy/test_coverage.py fails when a new relation to the user
model appears that this module does not cover. A fixed number of queries, whatever the number
of rows.
"""

from django.contrib.admin.models import LogEntry
from django.db.models import Q
from django.utils import timezone

from assessment.models import Response, Round
from benchmarking.models import ComparisonSet
from cemsdi_portal.core.models import AuditEntry
from community.models import Adoption, ExpertProfile, Practice, SpeakerInvitation
from networks.models import Invitation, MembershipInvitation, Role
from notices.models import Notice, NoticePreference
from reports.models import NarrativeRevision, NarrativeSection, ReportRequest, ReportReview
from sessions_app.models import (
    AnswerReminderSent,
    AssignmentCompletion,
    Attendance,
    CalendarToken,
    EvaluationGiven,
    Gathering,
    GatheringAnswer,
    GatheringUpdateSent,
    Material,
)
from sessions_app.selectors import effective_hours, with_training_minutes
from strategies.models import (
    DigestSent,
    Measure,
    Section,
    SectionComment,
    SectionPresence,
    SectionRevision,
    StatusChange,
    Strategy,
)

# Every relation to the user model ("app_label.Model.field") and the part of the download
# that holds it.
COVERED = {
    "admin.LogEntry.user": "administration_log",
    "core.AuditEntry.actor": "audit_entries",
    "networks.Role.user": "roles",
    "networks.Invitation.invited_by": "invitations_sent",
    "networks.MembershipInvitation.invited_by": "membership_invitations",
    "networks.MembershipInvitation.decided_by": "membership_invitations",
    "sessions_app.Material.uploaded_by": "materials_uploaded",
    "sessions_app.Attendance.person": "attendance",
    "sessions_app.AssignmentCompletion.done_by": "assignments_marked_done",
    "sessions_app.CalendarToken.user": "calendar_feed",
    "sessions_app.GatheringAnswer.person": "gathering_answers",
    "sessions_app.AnswerReminderSent.person": "answer_reminders",
    # Only that the person evaluated a gathering: the evaluation itself is stored without them.
    "sessions_app.EvaluationGiven.person": "evaluations_given",
    "sessions_app.GatheringUpdateSent.person": "gathering_updates_received",
    "strategies.Strategy.started_by": "strategies_started",
    "strategies.StatusChange.changed_by": "strategy_status_changes",
    "strategies.Section.updated_by": "sections_last_saved",
    "strategies.SectionRevision.author": "section_revisions",
    "strategies.SectionComment.author": "section_comments",
    "strategies.SectionComment.resolved_by": "comment_threads_resolved",
    "strategies.SectionPresence.user": "sections_open",
    "strategies.Measure.owner": "measures_owned",
    "strategies.DigestSent.user": "digests_sent",
    "reports.ReportRequest.requested_by": "reports_requested",
    "reports.ReportRequest.requesters": "reports_requested",
    "reports.ReportRequest.issued_by": "reports_issued",
    "reports.ReportReview.reviewer": "report_reviews",
    "reports.NarrativeRevision.author": "narrative_revisions",
    "reports.NarrativeSection.updated_by": "narrative_sections",
    "reports.NarrativeSection.finalised_by": "narrative_sections",
    "notices.Notice.recipient": "notices",
    "notices.Notice.actor": "notices_about_you",
    "notices.NoticePreference.user": "notice_settings",
    "assessment.Round.opened_by": "assessment_rounds",
    "assessment.Round.closed_by": "assessment_rounds",
    "assessment.Response.updated_by": "assessment_responses",
    "assessment.Response.submitted_by": "assessment_responses",
    "benchmarking.ComparisonSet.owner": "comparison_sets",
    "community.Practice.contact": "practices_as_contact",
    "community.Practice.featured_by": "practices_featured",
    "community.Practice.published_by": "practices_published",
    "community.Adoption.adopted_by": "practices_taken_up",
    "community.ExpertProfile.user": "expert_profile",
    "community.SpeakerInvitation.expert": "speaker_invitations",
    "community.SpeakerInvitation.invited_by": "speaker_invitations_sent",
}
# Fields never put in a download: secrets that open something.
SECRET_FIELDS = {"token_hash", "token", "password"}
USER_LABEL = "networks.user"


def _when(value):
    return value.isoformat() if value is not None else None


def _name(user) -> str | None:
    return str(user) if user is not None else None


def invitations_to(user):
    """The invitations addressed to the person: by the role they took, or by their address."""
    names = {f.name for f in Invitation._meta.concrete_fields}
    query = Q(role__user=user)
    if "email" in names:
        query |= Q(email__iexact=user.email)
    return Invitation.objects.filter(query)


def _generic_row(obj) -> dict:
    """A row's own fields, read from the model (so new fields come along): relations by
    their name, secrets left out."""
    row = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in SECRET_FIELDS:
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            if isinstance(related, Role):
                row[field.name] = related.get_kind_display()
            else:
                row[field.name] = str(related) if related is not None else None
        else:
            value = getattr(obj, field.attname)
            row[field.name] = _when(value) if hasattr(value, "isoformat") else value
    return row


def _with_relations(queryset):
    model = queryset.model
    return queryset.select_related(*[f.name for f in model._meta.concrete_fields if f.is_relation])


def _profile(user) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "is_active": user.is_active,
        "is_administrator": user.is_staff,
        "language": user.language,
    }


def _roles(user) -> list[dict]:
    roles = (
        Role.objects.filter(user=user)
        .select_related("network", "municipality", "programme")
        .prefetch_related("granted_in")
    )
    return [
        {
            "id": role.pk,
            "kind": role.kind,
            "kind_label": role.get_kind_display(),
            "scope": str(role.scope),
            # The networks whose invitations gave it; none: every network of the municipality.
            "given_in_networks": ", ".join(n.name for n in role.granted_in.all()),
            "title": role.title,
            "created_at": _when(role.created_at),
        }
        for role in roles
    ]


def _attendance(user) -> list[dict]:
    rows = list(
        Attendance.objects.filter(person=user)
        .select_related("gathering__network", "municipality")
        .order_by("gathering__starts_at", "pk")
    )
    minutes = dict(
        with_training_minutes(
            Gathering.objects.filter(pk__in={a.gathering_id for a in rows})
        ).values_list("pk", "training_minutes")
    )
    return [
        {
            "id": a.pk,
            "network": a.gathering.network.name,
            "gathering": a.gathering.number,
            "date": _when(timezone.localdate(a.gathering.starts_at)),
            "municipality": a.municipality.name,
            "role": a.role_kind,
            "present": a.present,
            "hours": str(effective_hours(a, minutes.get(a.gathering_id, 0))),
        }
        for a in rows
    ]


def _section_place(section) -> dict:
    return {
        "strategy": section.strategy.title,
        "municipality": section.strategy.municipality.name,
        "section": section.title,
    }


def _writing(user) -> dict:
    revisions = (
        SectionRevision.objects.filter(author=user)
        .select_related("section__strategy__municipality")
        .order_by("created_at", "pk")
    )
    comments = SectionComment.objects.filter(author=user).select_related(
        "section__strategy__municipality"
    )
    sections = Section.objects.filter(updated_by=user).select_related("strategy__municipality")
    measures = Measure.objects.filter(owner=user).select_related(
        "strategy__municipality", "section"
    )
    return {
        "section_revisions": [
            {
                **_section_place(r.section),
                "version": r.version,
                "title": r.title,
                "text": r.body,
                "saved_at": _when(r.created_at),
                "restored_from": r.restored_from,
            }
            for r in revisions
        ],
        "section_comments": [
            {**_section_place(c.section), "text": c.body, "written_at": _when(c.created_at)}
            for c in comments
        ],
        "comment_threads_resolved": [
            {**_section_place(c.section), "comment": c.body, "resolved_at": _when(c.resolved_at)}
            for c in SectionComment.objects.filter(resolved_by=user).select_related(
                "section__strategy__municipality"
            )
        ],
        "reports_issued": [
            {
                "report": str(r),
                "version": r.version,
                "issued_at": _when(r.issued_at),
                "sha256": r.checksum,
            }
            for r in ReportRequest.objects.filter(issued_by=user).select_related("programme")
        ],
        "report_reviews": [
            {
                "report": str(v.report),
                "version": v.report.version,
                "verdict": v.verdict,
                "comment": v.comment,
                "at": _when(v.created_at),
            }
            for v in ReportReview.objects.filter(reviewer=user).select_related("report__programme")
        ],
        "narrative_revisions": [
            {
                "section": r.section.kind,
                "language": r.section.language,
                "period": r.section.period.number,
                "version": r.version,
                "text": r.body,
                "saved_at": _when(r.created_at),
            }
            for r in NarrativeRevision.objects.filter(author=user)
            .select_related("section__period")
            .order_by("created_at", "pk")
        ],
        "narrative_sections": [
            {
                "section": n.kind,
                "language": n.language,
                "period": n.period.number,
                "last_saved": n.updated_by_id == user.pk,
                "marked_final": n.finalised_by_id == user.pk,
            }
            for n in NarrativeSection.objects.filter(
                Q(updated_by=user) | Q(finalised_by=user)
            ).select_related("period")
        ],
        "sections_last_saved": [
            {**_section_place(s), "version": s.version, "saved_at": _when(s.updated_at)}
            for s in sections
        ],
        "measures_owned": [
            {
                "strategy": m.strategy.title,
                "municipality": m.strategy.municipality.name,
                "section": m.section.title if m.section else None,
                "title": m.title,
                "status": m.status,
                "progress": m.progress,
                "due_on": _when(m.due_on),
                "updated_at": _when(m.updated_at),
            }
            for m in measures
        ],
    }


def _strategy_work(user) -> dict:
    started = Strategy.objects.filter(started_by=user).select_related("municipality", "network")
    changes = StatusChange.objects.filter(changed_by=user).select_related("strategy__municipality")
    return {
        "strategies_started": [
            {
                "strategy": s.title,
                "municipality": s.municipality.name,
                "network": s.network.name,
                "started_at": _when(s.started_at),
            }
            for s in started
        ],
        "strategy_status_changes": [
            {
                "strategy": c.strategy.title,
                "municipality": c.strategy.municipality.name,
                "from": c.from_status,
                "to": c.to_status,
                "note": c.note,
                "changed_at": _when(c.changed_at),
            }
            for c in changes
        ],
        "sections_open": [
            {**_section_place(p.section), "last_seen": _when(p.last_seen)}
            for p in SectionPresence.objects.filter(user=user).select_related(
                "section__strategy__municipality"
            )
        ],
        "digests_sent": [
            {"week": d.week, "sent_at": _when(d.sent_at)}
            for d in DigestSent.objects.filter(user=user)
        ],
    }


def _gathering_work(user) -> dict:
    materials = Material.objects.filter(uploaded_by=user).select_related("gathering__network")
    done = AssignmentCompletion.objects.filter(done_by=user).select_related(
        "assignment", "municipality"
    )
    return {
        "materials_uploaded": [
            {
                "network": m.gathering.network.name,
                "gathering": m.gathering.number,
                "title": m.title,
                "kind": m.kind,
                "uploaded_at": _when(m.uploaded_at),
            }
            for m in materials
        ],
        "assignments_marked_done": [
            {
                "assignment": c.assignment.title,
                "municipality": c.municipality.name,
                "done_at": _when(c.done_at),
            }
            for c in done
        ],
        # The feed's address is a secret: whether there is one, not the address.
        "calendar_feed": CalendarToken.objects.filter(user=user).exists(),
        "gathering_updates_received": [
            {
                "network": u.update.gathering.network.name,
                "gathering": u.update.gathering.number,
                "change": u.update.method,
                "sent_at": _when(u.sent_at),
            }
            for u in GatheringUpdateSent.objects.filter(person=user).select_related(
                "update__gathering__network"
            )
        ],
        **_answers(user),
    }


def _gathering_place(gathering) -> dict:
    return {"network": gathering.network.name, "gathering": gathering.number}


def _answers(user) -> dict:
    answers = GatheringAnswer.objects.filter(person=user).select_related("gathering__network")
    reminders = AnswerReminderSent.objects.filter(person=user).select_related(
        "round__gathering__network"
    )
    given = EvaluationGiven.objects.filter(person=user).select_related("gathering__network")
    return {
        "gathering_answers": [
            {
                **_gathering_place(a.gathering),
                "answer": a.answer,
                "answered_at": _when(a.answered_at),
            }
            for a in answers
        ],
        "answer_reminders": [
            {**_gathering_place(r.round.gathering), "sent_at": _when(r.sent_at)} for r in reminders
        ],
        # What the person answered is not theirs to download: it is stored without them.
        "evaluations_given": [_gathering_place(g.gathering) for g in given],
    }


def _notices(user) -> dict:
    """The notices the person got, and (without who got them: that is theirs) the notices
    others got about what the person did."""
    received = Notice.objects.filter(recipient=user).select_related("actor")
    return {
        "notices": [
            {
                "kind": n.kind,
                "from": _name(n.actor),
                "about": n.about,
                "excerpt": n.excerpt,
                "created_at": _when(n.created_at),
                "sent_at": _when(n.sent_at),
                "read_at": _when(n.read_at),
            }
            for n in received
        ],
        "notices_about_you": [
            {"kind": kind, "about": about, "created_at": _when(created)}
            for kind, about, created in Notice.objects.filter(actor=user).values_list(
                "kind", "about", "created_at"
            )
        ],
        "notice_settings": dict(
            NoticePreference.objects.filter(user=user).values_list("kind", "rhythm")
        ),
    }


def _reports(user) -> list[dict]:
    reports = (
        ReportRequest.objects.filter(Q(requested_by=user) | Q(requesters=user))
        .distinct()
        .select_related("programme", "network", "municipality")
    )
    return [
        {
            "kind": r.kind,
            "subject": str(r.municipality or r.network or r.programme),
            "language": r.language,
            "status": r.status,
            "requested_at": _when(r.created_at),
        }
        for r in reports
    ]


def _comparison_sets(user) -> list[dict]:
    sets = ComparisonSet.objects.filter(owner=user).prefetch_related("municipalities")
    return [
        {
            "name": s.name,
            "municipalities": sorted(f"{m.code} {m.name}" for m in s.municipalities.all()),
            "created_at": _when(s.created_at),
            "changed_at": _when(s.updated_at),
        }
        for s in sets
    ]


def about_person_q(
    *, user, role_ids, attendance_ids, invitation_ids, expert_profile_ids=(), speaker_ids=()
) -> Q:
    """Audit entries about the person's own records: their account, roles, attendance, the
    invitations addressed to them, their expert profile and the invitations to speak."""
    query = Q(model=USER_LABEL, object_id=str(user.pk))
    for label, ids in [
        ("networks.role", role_ids),
        ("sessions_app.attendance", attendance_ids),
        ("networks.invitation", invitation_ids),
        ("community.expertprofile", expert_profile_ids),
        ("community.speakerinvitation", speaker_ids),
    ]:
        if ids:
            query |= Q(model=label, object_id__in=[str(pk) for pk in ids])
    return query


def _audit(user, *, role_ids, attendance_ids, invitation_ids, **community_ids) -> list[dict]:
    about = about_person_q(
        user=user,
        role_ids=role_ids,
        attendance_ids=attendance_ids,
        invitation_ids=invitation_ids,
        **community_ids,
    )
    entries = AuditEntry.objects.filter(Q(actor=user) | about).select_related("actor")
    return [
        {
            "at": _when(e.at),
            "who": _name(e.actor),
            "action": e.action,
            "record": f"{e.model} {e.object_id}",
            "what": e.object_repr,
            "changes": e.changes,
        }
        for e in entries
    ]


def _administration_log(user) -> list[dict]:
    entries = LogEntry.objects.filter(user=user).select_related("content_type")
    return [
        {
            "at": _when(e.action_time),
            "record": f"{e.content_type.app_label}.{e.content_type.model} {e.object_id}",
            "what": e.object_repr,
            "action": e.get_action_flag_display(),
            "message": e.get_change_message(),
        }
        for e in entries
    ]


def _assessment(user) -> dict:
    """Self-assessment rounds the person opened or closed, and the responses they saved last
    or submitted (the answers are the municipality's, not the person's)."""
    rounds = Round.objects.filter(Q(opened_by=user) | Q(closed_by=user)).select_related("network")
    responses = Response.objects.filter(Q(updated_by=user) | Q(submitted_by=user)).select_related(
        "round__network", "municipality"
    )
    return {
        "assessment_rounds": [
            {
                "network": r.network.name,
                "year": r.year,
                "opened_at": _when(r.opened_at) if r.opened_by_id == user.pk else None,
                "closed_at": _when(r.closed_at) if r.closed_by_id == user.pk else None,
            }
            for r in rounds
        ],
        "assessment_responses": [
            {
                "network": r.round.network.name,
                "year": r.round.year,
                "municipality": r.municipality.name,
                "saved_at": _when(r.updated_at) if r.updated_by_id == user.pk else None,
                "submitted_at": _when(r.submitted_at) if r.submitted_by_id == user.pk else None,
            }
            for r in responses
        ],
    }


def _practice_row(practice) -> dict:
    return {
        "practice": practice.title,
        "municipality": practice.municipality.name,
        "state": practice.state,
        "published_at": _when(practice.published_at),
    }


def _community(user) -> tuple[dict, dict]:
    """The practices the person is the contact of, featured or published, what they took up,
    their expert profile and the invitations to speak they got or sent (six queries); and the
    ids of their own records there, for the audit log's part."""
    practices = list(
        Practice.objects.filter(Q(contact=user) | Q(featured_by=user) | Q(published_by=user))
        .select_related("municipality")
        .order_by("published_at", "pk")
    )
    adoptions = Adoption.objects.filter(adopted_by=user).select_related("practice", "municipality")
    profile = (
        ExpertProfile.objects.filter(user=user).prefetch_related("themes", "dla_priorities").first()
    )
    invitations = list(
        SpeakerInvitation.objects.filter(Q(expert=user) | Q(invited_by=user))
        .select_related("gathering__network", "expert", "invited_by")
        .order_by("created_at", "pk")
    )

    def invitation_row(i, *, who: str) -> dict:
        return {
            **_gathering_place(i.gathering),
            who: _name(i.invited_by if who == "invited_by" else i.expert),
            "topic": i.topic,
            "message": i.message,
            "minutes": i.duration_minutes,
            "state": i.state,
            "sent_at": _when(i.created_at),
            "decided_at": _when(i.decided_at),
        }

    data = {
        "practices_as_contact": [
            {**_practice_row(p), "agreed_at": _when(p.contact_agreed_at)}
            for p in practices
            if p.contact_id == user.pk
        ],
        "practices_featured": [
            {**_practice_row(p), "featured_at": _when(p.featured_at)}
            for p in practices
            if p.featured_by_id == user.pk
        ],
        "practices_published": [
            _practice_row(p) for p in practices if p.published_by_id == user.pk
        ],
        "practices_taken_up": [
            {
                "practice": a.practice.title,
                "into_plan_of": a.municipality.name,
                "adopted_at": _when(a.adopted_at),
            }
            for a in adoptions
        ],
        "expert_profile": None
        if profile is None
        else {
            "listed": profile.listed,
            "summary": profile.summary,
            "themes": ", ".join(t.name for t in profile.themes.all()),
            "dla_priorities": ", ".join(p.code for p in profile.dla_priorities.all()),
            "languages": ", ".join(profile.languages),
            "created_at": _when(profile.created_at),
            "changed_at": _when(profile.updated_at),
        },
        "speaker_invitations": [
            invitation_row(i, who="invited_by") for i in invitations if i.expert_id == user.pk
        ],
        "speaker_invitations_sent": [
            invitation_row(i, who="expert") for i in invitations if i.invited_by_id == user.pk
        ],
    }
    ids = {
        "expert_profile_ids": [profile.pk] if profile is not None else [],
        "speaker_ids": [i.pk for i in invitations if i.expert_id == user.pk],
    }
    return data, ids


def personal_data(user) -> dict:
    """Everything the portal holds about ``user``, as plain data (the JSON download)."""
    roles = _roles(user)
    attendance = _attendance(user)
    received = list(_with_relations(invitations_to(user)))
    community, community_ids = _community(user)
    return {
        "generated_at": _when(timezone.now().replace(microsecond=0)),
        "profile": _profile(user),
        "roles": roles,
        "invitations_received": [_generic_row(i) for i in received],
        "invitations_sent": [
            _generic_row(i) for i in _with_relations(Invitation.objects.filter(invited_by=user))
        ],
        "membership_invitations": [
            _generic_row(i)
            for i in _with_relations(
                MembershipInvitation.objects.filter(Q(invited_by=user) | Q(decided_by=user))
            )
        ],
        "attendance": attendance,
        **_writing(user),
        **_strategy_work(user),
        **_gathering_work(user),
        "reports_requested": _reports(user),
        **_assessment(user),
        "comparison_sets": _comparison_sets(user),
        **community,
        **_notices(user),
        "audit_entries": _audit(
            user,
            role_ids=[r["id"] for r in roles],
            attendance_ids=[a["id"] for a in attendance],
            invitation_ids=[i.pk for i in received],
            **community_ids,
        ),
        "administration_log": _administration_log(user),
    }


def erasure_summary(person) -> dict:
    """What an erasure takes away and what it keeps, for the administrator's confirmation."""
    return {
        "roles": [
            str(role)
            for role in Role.objects.filter(user=person).select_related(
                "user", "network", "municipality", "programme"
            )
        ],
        "attendance": Attendance.objects.filter(person=person).count(),
        "revisions": SectionRevision.objects.filter(author=person).count(),
        "comments": SectionComment.objects.filter(author=person).count(),
    }
