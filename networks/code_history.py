"""SSB's code history (KLASS classification 131, its list of changes), read without Django:
which eras each municipality code had and which of today's municipalities each era leads to.
networks/register.py loads it into ``MunicipalityCode``; scripts/derive_ssb_1106.py uses it to
add up the former municipalities that make up one of today's."""

Era = tuple[str, int | None, int | None, str]


class _CodeHistory:
    """What SSB's change list says of each code: the years its eras end, the years it came
    into use through a change, and the codes each era's change leads to."""

    def __init__(self, changes: list[dict], current: set[str]):
        self.current = current
        self.successors: dict[tuple[str, int], set[str]] = {}
        self.ends: dict[str, set[int]] = {}
        self.starts: dict[str, set[int]] = {}  # years a code came into use through a change
        for change in changes:
            end = int(change["changeOccurred"][:4]) - 1
            self.successors.setdefault((change["oldCode"], end), set()).add(change["newCode"])
            self.ends.setdefault(change["oldCode"], set()).add(end)
            self.starts.setdefault(change["newCode"], set()).add(end + 1)
        for code in current:
            self.ends.setdefault(code, set())
        self._targets: dict[tuple[str, int | None], frozenset[str]] = {}

    def eras(self, code: str) -> list[tuple[int | None, int | None]]:
        """The code's eras in order, as (first_year, last_year); a current code's last era
        has no end."""
        boundaries = sorted(self.ends[code])
        ends = [*boundaries, None] if code in self.current else boundaries
        eras = []
        after = None  # the year after the previous era
        for end in ends:
            # An era begins when the code came into use within it, else after the last one.
            began = [
                y
                for y in self.starts.get(code, ())
                if (after is None or y > after) and (end is None or y <= end)
            ]
            eras.append((max(began) if began else after, end))
            after = None if end is None else end + 1
        return eras

    def _era_end_containing(self, code: str, year: int) -> int | None:
        later = sorted(end for end in self.ends.get(code, ()) if end >= year)
        if later:
            return later[0]
        return None if code in self.current else -1  # -1: the code leads nowhere now

    def targets(self, code: str, end: int | None) -> frozenset[str]:
        """The current codes the era of ``code`` ending in ``end`` leads to."""
        if end is None:
            return frozenset([code])
        if end == -1:
            return frozenset()
        if (code, end) not in self._targets:
            found: set[str] = set()
            for successor in self.successors.get((code, end), ()):
                found |= self.targets(successor, self._era_end_containing(successor, end + 1))
            self._targets[(code, end)] = frozenset(found)
        return self._targets[(code, end)]


def code_eras(changes: list[dict], current: set[str]) -> list[Era]:
    """Every era of every code, as (code, first_year, last_year, current_code).

    A code's eras end where it appears as an old code in a change (the change takes effect on
    1 January, so the era ends the year before). An era maps to the current municipalities its
    successors lead to; a split leads to several, and each becomes a row.
    """
    history = _CodeHistory(changes, current)
    return [
        (code, first, end, target)
        for code in history.ends
        for first, end in history.eras(code)
        for target in sorted(history.targets(code, end))
    ]
