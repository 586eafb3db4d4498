"""Shared set-up for the self-assessment's tests."""

from assessment import services
from assessment.models import Question, Questionnaire, ScaleLevel, Theme
from assessment.questionnaire import CODE, seed_questionnaire
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services


def seed_first_questionnaire() -> Questionnaire:
    """The shipped questionnaire (migrate loads it; a browser test's flush removes it)."""
    seed_questionnaire(Questionnaire, ScaleLevel, Theme, Question)
    return Questionnaire.objects.get(code=CODE)


def gatherings_of(network):
    """The network's four gatherings, scheduled as a facilitator would."""
    existing = list(network.gatherings.order_by("number"))
    if existing:
        return existing
    drafts = sessions_selectors.schedule_proposal(network=network)
    return sessions_services.gathering_schedule(network=network, drafts=drafts)


def every_answer(questionnaire, value_of) -> dict[int, int]:
    """{question id: level id} answering every question with ``value_of(question)``."""
    levels = {level.value: level.pk for level in questionnaire.levels.all()}
    return {
        q.pk: levels[value_of(q)]
        for q in Question.objects.filter(theme__questionnaire=questionnaire)
    }


def answer_and_submit(round_, municipality, user, answers):
    saved = services.response_save(
        round_=round_, municipality=municipality, user=user, answers=answers, base_version=0
    )
    return services.response_submit(
        response=saved.response, user=user, base_version=saved.response.version
    )
