"""Writes of the review report's narrative: saving a section (with conflict detection, as a
strategy's sections), marking it final and back to draft, restoring a revision.

Callers have asked ``rules.py`` first (``reports.write_narrative``). A broken rule raises
``ValidationError`` keyed by the field at fault; a save made on a version that someone else
changed meanwhile raises :class:`NarrativeConflict` and saves nothing. Each write logs itself.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cemsdi_portal.core import audit

from .models import NarrativeRevision, NarrativeSection, ReportingPeriod

Kind, Status = NarrativeSection.Kind, NarrativeSection.Status
LONGEST_TEXT = 50_000  # characters in one section, as a strategy's


@dataclass
class NarrativeConflict(Exception):
    """The section changed since the writer loaded it. Nothing was saved."""

    section: NarrativeSection  # as stored now, with the other writer's text
    yours: str  # the text the writer tried to save, to be offered back


def _body(body: str) -> str:
    body = body.replace("\r\n", "\n")
    if len(body) > LONGEST_TEXT:
        raise ValidationError(
            {
                "body": _("A section holds at most %(count)s characters; this one has %(length)s.")
                % {"count": f"{LONGEST_TEXT:,}", "length": f"{len(body):,}"}
            }
        )
    return body


def _check_scope(*, period: ReportingPeriod, network, kind: str, language: str) -> None:
    """The programme's kinds have no network; a network's kinds need one of the period's
    programme; the language is one of the site's."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if network is None and kind not in NarrativeSection.PROGRAMME_KINDS:
        raise ValidationError({"kind": _("This section is written for a network.")})
    if network is not None and kind not in NarrativeSection.NETWORK_KINDS:
        raise ValidationError({"kind": _("This section is written for the programme.")})
    if network is not None and network.programme_id != period.programme_id:
        raise ValidationError({"network": _("The network is not in this period's programme.")})


def _record(section: NarrativeSection, user, *, restored_from=None) -> NarrativeRevision:
    return NarrativeRevision.objects.create(
        section=section,
        version=section.version,
        body=section.body,
        author=user,
        restored_from=restored_from,
    )


def narrative_section(
    *, period: ReportingPeriod, network, kind: str, language: str
) -> NarrativeSection:
    """The stored section, or an unsaved one (version 0, no text) to write."""
    _check_scope(period=period, network=network, kind=kind, language=language)
    section = NarrativeSection.objects.filter(
        period=period, network=network, kind=kind, language=language
    ).first()
    return section or NarrativeSection(period=period, network=network, kind=kind, language=language)


@transaction.atomic
def narrative_save(
    *,
    section: NarrativeSection | None = None,
    period: ReportingPeriod | None = None,
    network=None,
    kind: str = "",
    language: str = "",
    body: str,
    version: int,
    user,
) -> NarrativeRevision:
    """Save the section's text as a new revision, if nobody saved since ``version`` (0: the
    section is not written yet). The section is given, or named by period, network, kind and
    language (and made on its first save). Side effects: the section, its revision and an
    audit entry. A final section saved again stays final: "Back to draft" is its own step."""
    if section is None:
        _check_scope(period=period, network=network, kind=kind, language=language)
        # The row is made once (get_or_create under the unique constraint) and then locked,
        # so two first saves of the same section conflict like any two saves.
        section, _created = NarrativeSection.objects.get_or_create(
            period=period, network=network, kind=kind, language=language
        )
    body = _body(body)
    current = NarrativeSection.objects.select_for_update().get(pk=section.pk)
    if current.version != version:
        raise NarrativeConflict(section=current, yours=body)
    if body == current.body and current.version:
        return current.revisions.first() or _record(current, user)
    before = audit.snapshot(current) if current.version else None
    current.body = body
    current.version = F("version") + 1
    current.updated_at, current.updated_by = timezone.now(), user
    current.save(update_fields=["body", "version", "updated_at", "updated_by"])
    current.refresh_from_db(fields=["version"])
    audit.log_change(current, before=before, fields=["body"])
    return _record(current, user)


@transaction.atomic
def narrative_finalise(*, section: NarrativeSection, user) -> NarrativeSection:
    """Mark the section final (the report shows it without "Draft"). Only a written one."""
    current = NarrativeSection.objects.select_for_update().get(pk=section.pk)
    if not current.body.strip():
        raise ValidationError({"body": _("Write the section before marking it final.")})
    if current.status == Status.FINAL:
        return current
    before = audit.snapshot(current)
    current.status = Status.FINAL
    current.finalised_at, current.finalised_by = timezone.now(), user
    current.save(update_fields=["status", "finalised_at", "finalised_by"])
    audit.log_change(current, before=before, fields=["status", "finalised_at"])
    return current


@transaction.atomic
def narrative_reopen(*, section: NarrativeSection, user) -> NarrativeSection:
    """A final section back to draft (logged, with who did it)."""
    current = NarrativeSection.objects.select_for_update().get(pk=section.pk)
    if current.status == Status.DRAFT:
        return current
    before = audit.snapshot(current)
    current.status = Status.DRAFT
    current.finalised_at = current.finalised_by = None
    current.updated_at, current.updated_by = timezone.now(), user
    current.save(
        update_fields=["status", "finalised_at", "finalised_by", "updated_at", "updated_by"]
    )
    audit.log_change(current, before=before, fields=["status", "finalised_at"])
    return current


@transaction.atomic
def narrative_restore(*, revision: NarrativeRevision, user) -> NarrativeRevision:
    """Bring back an earlier revision's text as a new revision (nothing is overwritten)."""
    current = NarrativeSection.objects.select_for_update().get(pk=revision.section_id)
    if revision.version == current.version:
        raise ValidationError({"version": _("This revision is the current text.")})
    before = audit.snapshot(current)
    current.body = revision.body
    current.version = F("version") + 1
    current.updated_at, current.updated_by = timezone.now(), user
    current.save(update_fields=["body", "version", "updated_at", "updated_by"])
    current.refresh_from_db(fields=["version"])
    audit.log_change(current, before=before, fields=["body"])
    return _record(current, user, restored_from=revision.version)
