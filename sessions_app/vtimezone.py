"""A time zone as an iCalendar VTIMEZONE that every calendar program reads alike.

The observances are derived from the zone itself (``zoneinfo``, the IANA database): its offset
changes over the years are found, and each run of years in which a change falls on the same
weekday of the same month at the same wall-clock time becomes one STANDARD or DAYLIGHT
sub-component with a yearly RRULE, as libical, Outlook and Apple Calendar write a zone's rules
(Europe/Oslo: DAYLIGHT from 02:00 on the last Sunday of March, STANDARD from 03:00 on the last
Sunday of October). A change that follows no such rule is a sub-component of its own with one
DTSTART. A zone without changes is a single STANDARD.

Written this way, not with RDATE lists, because ical.js and vobject misread a comma-separated
RDATE (summer events of later years an hour late); and with no COMMENT in the VTIMEZONE, which
libical's iTIP check refuses. DTSTART is the wall-clock time in the offset in force before the
change (TZOFFSETFROM), as RFC 5545 (3.6.5) says.
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

FIRST_YEAR = 1970  # the zone's history is read from here on (or from before the years used)
_DAY = timedelta(days=1)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Change:
    onset: datetime  # wall-clock time in the offset before the change (naive)
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def kind(self) -> tuple:
        """What a run of yearly changes shares besides the day."""
        return (
            self.daylight,
            self.offset_from,
            self.offset_to,
            self.name,
            self.onset.month,
            self.onset.weekday(),
            self.onset.time(),
        )

    @property
    def weeks(self) -> set[int]:
        """The BYDAY ordinals this day answers to: its week of the month, and -1 if last."""
        day = self.onset.day
        ordinals = {(day - 1) // 7 + 1}
        if day + 7 > month_calendar.monthrange(self.onset.year, self.onset.month)[1]:
            ordinals.add(-1)
        return ordinals


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset()


def _change_at(zone: ZoneInfo, before: datetime, after: datetime) -> _Change:
    """The change between two instants a day apart, found to the second by halving."""
    was = _offset(zone, before)
    low, high = int(before.timestamp()), int(after.timestamp())  # whole seconds
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(zone, datetime.fromtimestamp(middle, UTC)) == was:
            low = middle
        else:
            high = middle
    after = datetime.fromtimestamp(high, UTC)
    local = after.astimezone(zone)
    return _Change(
        onset=(after + was).replace(tzinfo=None),
        offset_from=was,
        offset_to=local.utcoffset(),
        name=local.tzname() or "",
        # Europe/Dublin's winter has a negative DST in the database: that is standard time.
        daylight=local.dst() > timedelta(0),
    )


@lru_cache(maxsize=32)
def _changes(key: str, first_year: int, last_year: int) -> tuple[_Change, ...]:
    """Every offset change of the zone from ``first_year`` to the end of ``last_year``."""
    zone = ZoneInfo(key)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    changes, offset = [], _offset(zone, moment)
    while moment < end:
        following = moment + _DAY
        if (following_offset := _offset(zone, following)) != offset:
            changes.append(_change_at(zone, moment, following))
        moment, offset = following, following_offset
    return tuple(changes)


def _runs(changes: tuple[_Change, ...]) -> list[tuple[list[_Change], int | None]]:
    """The changes grouped into yearly runs, each with its BYDAY ordinal (None: no rule)."""
    runs: list[tuple[list[_Change], set[int]]] = []
    open_runs: dict[tuple, int] = {}  # a kind of change -> index of its latest run
    for change in changes:
        index = open_runs.get(change.kind)
        if index is not None:
            members, ordinals = runs[index]
            shared = ordinals & change.weeks
            if members[-1].onset.year == change.onset.year - 1 and shared:
                members.append(change)
                runs[index] = (members, shared)
                continue
        open_runs[change.kind] = len(runs)
        runs.append(([change], change.weeks))
    return [
        (members, (-1 if -1 in ordinals else min(ordinals)) if len(members) > 1 else None)
        for members, ordinals in runs
    ]


# _one_onset: an observance of one onset also names it in a single RDATE (not a list). RFC 5545
# counts DTSTART as the first onset, but the ical parser counts only RRULE and RDATE onsets and
# reads a DTSTART alone as no observance at all; the RDATE costs the other readers nothing.


def _observance(members: list[_Change], week: int | None, *, last: bool) -> icalendar.Component:
    first = members[0]
    part = icalendar.TimezoneDaylight() if first.daylight else icalendar.TimezoneStandard()
    part.add("dtstart", first.onset)
    part.add("tzoffsetfrom", first.offset_from)
    part.add("tzoffsetto", first.offset_to)
    if week is not None:
        rule = {"freq": "yearly", "bymonth": first.onset.month}
        rule["byday"] = f"{week}{_WEEKDAYS[first.onset.weekday()]}"
        if not last:
            # COUNT rather than UNTIL: the ical parser refuses the UTC UNTIL RFC 5545 asks for.
            rule["count"] = len(members)
        part.add("rrule", rule)
    else:
        part.add("rdate", first.onset)  # see _one_onset
    if first.name:
        part.add("tzname", first.name)
    return part


def vtimezone(key: str, *, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE of the IANA zone ``key`` that holds for the years given.

    The rules of those years are written (each from the year it began); the rule in force at
    ``last_year`` runs on without an end.
    """
    since = min(FIRST_YEAR, first_year - 1)
    changes = _changes(key, since, last_year)
    timezone = icalendar.Timezone()
    timezone.add("tzid", key)
    runs = _runs(changes)
    latest = {members[-1].kind: index for index, (members, _week) in enumerate(runs)}
    kept = [
        (index, members, week)
        for index, (members, week) in enumerate(runs)
        if members[-1].onset.year >= first_year - 1
    ]
    if not kept:
        # No change in (or since) these years: the offset in force then is the zone's.
        moment = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(key))
        standard = icalendar.TimezoneStandard()
        standard.add("dtstart", datetime(since, 1, 1))
        standard.add("tzoffsetfrom", moment.utcoffset())
        standard.add("tzoffsetto", moment.utcoffset())
        standard.add("rdate", datetime(since, 1, 1))  # see _one_onset
        if moment.tzname():
            standard.add("tzname", moment.tzname())
        timezone.add_component(standard)
        return timezone
    for index, members, week in kept:
        ongoing = latest[members[-1].kind] == index and members[-1].onset.year == last_year
        timezone.add_component(_observance(members, week, last=ongoing))
    return timezone
