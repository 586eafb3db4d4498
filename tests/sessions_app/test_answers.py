"""Answers to invitations: on the gathering page and through the e-mail's signed link, the
facilitator's counts and list, the reminder to those who have not answered, and the
attendance form that starts from the answers."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.models import AuditEntry
from sessions_app import answer_reminders, services, tasks
from sessions_app.models import AnswerReminderRound, AnswerReminderSent, GatheringAnswer
from sessions_app.tokens import answer_token
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(world):
    """Gathering 1 of the network, in a month: the chief executives and Alta's mayor are
    invited."""
    world.network.language = "en"
    world.network.save()
    start = timezone.now() + timedelta(days=30)
    return f.GatheringFactory(
        network=world.network, number=1, starts_at=start, ends_at=start + timedelta(hours=8)
    )


def _answers(gathering):
    return dict(
        GatheringAnswer.objects.filter(gathering=gathering).values_list(
            "person__username", "answer"
        )
    )


def _link(world, gathering, who, choice):
    token = answer_token(gathering_id=gathering.pk, person_id=world.users[who].pk)
    return reverse("gathering_answer_link", args=[token, choice])


# --- On the gathering page ----------------------------------------------------------------


def test_invitee_answers_on_the_gathering_page_and_changes_the_answer(client, world, gathering):
    client.force_login(world.users["chief_executive"])
    url = reverse("gathering_answer", args=[gathering.pk])

    response = client.post(url, {"answer": "yes"}, follow=True)

    assert _answers(gathering) == {"chief_executive": "yes"}
    content = response.content.decode()
    assert "Thank you: you will come." in content
    assert "Your answer: I will come." in content

    client.post(url, {"answer": "no"})
    client.post(url, {"answer": "no"})  # the same answer again changes nothing

    assert _answers(gathering) == {"chief_executive": "no"}
    row = GatheringAnswer.objects.get(gathering=gathering)
    entries = AuditEntry.objects.filter(model="sessions_app.gatheringanswer", object_id=row.pk)
    assert [(e.action, e.changes, e.actor_id) for e in entries.order_by("pk")] == [
        ("created", {"answer": [None, "yes"]}, world.users["chief_executive"].pk),
        ("changed", {"answer": ["yes", "no"]}, world.users["chief_executive"].pk),
    ]


def test_only_invitees_see_the_question(client, world, gathering):
    url = reverse("gathering_detail", args=[gathering.pk])
    for who, asked in [("mayor", True), ("municipal_staff", False), ("facilitator", False)]:
        client.force_login(world.users[who])
        assert ("Will you come?" in client.get(url).content.decode()) is asked, who


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("municipal_staff", 403),  # sees the gathering, is not invited to it
        ("facilitator", 403),
        ("other_facilitator", 404),
        ("other_chief_executive", 404),
    ],
)
def test_a_non_invitee_cannot_answer(client, world, gathering, who, status):
    client.force_login(world.users[who])
    response = client.post(reverse("gathering_answer", args=[gathering.pk]), {"answer": "yes"})
    assert response.status_code == status
    assert _answers(gathering) == {}


def test_signed_out_answer_goes_to_sign_in(client, gathering):
    response = client.post(reverse("gathering_answer", args=[gathering.pk]), {"answer": "yes"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert GatheringAnswer.objects.count() == 0


def test_an_answer_that_is_neither_yes_nor_no_changes_nothing(client, world, gathering):
    client.force_login(world.users["chief_executive"])
    url = reverse("gathering_answer", args=[gathering.pk])
    response = client.post(url, {"answer": "maybe"}, follow=True)
    assert "Answer yes or no." in response.content.decode()
    assert _answers(gathering) == {}


def test_a_gathering_that_has_ended_takes_no_answer(client, world, gathering):
    gathering.starts_at = timezone.now() - timedelta(days=2)
    gathering.ends_at = gathering.starts_at + timedelta(hours=8)
    gathering.save()
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert "Will you come?" not in page

    response = client.post(
        reverse("gathering_answer", args=[gathering.pk]), {"answer": "yes"}, follow=True
    )

    assert "This gathering is over" in response.content.decode()
    assert _answers(gathering) == {}


# --- Through the e-mail's link ------------------------------------------------------------


def test_invitation_carries_the_two_answer_links(
    world, gathering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_invite(gathering=gathering)

    [to_chief] = [m for m in mail.outbox if m.to == [world.users["chief_executive"].email]]
    yes = re.search(r"I will come: (\S+)", to_chief.body).group(1)
    no = re.search(r"I cannot come: (\S+)", to_chief.body).group(1)
    assert yes.endswith(_link(world, gathering, "chief_executive", "yes"))
    assert no.endswith(_link(world, gathering, "chief_executive", "no"))


def test_link_shows_the_choice_and_a_get_changes_nothing(client, world, gathering):
    url = _link(world, gathering, "chief_executive", "yes")

    response = client.get(url)  # a mail server's link scanner, signed out

    assert response.status_code == 200
    content = response.content.decode()
    assert gathering.title in content
    assert "Confirm: I will come" in content
    assert _answers(gathering) == {}
    assert not AuditEntry.objects.filter(model="sessions_app.gatheringanswer").exists()


def test_link_records_the_answer_on_post_without_signing_in(client, world, gathering):
    response = client.post(_link(world, gathering, "chief_executive", "yes"), follow=True)

    assert _answers(gathering) == {"chief_executive": "yes"}
    content = response.content.decode()
    assert "Thank you: you will come." in content
    assert "Your answer now: I will come." in content
    assert "Confirm: I will come" not in content  # nothing left to confirm

    client.post(_link(world, gathering, "chief_executive", "no"))

    assert _answers(gathering) == {"chief_executive": "no"}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "9" + token,  # the gathering named
        lambda token: signing.Signer(salt="another purpose").sign(token.split(":")[0]),
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused_and_changes_nothing(client, world, gathering, tamper):
    token = tamper(answer_token(gathering_id=gathering.pk, person_id=world.users["mayor"].pk))
    url = reverse("gathering_answer_link", args=[token, "yes"])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This answer link is damaged." in response.content.decode()
    assert _answers(gathering) == {}


def test_a_link_after_the_gathering_is_refused(client, world, gathering):
    url = _link(world, gathering, "chief_executive", "yes")
    gathering.starts_at = timezone.now() - timedelta(days=1)
    gathering.ends_at = gathering.starts_at + timedelta(hours=8)
    gathering.save()

    response = client.post(url)

    assert response.status_code == 410
    assert "This gathering is over" in response.content.decode()
    assert _answers(gathering) == {}


@pytest.mark.parametrize("who", ["facilitator", "municipal_staff", "other_chief_executive"])
def test_a_link_for_someone_not_invited_is_404(client, world, gathering, who):
    url = _link(world, gathering, who, "yes")
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert _answers(gathering) == {}


def test_a_link_with_another_choice_is_404(client, world, gathering):
    assert client.get(_link(world, gathering, "mayor", "maybe")).status_code == 404


# --- The facilitator's view and the reminder ------------------------------------------------


def test_facilitator_sees_counts_and_the_list_by_municipality(client, world, gathering):
    services.gathering_answer_set(
        gathering=gathering, person=world.users["chief_executive"], answer="yes"
    )
    services.gathering_answer_set(gathering=gathering, person=world.users["mayor"], answer="no")
    client.force_login(world.users["facilitator"])

    content = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()

    assert tuple(text for text in ("1 yes", "1 no", "1 not answered") if text in content) == (
        "1 yes",
        "1 no",
        "1 not answered",
    )
    table = content[content.index('id="answers-heading"') :]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:6]
    cells = [[t.strip() for t in re.split(r"<[^>]+>", row) if t.strip()] for row in rows]
    names = {who: world.users[who].get_full_name() for who in world.users if who != "anonymous"}
    norway = world.municipality.country  # its own titles beside the roles (networks 0010)
    chief = f"Chief executive ({norway.chief_executive_title})"
    mayor = f"Mayor ({norway.mayor_title})"
    assert ["|".join(c) for c in cells] == [
        "Alta",
        f"{names['chief_executive']}|{chief}|I will come",
        f"{names['mayor']}|{mayor}|I cannot come",
        "Hammerfest",
        f"{names['neighbour_chief_executive']}|{chief}|not answered",
    ]
    assert "Remind those who have not answered" in content


def test_reminder_reaches_only_those_without_an_answer_once(
    client, world, gathering, django_capture_on_commit_callbacks
):
    services.gathering_answer_set(
        gathering=gathering, person=world.users["chief_executive"], answer="yes"
    )
    client.force_login(world.users["facilitator"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gathering_answer_remind", args=[gathering.pk]), follow=True)

    assert "A reminder is on its way to the 2 who have not answered." in (response.content.decode())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["mayor"].email, world.users["neighbour_chief_executive"].email]
    )
    [to_mayor] = [m for m in mail.outbox if m.to == [world.users["mayor"].email]]
    assert to_mayor.subject.startswith(f"Will you come? {world.network.name}, gathering 1,")
    assert _link(world, gathering, "mayor", "yes") in to_mayor.body
    reminder_round = AnswerReminderRound.objects.get()

    tasks.send_answer_reminders.delay(reminder_round.pk)  # the broker delivers it again
    assert answer_reminders.answer_reminders_send(round_id=reminder_round.pk) == 0

    assert len(mail.outbox) == 2
    assert AnswerReminderSent.objects.filter(round=reminder_round).count() == 2


def test_a_new_round_reminds_those_still_without_an_answer(
    world, gathering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_reminders_request(gathering=gathering)
    services.gathering_answer_set(gathering=gathering, person=world.users["mayor"], answer="no")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.answer_reminders_request(gathering=gathering)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["chief_executive"].email, world.users["neighbour_chief_executive"].email]
    )


def test_no_reminder_when_everyone_has_answered(client, world, gathering):
    for who in ("chief_executive", "mayor", "neighbour_chief_executive"):
        services.gathering_answer_set(gathering=gathering, person=world.users[who], answer="yes")
    client.force_login(world.users["facilitator"])

    response = client.post(reverse("gathering_answer_remind", args=[gathering.pk]), follow=True)

    assert "Everyone invited has answered: there is nobody to remind." in (
        response.content.decode()
    )
    assert AnswerReminderRound.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("who", "status"),
    [("chief_executive", 403), ("project_officer", 403), ("other_facilitator", 404)],
)
def test_only_the_facilitator_reminds(client, world, gathering, who, status):
    client.force_login(world.users[who])
    response = client.post(reverse("gathering_answer_remind", args=[gathering.pk]))
    assert response.status_code == status
    assert AnswerReminderRound.objects.count() == 0


# --- Attendance starts from the answers ---------------------------------------------------


def test_attendance_form_starts_from_the_answers(client, world, gathering):
    gathering.starts_at = timezone.now() - timedelta(minutes=30)
    gathering.ends_at = gathering.starts_at + timedelta(hours=8)
    gathering.save()
    services.gathering_answer_set(
        gathering=gathering, person=world.users["chief_executive"], answer="yes"
    )
    services.gathering_answer_set(gathering=gathering, person=world.users["mayor"], answer="no")
    client.force_login(world.users["facilitator"])
    url = reverse("gathering_attendance", args=[gathering.pk])

    form = client.get(url).context["form"]

    def ticked(who):
        return bool(form[f"present_{world.users[who].pk}"].value())

    assert (ticked("chief_executive"), ticked("mayor"), ticked("neighbour_chief_executive")) == (
        True,
        False,
        False,
    )


def test_recorded_attendance_wins_over_the_answer(client, world, gathering):
    gathering.starts_at = timezone.now() - timedelta(minutes=30)
    gathering.ends_at = gathering.starts_at + timedelta(hours=8)
    gathering.save()
    chief = world.users["chief_executive"]
    services.gathering_answer_set(gathering=gathering, person=chief, answer="yes")
    services.attendance_record(
        gathering=gathering,
        entries=[
            services.AttendanceEntry(chief.pk, world.municipality.pk, "chief_executive", False)
        ],
    )
    client.force_login(world.users["facilitator"])

    form = client.get(reverse("gathering_attendance", args=[gathering.pk])).context["form"]

    assert not form[f"present_{chief.pk}"].value()
