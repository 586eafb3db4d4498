"""Each network's gatherings live in its country's time zone: shown and typed in it on its
pages, written in it in e-mail, and carried with its TZID and VTIMEZONE in calendar files."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Country, Role
from sessions_app import notifications
from sessions_app.calendar import calendar_ics, for_calendar
from sessions_app.models import Gathering

from .. import factories as f

pytestmark = pytest.mark.django_db

ROME, LISBON, OSLO = ZoneInfo("Europe/Rome"), ZoneInfo("Europe/Lisbon"), ZoneInfo("Europe/Oslo")


def network_in(code: str, **fields):
    country = Country.objects.get(code=code)  # seeded by networks 0010
    programme = f.ProgrammeFactory(start_date=date(2026, 1, 1), end_date=date(2028, 12, 31))
    return f.NetworkFactory(
        programme=programme,
        region=f.RegionFactory(country=country),
        planned_start=date(2027, 1, 4),
        planned_end=date(2027, 9, 30),
        **fields,
    )


def gathering_at(network, local: datetime, number=1) -> Gathering:
    return f.GatheringFactory(
        network=network, number=number, starts_at=local, ends_at=local + timedelta(hours=8)
    )


def test_the_seeded_countries_have_their_zones():
    zones = dict(Country.objects.values_list("code", "time_zone"))
    assert {code: zones[code] for code in ("NO", "PT", "ES", "IT", "GB", "SE", "FI")} == {
        "NO": "Europe/Oslo",
        "PT": "Europe/Lisbon",
        "ES": "Europe/Madrid",
        "IT": "Europe/Rome",
        "GB": "Europe/London",
        "SE": "Europe/Stockholm",
        "FI": "Europe/Helsinki",
    }


def test_a_time_zone_not_in_the_database_is_refused(db):
    from django.core.exceptions import ValidationError

    country = Country.objects.get(code="IT")
    country.time_zone = "Europe/Atlantis"
    with pytest.raises(ValidationError) as caught:
        country.full_clean()
    assert "Europe/Atlantis is not a time zone" in str(caught.value.message_dict["time_zone"])


def _offsets(vtimezone) -> set[str]:
    found = set()
    for part in vtimezone.subcomponents:
        for key in ("TZOFFSETFROM", "TZOFFSETTO"):
            offset = part[key].td
            sign = "-" if offset < timedelta(0) else "+"
            minutes = abs(int(offset.total_seconds())) // 60
            found.add(f"{sign}{minutes // 60:02d}{minutes % 60:02d}")
    return found


def test_a_feed_of_rome_and_lisbon_carries_each_zone_and_each_wall_time():
    rome = gathering_at(network_in("IT"), datetime(2027, 3, 10, 9, 0, tzinfo=ROME))
    lisbon = gathering_at(network_in("PT"), datetime(2027, 6, 9, 9, 0, tzinfo=LISBON))

    content = calendar_ics(
        for_calendar(Gathering.objects.filter(pk__in=[rome.pk, lisbon.pk])), name="Mine"
    )

    calendar = icalendar.Calendar.from_ical(content)
    zones = {str(tz["TZID"]): tz for tz in calendar.walk("VTIMEZONE")}
    assert set(zones) == {"Europe/Rome", "Europe/Lisbon"}
    assert _offsets(zones["Europe/Rome"]) == {"+0100", "+0200"}
    assert _offsets(zones["Europe/Lisbon"]) == {"+0000", "+0100"}
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    rome_start = events[str(rome.uid)]["DTSTART"]
    assert rome_start.params["TZID"] == "Europe/Rome"
    assert (rome_start.dt.hour, rome_start.dt.minute) == (9, 0)
    assert events[str(lisbon.uid)]["DTSTART"].params["TZID"] == "Europe/Lisbon"
    assert events[str(lisbon.uid)]["DTEND"].params["TZID"] == "Europe/Lisbon"
    assert b"DTSTART;TZID=Europe/Rome:20270310T090000" in content

    # A second parser, reading the zone from the file's VTIMEZONE (dateutil), not a database.
    read = vobject.readOne(content.decode())
    starts = {e.uid.value.split("@")[0]: e.dtstart.value for e in read.vevent_list}
    assert type(starts[str(rome.uid)].tzinfo).__name__ == "_tzicalvtz"
    assert starts[str(rome.uid)].replace(tzinfo=None) == datetime(2027, 3, 10, 9, 0)
    assert starts[str(rome.uid)].astimezone(UTC) == rome.starts_at.astimezone(UTC)
    assert starts[str(lisbon.uid)].astimezone(UTC) == lisbon.starts_at.astimezone(UTC)
    assert starts[str(lisbon.uid)].astimezone(UTC).hour == 8  # Lisbon is UTC+1 in June


def test_a_feed_of_one_country_has_one_vtimezone():
    network = network_in("NO")
    gathering_at(network, datetime(2027, 3, 10, 9, 0, tzinfo=OSLO), 1)
    gathering_at(network, datetime(2027, 6, 9, 9, 0, tzinfo=OSLO), 2)
    content = calendar_ics(for_calendar(network.gatherings.all()), name="One")
    assert content.count(b"BEGIN:VTIMEZONE") == 1
    assert b"TZID:Europe/Oslo" in content


def _move(client, gathering):
    user = f.facilitator_of(gathering.network)
    client.force_login(user)
    return client.post(
        reverse("gathering_move", args=[gathering.pk]),
        {"date": "2027-03-10", "start_time": "09:00", "end_time": "17:00", "venue": ""},
    )


@pytest.mark.parametrize(("code", "utc_hour"), [("PT", 9), ("NO", 8), ("IT", 8)])
def test_a_time_typed_is_read_in_the_networks_zone(client, code, utc_hour):
    gathering = gathering_at(network_in(code), datetime(2027, 2, 1, 10, 0, tzinfo=UTC))

    response = _move(client, gathering)

    assert response.status_code == 302, response.context["form"].errors
    gathering.refresh_from_db()
    assert gathering.starts_at.astimezone(UTC) == datetime(2027, 3, 10, utc_hour, 0, tzinfo=UTC)


def test_the_schedule_proposes_nine_oclock_in_the_networks_zone(client):
    network = network_in("PT")
    client.force_login(f.facilitator_of(network))
    response = client.get(reverse("network_schedule", args=[network.pk]))
    first = response.context["formset"].forms[0].initial
    assert first["start_time"].strftime("%H:%M") == "09:00"
    drafts = response.context["rows"]
    assert drafts  # the page shows the four
    # Saved as typed: 09:00 in Lisbon, whatever the portal's own zone.
    from sessions_app import selectors

    proposal = selectors.schedule_proposal(network=network)
    assert proposal[0].starts_at.astimezone(LISBON).hour == 9


def test_the_gathering_page_names_the_zone_for_a_reader_elsewhere(client):
    rome_network = network_in("IT")
    gathering = gathering_at(rome_network, datetime(2027, 3, 10, 14, 0, tzinfo=ROME))
    oslo_reader = f.facilitator_of(rome_network)
    norway = f.RegionFactory(country=Country.objects.get(code="NO"))
    Role.objects.create(
        user=oslo_reader,
        kind=Role.Kind.MUNICIPAL_STAFF,
        municipality=f.MunicipalityFactory(region=norway),
    )
    client.force_login(oslo_reader)
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert "14:00–22:00 (Europe/Rome)" in page

    italian = f.municipal(
        Role.Kind.CHIEF_EXECUTIVE, f.MunicipalityFactory(region=rome_network.region)
    )
    rome_network.municipalities.add(italian.roles.get().municipality)
    client.force_login(italian)
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert "14:00–22:00" in page
    assert "(Europe/Rome)" not in page


def test_the_invitation_e_mail_writes_the_networks_time(settings):
    network = network_in("PT", language="en")
    municipality = f.MunicipalityFactory(region=network.region)
    network.municipalities.add(municipality)
    f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality, email="ce@example.pt")
    gathering = gathering_at(network, datetime(2027, 3, 10, 9, 0, tzinfo=LISBON))

    assert notifications.gathering_invitations_send(gathering_id=gathering.pk) == 1

    body = mail.outbox[0].body
    assert "9:00" in body or "09:00" in body, body
    assert "10:00" not in body  # Oslo's wall time of the same moment


def test_the_network_calendar_page_keeps_its_queries_flat(client):
    network = network_in("IT")
    client.force_login(f.facilitator_of(network))
    url = reverse("network_calendar_ics", args=[network.pk])
    gathering_at(network, datetime(2027, 3, 10, 9, 0, tzinfo=ROME), 1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in (2, 3, 4):
        gathering_at(network, datetime(2027, 3 + number, 10, 9, 0, tzinfo=ROME), number)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


def test_the_networks_calendar_and_gatherings_pages_name_a_zone_not_the_readers(client):
    rome_network = network_in("IT")
    gathering_at(rome_network, datetime(2027, 3, 10, 14, 0, tzinfo=ROME))
    client.force_login(f.facilitator_of(rome_network))  # no municipality: the portal's zone
    for name in ("network_calendar", "network_gatherings"):
        page = client.get(reverse(name, args=[rome_network.pk])).content.decode()
        assert "Times are in Europe/Rome." in page
        assert "14:00" in page

    oslo_network = network_in("NO")
    gathering_at(oslo_network, datetime(2027, 3, 10, 14, 0, tzinfo=OSLO))
    client.force_login(f.facilitator_of(oslo_network))
    page = client.get(reverse("network_calendar", args=[oslo_network.pk])).content.decode()
    assert "Times are in" not in page
