"""A person's notices and their notice settings: their own only, so a notice of someone else
answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from

from . import selectors, services
from .forms import NoticeSettingsForm
from .wording import describe_html

PER_PAGE = 25


@login_required
def notice_list(request):
    page = Paginator(selectors.notices_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"notice": notice, "text": describe_html(notice)} for notice in page]
    return render(request, "notices/notice_list.html", {"page": page, "rows": rows})


@login_required
def notice_open(request, pk):
    """Mark the notice read and go to what it is about."""
    notice = selectors.notices_of(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    services.notice_mark_read(notice=notice)
    if not url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect("notices")
    return redirect(notice.link)


@login_required
@require_POST
def notices_read(request):
    services.notices_mark_all_read(user=request.user)
    messages.success(request, _("All your notices are marked read."))
    return redirect("notices")


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request):
    initial = {"language": request.user.language, **selectors.preferences_of(request.user)}
    form = NoticeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_settings_save(
                user=request.user,
                language=form.cleaned_data["language"],
                rhythms=form.rhythms(),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Your notice settings are saved."))
            return redirect("notice_settings")
    return render(request, "notices/notice_settings.html", {"form": form})
