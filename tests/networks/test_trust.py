"""The holes an attacker's audit found in invitations, memberships, programmes and network
states, each tried again through the pages: the other network's facilitator, the inviter
themself, a trial network in a finished programme."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import Invitation, MembershipInvitation, Network, NetworkMembership, Role
from reports.figures import programme_outcome
from tests import factories as f
from tests.strategies.helpers import start

from .invitations import invitation_with_link, link_token

pytestmark = pytest.mark.django_db


def _invite(client, network, **overrides):
    data = {
        "email": "someone@example.org",
        "first_name": "Some",
        "last_name": "One",
        "kind": Role.Kind.MUNICIPAL_STAFF,
        "municipality": network.municipalities.order_by("name").first().pk,
        "title": "",
        "language": "en",
    }
    data.update(overrides)
    return client.post(reverse("network_invite", args=[network.pk]), data)


def _network_form(network, **overrides):
    data = {
        "programme": network.programme_id,
        "name": network.name,
        "region": network.region_id,
        "state": network.state,
        "description": "",
        "planned_start": network.planned_start.isoformat(),
        "planned_end": network.planned_end.isoformat(),
        "dla_status": network.dla_status,
        "language": network.language,
        "reminder_days_before": network.reminder_days_before,
        "municipalities": list(network.memberships.values_list("municipality_id", flat=True)),
    }
    data.update(overrides)
    return data


# --- A facilitator cannot give themself a municipality's role -------------------------------


def test_a_facilitator_cannot_invite_themself_as_staff_and_read_a_draft(
    client, world, django_capture_on_commit_callbacks
):
    facilitator = world.users["facilitator"]
    draft = start(world)  # Alta's draft strategy
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            client,
            world.network,
            email=facilitator.email.upper(),
            municipality=world.municipality.pk,
        )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "You cannot invite yourself into a municipality's role."
    ]
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert not Role.objects.filter(user=facilitator, municipality__isnull=False).exists()
    assert client.get(reverse("strategy_detail", args=[draft.pk])).status_code == 404


def test_an_invitation_gives_nothing_until_accepted_through_its_link(client, world):
    draft = start(world)
    person = f.UserFactory(email="kari@alta.example.org")
    invitation, token = invitation_with_link(
        network=world.network,
        by=world.users["facilitator"],
        email=person.email,
        municipality=world.municipality,
    )
    client.force_login(person)
    url = reverse("strategy_detail", args=[draft.pk])
    assert not Role.objects.filter(user=person).exists()
    assert client.get(url).status_code == 404

    response = client.post(reverse("invitation_accept", args=[token]))
    assert response.status_code == 302
    role = Role.objects.get(user=person)
    assert (role.kind, role.municipality, list(role.granted_in.all())) == (
        Role.Kind.MUNICIPAL_STAFF,
        world.municipality,
        [world.network],
    )
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert client.get(url).status_code == 200


def test_the_inviter_cannot_accept_an_invitation_they_sent(client, world):
    """Even through the service, past the form: the person who invited cannot take it."""
    facilitator = world.users["facilitator"]
    invitation = Invitation.objects.create(
        network=world.network,
        email=facilitator.email,
        kind=Role.Kind.MUNICIPAL_STAFF,
        municipality=world.municipality,
        language="en",
        invited_by=facilitator,
        expires_at=timezone.now() + timedelta(days=3),
    )
    with pytest.raises(services.ValidationError):
        services.invitation_accept(invitation=invitation, user=facilitator)
    assert not Role.objects.filter(user=facilitator, municipality__isnull=False).exists()
    with pytest.raises(services.ValidationError):
        services.person_invite(
            invited_by=facilitator,
            email=facilitator.email,
            first_name="K",
            last_name="N",
            kind=Role.Kind.CHIEF_EXECUTIVE,
            network=world.network,
            municipality=world.neighbour,
        )


def test_someone_else_signed_in_cannot_accept_the_link(client, world):
    _invitation, token = invitation_with_link(
        network=world.network, by=world.users["facilitator"], email="new@alta.example.org"
    )
    intruder = world.users["other_chief_executive"]
    client.force_login(intruder)
    page = client.get(reverse("invitation_accept", args=[token])).content.decode()
    assert "This invitation is for new@alta.example.org" in page
    client.post(reverse("invitation_accept", args=[token]))
    assert not Role.objects.filter(user=intruder, municipality=world.municipality).exists()
    assert Invitation.objects.get().state == Invitation.State.SENT


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "This invitation has expired"),
        ({"state": Invitation.State.WITHDRAWN}, "This invitation was withdrawn"),
    ],
)
def test_an_expired_or_withdrawn_link_opens_nothing(client, world, change, shown):
    invitation, token = invitation_with_link(
        network=world.network, by=world.users["facilitator"], email="late@alta.example.org"
    )
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    url = reverse("invitation_accept", args=[token])
    assert shown in client.get(url).content.decode()
    client.post(
        url, {"new_password1": "fjord-and-fell-2011", "new_password2": "fjord-and-fell-2011"}
    )
    assert not Role.objects.filter(user__email="late@alta.example.org").exists()
    assert not f.UserFactory._meta.model.objects.filter(email="late@alta.example.org").exists()


def test_an_unknown_link_is_not_found(client, world):
    response = client.get(reverse("invitation_accept", args=["not-a-real-secret"]))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_only_the_networks_facilitator_withdraws_an_invitation(client, world):
    invitation, token = invitation_with_link(
        network=world.network, by=world.users["facilitator"], email="w@alta.example.org"
    )
    url = reverse("invitation_withdraw", args=[invitation.pk])
    for outsider in ("other_facilitator", "chief_executive", "project_officer"):
        client.force_login(world.users[outsider])
        assert client.post(url).status_code == 404
        invitation.refresh_from_db()
        assert invitation.state == Invitation.State.SENT
    client.force_login(world.users["facilitator"])
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    assert (
        "This invitation was withdrawn"
        in client.get(reverse("invitation_accept", args=[token])).content.decode()
    )


def test_inviting_the_same_person_twice_makes_one_invitation_with_a_new_link(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        first = _invite(client, world.network, email="twice@alta.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        second = _invite(client, world.network, email="Twice@Alta.example.org")
    assert (first.status_code, second.status_code) == (302, 302)
    invitation = Invitation.objects.get()
    assert invitation.state == Invitation.State.SENT
    old, new = link_token(mail.outbox[0]), link_token(mail.outbox[1])
    assert old != new
    assert client.get(reverse("invitation_accept", args=[old])).status_code == 404
    assert client.get(reverse("invitation_accept", args=[new])).status_code == 200


# --- A facilitator cannot pull another network's municipality in ----------------------------


def test_adding_another_networks_municipality_only_invites_it(client, world):
    """Bodø is in the other network. Its facilitator adds Alta to theirs: Alta is invited, not
    a member; no staff can be invited for it; and its draft in the first network stays shut."""
    draft = start(world)
    intruder = world.users["other_facilitator"]
    client.force_login(intruder)
    data = _network_form(
        world.other_network,
        municipalities=[world.other_municipality.pk, world.municipality.pk],
    )
    assert (
        client.post(reverse("network_update", args=[world.other_network.pk]), data).status_code
        == 302
    )
    assert not NetworkMembership.objects.filter(
        network=world.other_network, municipality=world.municipality
    ).exists()
    assert MembershipInvitation.objects.get(network=world.other_network).state == "invited"

    response = _invite(
        client,
        world.other_network,
        email="accomplice@example.org",
        municipality=world.municipality.pk,
    )
    assert response.context["form"].errors["municipality"] == [
        "Alta has not accepted the network's invitation yet: invite its chief executive, who "
        "accepts it, first."
    ]
    assert not Invitation.objects.exists()
    assert client.get(reverse("strategy_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("network_detail", args=[world.network.pk])).status_code == 404


def test_a_role_given_in_one_network_never_opens_another_networks_drafts(client, world):
    """Alta's chief executive accepts the other network's invitation; that network's
    facilitator then invites staff for Alta. The staff member sees Alta's work in that network,
    and nothing of Alta's draft in the first one."""
    draft = start(world)
    invitation = MembershipInvitation.objects.create(
        network=world.other_network,
        municipality=world.municipality,
        invited_by=world.users["other_facilitator"],
    )
    client.force_login(world.users["chief_executive"])
    assert "Join the network" in client.get(reverse("home")).content.decode()
    client.post(reverse("membership_decide", args=[invitation.pk]), {"decision": "accept"})
    assert NetworkMembership.objects.filter(
        network=world.other_network, municipality=world.municipality
    ).exists()

    accomplice = f.UserFactory(email="accomplice@example.org")
    _invitation, token = invitation_with_link(
        network=world.other_network,
        by=world.users["other_facilitator"],
        email=accomplice.email,
        municipality=world.municipality,
    )
    client.force_login(accomplice)
    client.post(reverse("invitation_accept", args=[token]))
    assert list(Role.objects.get(user=accomplice).granted_in.all()) == [world.other_network]
    there = start(world, network=world.other_network)
    assert client.get(reverse("strategy_detail", args=[there.pk])).status_code == 200
    assert client.get(reverse("strategy_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("network_detail", args=[world.network.pk])).status_code == 404


def test_only_the_municipalitys_chief_executive_decides_on_joining(client, world):
    invitation = MembershipInvitation.objects.create(
        network=world.other_network,
        municipality=world.municipality,
        invited_by=world.users["other_facilitator"],
    )
    url = reverse("membership_decide", args=[invitation.pk])
    for outsider in ("other_facilitator", "mayor", "municipal_staff", "other_chief_executive"):
        client.force_login(world.users[outsider])
        assert client.post(url, {"decision": "accept"}).status_code == 404
    assert (
        not NetworkMembership.objects.filter(network=world.other_network)
        .exclude(municipality=world.other_municipality)
        .exists()
    )
    client.force_login(world.users["chief_executive"])
    client.post(url, {"decision": "decline"})
    invitation.refresh_from_db()
    assert invitation.state == MembershipInvitation.State.DECLINED
    client.post(url, {"decision": "accept"})  # decided: the answer stands
    assert not NetworkMembership.objects.filter(
        network=world.other_network, municipality=world.municipality
    ).exists()


def test_an_administrators_choice_of_members_makes_them_members(client, world):
    client.force_login(world.users["staff"])
    extra = f.MunicipalityFactory(region=world.municipality.region)
    members = [world.municipality.pk, world.neighbour.pk, extra.pk]
    client.post(
        reverse("network_update", args=[world.network.pk]),
        _network_form(world.network, municipalities=members),
    )
    assert set(world.network.memberships.values_list("municipality_id", flat=True)) == set(members)


# --- The programme field --------------------------------------------------------------------


def test_a_facilitator_chooses_only_programmes_they_work_in(client, world):
    elsewhere = f.ProgrammeFactory(acronym="OTHER")
    client.force_login(world.users["facilitator"])
    form = client.get(reverse("network_create")).context["form"]
    assert list(form.fields["programme"].queryset) == [world.programme]
    data = _network_form(world.network, name="Trial", programme=elsewhere.pk, state="draft")
    response = client.post(reverse("network_create"), data)
    assert "programme" in response.context["form"].errors
    assert not Network.objects.filter(name="Trial").exists()


def test_only_an_administrator_moves_a_network_into_another_programme(client, world):
    elsewhere = f.ProgrammeFactory(acronym="OTHER")
    url = reverse("network_update", args=[world.network.pk])
    client.force_login(world.users["facilitator"])
    client.post(url, _network_form(world.network, programme=elsewhere.pk))
    world.network.refresh_from_db()
    assert world.network.programme == world.programme
    client.force_login(world.users["staff"])
    client.post(url, _network_form(world.network, programme=elsewhere.pk))
    world.network.refresh_from_db()
    assert world.network.programme == elsewhere


# --- Network states and the Commission's figures --------------------------------------------


def test_a_network_outside_its_programmes_period_is_refused_with_the_reason(client, world):
    client.force_login(world.users["facilitator"])
    data = _network_form(
        world.network,
        name="Trial",
        state="draft",
        planned_start="2010-01-10",
        planned_end="2012-09-30",
    )
    response = client.post(reverse("network_create"), data)
    errors = response.context["form"].errors
    assert errors["planned_start"] == [
        "CEMSDI runs from 1 June 2010 to 31 May 2012: the network cannot start before it."
    ]
    assert errors["planned_end"] == [
        "CEMSDI runs from 1 June 2010 to 31 May 2012: the network cannot end after it."
    ]
    assert not Network.objects.filter(name="Trial").exists()


def test_a_trial_network_stays_out_of_the_outcome_figures_until_it_runs(client, world):
    before = programme_outcome(programme=world.programme)
    client.force_login(world.users["facilitator"])
    trial = f.MunicipalityFactory(region=world.municipality.region)
    client.post(
        reverse("network_create"),
        _network_form(world.network, name="Trial", state="draft", municipalities=[trial.pk]),
    )
    network = Network.objects.get(name="Trial")
    network.memberships.create(municipality=trial)  # as if its chief executive had accepted
    draft = programme_outcome(programme=world.programme)
    assert (len(draft.pilots), draft.municipalities) == (len(before.pilots), before.municipalities)
    client.force_login(world.users["project_officer"])
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 404

    client.force_login(world.users["facilitator"])
    for state in ("planned", "running"):
        client.post(
            reverse("network_update", args=[network.pk]),
            _network_form(network, state=state),
        )
        network.refresh_from_db()
        assert network.state == state
    running = programme_outcome(programme=world.programme)
    assert (len(running.pilots), running.municipalities) == (
        len(before.pilots) + 1,
        before.municipalities + 1,
    )
    client.force_login(world.users["project_officer"])
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 200


def test_a_network_cannot_jump_from_draft_to_finished(client, world):
    network = f.NetworkFactory(programme=world.programme, state=Network.State.DRAFT)
    Role.objects.create(user=world.users["facilitator"], kind="facilitator", network=network)
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("network_update", args=[network.pk]), _network_form(network, state="finished")
    )
    assert "state" in response.context["form"].errors
    network.refresh_from_db()
    assert network.state == Network.State.DRAFT


def test_a_second_network_of_the_same_name_is_a_form_error_not_a_crash(client, world):
    """The name is unique in the database, in any case; a create that loses the race to a
    twin gets the message on the field."""
    with pytest.raises(services.ValidationError) as raised:
        services.network_create(
            created_by=world.users["facilitator"],
            programme=world.programme,
            name=world.network.name.upper(),
            region=world.network.region,
            planned_start=world.network.planned_start,
            planned_end=world.network.planned_end,
        )
    assert "name" in raised.value.message_dict
    assert Network.objects.filter(name__iexact=world.network.name).count() == 1


def test_a_chief_executive_given_in_one_network_joins_another_and_speaks_there(client, world):
    """Bodø's chief executive came through the other network's invitation. When they accept
    the first network's invitation, their role counts there too; nobody else's widens."""
    chief = world.users["other_chief_executive"]
    role = Role.objects.get(user=chief)
    role.granted_in.add(world.other_network)
    staff = f.municipal(
        Role.Kind.MUNICIPAL_STAFF, world.other_municipality, granted_in=world.other_network
    )
    invitation = MembershipInvitation.objects.create(
        network=world.network,
        municipality=world.other_municipality,
        invited_by=world.users["facilitator"],
    )
    client.force_login(chief)
    client.post(reverse("membership_decide", args=[invitation.pk]), {"decision": "accept"})
    assert set(role.granted_in.all()) == {world.network, world.other_network}
    draft = start(world, world.other_municipality)  # Bodø's strategy in the first network
    assert client.get(reverse("strategy_detail", args=[draft.pk])).status_code == 200
    client.force_login(staff)
    assert client.get(reverse("strategy_detail", args=[draft.pk])).status_code == 404


def test_the_network_form_marks_the_municipalities_only_invited(client, world):
    MembershipInvitation.objects.create(
        network=world.network,
        municipality=world.other_municipality,
        invited_by=world.users["facilitator"],
    )
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("network_update", args=[world.network.pk])).content.decode()
    other = world.other_municipality
    assert f"{other.name} ({other.code}), invited" in page
    assert f"{world.municipality.name} ({world.municipality.code}), invited" not in page
