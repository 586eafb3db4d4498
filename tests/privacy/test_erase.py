"""An administrator erases a person on request: the person is gone, the programme's figures and
the text they wrote stay, attributed to "a former participant", and the log says who erased."""

import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.models import AuditEntry
from networks.models import Invitation, Role, User
from privacy import services
from privacy.selectors import personal_data
from reports.figures import outcome_data, programme_outcome
from sessions_app.models import Attendance, CalendarToken, GatheringUpdate, GatheringUpdateSent
from strategies.models import SectionComment, SectionPresence, SectionRevision

pytestmark = pytest.mark.django_db

TRACES = ["Siri", "Eriksen", "siri@alta.example"]


def _erase_url(person):
    return reverse("person_erase", args=[person.pk])


def _erase_through_the_page(client, admin, person):
    client.force_login(admin)
    return client.post(_erase_url(person), {"username": person.username})


def _figures(world):
    data = outcome_data(programme_outcome(programme=world.programme))
    del data["generated_at"]
    return data


def test_erase_page_erases_the_person_and_returns_to_the_admin(client, world, subject):
    admin = world.users["staff"]
    response = _erase_through_the_page(client, admin, subject.person)
    assert response.status_code == 302
    assert response.url == reverse("admin:networks_user_change", args=[subject.person.pk])
    person = User.objects.get(pk=subject.person.pk)
    assert person.username == f"former-{person.pk}"
    assert (person.first_name, person.last_name) == ("", "")
    assert person.email == f"former-{person.pk}@invalid"
    assert not person.has_usable_password()
    assert not person.is_active
    page = client.get(response.url).content.decode()
    assert f"The person&#x27;s data was erased. The account is now former-{person.pk}." in page


def test_erased_person_can_no_longer_sign_in_and_their_session_ends(client, world, subject):
    person_client = type(client)()
    person_client.force_login(subject.person)
    assert person_client.get(reverse("home")).status_code == 200
    services.person_erase(person=subject.person, erased_by=world.users["staff"])
    response = person_client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    for username in ["chief_executive", f"former-{subject.person.pk}"]:
        response = client.post(
            reverse("login"), {"username": username, "password": "a-long-test-password"}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


def test_erasure_removes_every_access_and_what_the_person_held(world, subject):
    person = subject.person
    services.person_erase(person=person, erased_by=world.users["staff"])
    assert not Role.objects.filter(user=person).exists()
    assert not SectionPresence.objects.filter(user=person).exists()
    assert not CalendarToken.objects.filter(user=person).exists()
    assert not world.users["chief_executive"].has_perm("strategies.view_strategy", subject.strategy)


def test_erasure_withdraws_invitations_to_the_person_and_clears_who(world, subject):
    invitation = Invitation.objects.create(
        network=world.network,
        email="siri@alta.example",
        first_name="Siri",
        last_name="Eriksen",
        kind=Role.Kind.MUNICIPAL_STAFF,
        municipality=world.neighbour,
        title="Rådgiver",
        language="nb",
        invited_by=world.users["facilitator"],
        token_hash="a" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    services.person_erase(person=subject.person, erased_by=world.users["staff"])
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    assert (invitation.email, invitation.first_name, invitation.last_name, invitation.title) == (
        f"former-{subject.person.pk}@invalid",
        "",
        "",
        "",
    )
    assert invitation.token_hash == ""
    assert (invitation.network, invitation.kind) == (world.network, Role.Kind.MUNICIPAL_STAFF)


def test_erasure_keeps_attendance_hours_and_the_outcome_figures(world, subject, neighbour):
    before = _figures(world)
    attendance = list(
        Attendance.objects.filter(person=subject.person).values_list(
            "gathering_id", "municipality_id", "role_kind", "present", "hours"
        )
    )
    services.person_erase(person=subject.person, erased_by=world.users["staff"])
    after = _figures(world)
    # Participants are counted from roles and from attendance (reports/figures.py): the
    # erased person has no role any more, but came, so every figure stays as it was.
    assert after == before
    assert before["networks"][0]["sessions_held"] == 2
    assert (
        list(
            Attendance.objects.filter(person=subject.person).values_list(
                "gathering_id", "municipality_id", "role_kind", "present", "hours"
            )
        )
        == attendance
    )


def test_erased_persons_text_stays_as_by_a_former_participant(client, world, subject):
    services.person_erase(person=subject.person, erased_by=world.users["staff"])
    assert SectionRevision.objects.get(section=subject.section).body == subject.text
    assert SectionComment.objects.get(section=subject.section).body == subject.comment
    client.force_login(world.users["staff"])
    history = client.get(reverse("section_history", args=[subject.section.pk])).content.decode()
    assert "a former participant, " in history
    detail = client.get(reverse("strategy_detail", args=[subject.strategy.pk])).content.decode()
    assert "saved by a former participant" in detail
    for page in [history, detail]:
        for trace in TRACES:
            assert trace not in page


def test_erasure_is_in_the_audit_log_without_personal_data(world, subject):
    admin = world.users["staff"]
    services.person_erase(person=subject.person, erased_by=admin)
    entry = AuditEntry.objects.filter(model="networks.user").get()
    assert (entry.actor, entry.action, entry.object_id, entry.object_repr, entry.changes) == (
        admin,
        "changed",
        str(subject.person.pk),
        f"former-{subject.person.pk}",
        {"erased": [False, True]},
    )


def test_erasure_scrubs_the_persons_name_from_the_logs_and_keeps_the_entries(world, subject):
    person = subject.person
    AuditEntry.objects.create(
        actor=world.users["facilitator"],
        action="changed",
        model="strategies.measure",
        object_id="1",
        object_repr="Owner Siri Eriksen",
        changes={"note": ["", "ask siri@alta.example"]},
    )
    LogEntry.objects.create(
        user=world.users["staff"],
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr="Siri Eriksen",
        action_flag=CHANGE,
        change_message="[]",
    )
    count = AuditEntry.objects.count()
    services.person_erase(person=person, erased_by=world.users["staff"])
    # Kept: every entry there was, the erasure's, and one per deleted role.
    assert AuditEntry.objects.count() == count + 2
    logged = json.dumps(
        list(AuditEntry.objects.values_list("object_repr", "changes")), ensure_ascii=False
    ) + json.dumps(list(LogEntry.objects.values_list("object_repr", "change_message")))
    for trace in TRACES:
        assert trace not in logged
    assert AuditEntry.objects.get(object_repr=f"Owner former-{person.pk}").changes == {
        "note": ["", f"ask former-{person.pk}"]
    }
    # Other people's names and role words stay as they were.
    assert AuditEntry.objects.filter(object_repr__contains="Chief executive").exists()


def test_erased_persons_download_has_nothing_personal(world, subject):
    services.person_erase(person=subject.person, erased_by=world.users["staff"])
    person = User.objects.get(pk=subject.person.pk)
    text = json.dumps(personal_data(person), ensure_ascii=False)
    for trace in [*TRACES, "chief_executive@"]:
        assert trace not in text
    assert "Alta cooperates on shared services." in text  # the text stays theirs


@pytest.mark.parametrize("role", ["facilitator", "chief_executive", "project_officer", "mayor"])
def test_only_an_administrator_may_erase(client, world, subject, role):
    client.force_login(world.users[role])
    target = world.users["municipal_staff"]
    assert client.get(_erase_url(target)).status_code == 404
    response = client.post(_erase_url(target), {"username": target.username})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.username == "municipal_staff"
    assert target.is_active
    assert Role.objects.filter(user=target).exists()
    assert not AuditEntry.objects.filter(model="networks.user").exists()


def test_erasure_asks_a_visitor_to_sign_in(client, subject):
    response = client.post(_erase_url(subject.person), {"username": "chief_executive"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert User.objects.get(pk=subject.person.pk).username == "chief_executive"


def test_administrator_cannot_erase_themself(client, world):
    admin = world.users["staff"]
    response = _erase_through_the_page(client, admin, admin)
    assert response.status_code == 200
    assert "You cannot erase your own account. Ask another administrator to do it." in (
        response.content.decode()
    )
    admin.refresh_from_db()
    assert (admin.username, admin.is_active, admin.is_staff) == ("staff", True, True)
    assert not AuditEntry.objects.filter(model="networks.user").exists()


def test_erasure_needs_the_username_typed(client, world, subject):
    client.force_login(world.users["staff"])
    response = client.post(_erase_url(subject.person), {"username": "chief"})
    assert response.status_code == 200
    assert (
        "This is not the username of the person to erase (chief_executive)."
        in response.content.decode()
    )
    assert User.objects.get(pk=subject.person.pk).email == "siri@alta.example"


def test_erase_page_says_what_goes_and_what_stays(client, world, subject):
    client.force_login(world.users["staff"])
    page = client.get(_erase_url(subject.person)).content.decode()
    assert "2 attendance records, with their hours" in page
    assert "Text written: 1 revisions and 1 comments" in page
    assert "Siri Eriksen: Chief executive" in page


def test_an_erased_account_is_not_erased_twice(client, world, subject):
    services.person_erase(person=subject.person, erased_by=world.users["staff"])
    client.force_login(world.users["staff"])
    person = User.objects.get(pk=subject.person.pk)
    response = client.post(_erase_url(person), {"username": person.username})
    assert "This account has already been erased." in response.content.decode()
    assert AuditEntry.objects.filter(model="networks.user").count() == 1


def test_admin_people_list_offers_the_erasure(client, world, subject):
    client.force_login(world.users["staff"])
    changelist = reverse("admin:networks_user_changelist")
    response = client.post(
        changelist, {"action": "erase_person", "_selected_action": [subject.person.pk]}
    )
    assert response.status_code == 302
    assert response.url == _erase_url(subject.person)
    response = client.post(
        changelist,
        {
            "action": "erase_person",
            "_selected_action": [subject.person.pk, world.users["mayor"].pk],
        },
        follow=True,
    )
    assert "Choose one person at a time to erase." in response.content.decode()


def test_erasure_deletes_the_record_of_gathering_updates_mailed_to_the_person(world, subject):
    gathering = subject.gatherings[0]
    update = GatheringUpdate.objects.create(
        gathering=gathering,
        sequence=1,
        method=GatheringUpdate.Method.REQUEST,
        previous_starts_at=gathering.starts_at,
        previous_ends_at=gathering.ends_at,
    )
    GatheringUpdateSent.objects.create(update=update, person=subject.person)

    services.person_erase(person=subject.person, erased_by=world.users["staff"])

    assert not GatheringUpdateSent.objects.filter(person=subject.person).exists()
    assert GatheringUpdate.objects.filter(pk=update.pk).exists()  # the gathering's history stays
