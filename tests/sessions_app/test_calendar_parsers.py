"""The calendar files read alike in independent parsers: icalendar (which writes them), vobject
(its VTIMEZONE read by dateutil, as many CalDAV tools do) and ical (allenporter's, Home
Assistant's). Each one must place a summer gathering three years out, and a winter one, at the
same local and UTC time as the zone database does; the VTIMEZONE is written from the zone's
rules (``sessions_app/vtimezone.py``), with no RDATE list and no COMMENT in it."""

from datetime import UTC, datetime, timedelta
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

OSLO = ZoneInfo("Europe/Oslo")
YEAR = timezone.now().year + 3  # three years out
SUMMER = datetime(YEAR, 7, 8, 9, 0, tzinfo=OSLO)
WINTER = datetime(YEAR, 1, 14, 9, 0, tzinfo=OSLO)


def _read_icalendar(content: bytes) -> list[datetime]:
    calendar = icalendar.Calendar.from_ical(content)
    return [event.start for event in calendar.walk("VEVENT")]


def _read_vobject(content: bytes) -> list[datetime]:
    calendar = vobject.readOne(content.decode())
    starts = [event.dtstart.value for event in calendar.vevent_list]
    # The tzinfo comes from the file's VTIMEZONE (dateutil's tzical), not a database lookup.
    assert {type(start.tzinfo).__name__ for start in starts} == {"_tzicalvtz"}
    return starts


def _read_ical(content: bytes) -> list[datetime]:
    calendar = IcsCalendarStream.calendar_from_ics(content.decode())
    # ical prefers its own zone database for a known TZID: read the file's VTIMEZONE instead.
    [zone] = calendar.timezones
    tzinfo = IcsTimezoneInfo.from_timezone(zone)
    return [event.dtstart.replace(tzinfo=tzinfo) for event in calendar.events]


PARSERS = {"icalendar": _read_icalendar, "vobject": _read_vobject, "ical": _read_ical}


def _schedule(network):
    drafts = [
        GatheringDraft(1, "Winter", WINTER, WINTER + timedelta(hours=8), "Alta"),
        GatheringDraft(2, "Summer", SUMMER, SUMMER + timedelta(hours=8), "Alta"),
    ]
    return services.gathering_schedule(network=network, drafts=drafts)


def _assert_read_alike(content: bytes, parser: str, expected: list[datetime]) -> None:
    starts = PARSERS[parser](content)
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
