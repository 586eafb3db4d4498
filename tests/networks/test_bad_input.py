"""Bad input to every form: a message on the field at fault, and nothing saved or sent."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from networks.models import Invitation, Network, NetworkMembership, Role, User
from tests import factories as f
from tests.networks.invitations import invitation_with_link

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Network, NetworkMembership, Role, User, Invitation)
    }


def _network_data(world, **overrides):
    data = {
        "programme": world.programme.pk,
        "name": "eKommune Vest-Finnmark",
        "region": world.municipality.region.pk,
        "planned_start": "2011-01-10",
        "planned_end": "2011-09-30",
        "dla_status": "not_started",
        "state": "draft",
        "language": "nb",
        "reminder_days_before": 7,
        "municipalities": [world.municipality.pk],
    }
    data.update(overrides)
    return data


def _invite_data(world, **overrides):
    data = {
        "email": "new.person@example.org",
        "first_name": "Tove",
        "last_name": "Isaksen",
        "kind": Role.Kind.CHIEF_EXECUTIVE,
        "municipality": world.neighbour.pk,
        "title": "",
        "language": "en",
    }
    data.update(overrides)
    return data


NETWORK_CASES = [
    ({"planned_end": "2010-12-31"}, "planned_end", "must come after the planned start"),
    ({"planned_end": "2011-01-10"}, "planned_end", "must come after the planned start"),
    ({"name": ""}, "name", "This field is required."),
    ({"planned_start": "10th of January"}, "planned_start", "Enter a valid date."),
    ({"planned_end": "2011-02-30"}, "planned_end", "Enter a valid date."),
    ({"municipalities": ["999999"]}, "municipalities", "Select a valid choice."),
    ({"dla_status": "finished"}, "dla_status", "Select a valid choice."),
    ({"programme": ""}, "programme", "This field is required."),
    ({"region": "999999"}, "region", "Select a valid choice."),
    ({"reminder_days_before": "0"}, "reminder_days_before", "greater than or equal to 1"),
    ({"reminder_days_before": "a week"}, "reminder_days_before", "Enter a whole number."),
    ({"language": "sv"}, "language", "Select a valid choice."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), NETWORK_CASES)
def test_network_create_rejects_bad_input_on_the_field(client, world, overrides, field, message):
    client.force_login(world.users["facilitator"])
    before = _snapshot()
    response = client.post(reverse("network_create"), _network_data(world, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert _snapshot() == before


def test_network_create_rejects_a_duplicate_name(client, world):
    client.force_login(world.users["facilitator"])
    before = _snapshot()
    response = client.post(
        reverse("network_create"), _network_data(world, name=world.network.name.upper())
    )
    assert "already has a network called" in response.context["form"].errors["name"][0]
    assert _snapshot() == before


def test_network_create_rejects_a_municipality_of_another_country(client, world):
    sweden = f.CountryFactory(code="SE", name="Sweden")
    swedish = f.MunicipalityFactory(region=f.RegionFactory(country=sweden), name="Kiruna")
    client.force_login(world.users["facilitator"])
    before = _snapshot()
    response = client.post(
        reverse("network_create"),
        _network_data(world, municipalities=[world.municipality.pk, swedish.pk]),
    )
    errors = response.context["form"].errors["municipalities"]
    assert "These municipalities lie outside Norway" in errors[0]
    assert "Kiruna" in errors[0]
    assert _snapshot() == before


@pytest.mark.parametrize(("overrides", "field", "message"), NETWORK_CASES[:5])
def test_network_update_rejects_bad_input_on_the_field(client, world, overrides, field, message):
    client.force_login(world.users["facilitator"])
    before = _snapshot()
    response = client.post(
        reverse("network_update", args=[world.network.pk]),
        _network_data(world, **{"name": world.network.name, "state": "running", **overrides}),
    )
    assert any(message in error for error in response.context["form"].errors[field])
    assert _snapshot() == before


INVITE_CASES = [
    ({"municipality": ""}, "municipality", "Choose the municipality this person works for."),
    (
        {"kind": Role.Kind.FACILITATOR},
        "municipality",
        "A facilitator serves the network, not one municipality.",
    ),
    ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ({"email": ""}, "email", "This field is required."),
    ({"first_name": ""}, "first_name", "This field is required."),
    ({"kind": "king"}, "kind", "Select a valid choice."),
    ({"language": "xx"}, "language", "Select a valid choice."),
    ({"title": "x" * 121}, "title", "Ensure this value has at most 120 characters"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), INVITE_CASES)
def test_invite_rejects_bad_input_on_the_field(client, world, overrides, field, message):
    client.force_login(world.users["facilitator"])
    before = _snapshot()
    response = client.post(
        reverse("network_invite", args=[world.network.pk]), _invite_data(world, **overrides)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert _snapshot() == before
    assert mail.outbox == []


def test_invite_refuses_a_municipality_outside_the_network(client, world):
    client.force_login(world.users["facilitator"])
    before = _snapshot()
    response = client.post(
        reverse("network_invite", args=[world.network.pk]),
        _invite_data(world, municipality=world.other_municipality.pk),
    )
    assert "Select a valid choice." in response.context["form"].errors["municipality"][0]
    assert _snapshot() == before


def test_invite_refuses_a_role_the_person_already_has(client, world):
    client.force_login(world.users["facilitator"])
    existing = world.users["chief_executive"]
    before = _snapshot()
    response = client.post(
        reverse("network_invite", args=[world.network.pk]),
        _invite_data(world, email=existing.email.upper(), municipality=world.municipality.pk),
    )
    assert response.context["form"].errors["email"] == ["This person already has this role."]
    assert _snapshot() == before
    assert mail.outbox == []


def test_login_with_a_wrong_password_says_so_and_signs_nobody_in(client, world):
    response = client.post(
        reverse("login"), {"username": "facilitator", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_rejects_a_malformed_address(client, world):
    response = client.post(reverse("password_reset"), {"email": "facilitator-at-example"})
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert mail.outbox == []


def _set_password_url(client, user):
    url = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return client.get(url, follow=True).redirect_chain[-1][0]


BAD_PASSWORDS = [
    ("fjord-and-fell-2011", "fjord-and-fell-2012", "The two password fields didn’t match."),
    ("short", "short", "This password is too short."),
    ("1234567890123", "1234567890123", "This password is entirely numeric."),
]


@pytest.mark.parametrize(("password1", "password2", "message"), BAD_PASSWORDS)
def test_set_password_rejects_bad_passwords(client, world, password1, password2, message):
    user = world.users["mayor"]
    before = User.objects.get(pk=user.pk).password
    url = _set_password_url(client, user)
    response = client.post(url, {"new_password1": password1, "new_password2": password2})
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["new_password2"])
    assert User.objects.get(pk=user.pk).password == before


@pytest.mark.parametrize(("password1", "password2", "message"), BAD_PASSWORDS)
def test_accepting_an_invitation_rejects_bad_passwords(
    client, world, password1, password2, message
):
    invitation, token = invitation_with_link(
        network=world.network, by=world.users["facilitator"], email="new.person@alta.example.org"
    )
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"new_password1": password1, "new_password2": password2},
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["new_password2"])
    assert not User.objects.filter(email="new.person@alta.example.org").exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.SENT
    assert invitation.role is None


def test_password_change_rejects_a_wrong_old_password(client, world):
    user = world.users["mayor"]
    before = user.password
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": "fjord-and-fell-2011",
            "new_password2": "fjord-and-fell-2011",
        },
    )
    assert (
        "Your old password was entered incorrectly"
        in (response.context["form"].errors["old_password"][0])
    )
    assert User.objects.get(pk=user.pk).password == before
