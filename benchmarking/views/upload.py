"""The key-figure upload page: upload, see what would change, confirm. Nothing is saved before
the confirmation; the file waits on the server meanwhile (services.pending_import_*)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from

from .. import selectors, services
from ..forms import KeyFigureImportConfirmForm, KeyFigureUploadForm

FORMAT_NAMES = {
    "csv": "CSV",
    "excel": "Excel",
    "json-stat 1.0": "JSON-stat 1.0",
    "json-stat 2.0": "JSON-stat 2.0",
    "sdmx-csv": "SDMX-CSV (ISTAT)",
    "ons-subnational": "ONS Subnational Indicators (CSV)",
    "ine-pt-wide": gettext_lazy("Statistics Portugal (INE) CSV, one column per year"),
}


# What a file that does not say something itself needs from the upload form's fields.
_OPTION_MISSING = {
    "indicator_code": lambda: _(
        "The file has no indicator column: enter here the code of the indicator it holds, "
        "for example KOSandel120000."
    ),
}


def _require_import_permission(request) -> None:
    if not request.user.has_perm("benchmarking.import_keyfigures"):
        raise PermissionDenied


def _preview_page(request, *, preview, form, file_name):
    return render(
        request,
        "benchmarking/import_preview.html",
        {
            "preview": preview,
            "form": form,
            "file_name": file_name,
            "file_format": FORMAT_NAMES.get(preview.file_format, preview.file_format),
            "unmapped_rows": sum(item.rows for item in preview.unmapped),
            "unmapped_where": any(item.where for item in preview.unmapped),
            "changes_nothing": not preview.changes and not preview.indicators_new,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def keyfigures_import(request):
    _require_import_permission(request)
    form = KeyFigureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview, pending = services.pending_import_start(
            session=request.session,
            user=request.user,
            data=upload.read(),
            file_name=upload.name,
            options=form.read_options(),
            higher_is_better=form.higher_is_better_value(),
        )
        if pending is not None:
            confirm = KeyFigureImportConfirmForm(
                initial={"token": pending.token}, unmapped=bool(preview.unmapped)
            )
            return _preview_page(request, preview=preview, form=confirm, file_name=upload.name)
        for problem in preview.problems:
            form.add_error("file", problem)
        for option in preview.options_missing:  # the form's field says it, not the command's
            form.add_error(option, _OPTION_MISSING[option]())
    return render(
        request,
        "benchmarking/import_upload.html",
        {
            "form": form,
            "refused": form.has_error("file") and "file" in request.FILES,
            "ranks_pending": selectors.indicators_ranks_pending(),
        },
    )


@login_required
@require_POST
def keyfigures_import_confirm(request):
    _require_import_permission(request)
    try:
        pending, preview = services.pending_import_load(
            session=request.session, user=request.user, token=request.POST.get("token", "")
        )
    except services.PendingImportMissing:
        messages.error(
            request,
            _(
                "There is no upload waiting to be imported: it was imported already, replaced "
                "by a newer upload, or it has expired. Nothing was saved; please upload the "
                "file again."
            ),
        )
        return redirect("keyfigures_import")
    form = KeyFigureImportConfirmForm(request.POST, unmapped=bool(preview.unmapped))
    if form.is_valid():
        try:
            services.pending_import_apply(
                session=request.session,
                pending=pending,
                preview=preview,
                allow_unmapped=form.cleaned_data.get("allow_unmapped", False),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(file)s is imported. New values: %(new)d; changed: %(changed)d; "
                    "unchanged: %(unchanged)d; reference values: %(references)d; new "
                    "indicators: %(indicators)d."
                )
                % {
                    "file": pending.file_name,
                    "new": preview.observations_new,
                    "changed": preview.observations_changed,
                    "unchanged": preview.observations_unchanged,
                    "references": preview.references,
                    "indicators": len(preview.indicators_new),
                },
            )
            saved = preview.changes
            messages.info(
                request,
                ngettext(
                    "%(count)d value is saved. Ranks in the country and the peer groups are "
                    "being computed; the pages show them when ready.",
                    "%(count)d values are saved. Ranks in the country and the peer groups are "
                    "being computed; the pages show them when ready.",
                    saved,
                )
                % {"count": saved},
            )
            if preview.unmapped:
                messages.info(
                    request,
                    _("Rows left out because they do not map: %(rows)d.")
                    % {"rows": sum(item.rows for item in preview.unmapped)},
                )
            return redirect("keyfigures_import")
    return _preview_page(request, preview=preview, form=form, file_name=pending.file_name)
