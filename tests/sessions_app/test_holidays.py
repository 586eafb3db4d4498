"""The schedule proposal keeps off the country's public holidays and summer holiday weeks, and
a date typed on one is warned about (not refused). The holidays are the ``holidays`` package's,
computed here too, never typed in."""

from datetime import date, datetime, time, timedelta

import holidays
import pytest
from dateutil.easter import easter
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from sessions_app import selectors as sessions_selectors
from sessions_app import services
from sessions_app.days_off import DaysOff
from sessions_app.models import Gathering
from tests import factories as f

from .test_schedule import _post_data

pytestmark = pytest.mark.django_db

# July: the fellesferie (weeks 28 to 30) and the weeks around it (sessions_app/days_off.py).
FELLESFERIE = (27, 28, 29, 30, 31)
# In English, as the pages here are (the package's own default for Norway is Norwegian).
NORWAY = holidays.Norway(years=range(2011, 2013), language="en_US")
SPRING_2011 = [date(2011, 3, 1), date(2011, 5, 17), date(2011, 6, 2), date(2011, 6, 13)]


def _network(world, start: date, months: int = 7):
    return f.NetworkFactory(
        programme=world.programme,
        region=world.network.region,  # in Norway
        planned_start=start,
        planned_end=start + timedelta(days=months * 30),
        language="en",
    )


def _days(drafts) -> list[date]:
    return [timezone.localdate(d.starts_at) for d in drafts]


def _even_spread(network) -> list[date]:
    """The days the proposal spread the gatherings on before it knew of holidays."""
    span = (network.planned_end - network.planned_start).days
    return [network.planned_start + timedelta(days=span * n // 3) for n in range(4)]


def _draft(number: int, day: date) -> sessions_selectors.GatheringDraft:
    tz = timezone.get_current_timezone()
    starts, ends = (timezone.make_aware(datetime.combine(day, time(h)), tz) for h in (9, 17))
    return sessions_selectors.GatheringDraft(number, f"Gathering {number}", starts, ends)


def _next_working_day(day: date) -> date:
    while day.weekday() >= 5 or day in NORWAY or day.isocalendar().week in FELLESFERIE:
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize("start", SPRING_2011, ids=str)
def test_proposal_for_a_norwegian_spring_2011_network_keeps_off_holidays(world, start):
    network = _network(world, start)
    days = _days(sessions_selectors.schedule_proposal(network=network))
    assert [day for day in days if day in NORWAY] == []
    assert [day for day in days if day.isocalendar().week in FELLESFERIE] == []
    assert all(day.weekday() < 5 for day in days)
    assert all(network.planned_start <= day <= network.planned_end for day in days)
    assert days == sorted(days)


def test_the_spring_2011_networks_would_have_met_on_the_holidays_the_proposal_avoids(world):
    """The cases above are the ones the issue names: the even spread hits 17 May, Ascension
    Day, Whit Monday and the fellesferie weeks."""
    spread = {day for start in SPRING_2011 for day in _even_spread(_network(world, start))}
    whitsun = easter(2011) + timedelta(days=49)
    named = {
        date(2011, 5, 17): "Constitution Day",
        whitsun - timedelta(days=10): "Ascension Day",
        whitsun + timedelta(days=1): "Whit Monday",
    }
    assert {day for day in spread if day in NORWAY} == set(named)
    assert all(day in NORWAY for day in named)
    assert any(day.isocalendar().week in FELLESFERIE for day in spread)


def test_gathering_on_a_holiday_moves_to_the_next_working_day_and_says_so(world):
    network = _network(world, date(2011, 5, 17))  # Constitution Day, a Tuesday
    drafts = sessions_selectors.schedule_proposal(network=network)
    first = timezone.localdate(drafts[0].starts_at)
    assert first == _next_working_day(date(2011, 5, 17)) == date(2011, 5, 18)
    assert drafts[0].note == (
        f"Proposed on {date_format(first)}: {date_format(date(2011, 5, 17))} is a public "
        f"holiday in Norway ({NORWAY[date(2011, 5, 17)]})."
    )


def test_gathering_in_the_fellesferie_moves_past_it_and_says_so(world):
    network = _network(world, date(2011, 5, 17))
    spread = _even_spread(network)[1]
    assert spread.isocalendar().week in FELLESFERIE  # 26 July 2011, week 30
    second = sessions_selectors.schedule_proposal(network=network)[1]
    day = timezone.localdate(second.starts_at)
    assert day == _next_working_day(spread)
    assert day.isocalendar().week == FELLESFERIE[-1] + 1
    assert second.note == (
        f"Proposed on {date_format(day)}: {date_format(spread)} is in the summer holiday weeks "
        "in Norway (weeks 27–31)."
    )


def test_last_gathering_on_a_holiday_moves_back_into_the_period(world):
    network = f.NetworkFactory(
        programme=world.programme,
        region=world.network.region,
        planned_start=date(2010, 12, 1),
        planned_end=date(2011, 6, 13),  # Whit Monday
    )
    last = timezone.localdate(sessions_selectors.schedule_proposal(network=network)[3].starts_at)
    day = date(2011, 6, 13)
    while day.weekday() >= 5 or day in NORWAY:
        day -= timedelta(days=1)
    assert last == day == date(2011, 6, 10)


def test_proposal_without_holidays_has_no_notes(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    assert [d.note for d in drafts] == ["", "", "", ""]


def test_proposal_page_shows_why_a_gathering_moved(client, world):
    network = _network(world, date(2011, 5, 17))
    f.facilitator_of(network, username="spring_facilitator")
    client.force_login(network.roles.get().user)
    page = client.get(reverse("network_schedule", args=[network.pk])).content.decode()
    note = sessions_selectors.schedule_proposal(network=network)[0].note
    assert f'<p class="small text-body-secondary mb-2" id="gathering-0-note">{note}</p>' in page


def test_england_counts_its_own_holidays_not_scotlands():
    england = holidays.country_holidays("GB", subdiv="ENG", years=2011)
    scotland = holidays.country_holidays("GB", subdiv="SCT", years=2011)
    days_off = DaysOff(country_code="GB", country_name="United Kingdom", language="en")
    only_scottish = sorted(set(scotland) - set(england))
    assert only_scottish  # St Andrew's Day, the early August bank holiday
    assert [days_off.holiday(day) for day in only_scottish] == [None] * len(only_scottish)
    assert [days_off.holiday(day) for day in sorted(england)] == [
        england[day] for day in sorted(england)
    ]
    assert days_off.summer_weeks == ()  # no source for fixed summer weeks: holidays only


def test_a_country_the_package_does_not_know_has_no_days_off():
    assert not DaysOff(country_code="XX", country_name="Nowhere").is_off(date(2011, 12, 25))


# --- A date typed on a holiday: a warning that names it, and the facilitator may keep it ------


def test_typed_date_on_a_holiday_is_warned_about_naming_it(client, world):
    client.force_login(world.users["facilitator"])
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    url = reverse("network_schedule", args=[world.network.pk])
    data = _post_data(drafts, **{"3-date": "2011-05-17"})  # gathering 4 on Constitution Day

    response = client.post(url, data)
    assert response.status_code == 200
    holiday = NORWAY[date(2011, 5, 17)]
    assert response.context["accept"].errors["accept_warning"] == [
        f"Gathering 4: {date_format(date(2011, 5, 17))} is a public holiday in Norway "
        f"({holiday}). Tick the box to keep these dates, or change them."
    ]
    assert f"({holiday})" in response.content.decode()
    assert not Gathering.objects.filter(network=world.network).exists()

    # A warning, not a refusal: kept when the facilitator ticks the box.
    response = client.post(url, {**data, "accept_warning": "on"})
    assert response.status_code == 302
    kept = world.network.gatherings.get(number=4)
    assert timezone.localdate(kept.starts_at) == date(2011, 5, 17)


def test_holiday_warning_names_the_holiday_in_the_readers_language(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    with translation.override("nb"):
        warning = services.schedule_warning(
            [*drafts[:3], _draft(4, date(2011, 5, 17))], network=world.network
        )
    norsk = holidays.Norway(years=2011, language="no")[date(2011, 5, 17)]
    assert norsk == "Grunnlovsdag"
    assert f"({norsk})" in warning


def test_typed_date_in_the_fellesferie_is_warned_about(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    day = date(2011, 7, 12)
    assert day.isocalendar().week in FELLESFERIE
    assert day not in NORWAY
    warning = services.schedule_warning([*drafts[:3], _draft(4, day)], network=world.network)
    assert warning.startswith(
        f"Gathering 4: {date_format(day)} is in the summer holiday weeks in Norway (weeks 27–31)."
    )
