"""Gatherings as an iCalendar file (RFC 5545), for feeds and for invitation attachments.

Each gathering keeps one UID for life (``<uuid>@cemsdi-portal``) and counts its changes in
SEQUENCE, so that calendar programs update the event they already hold instead of adding a
second one; a cancelled gathering stays in the feed with STATUS:CANCELLED. Times carry the TZID
of the network's country's time zone, each zone used described by one VTIMEZONE written from
the zone's rules (``vtimezone.py``): a feed of networks in Oslo and Lisbon holds both.

An e-mailed file is an iTIP message (RFC 5546): METHOD:REQUEST for an invitation, a reminder or
a moved gathering, METHOD:CANCEL for a cancelled one, each naming its organiser and attendee.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from networks.countries import network_zone

from .models import Gathering
from .selectors import agenda_rows
from .vtimezone import vtimezone

PRODID = "-//CEMSDI portal//Gatherings//EN"
UID_DOMAIN = "cemsdi-portal"
FEED_REFRESH = timedelta(hours=12)  # how often a subscribed calendar program should look again


def gathering_uid(gathering: Gathering) -> str:
    return f"{gathering.uid}@{UID_DOMAIN}"


def gathering_url(gathering: Gathering) -> str:
    return settings.SITE_URL + reverse("gathering_detail", args=[gathering.pk])


def for_calendar(gatherings: QuerySet[Gathering]) -> QuerySet[Gathering]:
    """The gatherings with what an event needs, in date order (two queries in all)."""
    return (
        gatherings.select_related("network__region__country")
        .prefetch_related("agenda")
        .order_by("starts_at", "pk")
    )


def _description(gathering: Gathering, url: str, zone) -> str:
    lines = []
    for row in agenda_rows(gathering, list(gathering.agenda.all())):
        starts, ends = row.starts.astimezone(zone), row.ends.astimezone(zone)
        line = f"{starts:%H:%M}–{ends:%H:%M} {row.item.title}"
        if row.item.speaker:
            line += f" ({row.item.speaker})"
        lines.append(line)
    lines.extend(["", url])
    return "\n".join(lines).strip()


def _event(gathering: Gathering, *, stamp: datetime, attendee=None) -> icalendar.Event:
    zone = network_zone(gathering.network)
    url = gathering_url(gathering)
    event = icalendar.Event.new(
        uid=gathering_uid(gathering),
        sequence=gathering.sequence,
        stamp=stamp,
        start=gathering.starts_at.astimezone(zone),
        end=gathering.ends_at.astimezone(zone),
        summary=f"{gathering.network.name}: {gathering.number}. {gathering.title}",
        description=_description(gathering, url, zone),
        url=url,
    )
    if gathering.venue:
        event.add("location", gathering.venue)
    if gathering.cancelled_at is not None:
        event.add("status", "CANCELLED")
    if attendee is not None:
        # An invitation (METHOD:REQUEST) names its organiser and the person invited (RFC 5546).
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        event.add("organizer", f"mailto:{address}", parameters={"CN": name or address})
        event.add(
            "attendee",
            f"mailto:{attendee.email}",
            parameters={
                "CN": attendee.get_full_name() or attendee.get_username(),
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "FALSE",
            },
        )
    return event


def calendar_ics(
    gatherings: Iterable[Gathering],
    *,
    name: str,
    method: str | None = None,
    attendee=None,
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR of the gatherings (pass them through ``for_calendar`` first).

    ``method`` is ``"REQUEST"`` for an invitation's, a reminder's or an update's attachment, or
    ``"CANCEL"`` for a cancellation's, with ``attendee`` the person it goes to; a feed has no
    method.
    """
    stamp = (now or timezone.now()).astimezone(UTC)
    calendar = icalendar.Calendar.new(prodid=PRODID, calscale="GREGORIAN", method=method, name=name)
    calendar.pop("UID", None)  # a fresh random one on every download would say nothing
    if method is None:
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(FEED_REFRESH))  # a duration, PT12H
    events = [_event(gathering, stamp=stamp, attendee=attendee) for gathering in gatherings]
    years_by_zone: dict[str, list[int]] = {}
    for event in events:
        for moment in (event.start, event.end):
            years_by_zone.setdefault(moment.tzinfo.key, []).append(moment.year)
    for key, years in sorted(years_by_zone.items()):
        calendar.add_component(vtimezone(key, first_year=min(years), last_year=max(years) + 1))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
