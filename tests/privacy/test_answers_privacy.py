"""A person's answers to invitations, the reminders sent to them and the gatherings they
evaluated are in their download (never what they said in an evaluation, which is stored
without them); erasure deletes the answers and reminders and keeps that they evaluated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy import services
from privacy.selectors import personal_data
from sessions_app.models import AnswerReminderSent, EvaluationGiven, GatheringAnswer
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(world):
    chief = world.users["chief_executive"]
    start = timezone.now() - timedelta(days=2)
    gathering = f.GatheringFactory(
        network=world.network, number=2, starts_at=start, ends_at=start + timedelta(hours=8)
    )
    f.GatheringAnswerFactory(gathering=gathering, person=chief, answer="no")
    f.AnswerReminderSentFactory(round__gathering=gathering, person=chief)
    f.EvaluationGivenFactory(gathering=gathering, person=chief)
    f.EvaluationResponseFactory(gathering=gathering, what_should_change="Fewer slides")
    return chief


def test_the_download_has_the_answers_and_not_the_evaluation(world, answered):
    data = personal_data(answered)
    place = {"network": world.network.name, "gathering": 2}
    assert [
        {k: a[k] for k in ("network", "gathering", "answer")} for a in data["gathering_answers"]
    ] == [{**place, "answer": "no"}]
    assert [{k: r[k] for k in place} for r in data["answer_reminders"]] == [place]
    assert data["evaluations_given"] == [place]
    assert "Fewer slides" not in str(data)


def test_erasure_deletes_answers_and_reminders_and_keeps_the_evaluation_mark(world, answered):
    services.person_erase(person=answered, erased_by=world.users["staff"])

    assert not GatheringAnswer.objects.filter(person=answered).exists()
    assert not AnswerReminderSent.objects.filter(person=answered).exists()
    assert EvaluationGiven.objects.filter(person=answered).count() == 1
