"""The library of practices: the list with words and filters, and a practice's page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from .. import selectors
from ..access import practice_or_404
from ..forms import AdoptForm, LibraryFilterForm
from ..rules import plans_to_adopt_into
from ..services import suggested_target


def _wanted(form: LibraryFilterForm) -> selectors.LibraryFilter:
    """What the query string asks; a field with a bad value asks nothing."""
    form.is_valid()
    data = {name: form.cleaned_data.get(name) for name in form.fields}
    return selectors.LibraryFilter(
        words=data["q"] or "",
        priority=data["priority"].pk if data["priority"] else None,
        theme=data["theme"].pk if data["theme"] else None,
        country=data["country"].pk if data["country"] else None,
        band=data["band"] or "",
        indicator=data["indicator"].pk if data["indicator"] else None,
        moved=bool(data["moved"]),
    )


@login_required
def practice_list(request):
    if not request.user.has_perm("community.view_library"):
        raise PermissionDenied
    form = LibraryFilterForm(request.GET or None, user=request.user)
    wanted = _wanted(form) if request.GET else selectors.LibraryFilter()
    page, rows = selectors.library_page(
        user=request.user, wanted=wanted, page_number=request.GET.get("page") or 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/practice_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "wanted": wanted},
    )


def detail_context(practice, user) -> dict:
    """What the practice's page shows of it, its figure and its adoptions (a fixed number of
    queries): shared with the adopt view, which shows the page again with its form's errors."""
    return {
        "practice": practice,
        "moved": selectors.figure_moved(practice),
        "results": selectors.adoption_results([practice], user=user)[practice.pk],
        "priorities": list(practice.dla_priorities.all()),
    }


@login_required
def practice_detail(request, pk):
    practice = practice_or_404(request, pk)
    if practice.state == practice.State.MERGED and practice.merged_into_id:
        return redirect("practice_detail", pk=practice.merged_into_id)
    user = request.user
    context = detail_context(practice, request.user)
    if user.has_perm("community.adopt_practice", practice):
        plans = plans_to_adopt_into(user, practice)
        year, value = suggested_target(practice=practice, strategy=plans.first())
        context["adopt_form"] = AdoptForm(
            plans=plans,
            tracks_figure=practice.indicator_id is not None,
            initial={"target_year": year, "target_value": value},
        )
    return render(request, "community/practice_detail.html", context)
