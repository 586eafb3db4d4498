"""Scores from answers: plain functions, no database.

* A theme's score is the weighted mean of its answered questions' values, put on a scale of
  0 to 100: the scale's lowest value is 0 and its highest 100, so on the five-level scale
  1, 2, 3, 4, 5 score 0, 25, 50, 75, 100. In symbols, ``100 * sum(w * (v - low)) /
  sum(w * (high - low))`` over the theme's answered questions.
* A theme none of whose questions was answered has no score (missing is not zero).
* The overall score is the plain mean of the theme scores, so that every theme counts the
  same whatever its number of questions; it exists only when every theme has a score.
* Scores are computed unrounded and stored rounded to one decimal, halves away from zero
  (62.25 is stored as 62.3); the overall score is the mean of the unrounded theme scores.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def theme_scores(
    answers: Iterable[tuple[int, float, int]], *, theme_ids: Iterable[int], low: int, high: int
) -> dict[int, float | None]:
    """``answers``: (theme id, question weight, answer value) of one response. Returns each
    theme's unrounded score, or None for a theme without answers."""
    if high <= low:
        raise ValueError("The scale needs at least two levels.")
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for theme_id, weight, value in answers:
        sums[theme_id][0] += float(weight) * (value - low)
        sums[theme_id][1] += float(weight) * (high - low)
    return {
        theme_id: (100 * sums[theme_id][0] / sums[theme_id][1] if theme_id in sums else None)
        for theme_id in theme_ids
    }


def overall_score(scores: dict[int, float | None]) -> float | None:
    """The mean of the theme scores, or None when a theme has none (or there are no themes)."""
    values = list(scores.values())
    if not values or any(value is None for value in values):
        return None
    return sum(values) / len(values)


def stored(score: float | None) -> float | None:
    """The score as it is stored: one decimal, halves away from zero."""
    if score is None:
        return None
    return float(Decimal(repr(score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
