from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import rules as perms
from .. import services
from ..forms import MaterialForm
from ..models import Material
from .gatherings import gathering_or_404


def _material_or_404(request, pk) -> Material:
    return get_object_or_404(
        Material.objects.select_related("gathering").filter(
            gathering__in=perms.gatherings_visible_to(request.user)
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    gathering = gathering_or_404(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.material_add(gathering=gathering, uploaded_by=request.user, **form.cleaned_data)
        messages.success(request, _("The material is uploaded."))
        return redirect("gathering_detail", pk=gathering.pk)
    return render(
        request, "sessions_app/material_form.html", {"form": form, "gathering": gathering}
    )


@login_required
def download(request, pk):
    """Materials are served through this view, never from a public folder."""
    material = _material_or_404(request, pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def delete(request, pk):
    material = _material_or_404(request, pk)
    gathering_or_404(request, material.gathering_id)
    services.material_delete(material=material)
    messages.success(request, _("The material is removed."))
    return redirect("gathering_detail", pk=material.gathering_id)
