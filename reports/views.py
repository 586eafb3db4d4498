"""The reports page, asking for a report, downloading it, and the programme's outcome figures
as a page, JSON and CSV. Each view parses input, asks rules.py, calls a service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benchmarking import exports
from benchmarking.exports import CSV_TYPE
from networks.access import municipality_or_404, network_or_404, programme_or_404
from sessions_app.access import gathering_or_404

from . import attendance, figures, selectors, services
from . import rules as perms
from .access import report_or_404
from .forms import PeriodFormSet, ReportRequestForm, TargetFormSet
from .models import ObjectiveTarget, ReportingPeriod, ReportRequest, ReportReview

Kind = ReportRequest.Kind


@login_required
@require_GET
def report_list(request):
    """The user's reports with their status; while any is queued or running, the list
    refreshes itself every two seconds (htmx), and stops once none is."""
    reports = selectors.reports_for_list(user=request.user)
    context = {"reports": reports, "polling": selectors.any_active(reports)}
    if request.htmx:
        return render(request, "reports/_report_list.html", context)
    return render(request, "reports/report_list.html", context)


def _subject(request, data) -> dict:
    """The subject the form names, if the user may ask for its report (404 when the user
    may not see it, 403 when they see it but may not have the report)."""
    user, kind = request.user, data["kind"]
    if kind == Kind.PROGRAMME:
        perm = "reports.view_programme_report"
        return {"programme": programme_or_404(request, data["programme"], perm=perm)}
    if kind == Kind.NETWORK:
        perm = "reports.request_network_report"
        return {"network": network_or_404(request, data["network"], perm=perm)}
    municipality = municipality_or_404(request, data["municipality"])
    network = None
    if data.get("network"):
        network = network_or_404(request, data["network"])
        if not network.memberships.filter(municipality=municipality).exists():
            raise Http404  # the municipality is compared with a network it belongs to
    if kind == Kind.STRATEGY:
        strategy = perms.strategy_of(network=network, municipality=municipality)
        if strategy is None or not user.has_perm("reports.request_strategy_report", strategy):
            raise Http404
    elif not user.has_perm("reports.request_position_report", municipality):
        raise PermissionDenied
    return {"network": network, "municipality": municipality}


@login_required
@require_POST
@transaction.non_atomic_requests  # the service commits, then sends: the view reports how it went
def report_request(request):
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The report request is incomplete."))
    subject = _subject(request, form.cleaned_data)
    period_pk = form.cleaned_data.get("period")
    if period_pk:
        programme = subject.get("programme")
        period = (
            ReportingPeriod.objects.filter(pk=period_pk, programme=programme).first()
            if programme
            else None
        )
        if period is None:
            return HttpResponseBadRequest(
                _("Reporting period: choose one of this programme's reporting periods.")
            )
        subject["period"] = period
    requested = services.report_request(
        user=request.user,
        kind=form.cleaned_data["kind"],
        language=request.LANGUAGE_CODE,
        **subject,
    )
    report = requested.report
    report.refresh_from_db()
    if report.note == ReportRequest.Note.BROKER_DOWN:
        messages.warning(
            request,
            _(
                "Your request for “%(report)s” is saved, but the task queue cannot be reached "
                "just now. It starts by itself when the queue is back; this page shows when "
                "the report is ready."
            )
            % {"report": report},
        )
    elif requested.joined:
        messages.info(
            request,
            _(
                "“%(report)s” was already being prepared; your request joins it. This page "
                "shows when it is ready."
            )
            % {"report": report},
        )
    else:
        messages.success(
            request,
            _("“%(report)s” is being prepared. This page shows when it is ready.")
            % {"report": report},
        )
    return redirect("report_list")


@login_required
@require_GET
def report_download(request, pk):
    return _stored(report_or_404(request, pk), "file", "application/pdf")


FORMATS = {
    "docx": (
        "docx_file",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


@login_required
@require_GET
def report_download_format(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    return _stored(report_or_404(request, pk), *FORMATS[fmt])


@login_required
@require_GET
def report_page(request, pk):
    """The report as a web page: the same content as its PDF, rendered with it."""
    return _stored(report_or_404(request, pk), "html_file", "text/html; charset=utf-8", inline=True)


def _stored(report, field: str, content_type: str, *, inline: bool = False):
    stored = getattr(report, field)
    if report.status != ReportRequest.Status.DONE or not stored:
        raise Http404
    if report.is_issued and not services.file_intact(report):
        # An issued version is the deliverable: a changed file is never handed out as it.
        return HttpResponse(
            _(
                "Version %(version)s of this report was changed after it was issued: its "
                "file no longer matches the SHA-256 kept when it was issued. Tell an "
                "administrator."
            )
            % {"version": report.version},
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


def _programme_outcome(request, pk):
    programme = programme_or_404(request, pk, perm="reports.view_programme_report")
    return figures.programme_outcome(programme=programme)


@login_required
@require_GET
def programme_figures(request, pk):
    outcome = _programme_outcome(request, pk)
    return render(
        request,
        "reports/programme_figures.html",
        {
            "programme": outcome.programme,
            "outcome": outcome,
            "rows": figures.outcome_rows(outcome),
            "country_table": figures.country_table(outcome),
            "kinds": Kind,
        },
    )


EXPORTS = {
    "json": (figures.outcome_json, "application/json"),
    "csv": (figures.outcome_csv, CSV_TYPE),
}


@login_required
@require_GET
def programme_figures_export(request, pk, fmt):
    if fmt not in EXPORTS:
        raise Http404
    outcome = _programme_outcome(request, pk)
    write, content_type = EXPORTS[fmt]
    name = slugify(outcome.programme.acronym) or outcome.programme.pk
    return HttpResponse(
        write(outcome),
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, f"{name}-outcome.{fmt}")},
    )


# --- A gathering's sign-in sheet and attendance ----------------------------------------------


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )


@login_required
@require_GET
def gathering_sign_in_sheet(request, pk):
    """The sign-in sheet to print before the day (PDF, rendered in the request: one page or
    two, see ``attendance.py``)."""
    gathering = gathering_or_404(request, pk, perm="sessions_app.read_attendance")
    content = attendance.sign_in_sheet_pdf(gathering)
    name = attendance.filename(gathering, _("sign-in sheet"))
    return _file(content, "application/pdf", f"{name}.pdf")


@login_required
@require_GET
def gathering_attendance_export(request, pk, fmt):
    gathering = gathering_or_404(request, pk, perm="sessions_app.read_attendance")
    name = attendance.filename(gathering, _("attendance"))
    if fmt == "pdf":
        return _file(attendance.attendance_pdf(gathering), "application/pdf", f"{name}.pdf")
    if fmt not in exports.FORMATS:
        raise Http404
    return exports.download(attendance.attendance_sheet(gathering), fmt, name)


# --- The coordinator's reporting periods and objective targets ---------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_review_targets(request, pk):
    """The programme's reporting periods and objective targets: its coordinator (and
    administrators) edit them; whoever reads the programme's report reads them."""
    programme = programme_or_404(request, pk, perm="reports.view_programme_report")
    may_edit = request.user.has_perm("reports.plan_programme_review", programme)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    periods = PeriodFormSet(
        data,
        programme=programme,
        prefix="periods",
        queryset=programme.reporting_periods.order_by("number"),
    )
    targets = TargetFormSet(
        data,
        prefix="targets",
        form_kwargs={"programme": programme},
        queryset=ObjectiveTarget.objects.filter(objective__programme=programme)
        .select_related("objective", "period__programme")
        .order_by("objective__position", "measure", "period__number"),
    )
    if data is not None and periods.is_valid() and targets.is_valid():
        try:
            services.review_plan_save(
                programme=programme, periods=periods, targets=targets, by=request.user
            )
        except IntegrityError:
            messages.error(
                request,
                _("A figure has one target per objective and period: nothing was saved."),
            )
        else:
            messages.success(request, _("The reporting periods and targets were saved."))
            return redirect("programme_review_targets", pk=programme.pk)
    return render(
        request,
        "reports/review_targets.html",
        {"programme": programme, "periods": periods, "targets": targets, "may_edit": may_edit},
    )


# --- An issued version: its page, issuing, the officer's review -------------------------------


@login_required
@require_GET
def report_detail(request, pk):
    report = report_or_404(request, pk)
    context = {
        "report": report,
        "reviews": report.reviews.select_related("reviewer"),
        "may_issue": request.user.has_perm("reports.issue_report", report),
        "may_review": request.user.has_perm("reports.review_report", report),
        "verdicts": ReportReview.Verdict,
    }
    return render(request, "reports/report_detail.html", context)


@login_required
@require_POST
def report_issue(request, pk):
    report = report_or_404(request, pk, perm="reports.issue_report")
    try:
        report = services.report_issue(report=report, user=request.user)
    except services.ReportRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Issued as version %(version)s.") % {"version": report.version})
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def report_review(request, pk):
    report = report_or_404(request, pk, perm="reports.review_report")
    try:
        services.report_review(
            report=report,
            user=request.user,
            verdict=request.POST.get("verdict", ""),
            comment=request.POST.get("comment", ""),
        )
    except services.ReportRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your review is saved."))
    return redirect("report_detail", pk=report.pk)
