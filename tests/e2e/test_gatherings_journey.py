"""A facilitator's day with the gatherings, in a real browser: schedule a network's four
gatherings, edit an agenda item in place, and record who came."""

from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cemsdi_portal.core.numbers import format_hours, format_minutes
from networks.models import Role
from networks.selectors import network_period_warning
from sessions_app import selectors as sessions_selectors
from sessions_app.models import AgendaItem, Attendance, Gathering
from sessions_app.programme import standard_gathering
from sessions_app.selectors import training_hours
from tests import factories as f

PASSWORD = "a-long-test-password"
VENUE = "Thon Hotel Vica, Alta"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _span(start: datetime, end: datetime) -> str:
    """A time span as the agenda shows it, e.g. 09:30–11:15."""
    return f"{time_filter(_local(start), 'H:i')}–{time_filter(_local(end), 'H:i')}"


def _standard_training_minutes(number: int) -> int:
    return sum(
        item.minutes
        for item in standard_gathering(number).items
        if item.kind in AgendaItem.TRAINING_KINDS
    )


def test_facilitator_schedules_edits_the_agenda_and_records_attendance(
    live_server, transactional_db, page: Page
):
    region = f.RegionFactory(name="Finnmark")
    alta, hammerfest, vadso = (
        f.MunicipalityFactory(name=name, region=region) for name in ("Alta", "Hammerfest", "Vadsø")
    )
    network = f.NetworkFactory(
        name="eKommune Finnmark", region=region, language="en", members=[alta, hammerfest, vadso]
    )
    facilitator = f.facilitator_of(
        network,
        username="facilitator",
        first_name="Frida",
        last_name="Fasilitator",
        password=PASSWORD,
    )
    chiefs = {
        municipality: f.municipal(
            Role.Kind.CHIEF_EXECUTIVE, municipality, first_name="Chief", last_name=municipality.name
        )
        for municipality in (alta, hammerfest, vadso)
    }
    alta_mayor = f.municipal(Role.Kind.MAYOR, alta, first_name="Mayor", last_name="Alta")

    # Sign in, and find the network from the home page.
    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill(facilitator.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("region", name="Networks you facilitate").get_by_role(
        "link", name=network.name
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(network.name)

    # Schedule: the standard programme is proposed; move gathering 4 and name a venue.
    page.get_by_role("link", name="Gatherings", exact=True).click()
    expect(page).to_have_url(live_server.url + reverse("network_gatherings", args=[network.pk]))
    expect(page.get_by_text("No gathering is scheduled yet.")).to_be_visible()
    page.get_by_role("link", name="Schedule the gatherings").click()

    proposal = sessions_selectors.schedule_proposal(network=network)
    for draft in proposal:
        group = page.get_by_role("group", name=f"Gathering {draft.number}")
        expect(group.get_by_label("Title")).to_have_value(draft.title)
        expect(group.get_by_label("Date")).to_have_value(_local(draft.starts_at).date().isoformat())
        expect(group.get_by_label("Starts")).to_have_value(
            time_filter(_local(draft.starts_at), "H:i")
        )
        expect(group.get_by_label("Ends")).to_have_value(time_filter(_local(draft.ends_at), "H:i"))
        expect(group.get_by_label("Venue")).to_have_value(draft.venue)

    first, last = proposal[0], proposal[-1]
    # Gathering 4 eleven months after gathering 1: longer than the method's 10, so a warning.
    new_day = _local(first.starts_at).date() + relativedelta(months=11)
    last.starts_at, last.ends_at = (
        timezone.make_aware(datetime.combine(new_day, _local(moment).time()))
        for moment in (last.starts_at, last.ends_at)
    )
    first.venue = VENUE
    page.get_by_role("group", name="Gathering 1").get_by_label("Venue").fill(VENUE)
    page.get_by_role("group", name="Gathering 4").get_by_label("Date").fill(
        _local(last.starts_at).date().isoformat()
    )
    page.get_by_role("button", name="Save the schedule").click()

    warning = network_period_warning(
        start=_local(first.starts_at).date(), end=_local(last.ends_at).date()
    )
    assert warning is not None
    # Beside the box to keep the dates (the error summary above links to it as well).
    expect(page.locator("strong").filter(has_text=warning)).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert not Gathering.objects.filter(network=network).exists()
    page.get_by_label("Keep these dates anyway").check()
    page.get_by_role("button", name="Save the schedule").click()

    expect(page).to_have_url(live_server.url + reverse("network_gatherings", args=[network.pk]))
    expect(page.get_by_text("The four gatherings are scheduled.")).to_be_visible()
    rows = page.get_by_role("table", name="The four gatherings").locator("tbody tr")
    expect(rows).to_have_count(len(proposal))
    for row, draft in zip(rows.all(), proposal, strict=True):
        expect(row.locator("td")).to_have_text(
            [
                f"{draft.number}. {draft.title}",
                f"{date_filter(_local(draft.starts_at), 'j M Y, H:i')}–"
                f"{time_filter(_local(draft.ends_at), 'H:i')}",
                draft.venue or "–",
                format_minutes(_standard_training_minutes(draft.number)),
                "planned",
            ]
        )

    # The agenda of gathering 1: shorten an item and rename it, in place.
    page.get_by_role("link", name=f"1. {first.title}").click()
    gathering = Gathering.objects.get(network=network, number=1)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gathering 1: {gathering.title}")
    items = list(gathering.agenda.all())
    edited, following = items[1], items[2]
    new_title = "Norway's eGovernment framework, briefly"
    new_minutes = edited.duration_minutes - 15
    agenda = page.locator("#agenda")
    page.evaluate("window.__marker = 1")  # gone if the page were loaded again

    agenda.locator(f"#agenda-item-{edited.pk}").get_by_role("link", name="Edit").click()
    editor = agenda.locator("form").filter(has=page.get_by_role("button", name="Save"))
    expect(editor.get_by_label("Title")).to_have_value(edited.title)
    editor.get_by_label("Title").fill(new_title)
    editor.get_by_label("Minutes").fill(str(new_minutes))
    editor.get_by_role("button", name="Save").click()

    expect(editor).to_have_count(0)
    edited_starts = gathering.starts_at + timedelta(
        minutes=sum(item.duration_minutes for item in items[:1])
    )
    edited_ends = edited_starts + timedelta(minutes=new_minutes)
    edited_row = page.locator(f"#agenda-item-{edited.pk} td")
    expect(edited_row.nth(0)).to_have_text(_span(edited_starts, edited_ends))
    expect(edited_row.nth(1)).to_have_text(new_title)
    following_ends = edited_ends + timedelta(minutes=following.duration_minutes)
    expect(page.locator(f"#agenda-item-{following.pk} td").nth(0)).to_have_text(
        _span(edited_ends, following_ends)
    )
    hours = training_hours(sum(item.duration_minutes for item in items if item.is_training) - 15)
    expect(agenda).to_contain_text(f"{format_hours(hours)} of training")
    assert page.evaluate("window.__marker") == 1
    edited.refresh_from_db()
    assert (edited.title, edited.duration_minutes) == (new_title, new_minutes)

    # Attendance: Alta's and Hammerfest's chief executives came (Hammerfest's left early),
    # and Alta's mayor; Vadsø's chief executive did not.
    page.get_by_role("link", name="Record attendance").click()
    present = {chiefs[alta], chiefs[hammerfest], alta_mayor}
    corrected = {chiefs[hammerfest]: Decimal("5.50")}
    for person in present:
        page.get_by_label(f"{person.get_full_name()} was present").check()
    for person, person_hours in corrected.items():
        page.get_by_label(f"Hours for {person.get_full_name()}").fill(str(person_hours))
    page.get_by_role("button", name="Save attendance").click()

    expect(page).to_have_url(live_server.url + reverse("gathering_detail", args=[gathering.pk]))
    expect(page.get_by_text("Attendance is recorded.")).to_be_visible()
    came = page.get_by_role("region", name="Who came", exact=True).locator("tbody tr")
    expect(came).to_have_count(3)
    mayors = {alta: alta_mayor}
    for row, municipality in zip(came.all(), (alta, hammerfest, vadso), strict=True):
        expect(row.locator("td")).to_have_text(
            [
                municipality.name,
                "yes" if chiefs[municipality] in present else "no",
                "yes" if mayors.get(municipality) in present else "no",
            ]
        )
    invitees = [*chiefs.values(), alta_mayor]
    assert {
        (a.person_id, a.present, a.hours) for a in Attendance.objects.filter(gathering=gathering)
    } == {(person.pk, person in present, corrected.get(person)) for person in invitees}
