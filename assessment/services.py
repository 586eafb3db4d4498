"""Writes of the self-assessment: opening and closing rounds, saving, submitting and reopening
responses, and storing the scores as key figures. Each write logs itself (core/audit.py) in
its transaction; each docstring lists its side effects."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.cache import data_changed
from benchmarking.events import key_figures_changed
from benchmarking.models import Indicator, Observation
from cemsdi_portal.core import audit, i18n
from cemsdi_portal.core.models import AuditEntry
from networks.models import Municipality, Network
from sessions_app.models import Gathering

from . import questionnaire as questionnaire_texts
from . import rules, scoring
from .models import Answer, Question, Questionnaire, Response, Round, ScaleLevel, Theme

Action = AuditEntry.Action

CATEGORY = "digital"  # a key of benchmarking.categories.LABELS
UNIT = "points of 100"  # a unit of benchmarking.units
OVERALL = "overall"


class AnswerConflict(Exception):
    """Someone of the municipality saved the response since this editor loaded it. Nothing
    was saved; ``response`` is as stored now, ``yours`` the answers the editor sent."""

    def __init__(self, response: Response, yours: dict[int, int]):
        super().__init__("conflict")
        self.response = response
        self.yours = yours


def _duplicate_year(network: Network, questionnaire: Questionnaire, year: int) -> ValidationError:
    return ValidationError(
        {
            "year": _(
                "%(network)s already has a round of this questionnaire for %(year)s. Key "
                "figures are yearly, so there is one round per year: choose another year."
            )
            % {"network": network.name, "year": year}
        }
    )


# --- Rounds ---------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, network: Network, questionnaire: Questionnaire, gathering: Gathering, year: int, user
) -> Round:
    """Open a round of the questionnaire for the network at one of its gatherings, for a year.
    Refuses another network's gathering, an inactive questionnaire and a second round of the
    same questionnaire in the same year (``ValidationError`` named after the field). Logged."""
    if gathering.network_id != network.pk:
        raise ValidationError({"gathering": _("Choose one of this network's gatherings.")})
    if not questionnaire.active:
        raise ValidationError({"questionnaire": _("This questionnaire is no longer in use.")})
    if Round.objects.filter(network=network, questionnaire=questionnaire, year=year).exists():
        raise _duplicate_year(network, questionnaire, year)
    try:
        with transaction.atomic():  # two facilitators opening at once: one round
            round_ = Round.objects.create(
                network=network,
                questionnaire=questionnaire,
                gathering=gathering,
                year=year,
                opened_by=user,
            )
    except IntegrityError:
        raise _duplicate_year(network, questionnaire, year) from None
    audit.log_change(round_, before=None)
    return round_


@transaction.atomic
def round_close(*, round_: Round, user, in_request: bool = False) -> list[int]:
    """Close the round: every response is locked (answers never change again), the submitted
    ones are scored and stored as key figures of the round's year (``store_scores``).
    Side effects: the key-figure cache is invalidated, the standings of the indicators are
    recomputed after the commit (off the request when ``in_request``), and
    ``benchmarking.events.key_figures_changed`` is sent after the commit. Logged: the round
    and each locked response. Returns the indicator ids written."""
    current = Round.objects.select_for_update().get(pk=round_.pk)
    if not current.is_open:
        raise ValidationError(rules.ROUND_CLOSED)
    before = audit.snapshot(current)
    current.state, current.closed_at, current.closed_by = Round.State.CLOSED, timezone.now(), user
    current.save(update_fields=["state", "closed_at", "closed_by"])
    audit.log_change(current, before=before, fields=["state", "closed_at", "closed_by"])
    responses = list(current.responses.select_for_update().exclude(state=Response.State.LOCKED))
    Response.objects.filter(pk__in=[r.pk for r in responses]).update(state=Response.State.LOCKED)
    audit.log_bulk(
        model=Response,
        objects=responses,
        action=Action.CHANGED,
        changes=lambda r: {"state": [r.state, Response.State.LOCKED]},
    )
    ids = store_scores(round_=current, in_request=in_request)
    round_.state, round_.closed_at, round_.closed_by = current.state, current.closed_at, user
    return ids


def _indicators(questionnaire: Questionnaire, themes: list[Theme]) -> dict[str, Indicator]:
    """The key figures of the questionnaire: one per theme and the overall score."""
    source = f"Self-assessment: {questionnaire.title_en} (v{questionnaire.version})"[:100]
    wanted = [(theme.code, questionnaire_texts.theme_indicator_names(theme)) for theme in themes]
    wanted.append((OVERALL, questionnaire_texts.OVERALL_NAME))
    indicators = {}
    for code, names in wanted:
        indicators[code], _created = Indicator.objects.update_or_create(
            code=indicator_code(questionnaire, code),
            defaults={
                # every language's column: one whose theme name is blank falls back to English
                **{f"name_{lang}": names.get(lang, "") for lang in i18n.language_codes()},
                "unit": UNIT,
                "decimals": 1,
                "source": source,
                "table_id": questionnaire.code,
                "higher_is_better": True,
                "comparable_across_countries": True,  # one questionnaire for every country
                "category": CATEGORY,
            },
        )
    return indicators


def indicator_code(questionnaire: Questionnaire, theme_code: str) -> str:
    return f"DM-{questionnaire.code}-{theme_code}"


def store_scores(*, round_: Round, in_request: bool = False) -> list[int]:
    """Score the round's submitted responses (scoring.py) and write them as observations of
    the round's year, in one bulk write; a municipality that did not submit gets none (missing
    is not zero). Refreshes the standings and the cache and sends ``key_figures_changed``
    after the commit, as an import does. Call inside the closing transaction."""
    questionnaire = round_.questionnaire
    themes = list(questionnaire.themes.all())
    values = [level.value for level in questionnaire.levels.all()]
    indicators = _indicators(questionnaire, themes)
    rows = Answer.objects.filter(
        response__round=round_, response__submitted_at__isnull=False
    ).values_list(
        "response__municipality_id", "question__theme_id", "question__weight", "level__value"
    )
    by_municipality: dict[int, list] = {}
    for municipality_id, theme_id, weight, value in rows:
        by_municipality.setdefault(municipality_id, []).append((theme_id, weight, value))
    code_of = {theme.pk: theme.code for theme in themes}
    observations = []
    for municipality_id, answers in sorted(by_municipality.items()):
        scores = scoring.theme_scores(
            answers, theme_ids=list(code_of), low=min(values), high=max(values)
        )
        scored = {code_of[t]: s for t, s in scores.items()}
        scored[OVERALL] = scoring.overall_score(scores)
        observations += [
            Observation(
                indicator=indicators[code],
                municipality_id=municipality_id,
                year=round_.year,
                value=scoring.stored(score),
            )
            for code, score in scored.items()
            if score is not None
        ]
    Observation.objects.bulk_create(
        observations,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["indicator", "municipality", "year"],
        update_fields=["value", "status"],
    )
    audit.log_bulk(
        model=Observation,
        objects=Observation.objects.filter(
            indicator__in=indicators.values(),
            year=round_.year,
            municipality_id__in=list(by_municipality),
        ),
        action=Action.CHANGED,
        changes=lambda o: {"value": [None, o.value]},
    )
    from benchmarking.tasks import standings_refresh_enqueue  # imports the standings (pandas)

    ids = sorted(indicator.pk for indicator in indicators.values())
    data_changed()
    standings_refresh_enqueue(ids, in_request=in_request)
    transaction.on_commit(lambda: key_figures_changed.send(sender=Round, indicator_ids=ids))
    return ids


# --- Responses ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    response: Response
    changed: bool


def _check_open(response: Response) -> None:
    if not response.round.is_open or response.state == Response.State.LOCKED:
        raise ValidationError(rules.ROUND_CLOSED)


def _clean_answers(round_: Round, answers: dict[int, int]) -> dict[int, int]:
    """{question id: level id}, refusing a question or level of another questionnaire."""
    questions = set(
        Question.objects.filter(theme__questionnaire_id=round_.questionnaire_id).values_list(
            "pk", flat=True
        )
    )
    levels = set(
        ScaleLevel.objects.filter(questionnaire_id=round_.questionnaire_id).values_list(
            "pk", flat=True
        )
    )
    wrong = [q for q, level in answers.items() if q not in questions or level not in levels]
    if wrong:
        raise ValidationError(_("An answer names a question or level of another questionnaire."))
    return dict(answers)


@transaction.atomic
def response_save(
    *, round_: Round, municipality: Municipality, user, answers: dict[int, int], base_version: int
) -> Saved:
    """Save the municipality's answers as its draft (``answers`` is the whole form: a question
    left out has no answer), if nobody saved since ``base_version``; a first save makes the
    response. Refuses a closed round or locked or submitted response (reopen it first), and
    raises ``AnswerConflict`` on an older version, saving nothing. Logged."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    response, created = Response.objects.get_or_create(round=round_, municipality=municipality)
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.round = round_
    _check_open(response)
    if response.state == Response.State.SUBMITTED:
        raise ValidationError(_("The answers are submitted: reopen them to change them."))
    answers = _clean_answers(round_, answers)
    if response.version != base_version:
        raise AnswerConflict(response, answers)
    stored = dict(response.answers.values_list("question_id", "level_id"))
    if stored == answers and not created:
        return Saved(response, changed=False)
    response.answers.exclude(question_id__in=list(answers)).delete()
    Answer.objects.bulk_create(
        [Answer(response=response, question_id=q, level_id=level) for q, level in answers.items()],
        update_conflicts=True,
        unique_fields=["response", "question"],
        update_fields=["level"],
    )
    before = audit.snapshot(response)
    response.version = F("version") + 1
    response.updated_at, response.updated_by = timezone.now(), user
    response.save(update_fields=["version", "updated_at", "updated_by"])
    response.refresh_from_db(fields=["version"])
    audit.log_change(
        response,
        before=None if created else before,
        extra={"answers": [len(stored), len(answers)]},
    )
    return Saved(response, changed=True)


def missing_questions(response: Response) -> list[Question]:
    """The questions of the round's questionnaire the response has not answered."""
    return list(
        Question.objects.filter(theme__questionnaire_id=response.round.questionnaire_id)
        .exclude(answers__response=response)
        .select_related("theme")
    )


@transaction.atomic
def response_submit(*, response: Response, user, base_version: int) -> Response:
    """Submit the draft: every question must be answered (``ValidationError`` naming each
    missing one, by its form field ``q<id>``; the draft stays as saved). Logged."""
    current = Response.objects.select_for_update().select_related("round").get(pk=response.pk)
    _check_open(current)
    if current.version != base_version:
        raise AnswerConflict(current, {})
    if current.state == Response.State.SUBMITTED:
        return current
    missing = missing_questions(current)
    if missing:
        raise ValidationError(
            {
                f"q{question.pk}": _("Answer this question before submitting.")
                for question in missing
            }
        )
    before = audit.snapshot(current)
    current.state = Response.State.SUBMITTED
    current.submitted_at, current.submitted_by = timezone.now(), user
    current.version = F("version") + 1
    current.save(update_fields=["state", "submitted_at", "submitted_by", "version"])
    current.refresh_from_db(fields=["version"])
    audit.log_change(current, before=before, fields=["state", "submitted_at", "submitted_by"])
    return current


@transaction.atomic
def response_reopen(*, response: Response, user) -> Response:
    """Move a submitted response back to draft, while its round is open. Logged."""
    current = Response.objects.select_for_update().select_related("round").get(pk=response.pk)
    _check_open(current)
    if current.state != Response.State.SUBMITTED:
        return current
    before = audit.snapshot(current)
    current.state, current.submitted_at, current.submitted_by = Response.State.DRAFT, None, None
    current.version = F("version") + 1
    current.updated_at, current.updated_by = timezone.now(), user
    current.save(
        update_fields=[
            "state",
            "submitted_at",
            "submitted_by",
            "version",
            "updated_at",
            "updated_by",
        ]
    )
    current.refresh_from_db(fields=["version"])
    audit.log_change(current, before=before, fields=["state", "submitted_at", "submitted_by"])
    return current
