"""Figures that apps above ``reports`` count for it: they register a function here in their
``ready()`` (``reports`` cannot import them; see the import contract in pyproject.toml)."""

from collections.abc import Callable
from datetime import date

_practices_shared: list[Callable] = []


def register_practices_shared(fn: Callable) -> None:
    """``fn(programme, as_of) -> int``: the practices shared in the programme (by ``as_of``,
    or now when it is None)."""
    if fn not in _practices_shared:
        _practices_shared.append(fn)


def practices_shared(programme, as_of: date | None) -> int | None:
    """The registered count, or None when no app counts practices."""
    if not _practices_shared:
        return None
    return sum(fn(programme, as_of) for fn in _practices_shared)
