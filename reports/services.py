"""Writes: asking for a report (or joining the same one under way), sending it to the queue
after the commit, rendering it, and sweeping up after workers that died.

The row is the truth, not the broker: a render claims its row with a conditional update
(queued -> running) and finishes it only while the row is still the one it claimed, so a
redelivered or duplicated task does nothing, and a render that the sweeper gave up on cannot
overwrite what came after it.
"""

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import RedisError

from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from networks.countries import network_zone
from notices.models import Kind as NoticeKind
from notices.services import notice_publish

from . import documents, formats, pdf
from .models import NarrativeSection, ReportRequest, ReportReview, report_path

logger = logging.getLogger(__name__)

Status, Note, Failure = ReportRequest.Status, ReportRequest.Note, ReportRequest.Failure

# A broker that does not answer: the request is kept, and the sweeper sends it later.
BROKER_ERRORS = (BrokerOperationalError, RedisError, OSError)
# Errors that pass: the task gives the row back to the queue and Celery retries with back-off.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# How hard to try the broker while the user waits for the page (about a second at most).
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}


def subject_key(*, kind: str, programme=None, network=None, municipality=None, period=None) -> str:
    """What makes two requests the same report (with the kind and the language)."""
    if kind == ReportRequest.Kind.PROGRAMME:
        return f"programme:{programme.pk}:{period.pk}" if period else f"programme:{programme.pk}"
    if kind == ReportRequest.Kind.NETWORK:
        return f"network:{network.pk}"
    if kind == ReportRequest.Kind.STRATEGY:
        return f"strategy:{network.pk}:{municipality.pk}"
    return f"position:{municipality.pk}:{network.pk if network else 0}"


def report_language(*, user=None, requested: str) -> str:
    """Every report speaks the language of the person who asks: their own chosen language,
    else the page's. The network's working language does not decide: an Italian officer
    reads a Norwegian network's report with Italian headings, labels, dates and numbers,
    while the text people wrote (a strategy's sections, measures, gathering titles) stays in
    the language it was written in."""
    languages = {code for code, _name in settings.LANGUAGES}
    own = getattr(user, "language", "") or ""
    if own in languages:
        return own
    return requested if requested in languages else settings.LANGUAGE_CODE


def _active(*, kind: str, key: str, language: str):
    return ReportRequest.objects.filter(
        kind=kind, subject_key=key, language=language, status__in=ReportRequest.ACTIVE_STATUSES
    )


@dataclass
class Requested:
    report: ReportRequest
    joined: bool  # an earlier request for the same report was queued or running


def report_request(
    *, user, kind: str, programme=None, network=None, municipality=None, period=None, language: str
) -> Requested:
    """Ask for a report; the caller has asked ``rules.py``. It is written in the asker's
    language (``report_language``), and the language is part of what makes two requests the
    same report: a request for the same report in the same language while one is queued or
    running joins it. The task is sent after the commit, so a
    transaction that rolls back sends nothing."""
    key = subject_key(
        kind=kind, programme=programme, network=network, municipality=municipality, period=period
    )
    language = report_language(user=user, requested=language)
    with transaction.atomic():
        report = _active(kind=kind, key=key, language=language).select_for_update().first()
        joined = report is not None
        if report is None:
            try:
                with transaction.atomic():  # a savepoint: a lost race is not an aborted block
                    report = ReportRequest.objects.create(
                        kind=kind,
                        programme=programme,
                        network=network,
                        municipality=municipality,
                        period=period,
                        subject_key=key,
                        language=language,
                        requested_by=user,
                    )
            except IntegrityError:  # someone asked at the same instant: join theirs
                report = _active(kind=kind, key=key, language=language).get()
                joined = True
            else:
                audit.log(report, AuditEntry.Action.CREATED)
        report.requesters.add(user)
        if not joined or (report.status == Status.QUEUED and report.enqueued_at is None):
            transaction.on_commit(partial(report_enqueue, report_id=report.pk))
    return Requested(report=report, joined=joined)


def report_enqueue(*, report_id: int) -> bool:
    """Send the render task. When the broker does not answer, the row keeps a note saying
    so (the page shows it) and the sweeper sends it once the broker is back."""
    from .tasks import render_report

    ReportRequest.objects.filter(pk=report_id, status=Status.QUEUED).update(
        enqueued_at=timezone.now()
    )
    try:
        render_report.apply_async(args=[report_id], retry=True, retry_policy=PUBLISH_RETRY)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Report %s kept in the queue: the broker did not answer (%s)", report_id, exc
        )
        ReportRequest.objects.filter(pk=report_id, status=Status.QUEUED).update(
            enqueued_at=None, note=Note.BROKER_DOWN
        )
        return False
    ReportRequest.objects.filter(pk=report_id, note=Note.BROKER_DOWN).update(note="")
    return True


def report_claim(*, report_id: int) -> ReportRequest | None:
    """queued -> running, or ``None`` when the row is not queued (a redelivered task, or one
    sent twice): then there is nothing to do."""
    claimed = ReportRequest.objects.filter(pk=report_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return ReportRequest.objects.select_related("programme", "network", "municipality").get(
        pk=report_id
    )


def _still_mine(report: ReportRequest):
    """The row as this render claimed it: running, since the same moment."""
    return ReportRequest.objects.filter(
        pk=report.pk, status=Status.RUNNING, started_at=report.started_at
    )


def report_fail(*, report: ReportRequest, failure: str, detail: str = "") -> None:
    _still_mine(report).update(
        status=Status.FAILED, failure=failure, error=detail[:2000], finished_at=timezone.now()
    )


def render_document(report: ReportRequest) -> tuple[documents.Document, pdf.RenderedPdf]:
    """The report's document as PDF, in the report's language (and a network's report in its
    country's time zone)."""
    zone = network_zone(report.network) if report.network_id else None
    with translation.override(report.language), timezone.override(zone):
        document = documents.document_for(report)
        html = render_to_string(
            document.template,
            {
                **document.context,
                "document": document,
                "language": report.language,
                "generated_at": timezone.localtime(),
            },
        )
        document.html = html
        return document, pdf.html_to_pdf(html)


def _save_formats(report: ReportRequest, document: documents.Document) -> dict[str, str]:
    """The web page and the .docx of the same rendered HTML, beside the PDF."""
    base = report_path(report, f"{document.filename}-{report.pk}")
    docx = formats.docx_file(
        document.html, title=document.title, subject=document.subtitle, language=report.language
    )
    page = formats.web_page(document.html)
    return {
        "html_file": default_storage.save(f"{base}.html", ContentFile(page)),
        "docx_file": default_storage.save(f"{base}.docx", ContentFile(docx)),
    }


def report_render(*, report_id: int) -> None:
    """Render a queued report and store its file. Errors end as a failed row with what
    went wrong; only transient database errors give the row back and propagate, so that
    the task retries."""
    report = report_claim(report_id=report_id)
    if report is None:
        logger.info("Report %s is not queued: nothing to do", report_id)
        return
    delay = getattr(settings, "REPORTS_TEST_RENDER_DELAY", 0)
    if delay:  # tests only: a render slow enough to kill its worker in the middle
        time.sleep(delay)
    try:
        document, rendered = render_document(report)
        name = default_storage.save(
            report_path(report, f"{document.filename}-{report.pk}.pdf"),
            ContentFile(rendered.content),
        )
        others = _save_formats(report, document)
    except SoftTimeLimitExceeded:
        logger.warning("Report %s took too long and was stopped", report_id)
        report_fail(report=report, failure=Failure.TIMEOUT)
        return
    except documents.SubjectGone:
        report_fail(report=report, failure=Failure.SUBJECT_GONE)
        return
    except TRANSIENT_ERRORS:
        _still_mine(report).update(status=Status.QUEUED, enqueued_at=timezone.now())
        raise
    except Exception as exc:
        logger.exception("Report %s could not be rendered", report_id)
        report_fail(report=report, failure=Failure.ERROR, detail=f"{type(exc).__name__}: {exc}")
        return
    finished = _still_mine(report).update(
        status=Status.DONE,
        file=name,
        size=len(rendered.content),
        page_count=rendered.page_count,
        **others,
        finished_at=timezone.now(),
        note="",
        failure="",
        error="",
    )
    if not finished:  # the sweeper gave this render up meanwhile: its files are nobody's
        for stored in (name, *others.values()):
            default_storage.delete(stored)


def report_fail_after_retries(*, report_id: int, detail: str) -> None:
    """The task's last retry failed too (called by the task's ``on_failure``)."""
    ReportRequest.objects.filter(pk=report_id, status__in=ReportRequest.ACTIVE_STATUSES).update(
        status=Status.FAILED,
        failure=Failure.ERROR,
        error=detail[:2000],
        finished_at=timezone.now(),
    )


@dataclass
class Sweep:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)


def reports_sweep(*, now=None) -> Sweep:
    """Celery beat, every few minutes: a render running past its deadline lost its worker
    (killed, out of memory, the machine restarted): it is queued again, or failed after
    ``REPORTS_MAX_ATTEMPTS`` tries. Requests never sent (the broker was down) or sent long
    ago and still waiting are sent again; a duplicate task finds its row claimed and stops."""
    now = now or timezone.now()
    sweep = Sweep()
    stale = now - timedelta(seconds=settings.REPORTS_STALE_AFTER)
    for pk, attempts, started_at in ReportRequest.objects.filter(
        status=Status.RUNNING, started_at__lt=stale
    ).values_list("pk", "attempts", "started_at"):
        row = ReportRequest.objects.filter(pk=pk, status=Status.RUNNING, started_at=started_at)
        if attempts >= settings.REPORTS_MAX_ATTEMPTS:
            if row.update(
                status=Status.FAILED,
                failure=Failure.WORKER_LOST,
                error=f"no render finished in {attempts} attempts",
                finished_at=now,
            ):
                sweep.failed.append(pk)
        elif row.update(status=Status.QUEUED, note=Note.REQUEUED, enqueued_at=None):
            sweep.requeued.append(pk)
    resend = now - timedelta(seconds=settings.REPORTS_RESEND_AFTER)
    waiting = ReportRequest.objects.filter(status=Status.QUEUED).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=resend)
    )
    for pk in waiting.order_by("created_at").values_list("pk", flat=True):
        if report_enqueue(report_id=pk):
            sweep.sent.append(pk)
    if sweep.requeued or sweep.failed or sweep.sent:
        logger.warning(
            "Report sweep: requeued %s, failed %s, sent %s",
            sweep.requeued,
            sweep.failed,
            sweep.sent,
        )
    return sweep


# --- Reporting periods and objective targets (the coordinator's) -------------------------------


def review_plan_save(*, programme, periods, targets, by) -> None:
    """Save the programme's reporting periods and objective targets from their validated
    formsets, all or nothing, each creation, change and removal in the audit log. Periods are
    saved first: a new target may name a new period."""
    with transaction.atomic():
        for formset in (periods, targets):
            before = {
                form.instance.pk: audit.snapshot(form.instance) for form in formset.initial_forms
            }
            for obj in formset.save(commit=False):
                if obj.pk is None:
                    if hasattr(obj, "programme_id"):
                        obj.programme = programme
                    obj.save()
                    audit.log(obj, AuditEntry.Action.CREATED)
                else:
                    # The form has changed the instance already: the stored values are read.
                    before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
                    obj.save()
                    audit.log_change(obj, before=before)
            for obj in formset.deleted_objects:
                audit.log(obj, AuditEntry.Action.DELETED)
                obj.delete()
            if formset is periods:
                # The targets' form offers the periods as they now are.
                for form in targets.forms:
                    form.fields["period"].queryset = programme.reporting_periods.order_by("number")


# --- Issued versions and the officer's review -------------------------------------------------


class ReportRefused(Exception):
    """An issue or a review that may not be done; the message says why, for the user."""


def file_checksum(report: ReportRequest) -> str:
    """SHA-256 of the stored PDF file."""
    digest = hashlib.sha256()
    with report.file.open("rb") as handle:
        for chunk in iter(partial(handle.read, 65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_intact(report: ReportRequest) -> bool:
    """An issued version's file is still the one that was issued."""
    try:
        return file_checksum(report) == report.checksum
    except FileNotFoundError:
        return False


def draft_sections(report: ReportRequest):
    """The narrative sections of the report's period still in draft."""
    if report.period_id is None:
        return NarrativeSection.objects.none()
    return NarrativeSection.objects.filter(
        period_id=report.period_id, status=NarrativeSection.Status.DRAFT
    ).select_related("network")


def report_issue(*, report: ReportRequest, user) -> ReportRequest:
    """Mark a ready programme report final (the caller has asked ``rules.py``): its checksum
    is kept and it gets the next version number of the same report in the same language
    (kind, subject — programme and period — and language: the database's unique key). It is
    frozen from then on: nothing renders over it, sweeps it or deletes its file."""
    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report.pk)
        if report.kind != ReportRequest.Kind.PROGRAMME:
            raise ReportRefused(_("Only a programme review report can be issued."))
        if report.is_issued:
            raise ReportRefused(
                _("This report is already issued as version %(version)s.")
                % {"version": report.version}
            )
        if report.status != Status.DONE or not report.file:
            raise ReportRefused(_("Only a report that is ready can be issued."))
        drafts = list(draft_sections(report))
        if drafts:
            names = ", ".join(
                f"{section.get_kind_display()} ({section.network})"
                if section.network_id
                else section.get_kind_display()
                for section in drafts
            )
            raise ReportRefused(
                _("These narrative sections are still drafts: %(sections)s.") % {"sections": names}
            )
        try:
            checksum = file_checksum(report)
        except FileNotFoundError as exc:
            raise ReportRefused(_("The report's file is missing; request it again.")) from exc
        highest = (
            ReportRequest.objects.filter(
                kind=report.kind,
                subject_key=report.subject_key,
                language=report.language,
                issued_at__isnull=False,
            )
            .aggregate(highest=Max("version"))
            .get("highest")
        )
        report.version = (highest or 0) + 1
        report.issued_at = timezone.now()
        report.issued_by = user
        report.checksum = checksum
        report.save(update_fields=["version", "issued_at", "issued_by", "checksum"])
        audit.log(
            report,
            AuditEntry.Action.CHANGED,
            {"version": [None, report.version], "checksum": ["", report.checksum]},
        )
    _notify(
        report,
        kind=NoticeKind.REPORT_ISSUED,
        key=f"issued:{report.pk}",
        to=_officers(report),
        actor=user,
    )
    return report


def report_review(*, report: ReportRequest, user, verdict: str, comment: str = "") -> ReportReview:
    """The project officer acknowledges an issued version or returns it; returning needs a
    comment (the caller has asked ``rules.py``)."""
    comment = (comment or "").strip()
    if not report.is_issued:
        raise ReportRefused(_("Only an issued version can be reviewed."))
    if verdict not in ReportReview.Verdict.values:
        raise ReportRefused(_("Choose a verdict."))
    if verdict == ReportReview.Verdict.RETURNED and not comment:
        raise ReportRefused(_("Comment: say what to change when you return a version."))
    with transaction.atomic():
        review = ReportReview.objects.create(
            report=report, reviewer=user, verdict=verdict, comment=comment
        )
        audit.log(review, AuditEntry.Action.CREATED)
    returned = verdict == ReportReview.Verdict.RETURNED
    _notify(
        report,
        kind=NoticeKind.REPORT_RETURNED if returned else NoticeKind.REPORT_ACKNOWLEDGED,
        key=f"review:{review.pk}",
        to=_coordinators(report) | _issuer(report),
        actor=user,
        excerpt=comment,
    )
    return review


def _officers(report):
    from networks.models import Role

    return set(
        Role.objects.filter(
            programme=report.programme_id, kind=Role.Kind.PROJECT_OFFICER
        ).values_list("user_id", flat=True)
    )


def _coordinators(report):
    from networks.models import Role

    return set(
        Role.objects.filter(programme=report.programme_id, kind=Role.Kind.COORDINATOR).values_list(
            "user_id", flat=True
        )
    )


def _issuer(report):
    return {report.issued_by_id} if report.issued_by_id else set()


def _notify(report, *, kind, key, to, actor, excerpt=""):
    """Tell the programme's people of an issued version or its review (not the one who did
    it), in the notices of their home page and by e-mail as they chose."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    with translation.override(report.language):  # the notice's language is the report's
        about = _("%(report)s, %(period)s, version %(version)s") % {
            "report": report.subject_name,
            "period": report.period or _("as of its date"),
            "version": report.version,
        }
    notice_publish(
        kind=kind,
        event_key=key,
        recipients=get_user_model().objects.filter(pk__in=to - {actor.pk}),
        actor=actor,
        about=about,
        link=reverse("report_detail", kwargs={"pk": report.pk}),
        language=report.language,
        excerpt=excerpt[:300],
    )
