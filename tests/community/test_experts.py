"""The network of experts: opting in, the directory, inviting an expert to speak and the
invitation's answers; permissions tried as an attacker would; bad input; flat query counts."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Questionnaire, Theme
from cemsdi_portal.core.models import AuditEntry
from community import rules, services
from community.models import ExpertProfile, SpeakerInvitation
from networks.countries import role_title
from networks.models import Country, Role
from notices.models import Kind, Notice
from strategies.models import DlaPriority
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(world):
    """A Portuguese chief executive in a network of the world's programme, listed as an expert;
    a future gathering of the world's network with room on its agenda, and a past one."""
    portugal, _made = Country.objects.get_or_create(code="PT", defaults={"name": "Portugal"})
    portugal.chief_executive_title = "secretário-geral"
    portugal.save()
    norway = world.municipality.country
    norway.chief_executive_title = "rådmann"
    norway.save()
    porto = f.MunicipalityFactory(name="Porto", region=f.RegionFactory(country=portugal))
    world.pt_network = f.NetworkFactory(
        programme=world.programme, region=porto.region, members=[porto], language="pt"
    )
    world.porto = porto
    world.expert = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, porto, username="ana", first_name="Ana", last_name="Costa"
    )
    world.themes = list(Theme.objects.filter(questionnaire__active=True).order_by("order")[:3])
    world.priority = DlaPriority.objects.order_by("position").first()
    world.profile = f.ExpertProfileFactory(user=world.expert, languages=["pt", "en"])
    world.profile.themes.set(world.themes[:2])
    world.profile.dla_priorities.set([world.priority])
    world.gathering = f.GatheringFactory(network=world.network, title="Samling om tjenester")
    world.past = f.GatheringFactory(
        network=world.network,
        number=2,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=8),
    )
    return world


def _invite_data(world, **extra):
    return {
        "gathering": world.gathering.pk,
        "topic": "Digital services in Porto",
        "duration_minutes": 30,
        "message": "Would you tell us how Porto did it?",
        **extra,
    }


def _invite(client, world, user=None, **extra):
    client.force_login(user or world.users["facilitator"])
    return client.post(
        reverse("speaker_invite", kwargs={"pk": world.profile.pk}), _invite_data(world, **extra)
    )


def _invitation(world, **fields):
    return SpeakerInvitation.objects.create(
        gathering=world.gathering,
        expert=world.expert,
        topic="Digital services in Porto",
        duration_minutes=30,
        invited_by=world.users["facilitator"],
        **fields,
    )


# --- Opting in -----------------------------------------------------------------------------


def _profile_post(client, user, **data):
    client.force_login(user)
    return client.post(reverse("expert_profile"), data)


def test_a_chief_executive_opts_in_with_themes_priorities_and_languages(client, experts):
    chief = experts.users["chief_executive"]
    theme = experts.themes[2]
    response = _profile_post(
        client,
        chief,
        listed="on",
        themes=[theme.pk],
        dla_priorities=[experts.priority.pk],
        languages=["it", "nb"],
        summary="Shared services across five municipalities.",
    )
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=chief)
    assert profile.listed is True
    assert profile.languages == ["nb", "it"]  # in the portal's order
    assert list(profile.themes.all()) == [theme]
    assert list(profile.dla_priorities.all()) == [experts.priority]
    created = AuditEntry.objects.get(
        model="community.expertprofile", object_id=str(profile.pk), action="created"
    )
    assert created.actor == chief
    assert created.changes["languages"] == [None, "nb, it"]
    page = client.get(reverse("expert_profile")).content.decode()
    assert theme.name in page


def test_the_profile_form_names_themes_in_the_readers_language(client, experts):
    client.force_login(experts.users["chief_executive"])
    page = client.get(reverse("expert_profile"), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    theme = experts.themes[0]
    assert theme.name_nb
    assert theme.name_nb in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"languages": []}, "languages", "Choose at least one language you speak in."),
        ({"languages": ["xx"]}, "languages", "Choose languages from the list only."),
        ({"themes": ["999999"]}, "themes", "Choose themes of the self-assessment"),
    ],
)
def test_opting_in_refuses_bad_input_and_saves_nothing(client, experts, data, field, message):
    chief = experts.users["chief_executive"]
    response = _profile_post(
        client, chief, **{"listed": "on", "languages": ["en"], "summary": "x", **data}
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()  # in the error summary too
    assert not ExpertProfile.objects.filter(user=chief).exists()


def test_the_service_refuses_a_theme_of_no_active_questionnaire(experts):
    retired = Questionnaire.objects.create(code="old", title_en="Old", active=False)
    theme = Theme.objects.create(questionnaire=retired, code="x", name_en="Old theme")
    chief = experts.users["chief_executive"]
    with pytest.raises(ValidationError) as refused:
        services.expert_profile_save(
            user=chief, listed=True, summary="", themes=[theme], dla_priorities=[], languages=["en"]
        )
    assert refused.value.message_dict["themes"] == [
        "Choose themes of the self-assessment's questionnaire only."
    ]
    assert not ExpertProfile.objects.filter(user=chief).exists()


def test_leaving_deletes_the_profile(client, experts):
    client.force_login(experts.expert)
    response = client.post(reverse("expert_profile_delete"))
    assert response.status_code == 302
    assert not ExpertProfile.objects.filter(user=experts.expert).exists()
    assert AuditEntry.objects.filter(
        model="community.expertprofile", action=AuditEntry.Action.DELETED
    ).exists()


@pytest.mark.parametrize("name", ["expert_profile", "expert_directory"])
def test_someone_in_no_programme_cannot_opt_in_nor_search(client, experts, name):
    client.force_login(experts.users["no_role"])
    assert client.get(reverse(name)).status_code == 403
    response = client.post(reverse("expert_profile"), {"languages": ["en"], "listed": "on"})
    assert response.status_code == 403
    assert not ExpertProfile.objects.filter(user=experts.users["no_role"]).exists()


# --- Finding -------------------------------------------------------------------------------


def _directory(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("expert_directory"), query)
    assert response.status_code == 200
    return response


def test_a_norwegian_reader_finds_the_portuguese_expert_with_her_role_title(client, experts):
    response = _directory(client, experts.users["chief_executive"])
    entries = response.context["entries"]
    assert [e.profile for e in entries] == [experts.profile]
    expected = f"{role_title(Role.Kind.CHIEF_EXECUTIVE, experts.porto.country)}, Porto"
    assert entries[0].roles == [expected]
    assert expected == "Chief executive (secretário-geral), Porto"
    page = response.content.decode()
    assert "Ana Costa" in page
    assert expected in page
    assert "Portugal" in page
    assert "Portuguese, English" in page
    assert experts.themes[0].name in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"language": "pt"}, True),
        ({"language": "nb"}, False),
        ({"country": "PT"}, True),
        ({"country": "NO"}, False),
        ({"theme": 0}, True),
        ({"theme": 2}, False),
        ({"dla_priority": "mine"}, True),
        ({"dla_priority": "other"}, False),
    ],
)
def test_directory_filters(client, experts, query, found):
    key, value = next(iter(query.items()))
    if key == "country":
        value = Country.objects.get(code=value).pk
    elif key == "theme":
        value = experts.themes[value].pk
    elif key == "dla_priority":
        value = (
            experts.priority.pk
            if value == "mine"
            else DlaPriority.objects.exclude(pk=experts.priority.pk).first().pk
        )
    entries = _directory(client, experts.users["chief_executive"], **{key: value}).context[
        "entries"
    ]
    assert [e.profile for e in entries] == ([experts.profile] if found else [])


def test_a_filter_that_is_not_offered_shows_everyone(client, experts):
    entries = _directory(client, experts.users["chief_executive"], theme="nonsense").context[
        "entries"
    ]
    assert [e.profile for e in entries] == [experts.profile]


def test_unlisted_and_other_programmes_experts_are_not_found(client, experts):
    ExpertProfile.objects.filter(pk=experts.profile.pk).update(listed=False)
    elsewhere = Role.objects.get(user=experts.users["other_officer"]).programme
    outsider = f.project_officer_of(elsewhere, username="outsider")
    f.ExpertProfileFactory(user=outsider)
    assert _directory(client, experts.users["chief_executive"]).context["entries"] == []
    client.force_login(experts.users["chief_executive"])
    assert (
        client.get(reverse("expert_detail", kwargs={"pk": experts.profile.pk})).status_code == 404
    )
    # The officer of another programme finds none of this programme's experts.
    ExpertProfile.objects.filter(pk=experts.profile.pk).update(listed=True)
    seen = _directory(client, experts.users["other_officer"]).context["entries"]
    assert [e.profile.user for e in seen] == [outsider]


def test_experts_predicate_agrees_with_its_twin(experts):
    f.ExpertProfileFactory(user=experts.users["other_facilitator"], listed=False)
    f.ExpertProfileFactory(user=experts.users["project_officer"])
    f.ExpertProfileFactory(user=f.project_officer_of(f.ProgrammeFactory(), username="far"))
    # Roles given through a network's invitation: Porto's (a member there) counts; one given
    # through a network Porto is not a member of counts nowhere.
    through = f.municipal(
        Role.Kind.MUNICIPAL_STAFF, experts.porto, granted_in=experts.pt_network, username="t"
    )
    nowhere = f.municipal(
        Role.Kind.MUNICIPAL_STAFF, experts.porto, granted_in=experts.network, username="n"
    )
    f.ExpertProfileFactory(user=through)
    f.ExpertProfileFactory(user=nowhere)
    profiles = list(ExpertProfile.objects.select_related("user"))
    found = {p.user for p in rules.experts_visible_to(experts.users["chief_executive"])}
    assert through in found
    assert nowhere not in found
    people = [*experts.users.items(), ("expert", experts.expert), ("t", through), ("n", nowhere)]
    for name, user in people:
        twin = set(rules.experts_visible_to(user))
        assert {p for p in profiles if rules.sees_expert(user, p)} == twin, name


def _directory_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("expert_directory")).status_code == 200
    return len(captured)


def _more_experts(world, count, start=0):
    for n in range(start, start + count):
        town = f.MunicipalityFactory(region=world.porto.region)
        world.pt_network.municipalities.add(town)
        person = f.municipal(Role.Kind.MAYOR, town, username=f"expert{n}")
        profile = f.ExpertProfileFactory(user=person, languages=["pt"])
        profile.themes.set(world.themes)


def test_directory_queries_do_not_grow_with_experts(client, experts):
    reader = experts.users["chief_executive"]
    _more_experts(experts, 1)
    small = _directory_queries(client, reader)
    assert len(_directory(client, reader).context["entries"]) == 2
    _more_experts(experts, 4, start=1)
    large = _directory_queries(client, reader)
    assert len(_directory(client, reader).context["entries"]) == 6
    assert small == large


def test_expert_page_queries_do_not_grow_with_invitations(client, experts):
    client.force_login(experts.users["facilitator"])
    url = reverse("expert_detail", kwargs={"pk": experts.profile.pk})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def invited(count):
        for _n in range(count):
            network = f.NetworkFactory(programme=experts.programme)
            Role.objects.create(
                user=experts.users["facilitator"], kind=Role.Kind.FACILITATOR, network=network
            )
            f.SpeakerInvitationFactory(
                gathering=f.GatheringFactory(network=network),
                expert=experts.expert,
                invited_by=experts.users["facilitator"],
            )

    invited(2)
    small = queries()
    invited(4)
    assert len(client.get(url).context["invitations"]) == 6
    assert queries() == small


# --- Inviting a speaker --------------------------------------------------------------------


def test_a_facilitator_invites_the_expert_who_is_told_and_mailed(
    client, experts, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, experts)
    invitation = SpeakerInvitation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("speaker_invitation", kwargs={"pk": invitation.pk})
    assert (invitation.gathering, invitation.expert, invitation.state) == (
        experts.gathering,
        experts.expert,
        SpeakerInvitation.State.SENT,
    )
    assert invitation.invited_by == experts.users["facilitator"]
    notice = Notice.objects.get(recipient=experts.expert)
    assert notice.kind == Kind.SPEAKER_INVITED
    assert notice.link == reverse("speaker_invitation", kwargs={"pk": invitation.pk})
    assert notice.about == "Samling om tjenester"
    assert [m.to for m in mailoutbox] == [[experts.expert.email]]
    assert "Samling om tjenester" in mailoutbox[0].body
    assert AuditEntry.objects.filter(
        model="community.speakerinvitation", object_id=str(invitation.pk)
    ).exists()


def test_the_expert_accepts_and_the_talk_is_on_the_agenda(client, experts):
    invitation = _invitation(experts)
    client.force_login(experts.expert)
    gathering_url = reverse("gathering_detail", kwargs={"pk": experts.gathering.pk})
    assert client.get(gathering_url).status_code == 404  # nothing before accepting
    response = client.post(
        reverse("speaker_invitation_answer", kwargs={"pk": invitation.pk}), {"answer": "accept"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == SpeakerInvitation.State.ACCEPTED
    item = invitation.agenda_item
    assert (item.gathering, item.title, item.kind, item.duration_minutes, item.speaker) == (
        experts.gathering,
        "Digital services in Porto",
        "lecture",
        30,
        "Ana Costa",
    )
    assert AuditEntry.objects.filter(
        model="sessions_app.agendaitem", object_id=str(item.pk), action="created"
    ).exists()
    # The accepted speaker sees the gathering and its agenda, not the network.
    page = client.get(gathering_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Digital services in Porto" in text
    assert "Ana Costa" in text
    assert reverse("network_detail", kwargs={"pk": experts.network.pk}) not in text
    assert client.get(reverse("network_detail", kwargs={"pk": experts.network.pk})).status_code == (
        404
    )
    assert (
        client.get(reverse("network_gatherings", kwargs={"pk": experts.network.pk})).status_code
        == 404
    )
    # A guest reads; changing the gathering is still the facilitators'.
    assert client.get(
        reverse("gathering_move", kwargs={"pk": experts.gathering.pk})
    ).status_code == (403)


def test_declined_and_withdrawn_invitations_give_no_access(client, experts):
    declined = _invitation(experts)
    services.speaker_invitation_answer(invitation=declined, user=experts.expert, accept=False)
    client.force_login(experts.expert)
    url = reverse("gathering_detail", kwargs={"pk": experts.gathering.pk})
    assert client.get(url).status_code == 404
    accepted = _invitation(experts)
    services.speaker_invitation_answer(invitation=accepted, user=experts.expert, accept=True)
    assert client.get(url).status_code == 200
    client.force_login(experts.users["facilitator"])
    response = client.post(reverse("speaker_invitation_withdraw", kwargs={"pk": accepted.pk}))
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.state == SpeakerInvitation.State.WITHDRAWN
    assert not experts.gathering.agenda.exists()  # the talk left the agenda
    client.force_login(experts.expert)
    assert client.get(url).status_code == 404


def test_other_networks_facilitator_cannot_invite_to_a_gathering_they_do_not_run(client, experts):
    response = _invite(client, experts, user=experts.users["other_facilitator"])
    assert response.status_code == 404
    assert not SpeakerInvitation.objects.exists()


def test_other_networks_facilitator_cannot_see_the_invitation(client, experts):
    invitation = _invitation(experts)
    for name in [
        "other_facilitator",
        "chief_executive",
        "project_officer",
        "neighbour_chief_executive",
    ]:
        client.force_login(experts.users[name])
        url = reverse("speaker_invitation", kwargs={"pk": invitation.pk})
        assert client.get(url).status_code == 404, name
        withdraw = reverse("speaker_invitation_withdraw", kwargs={"pk": invitation.pk})
        assert client.post(withdraw).status_code == 404, name
    invitation.refresh_from_db()
    assert invitation.state == SpeakerInvitation.State.SENT


def test_a_chief_executive_cannot_invite(client, experts):
    response = _invite(client, experts, user=experts.users["chief_executive"])
    assert response.status_code == 403
    assert not SpeakerInvitation.objects.exists()


@pytest.mark.parametrize("name", ["facilitator", "staff"])
def test_only_the_expert_answers_never_the_inviter(client, experts, name):
    invitation = _invitation(experts)
    client.force_login(experts.users[name])
    url = reverse("speaker_invitation_answer", kwargs={"pk": invitation.pk})
    assert client.post(url, {"answer": "accept"}).status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == SpeakerInvitation.State.SENT
    assert not experts.gathering.agenda.exists()


def test_an_unlisted_person_cannot_be_invited(client, experts):
    ExpertProfile.objects.filter(pk=experts.profile.pk).update(listed=False)
    response = _invite(client, experts)
    assert response.status_code == 404
    assert not SpeakerInvitation.objects.exists()
    experts.profile.refresh_from_db()
    with pytest.raises(PermissionDenied):  # the facilitator no longer finds them
        services.speaker_invite(
            gathering=experts.gathering,
            profile=experts.profile,
            topic="x",
            message="",
            duration_minutes=30,
            invited_by=experts.users["facilitator"],
        )


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("past", "gathering", "Choose one of the gatherings you facilitate that has not begun"),
        (
            "cancelled",
            "gathering",
            "Choose one of the gatherings you facilitate that has not begun",
        ),
        ("twice", "gathering", "Ana Costa is already invited to speak at this gathering."),
        ("no_topic", "topic", "Say what the talk is about."),
        ("too_long", "duration_minutes", "The agenda has room for 480 minutes only."),
    ],
)
def test_inviting_refuses_bad_input_and_changes_nothing(client, experts, case, field, message):
    extra = {}
    if case == "past":
        extra["gathering"] = experts.past.pk
    elif case == "cancelled":
        experts.gathering.cancelled_at = timezone.now()
        experts.gathering.save()
    elif case == "twice":
        _invitation(experts)
    elif case == "no_topic":
        extra["topic"] = ""
    elif case == "too_long":
        extra["duration_minutes"] = 500
    before = list(SpeakerInvitation.objects.values_list("pk", flat=True))
    response = _invite(client, experts, **extra)
    assert response.status_code == 400
    errors = response.context["invite_form"].errors[field]
    assert message in errors[0]
    assert message.split(":")[0][:40] in response.content.decode().replace("&#x27;", "'")
    assert list(SpeakerInvitation.objects.values_list("pk", flat=True)) == before
    assert not Notice.objects.filter(kind=Kind.SPEAKER_INVITED).exists()


def test_the_inviter_cannot_invite_themself(experts):
    facilitator = experts.users["facilitator"]
    own = f.ExpertProfileFactory(user=facilitator)
    with pytest.raises(ValidationError, match="You cannot invite yourself"):
        services.speaker_invite(
            gathering=experts.gathering,
            profile=own,
            topic="Me",
            message="",
            duration_minutes=30,
            invited_by=facilitator,
        )
    assert not SpeakerInvitation.objects.exists()


def test_accepting_is_refused_when_the_agenda_filled_up_meanwhile(client, experts):
    invitation = _invitation(experts)
    f.AgendaItemFactory(gathering=experts.gathering, duration_minutes=470)
    client.force_login(experts.expert)
    response = client.post(
        reverse("speaker_invitation_answer", kwargs={"pk": invitation.pk}),
        {"answer": "accept"},
        follow=True,
    )
    assert "no room for the talk any more" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == SpeakerInvitation.State.SENT
    assert experts.gathering.agenda.count() == 1


def test_a_decided_invitation_is_not_answered_again(client, experts):
    invitation = _invitation(experts)
    services.speaker_invitation_answer(invitation=invitation, user=experts.expert, accept=False)
    client.force_login(experts.expert)
    response = client.post(
        reverse("speaker_invitation_answer", kwargs={"pk": invitation.pk}),
        {"answer": "accept"},
        follow=True,
    )
    assert "This invitation is already declined." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == SpeakerInvitation.State.DECLINED
    assert not experts.gathering.agenda.exists()


def test_the_invitation_page_offers_the_expert_to_answer_and_the_facilitator_to_withdraw(
    client, experts
):
    invitation = _invitation(experts)
    url = reverse("speaker_invitation", kwargs={"pk": invitation.pk})
    client.force_login(experts.expert)
    page = client.get(url).content.decode()
    assert "Accept: I will speak" in page
    assert "Withdraw the invitation" not in page
    client.force_login(experts.users["facilitator"])
    page = client.get(url).content.decode()
    assert "Accept: I will speak" not in page
    assert "Withdraw the invitation" in page


def test_gathering_predicate_agrees_with_its_twin_for_speakers(experts):
    """sessions_app's view_gathering and gatherings_visible_to, with the community's guests:
    the accepted speaker of one gathering, and the declined one of another."""
    from sessions_app import rules as sessions_rules
    from sessions_app.models import Gathering

    accepted = _invitation(experts)
    services.speaker_invitation_answer(invitation=accepted, user=experts.expert, accept=True)
    declined_expert = f.municipal(Role.Kind.MAYOR, experts.porto, username="declined")
    other = f.GatheringFactory(network=experts.other_network)
    SpeakerInvitation.objects.create(
        gathering=other, expert=declined_expert, topic="No", state="declined"
    )
    gatherings = list(Gathering.objects.select_related("network"))
    people = {**experts.users, "expert": experts.expert, "declined": declined_expert}
    for name, user in people.items():
        twin = set(sessions_rules.gatherings_visible_to(user))
        seen = {g for g in gatherings if user.has_perm("sessions_app.view_gathering", g)}
        assert seen == twin, name
    assert set(sessions_rules.gatherings_visible_to(experts.expert)) == {experts.gathering}
    assert set(sessions_rules.gatherings_visible_to(declined_expert)) == set()


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "1e5", "١٢", "\x00"])
def test_directory_filters_and_invite_form_take_any_number_without_a_server_error(
    client, experts, value
):
    for name in ("theme", "dla_priority", "country", "language"):
        entries = _directory(client, experts.users["chief_executive"], **{name: value}).context[
            "entries"
        ]
        assert [e.profile for e in entries] == [experts.profile]
    response = _invite(client, experts, gathering=value)
    assert response.status_code in (400, 404)
    assert not SpeakerInvitation.objects.exists()


def test_own_profile_page_queries_do_not_grow_with_invitations(client, experts):
    client.force_login(experts.expert)
    url = reverse("expert_profile")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def invited(count):
        for _n in range(count):
            f.SpeakerInvitationFactory(
                gathering=f.GatheringFactory(network=f.NetworkFactory(programme=experts.programme)),
                expert=experts.expert,
                invited_by=experts.users["facilitator"],
            )

    invited(2)
    small = queries()
    invited(4)
    assert len(client.get(url).context["invitations"]) == 6
    assert queries() == small


def test_an_accepted_speaker_downloads_the_gatherings_material(client, experts, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sessions_app import services as sessions_services

    settings.MEDIA_ROOT = tmp_path
    material = sessions_services.material_add(
        gathering=experts.gathering,
        title="Slides",
        kind="slides",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 test"),
        uploaded_by=experts.users["facilitator"],
    )
    url = reverse("material_download", kwargs={"pk": material.pk})
    client.force_login(experts.expert)
    assert client.get(url).status_code == 404
    invitation = _invitation(experts)
    services.speaker_invitation_answer(invitation=invitation, user=experts.expert, accept=True)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_the_invitation_leads_each_reader_back_to_their_own_page(client, experts):
    """The expert goes back to their profile; the inviter, who has none of it, to the
    directory of experts."""
    invitation = _invitation(experts)
    url = reverse("speaker_invitation", kwargs={"pk": invitation.pk})
    for user, back in [
        (experts.expert, reverse("expert_profile")),
        (experts.users["facilitator"], reverse("expert_directory")),
    ]:
        client.force_login(user)
        html = client.get(url).content.decode()
        first = re.search(r'<p class="text-muted mb-1"><a href="([^"]+)"', html)
        assert first, user
        assert first.group(1) == back, user
