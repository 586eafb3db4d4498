"""Publishing a measure or a section as a practice, editing it, and the contact's agreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cemsdi_portal.core.forms import form_errors_from
from strategies.access import measure_or_404, section_or_404
from strategies.models import Measure

from .. import services
from ..access import practice_or_404
from ..forms import PracticeForm
from ..models import Practice


def _initial(source, practice: Practice | None, user) -> dict:
    """The form starts from the practice as published, else from the source."""
    if practice is not None:
        return {
            "title": practice.title,
            "what": practice.what,
            "why": practice.why,
            "cost": practice.cost,
            "benefit": practice.benefit,
            "dla_priorities": list(practice.dla_priorities.all()),
            "theme": practice.theme,
            "indicator": practice.indicator,
            "status": practice.status,
            "contact": practice.contact,
            "contact_agrees": bool(practice.contact_agreed_at) and practice.contact_id == user.pk,
        }
    measure = source if isinstance(source, Measure) else None
    section = measure.section if measure is not None else source
    return {
        "title": source.title,
        "what": measure.description if measure is not None else "",
        "benefit": measure.expected_benefit if measure is not None else "",
        "cost": measure.cost_estimate if measure is not None else None,
        "dla_priorities": list(section.dla_priorities.all()) if section is not None else [],
        "theme": source.theme,
        "indicator": measure.indicator if measure is not None else None,
        "contact": user,
        "contact_agrees": True,
    }


def _publish(request, *, measure=None, section=None):
    source = measure or section
    strategy = source.strategy
    practice = (
        Practice.objects.filter(measure=measure).first()
        if measure is not None
        else Practice.objects.filter(section=section).first()
    )
    form = PracticeForm(
        request.POST or None,
        initial=_initial(source, practice, request.user),
        strategy=strategy,
        from_measure=measure is not None,
        currency=services.currency_of(strategy.municipality.country),
        indicator_id=(
            practice.indicator_id if practice else getattr(measure, "indicator_id", None)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_publish(
                measure=measure, section=section, data=form.cleaned_data, user=request.user
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The practice is in the library."))
            return redirect("practice_detail", pk=practice.pk)
    return render(
        request,
        "community/practice_form.html",
        {
            "form": form,
            "strategy": strategy,
            "source": source,
            "practice": practice,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_publish_measure(request, pk):
    return _publish(request, measure=measure_or_404(request, pk, perm="community.publish_practice"))


@login_required
@require_http_methods(["GET", "POST"])
def practice_publish_section(request, pk):
    return _publish(request, section=section_or_404(request, pk, perm="community.publish_practice"))


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk):
    practice = practice_or_404(request, pk, perm="community.change_practice")
    return _publish(
        request,
        measure=practice.measure,
        section=practice.section if not practice.measure_id else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_contact(request, pk):
    """The person named as contact agrees to be asked, or takes it back."""
    practice = practice_or_404(request, pk, perm="community.agree_contact")
    if request.method == "POST":
        agrees = request.POST.get("agrees") == "yes"
        services.contact_agree(practice=practice, user=request.user, agrees=agrees)
        if agrees:
            messages.success(request, _("You are shown as the practice's contact."))
        else:
            messages.success(request, _("You are no longer shown as the practice's contact."))
        return redirect("practice_detail", pk=practice.pk)
    return render(request, "community/practice_contact.html", {"practice": practice})
