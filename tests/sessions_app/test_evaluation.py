"""The evaluation after a gathering: once per participant, stored without the person, and
shown to the facilitator only from three answers on, never with a name."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.models import AuditEntry
from networks.models import Role
from sessions_app import services
from sessions_app.models import EvaluationGiven, EvaluationResponse
from tests import factories as f

pytestmark = pytest.mark.django_db

PRESENT = ("chief_executive", "mayor", "neighbour_mayor")


@pytest.fixture
def held(world):
    """Gathering 1, which ended yesterday; Alta's chief executive and mayor and Hammerfest's
    mayor were present, the chief executive of Hammerfest was not."""
    world.users["neighbour_mayor"] = f.municipal(
        Role.Kind.MAYOR, world.neighbour, username="neighbour_mayor"
    )
    start = timezone.now() - timedelta(days=1, hours=8)
    gathering = f.GatheringFactory(
        network=world.network, number=1, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    services.attendance_record(
        gathering=gathering,
        entries=[
            services.AttendanceEntry(world.users[who].pk, municipality.pk, kind, who in PRESENT)
            for who, municipality, kind in [
                ("chief_executive", world.municipality, "chief_executive"),
                ("mayor", world.municipality, "mayor"),
                ("neighbour_chief_executive", world.neighbour, "chief_executive"),
                ("neighbour_mayor", world.neighbour, "mayor"),
            ]
        ],
    )
    gathering.refresh_from_db()
    return gathering


def _evaluate(client, user, gathering, **values):
    client.force_login(user)
    data = {"overall": "4", "relevance": "5", "what_should_change": "", **values}
    return client.post(reverse("gathering_evaluation", args=[gathering.pk]), data, follow=True)


def test_participant_evaluates_once(client, world, held):
    chief = world.users["chief_executive"]

    response = _evaluate(client, chief, held, what_should_change="More time for workshops")

    assert "Thank you for your evaluation." in response.content.decode()
    assert list(
        EvaluationResponse.objects.values_list("overall", "relevance", "what_should_change")
    ) == [(4, 5, "More time for workshops")]
    assert list(EvaluationGiven.objects.values_list("person__username", flat=True)) == [
        "chief_executive"
    ]

    again = _evaluate(client, chief, held, overall="1")

    assert "You have already evaluated this gathering. Thank you!" in again.content.decode()
    assert EvaluationResponse.objects.count() == 1


def test_the_service_refuses_a_second_evaluation(world, held):
    chief = world.users["chief_executive"]
    services.evaluation_submit(
        gathering=held, user=chief, evaluation=services.Evaluation(overall=3, relevance=3)
    )
    with pytest.raises(services.ValidationError):
        services.evaluation_submit(
            gathering=held, user=chief, evaluation=services.Evaluation(overall=5, relevance=5)
        )
    assert EvaluationResponse.objects.count() == 1


def test_the_evaluation_is_stored_without_the_person(client, world, held):
    _evaluate(client, world.users["chief_executive"], held, what_should_change="Shorter days")

    user_model = get_user_model()
    relations = [
        field.name
        for field in EvaluationResponse._meta.get_fields()
        if field.is_relation and field.related_model is user_model
    ]
    assert relations == []
    field_names = {field.name for field in EvaluationResponse._meta.concrete_fields}
    assert field_names == {"id", "gathering", "overall", "relevance", "what_should_change"}
    # The log records that the person answered, never the answer.
    assert not AuditEntry.objects.filter(model="sessions_app.evaluationresponse").exists()
    assert list(
        AuditEntry.objects.filter(model="sessions_app.evaluationgiven").values_list(
            "changes", flat=True
        )
    ) == [{}]
    assert "Shorter days" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_someone_recorded_absent_may_not_evaluate(client, world, held):
    client.force_login(world.users["neighbour_chief_executive"])
    url = reverse("gathering_evaluation", args=[held.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"overall": "1", "relevance": "1"}).status_code == 403
    assert EvaluationResponse.objects.count() == 0


def test_invitees_evaluate_when_attendance_is_not_recorded(client, world):
    start = timezone.now() - timedelta(hours=10)
    gathering = f.GatheringFactory(
        network=world.network, number=2, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    _evaluate(client, world.users["neighbour_chief_executive"], gathering)
    assert EvaluationResponse.objects.filter(gathering=gathering).count() == 1
    client.force_login(world.users["mayor"])  # mayors are invited to gathering 1 only
    assert client.get(reverse("gathering_evaluation", args=[gathering.pk])).status_code == 403


def test_the_evaluation_opens_when_the_gathering_ends(client, world):
    start = timezone.now() + timedelta(days=3)
    gathering = f.GatheringFactory(
        network=world.network, number=1, starts_at=start, ends_at=start + timedelta(hours=8)
    )

    response = _evaluate(client, world.users["chief_executive"], gathering)

    assert "The evaluation opens when the gathering ends." in response.content.decode()
    assert EvaluationResponse.objects.count() == 0
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert "Evaluate the gathering" not in page


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"overall": "6"}, "overall"),
        ({"overall": "0"}, "overall"),
        ({"relevance": ""}, "relevance"),
        ({"what_should_change": "x" * 4001}, "what_should_change"),
    ],
)
def test_bad_scores_name_the_question_and_save_nothing(client, world, held, values, field):
    response = _evaluate(client, world.users["chief_executive"], held, **values)
    assert field in response.context["form"].errors
    assert EvaluationResponse.objects.count() == 0
    assert EvaluationGiven.objects.count() == 0


def _three_evaluations(world, held):
    for who, overall, relevance, text in [
        ("chief_executive", 5, 4, "More examples from other municipalities"),
        ("mayor", 3, 4, ""),
        ("neighbour_mayor", 4, 2, "Start later in the morning"),
    ]:
        services.evaluation_submit(
            gathering=held,
            user=world.users[who],
            evaluation=services.Evaluation(overall, relevance, text),
        )


def test_results_are_hidden_below_three_answers(client, world, held):
    services.evaluation_submit(
        gathering=held,
        user=world.users["chief_executive"],
        evaluation=services.Evaluation(5, 4, "More examples from other municipalities"),
    )
    client.force_login(world.users["facilitator"])

    content = client.get(reverse("gathering_evaluation_results", args=[held.pk])).content.decode()

    assert "1 participant has answered." in content
    assert "once at least three have answered" in content
    assert "2 more to go" in content
    assert "More examples" not in content


def test_results_show_averages_and_texts_without_names(client, world, held):
    _three_evaluations(world, held)
    client.force_login(world.users["facilitator"])

    content = client.get(reverse("gathering_evaluation_results", args=[held.pk])).content.decode()

    assert "3 participants have answered." in content
    assert '<dd class="col-sm-6">4.0</dd>' in content  # (5 + 3 + 4) / 3
    assert '<dd class="col-sm-6">3.3</dd>' in content  # (4 + 4 + 2) / 3
    assert "More examples from other municipalities" in content
    assert "Start later in the morning" in content
    for who in ("chief_executive", "mayor", "neighbour_mayor"):
        user = world.users[who]
        main = content[content.index('id="main"') : content.index("<footer")]
        assert user.get_full_name() not in main
        assert user.username not in main


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),
        ("project_officer", 200),
        ("chief_executive", 403),
        ("other_facilitator", 404),
        ("other_chief_executive", 404),
    ],
)
def test_who_reads_the_results(client, world, held, who, status):
    client.force_login(world.users[who])
    response = client.get(reverse("gathering_evaluation_results", args=[held.pk]))
    assert response.status_code == status
