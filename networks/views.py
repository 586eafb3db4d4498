"""Pages of the networks app. Each view parses input, asks rules.py, calls a service or
selector, and renders."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cemsdi_portal.core.access import visible_or_404

from . import rules as perms
from . import selectors, services
from .forms import InviteForm, NetworkForm


def _get_or_404(lookup, **kwargs):
    """Run a selector that raises DoesNotExist for objects the user may not see."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def network_or_404(request, pk, *, perm):
    return visible_or_404(request, perms.networks_visible_to(request.user), pk, perm=perm)


@login_required
def home(request):
    return render(request, "networks/home.html", {"page": selectors.home_page(user=request.user)})


@login_required
def network_list(request):
    return render(
        request,
        "networks/network_list.html",
        {
            "networks": selectors.networks_for_list(user=request.user),
            "can_add": request.user.has_perm("networks.add_network"),
        },
    )


@login_required
def network_detail(request, pk):
    page = _get_or_404(selectors.network_page, network_id=pk, user=request.user)
    return render(request, "networks/network_detail.html", {"page": page})


def _form_data(form):
    data = dict(form.cleaned_data)
    return data.pop("municipalities"), data


@login_required
@require_http_methods(["GET", "POST"])
def network_create(request):
    if not request.user.has_perm("networks.add_network"):
        raise PermissionDenied
    form = NetworkForm(request.POST or None, submit_label=_("Create network"))
    if request.method == "POST" and form.is_valid():
        municipalities, data = _form_data(form)
        network = services.network_create(
            created_by=request.user, municipalities=municipalities, **data
        )
        messages.success(request, _("The network “%(name)s” was created.") % {"name": network})
        return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form, "network": None})


@login_required
@require_http_methods(["GET", "POST"])
def network_update(request, pk):
    network = network_or_404(request, pk, perm="networks.change_network")
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        municipalities, data = _form_data(form)
        services.network_update(network=network, municipalities=municipalities, **data)
        messages.success(request, _("The network was saved."))
        return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form, "network": network})


@login_required
@require_http_methods(["GET", "POST"])
def network_invite(request, pk):
    network = network_or_404(request, pk, perm="networks.invite_to_network")
    form = InviteForm(
        request.POST or None, network=network, initial={"language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        invitation = services.person_invite(
            invited_by=request.user, network=network, **form.cleaned_data
        )
        earlier = invitation.role.invitations.exclude(pk=invitation.pk).order_by("created_at")
        first = earlier.first()
        if first is None:
            message = _("An invitation was sent to %(email)s.")
        else:
            message = _(
                "A new invitation was sent to %(email)s, who was first invited on %(date)s "
                "and has not set a password yet."
            )
        first_date = date_format(first.created_at) if first else ""
        messages.success(
            request, message % {"email": invitation.role.user.email, "date": first_date}
        )
        return redirect("network_detail", pk=network.pk)
    return render(request, "networks/invite_form.html", {"form": form, "network": network})


@login_required
def municipality_detail(request, pk):
    page = _get_or_404(selectors.municipality_page, municipality_id=pk, user=request.user)
    return render(request, "networks/municipality_detail.html", {"page": page})


@login_required
def programme_detail(request, pk):
    programme, networks = _get_or_404(
        selectors.programme_page, programme_id=pk, user=request.user
    )
    return render(
        request,
        "networks/programme_detail.html",
        {"programme": programme, "networks": networks},
    )


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation link: the invitee chooses a password, then signs in."""

    template_name = "networks/invitation_accept.html"
    success_url = reverse_lazy("login")

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        # Speak the language the invitation was written in, and keep it after sign-in.
        language = services.invitation_language(user=getattr(self, "user", None))
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language)
        return response

    def get(self, request, *args, **kwargs):
        language = services.invitation_language(user=getattr(self, "user", None))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.invitations_accepted(user=form.user)
        messages.success(self.request, _("Your password is set. Welcome: please sign in."))
        return response
