"""The networks pages through the test client: what each person sees and can do."""

from datetime import date
from smtplib import SMTPException

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from networks.models import Invitation, MembershipInvitation, Network, Role, User
from tests import factories as f
from tests.networks.invitations import link_token

pytestmark = pytest.mark.django_db


def _network_post(world, **overrides):
    data = {
        "programme": world.programme.pk,
        "name": "eKommune Vest-Finnmark",
        "region": world.municipality.region.pk,
        "description": "",
        "planned_start": "2011-01-10",
        "planned_end": "2011-09-30",
        "dla_status": Network.DlaStatus.NOT_STARTED,
        "state": Network.State.DRAFT,
        "language": "nb",
        "reminder_days_before": 7,
        "municipalities": [world.municipality.pk, world.neighbour.pk],
    }
    data.update(overrides)
    return data


def test_home_shows_each_person_what_is_theirs(client, world):
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("home")).content.decode()
    assert world.network.name in page
    assert world.other_network.name not in page

    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("home")).content.decode()
    assert "Your municipality" in page
    assert "Alta" in page
    assert world.network.name in page
    assert world.other_network.name not in page

    client.force_login(world.users["project_officer"])
    page = client.get(reverse("home")).content.decode()
    assert "Programmes you follow as project officer" in page
    assert "CEMSDI" in page
    assert "2 networks" in page


def test_network_list_shows_only_visible_networks(client, world):
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("network_list")).content.decode()
    assert world.network.name in page
    assert world.other_network.name not in page


def test_network_page_shows_members_people_and_warnings(client, world):
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("network_detail", args=[world.network.pk])).content.decode()
    assert "Alta" in page
    assert "Hammerfest" in page
    assert world.users["chief_executive"].get_full_name() in page
    assert "The network has 2 municipalities" in page  # fewer than 10: a warning
    assert "Invite people" in page


def test_project_officer_reads_network_without_edit_links(client, world):
    client.force_login(world.users["project_officer"])
    page = client.get(reverse("network_detail", args=[world.network.pk])).content.decode()
    assert world.network.name in page
    assert "Edit network" not in page
    assert "Invite people" not in page


def test_facilitator_creates_network_and_becomes_its_facilitator(client, world):
    user = world.users["other_facilitator"]
    client.force_login(user)
    response = client.post(reverse("network_create"), _network_post(world), follow=True)
    network = Network.objects.get(name="eKommune Vest-Finnmark")
    assert response.redirect_chain[-1][0] == reverse("network_detail", args=[network.pk])
    assert network.state == Network.State.DRAFT
    # The municipalities are asked to join; none is a member until its chief executive says so.
    assert list(network.municipalities.all()) == []
    assert set(
        MembershipInvitation.objects.filter(network=network, state="invited").values_list(
            "municipality__name", flat=True
        )
    ) == {"Alta", "Hammerfest"}
    assert Role.objects.filter(user=user, kind=Role.Kind.FACILITATOR, network=network).exists()
    page = response.content.decode()
    assert page.count("The network has 0 municipalities") == 1  # shown once, on the page
    assert "Invited to join" in page


def test_network_create_warns_about_a_long_period_but_saves(client, world):
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("network_create"),
        _network_post(world, planned_start="2011-01-01", planned_end="2011-12-31"),
        follow=True,
    )
    assert Network.objects.filter(name="eKommune Vest-Finnmark").exists()
    assert "longer than 10 months" in response.content.decode()


def test_facilitator_edits_members(client, world):
    client.force_login(world.users["facilitator"])
    extra = f.MunicipalityFactory(region=world.municipality.region)
    data = _network_post(
        world,
        name=world.network.name,
        state=Network.State.RUNNING,
        municipalities=[world.municipality.pk, extra.pk],
    )
    response = client.post(reverse("network_update", args=[world.network.pk]), data)
    assert response.status_code == 302
    # Hammerfest left; the new one is invited, not yet a member.
    assert set(world.network.municipalities.all()) == {world.municipality}
    assert MembershipInvitation.objects.get(network=world.network).municipality == extra


@pytest.mark.parametrize(
    ("role", "status"),
    [("project_officer", 403), ("chief_executive", 403), ("other_facilitator", 404)],
)
def test_others_cannot_change_a_network(client, world, role, status):
    client.force_login(world.users[role])
    data = _network_post(world, name="Renamed")
    response = client.post(reverse("network_update", args=[world.network.pk]), data)
    assert response.status_code == status
    world.network.refresh_from_db()
    assert world.network.name != "Renamed"


def test_invitation_gives_nothing_until_the_new_person_accepts_and_sets_a_password(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network_invite", args=[world.network.pk]),
            {
                "email": "Radmann@Hammerfest.Kommune.no",
                "first_name": "Tove",
                "last_name": "Isaksen",
                "kind": Role.Kind.MUNICIPAL_STAFF,
                "municipality": world.neighbour.pk,
                "title": "Kommunedirektør",
                "language": "nb",
            },
        )
    assert response.status_code == 302
    # Nothing is given yet: no account, no role.
    assert not User.objects.filter(email="radmann@hammerfest.kommune.no").exists()
    invitation = Invitation.objects.get(email="radmann@hammerfest.kommune.no")
    assert invitation.state == Invitation.State.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["radmann@hammerfest.kommune.no"]
    assert world.network.name in message.subject
    assert "Invitasjon" in message.subject  # written in the language the facilitator chose
    path = reverse("invitation_accept", args=[link_token(message)])

    client.logout()
    page = client.get(path)
    assert "Velg et passord" in page.content.decode()  # the invitation's language
    response = client.post(
        path, {"new_password1": "fjord-and-fell-2011", "new_password2": "fjord-and-fell-2011"}
    )
    assert response.status_code == 302
    invitee = User.objects.get(email="radmann@hammerfest.kommune.no")
    assert (invitee.first_name, invitee.last_name) == ("Tove", "Isaksen")
    assert client.login(
        request=HttpRequest(), username=invitee.username, password="fjord-and-fell-2011"
    )
    role = Role.objects.get(user=invitee)
    assert (role.municipality, list(role.granted_in.all()), role.title) == (
        world.neighbour,
        [world.network],
        "Kommunedirektør",
    )
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.role == role
    # The link has done its work: a second use changes nothing.
    response = client.post(
        path, {"new_password1": "other-pass-2012", "new_password2": "other-pass-2012"}
    )
    assert Role.objects.filter(user=invitee).count() == 1


def _unsent_invitation(world):
    """An invitation made, its e-mail not yet sent (no commit runs the task in these tests)."""
    from networks import services

    invitation, _renewed = services.person_invite(
        invited_by=world.users["facilitator"],
        email="mayor2@example.org",
        first_name="A",
        last_name="B",
        kind=Role.Kind.MUNICIPAL_STAFF,
        network=world.network,
        municipality=world.municipality,
        language="en",
    )
    return invitation


def test_invitation_is_sent_once_even_if_the_task_runs_twice(world):
    from networks import services

    invitation = _unsent_invitation(world)
    services.invitation_send(invitation_id=invitation.pk)
    services.invitation_send(invitation_id=invitation.pk)
    assert len(mail.outbox) == 1


def test_failed_invitation_e_mail_is_sent_by_the_retry_with_a_working_link(client, world, settings):
    from networks import services

    invitation = _unsent_invitation(world)
    settings.EMAIL_BACKEND = "tests.sessions_app.test_notifications.FailingBackend"
    with pytest.raises(SMTPException):
        services.invitation_send(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.invitation_send(invitation_id=invitation.pk)
    assert len(mail.outbox) == 1
    response = client.get(reverse("invitation_accept", args=[link_token(mail.outbox[0])]))
    assert response.status_code == 200
    assert "mayor2@example.org" in response.content.decode()


def test_language_switch_shows_norwegian(client, world):
    client.force_login(world.users["chief_executive"])
    response = client.post(reverse("set_language"), {"language": "nb", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert "Din kommune" in page
    assert "Nettverk" in page


def test_norwegian_from_the_browser_language(client, world):
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("home"), headers={"accept-language": "nb-NO,nb;q=0.9"})
    assert "Logg ut" in page.content.decode()


def test_period_rules_use_calendar_months():
    from networks.selectors import network_period_warning

    assert network_period_warning(start=date(2010, 9, 1), end=date(2011, 3, 1)) is None
    assert network_period_warning(start=date(2010, 9, 1), end=date(2011, 7, 1)) is None
    assert "shorter than 6" in network_period_warning(start=date(2010, 9, 1), end=date(2011, 2, 28))
    assert "longer than 10" in network_period_warning(start=date(2010, 9, 1), end=date(2011, 7, 2))


def test_inviting_an_existing_person_does_not_rename_them(
    client, world, django_capture_on_commit_callbacks
):
    existing = world.users["neighbour_chief_executive"]
    name = existing.get_full_name()
    client.force_login(world.users["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network_invite", args=[world.network.pk]),
            {
                "email": existing.email,
                "first_name": "Ola",
                "last_name": "Test",
                "kind": Role.Kind.MUNICIPAL_STAFF,
                "municipality": world.municipality.pk,
                "title": "",
                "language": "en",
            },
        )
    assert response.status_code == 302
    token = link_token(mail.outbox[0])
    assert "with your existing account" in mail.outbox[0].body
    client.force_login(existing)
    response = client.post(reverse("invitation_accept", args=[token]))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.get_full_name() == name
    assert Role.objects.filter(
        user=existing, kind=Role.Kind.MUNICIPAL_STAFF, municipality=world.municipality
    ).exists()


def test_a_municipality_has_one_chief_executive(client, world):
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("network_invite", args=[world.network.pk]),
        {
            "email": "second@alta.example.org",
            "first_name": "Second",
            "last_name": "Chief",
            "kind": Role.Kind.CHIEF_EXECUTIVE,
            "municipality": world.municipality.pk,
            "title": "",
            "language": "en",
        },
    )
    holder = world.users["chief_executive"].get_full_name()
    assert response.context["form"].errors["municipality"] == [
        f"Alta already has a chief executive in the portal: {holder}. "
        "An administrator ends that role first."
    ]
    assert not User.objects.filter(email="second@alta.example.org").exists()
