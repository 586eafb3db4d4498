"""Editing a section together: conflict on save, presence, history and restore, comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from
from cemsdi_portal.core.views import markdown_preview

from .. import rules as perms
from .. import selectors, services
from ..access import comment_or_404, section_or_404
from ..forms import CommentForm, SectionForm
from ..template import guidance_for

# Read by static/js/keep-text.js, which keeps a copy of an editor's text until a save succeeds.
SAVED_DRAFT_COOKIE = "cemsdi_saved_draft"


def _section_url(section) -> str:
    return reverse("strategy_detail", kwargs={"pk": section.strategy_id}) + f"#s{section.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk):
    """The section's editor. A save on an old version shows both texts and saves nothing;
    the editor's own text stays in the form, so nothing is lost."""
    section = section_or_404(request, pk)
    if not perms.text_open(section.strategy):
        messages.warning(request, perms.TEXT_CLOSED)
        return redirect(_section_url(section))
    own = section.kind == section.Kind.OWN
    initial = {
        "title": section.title,
        "body": section.body,
        "version": section.version,
        "dla_priorities": list(section.dla_priorities.all()),
        "theme": section.theme_id,
    }
    form = SectionForm(
        request.POST or None, initial=initial, own_section=own, language=section.strategy.language
    )
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = services.section_save(
                section=section,
                user=request.user,
                body=data["body"],
                base_version=data["version"],
                title=data.get("title"),
                priorities=data["dla_priorities"],
                theme=data["theme"],
            )
        except services.EditConflict as exc:
            conflict = exc
            status = 409
            # The next save is made knowing the other text: it is based on the stored version.
            retry = request.POST.copy()
            retry["version"] = exc.section.version
            form = SectionForm(
                retry, initial=initial, own_section=own, language=section.strategy.language
            )
            form.is_valid()
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            services.presence_leave(section=section, user=request.user)
            messages.success(request, _("The section is saved."))
            response = redirect(_section_url(section))
            # The next page drops this browser's copies of the text made before this save.
            response.set_cookie(
                SAVED_DRAFT_COOKIE,
                f"section-{section.pk}-{request.user.pk}.{revision.version}",
                max_age=60,
                secure=request.is_secure(),
                samesite="Lax",
            )
            return response
    if conflict is None:
        services.presence_touch(section=section, user=request.user)
    context = {
        "section": section,
        "strategy": section.strategy,
        "form": form,
        "guidance": guidance_for(section.kind, section.strategy.municipality.country),
        "conflict": conflict,
        "conflict_diff": (
            selectors.word_diff(conflict.section.body, conflict.yours) if conflict else None
        ),
        "others": selectors.others_present(section=section, user=request.user),
    }
    return render(request, "strategies/section_form.html", context, status=status)


@login_required
@require_POST
def section_presence(request, pk):
    """The editor page pings this while it is open; the answer lists who else is there."""
    section = section_or_404(request, pk)
    services.presence_touch(section=section, user=request.user)
    return render(
        request,
        "strategies/_presence.html",
        {"others": selectors.others_present(section=section, user=request.user)},
    )


@login_required
@require_POST
def section_preview(request, pk):
    """The editor's text as the strategy page will show it, for those who may edit it now;
    nothing is saved."""
    section = section_or_404(request, pk)
    if not perms.text_open(section.strategy):
        raise PermissionDenied
    return markdown_preview(request, request.POST.get("body", ""))


@login_required
def section_history(request, pk):
    section = section_or_404(request, pk, perm="strategies.view_strategy")
    return render(
        request,
        "strategies/section_history.html",
        {
            "section": section,
            "strategy": section.strategy,
            "revisions": selectors.section_history(section=section),
        },
    )


@login_required
@require_POST
def section_restore(request, pk, version):
    section = section_or_404(request, pk)
    try:
        services.section_restore(section=section, version=version, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("section_history", pk=section.pk)
    messages.success(
        request, _("Revision %(version)s is restored as a new revision.") % {"version": version}
    )
    return redirect(_section_url(section))


@login_required
@require_POST
def section_comment(request, pk):
    section = section_or_404(request, pk, perm="strategies.comment_strategy")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.section_comment(section=section, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, _("Write a comment before you send it."))
    return redirect(_section_url(section))


def _comment_url(comment) -> str:
    return reverse("strategy_detail", kwargs={"pk": comment.section.strategy_id}) + (
        f"#c{comment.pk}"
    )


@login_required
@require_POST
def comment_reply(request, pk):
    """A reply in the comment's thread: its facilitators and the municipality's editors."""
    comment = comment_or_404(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply before you send it."))
        return redirect(_comment_url(comment))
    try:
        reply = services.section_comment(
            section=comment.section,
            user=request.user,
            body=form.cleaned_data["body"],
            parent=comment,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_comment_url(comment))
    messages.success(request, _("Your reply is added."))
    return redirect(_comment_url(reply))


@login_required
@require_POST
def comment_resolve(request, pk):
    """Mark the thread resolved (``resolved=1``) or open it again (``resolved=0``)."""
    comment = comment_or_404(request, pk)
    resolved = request.POST.get("resolved")
    if resolved not in ("0", "1"):
        messages.error(request, _("Say whether the thread is resolved or open."))
        return redirect(_comment_url(comment))
    try:
        services.comment_resolve(comment=comment, user=request.user, resolved=resolved == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_comment_url(comment))
    if resolved == "1":
        messages.success(request, _("The thread is marked resolved."))
    else:
        messages.success(request, _("The thread is open again."))
    return redirect(_comment_url(comment))


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request, pk):
    """Remove a section the municipality added, after asking."""
    section = section_or_404(request, pk)
    if request.method == "POST":
        try:
            services.section_delete(section=section)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_section_url(section))
        messages.success(
            request, _("The section “%(title)s” is removed.") % {"title": section.title}
        )
        return redirect("strategy_detail", pk=section.strategy_id)
    return render(
        request,
        "strategies/confirm_delete.html",
        {
            "strategy": section.strategy,
            "question": _("Remove the section “%(title)s”?") % {"title": section.title},
            "detail": _(
                "Its text and history go with it; its measures stay in the action plan "
                "without a section."
            ),
            "cancel": _section_url(section),
        },
    )
