"""Calendar pages and iCalendar feeds: what a calendar program reads, and who may read it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Role
from sessions_app import services
from sessions_app.models import CalendarToken, Gathering
from sessions_app.selectors import GatheringDraft

from .. import factories as f

OSLO = ZoneInfo("Europe/Oslo")
VENUE = "Thon Hotel Vica, Alta"


def _at(day: str, hour: int) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=OSLO)


def _drafts(days=("2025-09-15", "2025-11-17", "2026-01-19", "2026-03-16")):
    return [
        GatheringDraft(number, f"Gathering title {number}", _at(day, 9), _at(day, 17), VENUE)
        for number, day in enumerate(days, start=1)
    ]


def schedule(network, drafts=None) -> list[Gathering]:
    return services.gathering_schedule(network=network, drafts=drafts or _drafts())


def feed(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(gathering: Gathering) -> str:
    return f"{gathering.uid}@cemsdi-portal"


def person_feed_url(user) -> str:
    token = CalendarToken.objects.get_or_create(user=user)[0].token
    return reverse("person_calendar_ics", args=[token])


# --- The network's calendar file ------------------------------------------------------------


def test_network_feed_has_one_event_per_gathering_with_its_time_zone_and_place(world, client):
    gatherings = schedule(world.network)
    client.force_login(world.users["facilitator"])

    response = client.get(reverse("network_calendar_ics", args=[world.network.pk]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="network-{world.network.pk}.ics"'
    )
    calendar = feed(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//CEMSDI portal//Gatherings//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == world.network.name
    assert "METHOD" not in calendar  # a feed, not an invitation
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = events_by_uid(calendar)
    assert list(events) == [uid(g) for g in gatherings]
    for gathering in gatherings:
        event = events[uid(gathering)]
        assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
        assert event["DTEND"].params["TZID"] == "Europe/Oslo"
        assert event.start == gathering.starts_at
        assert event.end == gathering.ends_at
        assert event.start.tzinfo == OSLO
        assert str(event["SUMMARY"]) == (
            f"{world.network.name}: {gathering.number}. Gathering title {gathering.number}"
        )
        assert str(event["LOCATION"]) == VENUE
        assert event["SEQUENCE"] == 0
        assert str(event["URL"]) == f"{settings.SITE_URL}/gatherings/{gathering.pk}/"
        assert "DTSTAMP" in event
    # Summer time in September, winter time in January: the wall clock says 09:00 in both.
    assert events[uid(gatherings[0])].start.utcoffset() == timedelta(hours=2)
    assert events[uid(gatherings[2])].start.utcoffset() == timedelta(hours=1)
    assert events[uid(gatherings[2])].start == datetime(2026, 1, 19, 9, 0, tzinfo=OSLO)


def test_network_feed_describes_the_agenda_with_its_times(world, client):
    gathering = schedule(world.network)[0]
    first, second = list(gathering.agenda.order_by("position")[:2])
    client.force_login(world.users["chief_executive"])

    calendar = feed(client.get(reverse("network_calendar_ics", args=[world.network.pk])))

    description = str(events_by_uid(calendar)[uid(gathering)]["DESCRIPTION"]).splitlines()
    first_ends = datetime(2025, 9, 15, 9, 0) + timedelta(minutes=first.duration_minutes)
    second_ends = first_ends + timedelta(minutes=second.duration_minutes)
    assert description[0] == f"09:00–{first_ends:%H:%M} {first.title}"
    assert description[1] == f"{first_ends:%H:%M}–{second_ends:%H:%M} {second.title}"
    assert description[-1] == f"{settings.SITE_URL}/gatherings/{gathering.pk}/"


def test_uid_stays_and_sequence_grows_when_a_gathering_moves(world, client):
    gatherings = schedule(world.network)
    client.force_login(world.users["facilitator"])
    url = reverse("network_calendar_ics", args=[world.network.pk])
    first = events_by_uid(feed(client.get(url)))
    again = events_by_uid(feed(client.get(url)))
    assert list(again) == list(first) == [uid(g) for g in gatherings]

    moved = _drafts(days=("2025-09-15", "2025-11-18", "2026-01-19", "2026-03-16"))
    schedule(world.network, moved)

    after = events_by_uid(feed(client.get(url)))
    assert list(after) == [uid(g) for g in gatherings]
    event = after[uid(gatherings[1])]
    assert event["SEQUENCE"] == 1
    assert event.start == datetime(2025, 11, 18, 9, 0, tzinfo=OSLO)
    assert after[uid(gatherings[0])]["SEQUENCE"] == 0


def test_network_feed_of_another_network_is_not_found(world, client):
    schedule(world.network)
    client.force_login(world.users["other_chief_executive"])

    assert client.get(reverse("network_calendar_ics", args=[world.network.pk])).status_code == 404
    assert client.get(reverse("network_calendar", args=[world.network.pk])).status_code == 404


def test_network_feed_needs_a_signed_in_person(world, client):
    response = client.get(reverse("network_calendar_ics", args=[world.network.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_network_feed_runs_the_same_queries_for_one_gathering_as_for_four(world, client):
    client.force_login(world.users["facilitator"])
    schedule(world.network, _drafts(days=("2025-09-15",)))
    url = reverse("network_calendar_ics", args=[world.network.pk])
    client.get(url)  # the session and the like, loaded once
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    schedule(world.network)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)

    assert len(events_by_uid(feed(response))) == 4
    assert len(four) == len(one)


# --- The network's calendar page ------------------------------------------------------------


def test_network_calendar_page_lists_the_gatherings_in_date_order(world, client):
    gatherings = schedule(world.network)
    client.force_login(world.users["chief_executive"])

    response = client.get(reverse("network_calendar", args=[world.network.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    links = [f'href="/gatherings/{g.pk}/"' for g in gatherings]
    assert all(link in html for link in links)
    assert [html.index(link) for link in links] == sorted(html.index(link) for link in links)
    assert "Monday 15 September 2025" in html
    assert "09:00–17:00" in html
    assert html.count(VENUE) == 4
    assert f'href="/networks/{world.network.pk}/calendar.ics"' in html
    token = CalendarToken.objects.get(user=world.users["chief_executive"]).token
    assert f'value="http://testserver/calendar/{token}.ics"' in html


def test_network_calendar_page_runs_the_same_queries_for_one_gathering_as_for_four(world, client):
    client.force_login(world.users["chief_executive"])
    schedule(world.network, _drafts(days=("2025-09-15",)))
    url = reverse("network_calendar", args=[world.network.pk])
    client.get(url)  # the feed token is made on the first visit
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    schedule(world.network)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)

    assert len(response.context["rows"]) == 4
    assert len(four) == len(one)


# --- A person's own feed --------------------------------------------------------------------


def test_personal_feed_works_without_a_session_and_lists_the_persons_gatherings(world, client):
    gatherings = schedule(world.network)
    others = schedule(world.other_network)
    url = person_feed_url(world.users["chief_executive"])

    response = client.get(url)

    assert "_auth_user_id" not in client.session
    assert response["Cache-Control"] == "private, no-store"
    assert list(events_by_uid(feed(response))) == [uid(g) for g in gatherings]
    assert not set(events_by_uid(feed(response))) & {uid(g) for g in others}


@pytest.mark.parametrize(
    ("person", "network", "numbers"),
    [
        ("chief_executive", "network", [1, 2, 3, 4]),
        ("mayor", "network", [1]),  # mayors are invited to the first gathering only
        ("facilitator", "network", [1, 2, 3, 4]),
        ("other_facilitator", "other_network", [1, 2, 3, 4]),
        ("municipal_staff", None, []),
        ("project_officer", None, []),
    ],
)
def test_personal_feed_lists_exactly_the_gatherings_invited_to_or_facilitated(
    world, client, person, network, numbers
):
    mine = {"network": schedule(world.network), "other_network": schedule(world.other_network)}

    calendar = feed(client.get(person_feed_url(world.users[person])))

    expected = [uid(g) for g in mine[network] if g.number in numbers] if network else []
    assert list(events_by_uid(calendar)) == expected


def test_personal_feed_of_unknown_token_is_not_found(world, client):
    url = reverse("person_calendar_ics", args=["6f1d2a48-08b5-4b4e-9a5e-3a3f2b6f0c11"])

    assert client.get(url).status_code == 404


def test_personal_feed_of_a_deactivated_person_is_not_found(world, client):
    person = world.users["chief_executive"]
    url = person_feed_url(person)
    person.is_active = False
    person.save()

    assert client.get(url).status_code == 404


def test_personal_feed_runs_the_same_queries_for_one_network_as_for_two(world, client):
    member = f.MunicipalityFactory(region=world.municipality.region)
    world.network.municipalities.add(member)
    person = f.municipal("chief_executive", member, username="two_networks")
    url = person_feed_url(person)
    schedule(world.network)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    world.other_network.municipalities.add(member)
    schedule(world.other_network)
    with CaptureQueriesContext(connection) as two:
        response = client.get(url)

    assert len(events_by_uid(feed(response))) == 8
    assert len(two) == len(one)


# --- My calendar: the address and a new one -------------------------------------------------


def test_my_calendar_shows_the_feed_address_made_on_first_visit(world, client):
    person = world.users["mayor"]
    client.force_login(person)
    assert not CalendarToken.objects.filter(user=person).exists()

    response = client.get(reverse("my_calendar"))

    assert response.status_code == 200
    token = CalendarToken.objects.get(user=person).token
    html = response.content.decode()
    assert f'value="http://testserver/calendar/{token}.ics"' in html
    assert f'href="webcal://testserver/calendar/{token}.ics"' in html
    assert client.get(reverse("my_calendar")).context["feed_url"] == (
        f"http://testserver/calendar/{token}.ics"
    )


def test_a_new_address_ends_the_old_one(world, client):
    person = world.users["chief_executive"]
    schedule(world.network)
    client.force_login(person)
    old_url = client.get(reverse("my_calendar")).context["feed_url"]

    response = client.post(reverse("my_calendar"), follow=True)

    new_url = response.context["feed_url"]
    assert new_url != old_url
    client.logout()
    assert client.get(old_url).status_code == 404
    assert len(events_by_uid(feed(client.get(new_url)))) == 4


def test_my_calendar_needs_a_signed_in_person(world, client):
    response = client.get(reverse("my_calendar"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_personal_feed_holds_only_the_network_that_gave_the_role(world, client):
    vardo = f.MunicipalityFactory(name="Vardø")
    world.network.municipalities.add(vardo)
    world.other_network.municipalities.add(vardo)
    person = f.UserFactory()
    Role.objects.create(
        user=person, kind=Role.Kind.CHIEF_EXECUTIVE, municipality=vardo
    ).granted_in.add(world.other_network)
    schedule(world.network)
    others = schedule(world.other_network)

    calendar = feed(client.get(person_feed_url(person)))

    assert list(events_by_uid(calendar)) == [uid(g) for g in others]
