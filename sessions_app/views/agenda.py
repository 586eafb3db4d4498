"""The agenda, edited in place: each action answers with the agenda section (htmx swaps it
in); without JavaScript the same forms post and land back on the gathering page."""

from copy import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from

from .. import selectors, services
from ..access import agenda_item_or_404, gathering_or_404
from ..forms import AgendaItemForm


def _agenda(request, gathering, *, editing=None, edit_form=None, add_form=None):
    """The agenda section for htmx, or back to the page for a plain form post."""
    if not request.htmx:
        return redirect("gathering_detail", pk=gathering.pk)
    items = list(gathering.agenda.all())
    context = {
        "gathering": gathering,
        "agenda": selectors.agenda_rows(gathering, items),
        "training_hours": selectors.agenda_training_hours(items),
        "can_change": True,
        "editing": editing,
        "edit_form": edit_form,
        "agenda_form": add_form or AgendaItemForm(),
    }
    # Form errors answer 200 too: htmx swaps only successful answers in.
    return render(request, "sessions_app/_agenda.html", context)


def _form_page(request, form, gathering):
    """The agenda item's form on a page of its own, for browsers without JavaScript."""
    context = {"form": form, "gathering": gathering}
    return render(request, "sessions_app/agenda_item_form.html", context)


def _save(form, save):
    """Run a service with the form's data; its rule breaches become field errors."""
    if not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except ValidationError as exc:
        form_errors_from(form, exc)
        return False
    return True


@login_required
@require_POST
def item_add(request, pk):
    gathering = gathering_or_404(request, pk)
    form = AgendaItemForm(request.POST)
    if _save(form, lambda **data: services.agenda_item_add(gathering=gathering, **data)):
        return _agenda(request, gathering)
    if not request.htmx:
        return _form_page(request, form, gathering)
    return _agenda(request, gathering, add_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = agenda_item_or_404(request, pk)
    gathering = item.gathering
    # Prefixed: the add form below it on the page has the same fields.
    # On a copy: the service logs the stored values against the new ones.
    form = AgendaItemForm(request.POST or None, instance=copy(item), prefix="edit")
    if request.method == "POST":
        if _save(form, lambda **data: services.agenda_item_update(item=item, **data)):
            return _agenda(request, gathering)
        item.refresh_from_db()
        if not request.htmx:
            return _form_page(request, form, gathering)
        return _agenda(request, gathering, editing=item.pk, edit_form=form)
    if not request.htmx:
        return _form_page(request, form, gathering)
    return _agenda(request, gathering, editing=item.pk, edit_form=form)


@login_required
@require_POST
def item_move(request, pk, direction):
    if direction not in ("up", "down"):
        raise Http404
    item = agenda_item_or_404(request, pk)
    services.agenda_item_move(item=item, direction=direction)
    return _agenda(request, item.gathering)


@login_required
@require_POST
def item_delete(request, pk):
    item = agenda_item_or_404(request, pk)
    gathering = item.gathering
    services.agenda_item_delete(item=item)
    return _agenda(request, gathering)
