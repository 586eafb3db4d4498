from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..access import gathering_or_404, material_or_404
from ..forms import MaterialForm


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
    material = material_or_404(request, pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def delete(request, pk):
    material = material_or_404(request, pk, perm="sessions_app.change_gathering")
    services.material_delete(material=material)
    messages.success(request, _("The material is removed."))
    return redirect("gathering_detail", pk=material.gathering_id)
