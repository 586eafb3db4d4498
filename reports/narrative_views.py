"""The review workspace of a reporting period, and writing its narrative: the coordinator the
programme's sections, each facilitator their network's. Each view parses input, asks
rules.py, calls one service or selector, renders."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.access import visible_or_404
from cemsdi_portal.core.forms import form_errors_from
from networks.access import network_or_404, programme_or_404
from networks.language import language_of

from . import narrative_services as services
from . import rules as perms
from . import selectors
from .forms import NarrativeForm
from .models import NarrativeSection, ReportingPeriod

Kind = NarrativeSection.Kind

# The seed's own lessons ("Hva skal til for å lykkes og få utbytte?"): the outline a lessons
# section starts from, in the language it is written in.
LESSONS_OUTLINE = [
    gettext_noop("Engagement and involvement"),
    gettext_noop("Capacity"),
    gettext_noop("Content"),
    gettext_noop("Endurance"),
    gettext_noop("Language"),
    gettext_noop("Do not underestimate the workload"),
]


def lessons_outline(language: str) -> str:
    with translation.override(language):
        return "\n\n".join(f"## {_(heading)}\n\n" for heading in LESSONS_OUTLINE).strip() + "\n"


def _period(programme, number) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, programme=programme, number=number)


@login_required
def narrative_workspace(request, pk, number):
    programme = programme_or_404(request, pk, perm="reports.view_review")
    period = _period(programme, number)
    return render(
        request,
        "reports/narrative_workspace.html",
        {
            "programme": programme,
            "period": period,
            "rows": selectors.review_workspace(user=request.user, period=period),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def narrative_write_programme(request, pk, number, kind):
    programme = programme_or_404(request, pk, perm="reports.view_review")
    if kind not in NarrativeSection.PROGRAMME_KINDS:
        raise Http404
    return _write(request, _period(programme, number), None, kind)


@login_required
@require_http_methods(["GET", "POST"])
def narrative_write_network(request, pk, number, kind):
    network = network_or_404(request, pk)
    if kind not in NarrativeSection.NETWORK_KINDS:
        raise Http404
    return _write(request, _period(network.programme, number), network, kind)


def _write(request, period, network, kind):
    """The writer's form for one section in one language (``?language=``, by default the
    writer's own). A save on an old version shows the stored text and saves nothing."""
    fallback = request.LANGUAGE_CODE
    language = request.POST.get("language") or request.GET.get("language") or ""
    if language not in dict(settings.LANGUAGES):
        language = language_of(request.user, fallback=fallback)
    section = services.narrative_section(
        period=period, network=network, kind=kind, language=language
    )
    section.period = period  # the rules read the programme from it
    if not request.user.has_perm("reports.write_narrative", section):
        raise PermissionDenied
    body = section.body
    if kind == Kind.LESSONS and not section.pk:
        body = lessons_outline(language)
    initial = {"language": language, "body": body, "version": section.version}
    form = NarrativeForm(request.POST or None, initial=initial)
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.narrative_save(
                section=section if section.pk else None,
                period=period,
                network=network,
                kind=kind,
                language=data["language"],
                body=data["body"],
                version=data["version"],
                user=request.user,
            )
        except services.NarrativeConflict as exc:
            conflict, status = exc, 409
            retry = request.POST.copy()
            retry["version"] = exc.section.version
            form = NarrativeForm(retry, initial=initial)
            form.is_valid()
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The section is saved."))
            return redirect(f"{request.path}?language={data['language']}")
    context = {
        "period": period,
        "programme": period.programme,
        "network": network,
        "section": section,
        "kind_label": dict(Kind.choices)[kind],
        "form": form,
        "conflict": conflict,
        "text_languages": settings.LANGUAGES,
        "written": {
            s.language
            for s in NarrativeSection.objects.filter(period=period, network=network, kind=kind)
        },
        "revisions": section.revisions.select_related("author")[:20] if section.pk else [],
    }
    return render(request, "reports/narrative_form.html", context, status=status)


def _section_or_404(request, pk) -> NarrativeSection:
    visible = perms.narratives_visible_to(request.user).select_related(
        "period__programme", "network"
    )
    return visible_or_404(request, visible, pk, perm="reports.write_narrative")


def _write_url(section) -> str:
    if section.network_id:
        name, pk = "narrative_write_network", section.network_id
    else:
        name, pk = "narrative_write_programme", section.period.programme_id
    url = reverse(name, kwargs={"pk": pk, "number": section.period.number, "kind": section.kind})
    return f"{url}?language={section.language}"


@login_required
@require_POST
def narrative_status(request, pk):
    """ "Mark final" (``status=final``) or "Back to draft" (``status=draft``)."""
    section = _section_or_404(request, pk)
    wanted = request.POST.get("status")
    try:
        if wanted == NarrativeSection.Status.FINAL:
            services.narrative_finalise(section=section, user=request.user)
            messages.success(request, _("The section is marked final."))
        elif wanted == NarrativeSection.Status.DRAFT:
            services.narrative_reopen(section=section, user=request.user)
            messages.success(request, _("The section is a draft again."))
        else:
            messages.error(request, _("Choose final or draft."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_write_url(section))


@login_required
@require_POST
def narrative_restore(request, pk, version):
    section = _section_or_404(request, pk)
    revision = section.revisions.filter(version=version).first()
    if revision is None:
        raise Http404
    try:
        services.narrative_restore(revision=revision, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Revision %(version)s is back as the current text.") % {"version": version}
        )
    return redirect(_write_url(section))
