"""Scores: weighted means on 0 to 100, rounding, the overall score, missing answers, and the
key figures a closed round writes (a municipality that did not submit gets none)."""

import pytest
from django.db import transaction

from assessment import scoring, services
from assessment.models import Question, Round
from benchmarking.events import key_figures_changed
from benchmarking.models import Indicator, Observation

from .helpers import answer_and_submit, every_answer, gatherings_of, seed_first_questionnaire


def test_theme_score_is_the_weighted_mean_on_0_to_100():
    # Weights 2 and 1, answers 5 and 2 on a 1..5 scale: (2*4 + 1*1) / (3*4) = 9/12.
    scores = scoring.theme_scores([(7, 2, 5), (7, 1, 2)], theme_ids=[7], low=1, high=5)
    assert scores == {7: 100 * 9 / 12}


def test_lowest_level_scores_0_and_highest_100():
    assert scoring.theme_scores([(1, 1, 1)], theme_ids=[1], low=1, high=5) == {1: 0.0}
    assert scoring.theme_scores([(1, 3, 5)], theme_ids=[1], low=1, high=5) == {1: 100.0}


def test_theme_without_answers_has_no_score_and_no_overall():
    scores = scoring.theme_scores([(1, 1, 3)], theme_ids=[1, 2], low=1, high=5)
    assert scores == {1: 50.0, 2: None}
    assert scoring.overall_score(scores) is None


def test_overall_is_the_plain_mean_of_the_themes():
    scores = scoring.theme_scores(
        [(1, 1, 5), (2, 1, 1), (2, 1, 2)], theme_ids=[1, 2], low=1, high=5
    )
    assert scoring.overall_score(scores) == (100 + 12.5) / 2


def test_stored_scores_round_halves_away_from_zero():
    assert scoring.stored(62.25) == 62.3
    assert scoring.stored(100 * 2 / 3) == 66.7
    assert scoring.stored(None) is None


@pytest.fixture
def closed_round(world):
    """The world's network's round with Alta's answers submitted, Hammerfest's left in draft,
    closed by the facilitator."""
    questionnaire = seed_first_questionnaire()
    gathering = gatherings_of(world.network)[0]
    facilitator = world.users["facilitator"]
    round_ = services.round_open(
        network=world.network,
        questionnaire=questionnaire,
        gathering=gathering,
        year=2010,
        user=facilitator,
    )
    # Alta answers the highest level on weighty questions, the second lowest on the rest.
    answer_and_submit(
        round_,
        world.municipality,
        world.users["chief_executive"],
        every_answer(questionnaire, lambda q: 5 if q.weight > 1 else 2),
    )
    services.response_save(
        round_=round_,
        municipality=world.neighbour,
        user=world.users["neighbour_chief_executive"],
        answers=every_answer(questionnaire, lambda q: 4),
        base_version=0,
    )
    return round_, questionnaire


def _expected(questionnaire, value_of):
    """The scores computed by hand from the questionnaire as stored."""
    per_theme = {}
    for theme in questionnaire.themes.all():
        questions = list(theme.questions.all())
        total = sum(float(q.weight) * (value_of(q) - 1) for q in questions)
        per_theme[theme.code] = 100 * total / sum(float(q.weight) * 4 for q in questions)
    overall = sum(per_theme.values()) / len(per_theme)
    return per_theme, overall


def test_closing_stores_a_key_figure_per_theme_and_overall(
    closed_round, world, django_capture_on_commit_callbacks
):
    round_, questionnaire = closed_round
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(round_=round_, user=world.users["facilitator"])
    per_theme, overall = _expected(questionnaire, lambda q: 5 if q.weight > 1 else 2)
    stored = dict(
        Observation.objects.filter(municipality=world.municipality, year=2010).values_list(
            "indicator__code", "value"
        )
    )
    expected = {f"DM-dm1-{code}": round(score + 1e-9, 1) for code, score in per_theme.items()}
    expected["DM-dm1-overall"] = round(overall + 1e-9, 1)
    assert stored == expected
    assert len(stored) == questionnaire.themes.count() + 1 == 9
    indicator = Indicator.objects.get(code="DM-dm1-strategy")
    assert (indicator.category, indicator.unit, indicator.higher_is_better) == (
        "digital",
        "points of 100",
        True,
    )
    assert "Digital maturity self-assessment" in indicator.source
    assert indicator.standings_state == Indicator.StandingsState.READY


def test_a_municipality_that_did_not_submit_gets_no_figure(closed_round, world):
    round_, _questionnaire = closed_round
    services.round_close(round_=round_, user=world.users["facilitator"])
    assert not Observation.objects.filter(municipality=world.neighbour).exists()  # not zero


def test_key_figures_changed_is_sent_once_after_the_commit(
    closed_round, world, django_capture_on_commit_callbacks
):
    round_, _questionnaire = closed_round
    received = []

    def listener(sender, indicator_ids, **kwargs):
        received.append(sorted(indicator_ids))

    key_figures_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            with transaction.atomic():
                services.round_close(round_=round_, user=world.users["facilitator"])
            assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        key_figures_changed.disconnect(listener)
    ids = sorted(Indicator.objects.filter(code__startswith="DM-dm1-").values_list("pk", flat=True))
    assert received == [ids]


def test_weights_edited_by_an_administrator_change_the_score(closed_round, world):
    round_, questionnaire = closed_round
    Question.objects.filter(theme__questionnaire=questionnaire).update(weight=1)
    services.round_close(round_=round_, user=world.users["facilitator"])
    per_theme, _overall = _expected(
        questionnaire, lambda q: 5 if q.pk in _weighty(questionnaire) else 2
    )
    value = Observation.objects.get(
        municipality=world.municipality, indicator__code="DM-dm1-strategy"
    ).value
    assert value == round(per_theme["strategy"] + 1e-9, 1)
    assert Round.objects.get(pk=round_.pk).state == Round.State.CLOSED


def _weighty(questionnaire):
    """The questions the seed weighs 2 (read from the shipped questionnaire's text)."""
    from assessment.questionnaire import THEMES

    texts = {en for _c, _n, _nb, qs in THEMES for en, _q, weight in qs if weight > 1}
    return set(
        Question.objects.filter(theme__questionnaire=questionnaire, text_en__in=texts).values_list(
            "pk", flat=True
        )
    )
