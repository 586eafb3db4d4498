"""Demo self-assessment rounds: answers invented for the demo (the pages say so), drawn from
a seeded random generator, so every load gives the same scores.

Each of the five Norwegian pilots has a baseline round opened at gathering 1 and a second
round at gathering 4, both answered by every member municipality's chief executive and
closed by the facilitator, so that every member has nine key figures (eight themes and the
overall score) in two years, and the movement shows. The baseline counts for gathering 1's
year; the second round for gathering 4's year, or the year after the baseline where both
gatherings fall in one year (key figures are yearly: one round per year). A network that
already has its rounds is left as it is, so running it again changes nothing.
"""

import random

from django.db import transaction

from networks.models import Network, Role

from . import questionnaire as first
from . import selectors, services
from .models import Question, Questionnaire, Round, ScaleLevel, Theme


def _answers(code: str, number: int, layout, levels, lift: float) -> dict[int, int]:
    """An invented answer for each question: the municipality's own level (the same in both
    rounds), a little better or worse per theme, noise per round, and ``lift`` more in the
    second round."""
    own = random.Random(code)  # noqa: S311 (invented demo answers, not a secret)
    rng = random.Random(f"{code}-{number}")  # noqa: S311
    base = own.uniform(1.6, 3.4)
    values = sorted(levels, key=lambda level: level.value)
    answers = {}
    for group in layout:
        theme = base + own.uniform(-0.8, 0.8) + lift
        for question in group.questions:
            value = round(theme + rng.uniform(-0.7, 0.7))
            index = min(max(value, values[0].value), values[-1].value) - values[0].value
            answers[question.pk] = values[index].pk
    return answers


@transaction.atomic
def seed_assessment() -> None:
    # migrate loads it; seeded here too for a database flushed since (a browser or worker test)
    first.seed_questionnaire(Questionnaire, ScaleLevel, Theme, Question)
    questionnaire = Questionnaire.objects.get(code=first.CODE)
    layout, levels = selectors.questionnaire_layout(questionnaire)
    networks = Network.objects.filter(programme__acronym="CEMSDI").order_by("name")
    for network in networks:
        if Round.objects.filter(network=network, questionnaire=questionnaire).exists():
            continue
        gatherings = {g.number: g for g in network.gatherings.all()}
        facilitator = (
            Role.objects.filter(kind=Role.Kind.FACILITATOR, network=network)
            .select_related("user")
            .first()
        )
        chiefs = {
            role.municipality_id: role.user
            for role in Role.objects.filter(
                kind=Role.Kind.CHIEF_EXECUTIVE, municipality__in=network.municipalities.all()
            ).select_related("user")
        }
        members = sorted(network.municipalities.all(), key=lambda m: m.code)
        baseline = gatherings[1].starts_at.year
        plan = [(gatherings[1], baseline, 0.0), (gatherings[4], None, 0.6)]
        for gathering, year, lift in plan:
            year = year or max(gathering.starts_at.year, baseline + 1)
            round_ = services.round_open(
                network=network,
                questionnaire=questionnaire,
                gathering=gathering,
                year=year,
                user=facilitator.user if facilitator else None,
            )
            Round.objects.filter(pk=round_.pk).update(demo=True)
            for municipality in members:
                chief = chiefs.get(municipality.pk)
                saved = services.response_save(
                    round_=round_,
                    municipality=municipality,
                    user=chief,
                    answers=_answers(municipality.code, gathering.number, layout, levels, lift),
                    base_version=0,
                )
                services.response_submit(
                    response=saved.response, user=chief, base_version=saved.response.version
                )
            services.round_close(round_=round_, user=facilitator.user if facilitator else None)
