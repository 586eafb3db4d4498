"""Signed in after choosing a password: a new person accepting an invitation, and anyone
resetting a forgotten password, land on their home page signed in, not on the sign-in page."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from networks.models import Role, User
from tests import factories as f

from .invitations import invitation_with_link

pytestmark = pytest.mark.django_db

PASSWORD = "fjord-and-fell-2011"


def test_a_new_person_accepting_an_invitation_is_signed_in_and_lands_home(client, world):
    invitation, token = invitation_with_link(
        network=world.network,
        by=world.users["facilitator"],
        email="tove@alta.example.org",
        first_name="Tove",
        last_name="Isaksen",
    )
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    invitee = User.objects.get(email="tove@alta.example.org")
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.wsgi_request.user == invitee
    assert [str(m) for m in response.context["messages"]] == [
        f"Your password is set and you are signed in. Welcome to {world.network.name}."
    ]
    assert Role.objects.get(user=invitee).municipality == invitation.municipality
    # The session is the invitee's: their pages open without signing in again.
    assert client.get(reverse("network_detail", args=[world.network.pk])).status_code == 200


def test_a_refused_password_signs_nobody_in(client, world):
    _invitation, token = invitation_with_link(
        network=world.network, by=world.users["facilitator"], email="tove@alta.example.org"
    )
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert not User.objects.filter(email="tove@alta.example.org").exists()


def test_a_password_reset_signs_the_person_in_and_lands_home(client, db):
    person = f.UserFactory(username="kari", email="kari@example.org")
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    form_page = client.get(link, follow=True)  # Django moves the token out of the address
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.wsgi_request.user == person
    assert [str(m) for m in response.context["messages"]] == [
        "Your new password is saved and you are signed in."
    ]
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    # The link has done its work.
    assert client.get(link, follow=True).context["validlink"] is False
