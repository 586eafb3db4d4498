"""A person's own comparison sets (``/keyfigures/sets/``): list, create, edit (rename and
refill), delete. Each set is its owner's alone (rules.py): anyone else's answers 404. The
sets are offered in the comparison chooser of a municipality's key figures (position.py)."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from networks.models import Municipality

from .. import services
from ..access import comparison_set_or_404
from ..forms import ComparisonSetForm
from ..rules import comparison_sets_of


def _next_or(request, fallback: str) -> str:
    """Where to go after saving: the page the person came from (``next``) if it is ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


def _compared_with(url: str, comparison_set) -> str:
    """Back on a municipality's key figures, the page compares with the set just saved."""
    if not url:
        return url
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return url
    if match.url_name != "municipality_keyfigures":
        return url
    query = {k: v for k, v in parse_qsl(parts.query) if k != "compare"}
    query["compare"] = f"set-{comparison_set.pk}"
    return urlunsplit(parts._replace(query=urlencode(query)))


@login_required
def comparison_set_list(request):
    sets = (
        comparison_sets_of(request.user)
        .annotate(size=Count("municipalities"))
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )
        .order_by("name")
    )
    return render(request, "benchmarking/comparison_set_list.html", {"sets": sets})


def _form_page(request, *, comparison_set=None):
    form = ComparisonSetForm(
        request.POST or None, owner=request.user, comparison_set=comparison_set
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.comparison_set_save(
                owner=request.user,
                name=form.cleaned_data["name"],
                municipalities=list(form.cleaned_data["municipalities"]),
                comparison_set=comparison_set,
            )
        except ValidationError as error:  # the same name saved a moment ago
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The comparison set “%(name)s” was saved.") % {"name": saved}
            )
            return redirect(_compared_with(_next_or(request, ""), saved) or "comparison_set_list")
    return render(
        request,
        "benchmarking/comparison_set_form.html",
        {"form": form, "comparison_set": comparison_set, "next": _next_or(request, "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def comparison_set_create(request):
    return _form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def comparison_set_edit(request, pk):
    return _form_page(request, comparison_set=comparison_set_or_404(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def comparison_set_delete(request, pk):
    """A GET asks first; the POST deletes."""
    comparison_set = comparison_set_or_404(request, pk, perm="benchmarking.delete_comparisonset")
    if request.method == "POST":
        name = comparison_set.name
        services.comparison_set_delete(comparison_set=comparison_set)
        messages.success(request, _("The comparison set “%(name)s” was deleted.") % {"name": name})
        return redirect("comparison_set_list")
    return render(
        request, "benchmarking/comparison_set_delete.html", {"comparison_set": comparison_set}
    )
