"""Pages of the networks app. Each view parses input, asks rules.py, calls a service or
selector, and renders."""

from copy import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cemsdi_portal.core.forms import form_errors_from
from cemsdi_portal.core.passwords import SIGN_IN_BACKEND

from . import invite_file, selectors, services
from .access import (
    invitation_or_404,
    membership_invitation_or_404,
    municipality_or_404,
    network_or_404,
    programme_or_404,
)
from .forms import AcceptWithPasswordForm, InviteFileForm, InviteForm, NetworkForm
from .models import Invitation, User


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
    page = selectors.network_page(network=network_or_404(request, pk), user=request.user)
    return render(request, "networks/network_detail.html", {"page": page})


def _form_data(form):
    data = dict(form.cleaned_data)
    return data.pop("municipalities"), data


@login_required
@require_http_methods(["GET", "POST"])
def network_create(request):
    if not request.user.has_perm("networks.add_network"):
        raise PermissionDenied
    form = NetworkForm(request.POST or None, user=request.user, submit_label=_("Create network"))
    if request.method == "POST" and form.is_valid():
        municipalities, data = _form_data(form)
        try:
            network = services.network_create(
                created_by=request.user, municipalities=municipalities, **data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The network “%(name)s” was created.") % {"name": network})
            return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form, "network": None})


@login_required
@require_http_methods(["GET", "POST"])
def network_update(request, pk):
    network = network_or_404(request, pk, perm="networks.change_network")
    # The form works on a copy: the service logs the stored values against the new ones.
    form = NetworkForm(request.POST or None, instance=copy(network), user=request.user)
    if request.method == "POST" and form.is_valid():
        municipalities, data = _form_data(form)
        services.network_update(
            network=network, municipalities=municipalities, by=request.user, **data
        )
        messages.success(request, _("The network was saved."))
        return redirect("network_detail", pk=network.pk)
    return render(request, "networks/network_form.html", {"form": form, "network": network})


@login_required
@require_http_methods(["GET", "POST"])
def network_invite(request, pk):
    network = network_or_404(request, pk, perm="networks.invite_to_network")
    form = InviteForm(
        request.POST or None,
        network=network,
        inviter=request.user,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation, renewed = services.person_invite(
                invited_by=request.user, network=network, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            message = (
                _("The open invitation of %(email)s was sent again with a new link.")
                if renewed
                else _("An invitation was sent to %(email)s.")
            )
            messages.success(request, message % {"email": invitation.email})
            return redirect("network_detail", pk=network.pk)
    return render(request, "networks/invite_form.html", {"form": form, "network": network})


def _invite_file_preview(request, *, network, preview, status=200):
    return render(
        request,
        "networks/invite_file_preview.html",
        {"network": network, "preview": preview, "to_send": len(preview.to_send)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_invite_file(request, pk):
    """Upload a CSV of the people to invite; see what each row would do. Nothing is sent
    before the confirmation; the file waits in the session meanwhile."""
    network = network_or_404(request, pk, perm="networks.invite_to_network")
    form = InviteFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        preview = invite_file.invite_preview(
            network=network, inviter=request.user, data=data, file_name=upload.name
        )
        services.invite_file_discard(session=request.session)
        if not preview.problem:
            if preview.ok:
                services.invite_file_stage(
                    session=request.session, network=network, file_name=upload.name, data=data
                )
            return _invite_file_preview(request, network=network, preview=preview)
        form.add_error("file", preview.problem)
    return render(request, "networks/invite_file.html", {"form": form, "network": network})


@login_required
@require_POST
def network_invite_file_confirm(request, pk):
    """Send the invitations of the file waiting for this network, all or nothing. The file
    is read and checked again: the network may have changed since the preview."""
    network = network_or_404(request, pk, perm="networks.invite_to_network")
    digest = request.POST.get("digest", "")
    try:
        with services.invite_file_claimed(network=network, digest=digest):
            file_name, data = services.invite_file_load(
                session=request.session, network=network, digest=digest
            )
            preview = invite_file.invite_preview(
                network=network, inviter=request.user, data=data, file_name=file_name
            )
            services.invite_file_discard(session=request.session)
            if not preview.ok:
                return _invite_file_preview(request, network=network, preview=preview)
            invitations = services.people_invite_from_file(
                network=network, invited_by=request.user, preview=preview
            )
    except services.InviteFileMissing:
        messages.error(
            request,
            _(
                "No file waits to be sent for this network: it was sent already, replaced by "
                "a newer upload, or uploaded for another network. Nothing was sent; please "
                "upload the file again."
            ),
        )
        return redirect("network_invite_file", pk=network.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d invitation was sent from %(file)s.",
            "%(count)d invitations were sent from %(file)s.",
            len(invitations),
        )
        % {"count": len(invitations), "file": file_name},
    )
    return redirect("network_detail", pk=network.pk)


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = invitation_or_404(request, pk)
    try:
        services.invitation_withdraw(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The invitation of %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return redirect("network_detail", pk=invitation.network_id)


@login_required
@require_POST
def membership_decide(request, pk):
    """The chief executive's answer to a network's invitation to join."""
    invitation = membership_invitation_or_404(request, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.membership_decide(invitation=invitation, by=request.user, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("home")
    names = {"municipality": invitation.municipality.name, "network": invitation.network.name}
    if accept:
        messages.success(request, _("%(municipality)s is now a member of %(network)s.") % names)
        return redirect("network_detail", pk=invitation.network_id)
    messages.success(request, _("%(municipality)s declined to join %(network)s.") % names)
    return redirect("home")


@login_required
def municipality_detail(request, pk):
    municipality = municipality_or_404(request, pk)
    page = selectors.municipality_page(municipality=municipality, user=request.user)
    return render(request, "networks/municipality_detail.html", {"page": page})


@login_required
def programme_detail(request, pk):
    programme, networks = selectors.programme_page(
        programme=programme_or_404(request, pk), user=request.user
    )
    return render(
        request,
        "networks/programme_detail.html",
        {"programme": programme, "networks": networks},
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The e-mailed link: a person without an account chooses a password; a person with one
    signs in as that account and accepts. Speaks the invitation's language."""
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        return render(request, "networks/invitation_accept.html", {"invitation": None}, status=404)
    translation.activate(invitation.language)
    request.LANGUAGE_CODE = invitation.language
    context = {"invitation": invitation, "state": invitation.current_state}
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    if not has_account:
        form = AcceptWithPasswordForm(request.POST or None, invitation=invitation)
    signed_in_as_invitee = (
        request.user.is_authenticated and request.user.email.lower() == invitation.email.lower()
    )
    if request.user.is_authenticated and not signed_in_as_invitee:
        form = None  # someone else's browser: say whose the invitation is, offer nothing
    if request.method == "POST" and context["state"] == Invitation.State.SENT:
        try:
            if form is not None and form.is_valid():
                user, _role = services.invitation_accept_as_new_person(
                    invitation=invitation, password=form.cleaned_data["new_password1"]
                )
                # Signed in at once: they have just chosen the password. Named, as django-axes'
                # backend comes first and signs in nobody without a request's credentials.
                login(request, user, backend=SIGN_IN_BACKEND)
                messages.success(
                    request,
                    _("Your password is set and you are signed in. Welcome to %(network)s.")
                    % {"network": invitation.network.name},
                )
                response = redirect("home")
            elif form is None and signed_in_as_invitee:
                services.invitation_accept(invitation=invitation, user=request.user)
                messages.success(
                    request, _("Welcome to %(network)s.") % {"network": invitation.network.name}
                )
                response = redirect("home")
            else:
                response = None
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            response = None
        if response is not None:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, invitation.language)
            return response
    context.update(form=form, signed_in_as_invitee=signed_in_as_invitee)
    response = render(request, "networks/invitation_accept.html", context)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, invitation.language)
    return response
