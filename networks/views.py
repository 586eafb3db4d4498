"""Pages of the networks app. Each view parses input, asks rules.py, calls a service or
selector, and renders."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import rules as perms
from . import selectors, services
from .forms import InviteForm, NetworkForm


def _get_or_404(lookup, **kwargs):
    """Run a selector that raises DoesNotExist for objects the user may not see."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _visible_network_or_404(request, pk, *, perm):
    network = perms.networks_visible_to(request.user).filter(pk=pk).first()
    if network is None:
        raise Http404
    if not request.user.has_perm(perm, network):
        raise PermissionDenied
    return network


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
        _warn(request, network, len(municipalities))
        messages.success(request, _("The network “%(name)s” was created.") % {"name": network})
        return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form, "network": None})


@login_required
@require_http_methods(["GET", "POST"])
def network_update(request, pk):
    network = _visible_network_or_404(request, pk, perm="networks.change_network")
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        municipalities, data = _form_data(form)
        services.network_update(network=network, municipalities=municipalities, **data)
        _warn(request, network, len(municipalities))
        messages.success(request, _("The network was saved."))
        return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form, "network": network})


def _warn(request, network, member_count):
    for warning in selectors.network_warnings(network=network, member_count=member_count):
        messages.warning(request, warning)


@login_required
@require_http_methods(["GET", "POST"])
def network_invite(request, pk):
    network = _visible_network_or_404(request, pk, perm="networks.invite_to_network")
    form = InviteForm(
        request.POST or None, network=network, initial={"language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        invitation = services.person_invite(
            invited_by=request.user, network=network, **form.cleaned_data
        )
        messages.success(
            request,
            _("An invitation was sent to %(email)s.") % {"email": invitation.role.user.email},
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

    def form_valid(self, form):
        response = super().form_valid(form)
        services.invitations_accepted(user=form.user)
        messages.success(self.request, _("Your password is set. Welcome: please sign in."))
        return response
