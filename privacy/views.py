"""A person's own data: the page and its download (the signed-in person's only, so no id in
the address), and the erasure page for administrators."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import pages, selectors, services
from .access import person_to_erase_or_404
from .display import is_erased
from .forms import EraseForm


@login_required
@require_GET
def my_data(request):
    data = selectors.personal_data(request.user)
    return render(request, "privacy/my_data.html", {"sections": pages.data_sections(data)})


@login_required
@require_GET
def my_data_download(request):
    data = selectors.personal_data(request.user)
    name = f"cemsdi-my-data-{timezone.localdate().isoformat()}.json"
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request, pk):
    """Administrators only; anyone else finds no such page (404)."""
    person = person_to_erase_or_404(request, pk)
    form = EraseForm(request.POST or None, person=person)
    refusal = None
    if person.pk == request.user.pk:
        refusal = _("You cannot erase your own account. Ask another administrator to do it.")
    elif is_erased(person):
        refusal = _("This account has already been erased.")
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.person_erase(person=person, erased_by=request.user)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("The person's data was erased. The account is now %(username)s.")
                % {"username": person.username},
            )
            return redirect("admin:networks_user_change", person.pk)
    return render(
        request,
        "privacy/erase.html",
        {
            "person": person,
            "form": form,
            "refusal": refusal,
            "summary": selectors.erasure_summary(person),
        },
    )
