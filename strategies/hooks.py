"""Where higher floors plug into strategies.

A practice of the community (a floor above) is published from a measure or a section, and must
go with it when the measure or section is removed; strategies may not import the community, so
the community registers here when its app is ready (``CommunityConfig.ready``), and the
removing services call what is registered, in their transaction, before deleting.
"""

from collections.abc import Callable

_before_removal: list[Callable] = []


def register_before_removal(callback: Callable) -> None:
    """``callback(measure=..., section=...)`` (one of them set) runs before either is deleted;
    registering the same callback twice keeps one."""
    if callback not in _before_removal:
        _before_removal.append(callback)


def before_removal(*, measure=None, section=None) -> None:
    for callback in _before_removal:
        callback(measure=measure, section=section)
