"""Where higher floors plug into strategies.

strategies sits below community, so it may not import it; the source municipality's action
plan still shows which of its measures were published as practices and who took them up.
community registers its answer here when its app is ready (``CommunityConfig.ready``), and the
action plan asks for all its measures at once; without it (community not installed) the plan
shows nothing of it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MeasurePractice:
    """A measure published as a practice, and the municipalities that took it up."""

    url: str  # the practice's page
    title: str
    language: str  # the practice's text's language
    taken_up_by: list[str] = field(default_factory=list)  # "Évora (Portugal)", by name


_measure_practices: list[Callable] = []


def register_measure_practices(answer: Callable) -> None:
    """``answer(user=..., measure_ids=[...])`` returns {measure id: MeasurePractice} for the
    measures published as practices the user may read, in a fixed number of queries; replaces
    what was registered."""
    _measure_practices[:] = [answer]


def measure_practices(*, user, measure_ids: Iterable[int]) -> dict[int, MeasurePractice]:
    ids = list(measure_ids)
    if not ids or not _measure_practices:
        return {}
    return _measure_practices[0](user=user, measure_ids=ids)
