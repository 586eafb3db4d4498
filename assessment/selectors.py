"""Reads of the self-assessment, each in a fixed number of queries whatever the numbers of
members, rounds and answers (tests/assessment/test_pages.py counts them)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from benchmarking.models import Indicator, Observation
from networks.models import Municipality, Network, NetworkMembership
from networks.rules import role_scopes

from .models import Question, Questionnaire, Response, Round, Theme
from .services import OVERALL, indicator_code


def competition_ranks(values: dict[int, float]) -> dict[int, int]:
    """Rank 1 for the highest value; ties share the best of their places (1, 2, 2, 4), as the
    key-figure pages rank (benchmarking/analysis.py)."""
    ordered = sorted(values.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in values.items()}


# --- A round's progress -------------------------------------------------------------------


@dataclass
class ProgressRow:
    municipality: Municipality
    response: Response | None
    answered: int

    @property
    def state(self) -> str:
        """The response's state; a locked one says whether it was submitted (and scored)."""
        if self.response is None:
            return "not_started"
        if self.response.state == Response.State.LOCKED:
            return "locked_submitted" if self.response.submitted_at else "locked_draft"
        return self.response.state


@dataclass
class RoundProgress:
    round: Round
    questions: int
    rows: list[ProgressRow]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def counts(self) -> dict[str, int]:
        """Submitted (and so scored, once locked), in draft, not started."""
        return {
            "submitted": self.count("submitted") + self.count("locked_submitted"),
            "draft": self.count("draft") + self.count("locked_draft"),
            "not_started": self.count("not_started"),
        }


def round_progress(*, round_: Round) -> RoundProgress:
    """Each member municipality with its response's state and how many questions it answered
    (three queries)."""
    members = Municipality.objects.filter(
        pk__in=NetworkMembership.objects.filter(network_id=round_.network_id).values(
            "municipality_id"
        )
    ).order_by("name")
    responses = {
        r.municipality_id: r
        for r in Response.objects.filter(round=round_)
        .select_related("updated_by")
        .annotate(answered=Count("answers"))
    }
    questions = Question.objects.filter(theme__questionnaire_id=round_.questionnaire_id).count()
    rows = [
        ProgressRow(m, responses.get(m.pk), getattr(responses.get(m.pk), "answered", 0))
        for m in members
    ]
    return RoundProgress(round=round_, questions=questions, rows=rows)


# --- The answer form --------------------------------------------------------------------------


@dataclass
class ThemeQuestions:
    theme: Theme
    questions: list[Question] = field(default_factory=list)


def questionnaire_layout(questionnaire: Questionnaire) -> tuple[list[ThemeQuestions], list]:
    """The questionnaire's themes with their questions, and its scale (two queries)."""
    themes: dict[int, ThemeQuestions] = {}
    for question in Question.objects.filter(theme__questionnaire=questionnaire).select_related(
        "theme"
    ):
        themes.setdefault(question.theme_id, ThemeQuestions(question.theme)).questions.append(
            question
        )
    return list(themes.values()), list(questionnaire.levels.all())


def stored_answers(response: Response) -> dict[int, int]:
    if response.pk is None:
        return {}
    return dict(response.answers.values_list("question_id", "level_id"))


# --- The network's results --------------------------------------------------------------------


@dataclass
class Cell:
    value: float | None
    rank: int | None = None
    change: float | None = None  # latest minus baseline


@dataclass
class ResultRow:
    municipality: Municipality
    own: bool
    cells: list[Cell]  # one per column (themes, then overall)


@dataclass
class RoundResults:
    round: Round
    rows: list[ResultRow]
    count: int  # municipalities with scores


@dataclass
class NetworkResults:
    questionnaire: Questionnaire | None
    columns: list[str]  # theme names, then the overall score
    rounds: list[RoundResults]
    movement: list[ResultRow]  # baseline to latest; the cells' ``change``
    baseline: Round | None
    latest: Round | None
    demo: bool


def _columns(questionnaire: Questionnaire) -> tuple[list[Theme], list[str]]:
    themes = list(questionnaire.themes.all())
    return themes, [*(theme.name for theme in themes), OVERALL]


def network_results(*, network: Network, user) -> NetworkResults:
    """The scores of the network's closed rounds (of the latest round's questionnaire), read
    from the key figures they became, with each municipality's rank in the network per theme
    and the movement from the first round to the latest (five queries)."""
    closed = list(
        Round.objects.filter(network=network, state=Round.State.CLOSED)
        .select_related("questionnaire", "gathering")
        .order_by("year")
    )
    if not closed:
        return NetworkResults(None, [], [], [], None, None, False)
    questionnaire = closed[-1].questionnaire
    closed = [r for r in closed if r.questionnaire_id == questionnaire.pk]
    themes, _names = _columns(questionnaire)
    codes = [indicator_code(questionnaire, t.code) for t in themes] + [
        indicator_code(questionnaire, OVERALL)
    ]
    indicators = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
    ids = [indicators.get(code) for code in codes]
    members = list(
        Municipality.objects.filter(
            pk__in=NetworkMembership.objects.filter(network=network).values("municipality_id")
        ).order_by("name")
    )
    values: dict[tuple[int, int, int], float] = {}
    for indicator_id, municipality_id, year, value in Observation.objects.filter(
        indicator_id__in=[i for i in ids if i],
        municipality__in=members,
        year__in=[r.year for r in closed],
        value__isnull=False,
    ).values_list("indicator_id", "municipality_id", "year", "value"):
        values[indicator_id, municipality_id, year] = value
    scopes = role_scopes(user)
    own = {m.pk for m in members if scopes.holds_in(m.pk, network.pk)}
    results = [_round_results(r, members, ids, values, own) for r in closed]
    movement = []
    if len(closed) > 1:
        first, last = closed[0].year, closed[-1].year
        for m in members:
            cells = []
            for i in ids:
                before, after = values.get((i, m.pk, first)), values.get((i, m.pk, last))
                change = round(after - before, 1) if None not in (before, after) else None
                cells.append(Cell(after, change=change))
            if any(c.change is not None for c in cells):
                movement.append(ResultRow(m, m.pk in own, cells))
    return NetworkResults(
        questionnaire=questionnaire,
        columns=[t.name for t in themes],
        rounds=results,
        movement=movement,
        baseline=closed[0],
        latest=closed[-1],
        demo=any(r.demo for r in closed),
    )


def _round_results(round_, members, ids, values, own) -> RoundResults:
    ranks = []
    for i in ids:
        column = {
            m.pk: values[i, m.pk, round_.year] for m in members if (i, m.pk, round_.year) in values
        }
        ranks.append(competition_ranks(column))
    rows = []
    for m in members:
        cells = [
            Cell(values.get((i, m.pk, round_.year)), ranks[n].get(m.pk)) for n, i in enumerate(ids)
        ]
        if any(c.value is not None for c in cells):
            rows.append(ResultRow(m, m.pk in own, cells))
    rows.sort(key=lambda row: (row.cells[-1].rank or 10**6, row.municipality.name))
    return RoundResults(round=round_, rows=rows, count=len(rows))


def network_rounds(*, network: Network) -> list[Round]:
    """The network's rounds, newest first, with how many responses are submitted (one query)."""
    return list(
        Round.objects.filter(network=network)
        .select_related("questionnaire", "gathering")
        .annotate(
            submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False)),
        )
        .order_by("-year")
    )


def speaks_for(*, network: Network, user) -> list[Municipality]:
    """The member municipalities the user's roles speak for in the network (one query)."""
    scopes = role_scopes(user)
    if not scopes.municipal_roles:
        return []
    members = Municipality.objects.filter(
        pk__in=NetworkMembership.objects.filter(network=network).values("municipality_id")
    ).order_by("name")
    return [m for m in members if scopes.holds_in(m.pk, network.pk)]
