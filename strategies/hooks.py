"""Where higher floors plug into strategies.

strategies sits below the community, so it may not import it; the community registers here
when its app is ready (``CommunityConfig.ready``):

* A practice is published from a measure or a section, and must go with it when the measure
  or section is removed: the removing services call what is registered, in their
  transaction, before deleting (``before_removal``).
* The source municipality's action plan shows which of its measures were published as
  practices and who took them up: the plan asks for all its measures at once
  (``measure_practices``); with nothing registered it shows nothing of it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_before_removal: list[Callable] = []


def register_before_removal(callback: Callable) -> None:
    """``callback(measure=..., section=...)`` (one of them set) runs before either is deleted;
    registering the same callback twice keeps one."""
    if callback not in _before_removal:
        _before_removal.append(callback)


def before_removal(*, measure=None, section=None) -> None:
    for callback in _before_removal:
        callback(measure=measure, section=section)


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
