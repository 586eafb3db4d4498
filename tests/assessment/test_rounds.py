"""Rounds (one per network, questionnaire and year; opened and closed by the network's own
facilitators), responses (draft, submitted, reopened, locked) and locking: a closed round's
answers never change, through the service or the page, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment import services
from assessment.models import Answer, Response, Round

from .helpers import answer_and_submit, every_answer, gatherings_of, seed_first_questionnaire


@pytest.fixture
def setup(world):
    questionnaire = seed_first_questionnaire()
    gatherings = gatherings_of(world.network)
    return questionnaire, gatherings


def _open(world, questionnaire, gathering, year=2010):
    return services.round_open(
        network=world.network,
        questionnaire=questionnaire,
        gathering=gathering,
        year=year,
        user=world.users["facilitator"],
    )


def _counts():
    return (Round.objects.count(), Response.objects.count(), Answer.objects.count())


def test_a_second_round_in_the_same_year_is_refused_on_the_year(setup, world, client):
    questionnaire, gatherings = setup
    _open(world, questionnaire, gatherings[0], 2010)
    client.force_login(world.users["facilitator"])
    before = _counts()
    response = client.post(
        reverse("assessment_round_open", args=[world.network.pk]),
        {"questionnaire": questionnaire.pk, "gathering": gatherings[3].pk, "year": 2010},
    )
    assert response.status_code == 200
    assert "one round per year" in response.context["form"].errors["year"][0]
    assert _counts() == before
    ok = client.post(
        reverse("assessment_round_open", args=[world.network.pk]),
        {"questionnaire": questionnaire.pk, "gathering": gatherings[3].pk, "year": 2011},
    )
    assert ok.status_code == 302
    assert Round.objects.filter(network=world.network).count() == 2


def test_another_networks_gathering_is_refused(setup, world):
    questionnaire, _gatherings = setup
    other = gatherings_of(world.other_network)[0]
    with pytest.raises(ValidationError) as refused:
        _open(world, questionnaire, other)
    assert "gathering" in refused.value.error_dict


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_facilitator", 404), ("chief_executive", 403), ("other_chief_executive", 404)],
)
def test_only_the_networks_facilitator_opens_and_closes(setup, world, client, who, status):
    questionnaire, gatherings = setup
    round_ = _open(world, questionnaire, gatherings[0])
    client.force_login(world.users[who])
    before = _counts()
    opened = client.post(
        reverse("assessment_round_open", args=[world.network.pk]),
        {"questionnaire": questionnaire.pk, "gathering": gatherings[3].pk, "year": 2011},
    )
    closed = client.post(reverse("round_close", args=[round_.pk]))
    assert (opened.status_code, closed.status_code) == (status, status)
    assert _counts() == before
    assert Round.objects.get(pk=round_.pk).state == Round.State.OPEN


def test_the_facilitator_closes_and_every_response_is_locked(setup, world, client):
    questionnaire, gatherings = setup
    round_ = _open(world, questionnaire, gatherings[0])
    answer_and_submit(
        round_,
        world.municipality,
        world.users["chief_executive"],
        every_answer(questionnaire, lambda q: 3),
    )
    client.force_login(world.users["facilitator"])
    assert client.post(reverse("round_close", args=[round_.pk])).status_code == 302
    assert Round.objects.get(pk=round_.pk).state == Round.State.CLOSED
    assert set(Response.objects.values_list("state", flat=True)) == {Response.State.LOCKED}
    page = client.get(reverse("round_detail", args=[round_.pk])).content.decode()
    assert "1 submitted, 0 in draft, 1 not started." in page
    assert "submitted, locked" in page


def test_a_closed_round_refuses_changes_in_the_service(setup, world):
    questionnaire, gatherings = setup
    round_ = _open(world, questionnaire, gatherings[0])
    chief = world.users["chief_executive"]
    response = answer_and_submit(
        round_, world.municipality, chief, every_answer(questionnaire, lambda q: 3)
    )
    services.round_close(round_=round_, user=world.users["facilitator"])
    stored = sorted(Answer.objects.values_list("question_id", "level_id"))
    before = _counts()
    response.refresh_from_db()
    attempts = [
        lambda: services.response_save(
            round_=round_,
            municipality=world.municipality,
            user=chief,
            answers=every_answer(questionnaire, lambda q: 5),
            base_version=response.version,
        ),
        lambda: services.response_reopen(response=response, user=chief),
        lambda: services.response_submit(
            response=response, user=chief, base_version=response.version
        ),
        lambda: services.response_save(
            round_=round_,
            municipality=world.neighbour,
            user=world.users["neighbour_chief_executive"],
            answers={},
            base_version=0,
        ),
        lambda: services.round_close(round_=round_, user=world.users["facilitator"]),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "The round is closed" in " ".join(refused.value.messages)
    assert _counts() == before
    assert sorted(Answer.objects.values_list("question_id", "level_id")) == stored


def test_a_closed_round_refuses_changes_on_the_page(setup, world, client):
    questionnaire, gatherings = setup
    round_ = _open(world, questionnaire, gatherings[0])
    chief = world.users["chief_executive"]
    response = answer_and_submit(
        round_, world.municipality, chief, every_answer(questionnaire, lambda q: 3)
    )
    services.round_close(round_=round_, user=world.users["facilitator"])
    response.refresh_from_db()
    client.force_login(chief)
    url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    before = _counts()
    stored = sorted(Answer.objects.values_list("question_id", "level_id"))
    data = {f"q{q}": level for q, level in every_answer(questionnaire, lambda q: 5).items()}
    for action in ("save", "submit", "reopen"):
        answer = client.post(url, {**data, "version": response.version, "action": action})
        assert answer.status_code == 400
        assert "The round is closed: its answers are locked" in answer.content.decode()
    assert _counts() == before
    assert sorted(Answer.objects.values_list("question_id", "level_id")) == stored
    page = client.get(url).content.decode()
    assert "Save the draft" not in page


def test_submitting_needs_every_answer_and_names_the_missing_ones(setup, world, client):
    questionnaire, gatherings = setup
    round_ = _open(world, questionnaire, gatherings[0])
    client.force_login(world.users["chief_executive"])
    url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    answers = every_answer(questionnaire, lambda q: 4)
    missing = sorted(answers)[:2]
    data = {f"q{q}": level for q, level in answers.items() if q not in missing}
    page = client.post(url, {**data, "version": 0, "action": "submit"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "saved as a draft" in text
    for question in questionnaire.themes.first().questions.filter(pk__in=missing):
        assert f"{question.text_en}: Answer this question before submitting." in text
    response = Response.objects.get(round=round_, municipality=world.municipality)
    assert response.state == Response.State.DRAFT  # the draft is kept, not lost
    assert response.answers.count() == len(answers) - 2


def test_a_submitted_response_reopens_to_draft_until_the_round_closes(setup, world, client):
    questionnaire, gatherings = setup
    round_ = _open(world, questionnaire, gatherings[0])
    response = answer_and_submit(
        round_,
        world.municipality,
        world.users["chief_executive"],
        every_answer(questionnaire, lambda q: 2),
    )
    client.force_login(world.users["municipal_staff"])
    url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    assert "until the facilitator closes the round" in client.get(url).content.decode().replace(
        "Until", "until"
    )
    assert client.post(url, {"action": "reopen", "version": response.version}).status_code == 302
    response.refresh_from_db()
    assert (response.state, response.submitted_at) == (Response.State.DRAFT, None)


def test_two_editors_saving_the_same_version_do_not_overwrite_each_other(setup, world, client):
    questionnaire, gatherings = setup
    round_ = _open(world, questionnaire, gatherings[0])
    url = reverse("response_edit", args=[round_.pk, world.municipality.pk])
    first = {f"q{q}": level for q, level in every_answer(questionnaire, lambda q: 2).items()}
    second = {f"q{q}": level for q, level in every_answer(questionnaire, lambda q: 5).items()}
    client.force_login(world.users["chief_executive"])
    assert client.post(url, {**first, "version": 0, "action": "save"}).status_code == 302
    client.force_login(world.users["municipal_staff"])
    late = client.post(url, {**second, "version": 0, "action": "save"})  # loaded before
    assert late.status_code == 409
    assert "Someone else of your municipality saved these answers" in late.content.decode()
    stored = dict(Answer.objects.values_list("question_id", "level_id"))
    assert {f"q{q}": level for q, level in stored.items()} == first
    # The form now carries the stored version: saving again is a knowing overwrite.
    assert late.context["form"]["version"].value() == 1
