"""The calendar files read alike in independent parsers: icalendar (which writes them), vobject
(its VTIMEZONE read by dateutil, as many CalDAV tools do), ical (allenporter's, Home
Assistant's) and ical.js (Thunderbird's and many web calendars', vendored in icaljs/, run with
node when it is installed). Each one must place a summer gathering three years out, and a
winter one, at the same local and UTC time as the zone database does, and read a moved or
cancelled gathering's update as the same event (UID) at a higher SEQUENCE; the VTIMEZONE is
written from the zone's rules (``sessions_app/vtimezone.py``), with no RDATE list and no
COMMENT in it."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo

from sessions_app import services
from sessions_app.selectors import GatheringDraft
from sessions_app.vtimezone import vtimezone
from tests.conftest import missing_service

OSLO = ZoneInfo("Europe/Oslo")
YEAR = timezone.now().year + 3  # three years out
SUMMER = datetime(YEAR, 7, 8, 9, 0, tzinfo=OSLO)
WINTER = datetime(YEAR, 1, 14, 9, 0, tzinfo=OSLO)


@dataclass
class Read:
    """What a parser makes of one event."""

    uid: str
    sequence: int | None
    status: str | None
    start: datetime  # aware


def _read_icalendar(content: bytes) -> list[Read]:
    calendar = icalendar.Calendar.from_ical(content)
    return [
        Read(str(e["UID"]), e.get("SEQUENCE"), e.get("STATUS") and str(e["STATUS"]), e.start)
        for e in calendar.walk("VEVENT")
    ]


def _read_vobject(content: bytes) -> list[Read]:
    calendar = vobject.readOne(content.decode())
    reads = []
    for event in calendar.vevent_list:
        start = event.dtstart.value
        # The tzinfo comes from the file's VTIMEZONE (dateutil's tzical), not a database lookup.
        assert type(start.tzinfo).__name__ == "_tzicalvtz"
        sequence = int(event.sequence.value) if hasattr(event, "sequence") else None
        status = event.status.value if hasattr(event, "status") else None
        reads.append(Read(event.uid.value, sequence, status, start))
    return reads


def _read_ical(content: bytes) -> list[Read]:
    calendar = IcsCalendarStream.calendar_from_ics(content.decode())
    # ical prefers its own zone database for a known TZID: read the file's VTIMEZONE instead.
    [zone] = calendar.timezones
    tzinfo = IcsTimezoneInfo.from_timezone(zone)
    return [
        Read(
            e.uid,
            e.sequence,
            e.status and str(e.status.value),
            e.dtstart.replace(tzinfo=tzinfo),
        )
        for e in calendar.events
    ]


ICALJS = Path(__file__).parent / "icaljs" / "read_events.cjs"


def _read_icaljs(content: bytes) -> list[Read]:
    node = shutil.which("node")
    if node is None:
        missing_service("Node.js (node) is not installed: the files were not read with ical.js")
    result = subprocess.run(  # noqa: S603 (the vendored reader, with the portal's own file)
        [node, str(ICALJS)], input=content, capture_output=True, check=True, timeout=60
    )
    reads = []
    for event in json.loads(result.stdout):
        assert event["tzid"] == "Europe/Oslo"
        offset = dt_timezone(timedelta(seconds=event["offset"]))
        start = datetime.fromisoformat(event["local"]).replace(tzinfo=offset)
        assert start == datetime.fromisoformat(event["utc"].replace("Z", "+00:00"))
        reads.append(Read(event["uid"], event["sequence"], event["status"], start))
    return reads


PARSERS = {
    "icalendar": _read_icalendar,
    "vobject": _read_vobject,
    "ical": _read_ical,
    "ical.js": _read_icaljs,
}


def _schedule(network):
    drafts = [
        GatheringDraft(1, "Winter", WINTER, WINTER + timedelta(hours=8), "Alta"),
        GatheringDraft(2, "Summer", SUMMER, SUMMER + timedelta(hours=8), "Alta"),
    ]
    return services.gathering_schedule(network=network, drafts=drafts)


def _assert_read_alike(content: bytes, parser: str, expected: list[datetime]) -> None:
    starts = [read.start for read in PARSERS[parser](content)]
    assert [start.astimezone(UTC) for start in starts] == [e.astimezone(UTC) for e in expected]
    local = [(s.year, s.month, s.day, s.hour, s.minute, s.utcoffset()) for s in starts]
    assert local == [(e.year, e.month, e.day, e.hour, e.minute, e.utcoffset()) for e in expected]


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_network_feed_reads_alike_in_each_parser(world, client, parser):
    _schedule(world.network)
    client.force_login(world.users["facilitator"])

    content = client.get(reverse("network_calendar_ics", args=[world.network.pk])).content

    _assert_read_alike(content, parser, [WINTER, SUMMER])
    assert SUMMER.utcoffset() == timedelta(hours=2)  # 07:00 UTC
    assert WINTER.utcoffset() == timedelta(hours=1)  # 08:00 UTC


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_invitation_file_reads_alike_in_each_parser(
    world, parser, django_capture_on_commit_callbacks
):
    summer = _schedule(world.network)[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_invite(gathering=summer)

    [part] = [p for p in mail.outbox[0].message().walk() if p.get_content_type() == "text/calendar"]
    _assert_read_alike(part.get_payload(decode=True), parser, [SUMMER])


def test_feed_vtimezone_is_written_from_the_zone_s_rules(world, client):
    _schedule(world.network)
    client.force_login(world.users["facilitator"])

    content = client.get(reverse("network_calendar_ics", args=[world.network.pk])).content

    lines = content.decode().split("\r\n")
    zone = lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]
    assert zone == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Oslo",
        "BEGIN:DAYLIGHT",
        "DTSTART:19810329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:19961027T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    assert "X-PUBLISHED-TTL:PT12H" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines


def test_zone_without_summer_time_is_one_standard_observance():
    zone = vtimezone("Asia/Tokyo", first_year=YEAR, last_year=YEAR + 1)

    assert zone.to_ical().decode().split("\r\n")[:-1] == [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Tokyo",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "RDATE:19700101T000000",
        "TZNAME:JST",
        "TZOFFSETFROM:+0900",
        "TZOFFSETTO:+0900",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def test_southern_zone_gets_its_own_rules():
    zone = vtimezone("Australia/Sydney", first_year=YEAR, last_year=YEAR + 1)

    rules = {
        part.name: (part["DTSTART"].dt, part["RRULE"].to_ical().decode())
        for part in zone.subcomponents
    }
    assert rules == {
        "STANDARD": (datetime(2008, 4, 6, 3, 0), "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4"),
        "DAYLIGHT": (datetime(2008, 10, 5, 2, 0), "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10"),
    }


@pytest.mark.parametrize(
    "key",
    [
        "Europe/Oslo",
        "Europe/Lisbon",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Tokyo",
        "America/Nuuk",  # a rule that fits no weekday of the month in some years
        "Asia/Jerusalem",
    ],
)
def test_vtimezone_gives_every_hour_the_zone_s_offset_in_each_reader(key):
    """Every sixth hour of the years used, in dateutil's (vobject's) and ical's reading of
    the VTIMEZONE, has the offset the zone database gives."""
    calendar = icalendar.Calendar.new(prodid="-//test//EN")
    calendar.add_component(vtimezone(key, first_year=YEAR - 1, last_year=YEAR + 1))
    text = calendar.to_ical().decode()
    [ical_zone] = IcsCalendarStream.calendar_from_ics(text).timezones
    readers = {
        "vobject": vobject.readOne(text).vtimezone.gettzinfo(),
        "ical": IcsTimezoneInfo.from_timezone(ical_zone),
    }
    zone = ZoneInfo(key)
    moment, end = datetime(YEAR - 1, 1, 1, tzinfo=UTC), datetime(YEAR + 2, 1, 1, tzinfo=UTC)
    wrong = []
    while moment < end:
        expected = moment.astimezone(zone)
        for name, tzinfo in readers.items():
            if moment.astimezone(tzinfo).utcoffset() != expected.utcoffset():
                wrong.append((name, moment))
        moment += timedelta(hours=6)
    assert wrong == []


def _update_file(world, capture, change) -> bytes:
    winter = _schedule(world.network)[0]
    with capture(execute=True):
        services.gathering_invite(gathering=winter)
    mail.outbox.clear()
    with capture(execute=True):
        change(winter)
    message = mail.outbox[0]
    [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    return winter, part.get_payload(decode=True)


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_moved_gathering_s_update_reads_as_the_same_event_moved_in_each_parser(
    world, parser, django_capture_on_commit_callbacks
):
    later = WINTER + timedelta(days=1)

    def change(gathering):
        services.gathering_move(
            gathering=gathering, starts_at=later, ends_at=later + timedelta(hours=8), venue="Alta"
        )

    world.network.planned_start, world.network.planned_end = WINTER.date(), SUMMER.date()
    world.network.save()
    winter, content = _update_file(world, django_capture_on_commit_callbacks, change)

    [read] = PARSERS[parser](content)
    assert (read.uid, read.sequence, read.status) == (f"{winter.uid}@cemsdi-portal", 1, None)
    assert read.start.astimezone(UTC) == later.astimezone(UTC)


@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_cancellation_reads_as_the_same_event_cancelled_in_each_parser(
    world, parser, django_capture_on_commit_callbacks
):
    def change(gathering):
        services.gathering_cancel(gathering=gathering)

    winter, content = _update_file(world, django_capture_on_commit_callbacks, change)

    [read] = PARSERS[parser](content)
    assert (read.uid, read.sequence, read.status) == (
        f"{winter.uid}@cemsdi-portal",
        1,
        "CANCELLED",
    )
    assert read.start.astimezone(UTC) == WINTER.astimezone(UTC)
