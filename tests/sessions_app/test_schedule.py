"""Scheduling a network's four gatherings: the proposal and the rules, through the form."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from sessions_app import selectors as sessions_selectors
from sessions_app import services
from sessions_app.models import AgendaItem, Gathering
from sessions_app.programme import STANDARD_PROGRAMME, standard_gathering

pytestmark = pytest.mark.django_db


def _post_data(drafts, **overrides):
    """The schedule form's POST from drafts; overrides like {"1-date": "2011-01-03"}."""
    data = {
        "gathering-TOTAL_FORMS": str(len(drafts)),
        "gathering-INITIAL_FORMS": str(len(drafts)),
        "gathering-MIN_NUM_FORMS": "0",
        "gathering-MAX_NUM_FORMS": "1000",
    }
    for index, draft in enumerate(drafts):
        start, end = timezone.localtime(draft.starts_at), timezone.localtime(draft.ends_at)
        data.update(
            {
                f"gathering-{index}-number": str(draft.number),
                f"gathering-{index}-title": draft.title,
                f"gathering-{index}-date": start.date().isoformat(),
                f"gathering-{index}-start_time": start.strftime("%H:%M"),
                f"gathering-{index}-end_time": end.strftime("%H:%M"),
                f"gathering-{index}-venue": draft.venue,
            }
        )
    data.update({f"gathering-{key}": value for key, value in overrides.items()})
    return data


@pytest.fixture
def english_network(world):
    world.network.language = "en"
    world.network.save()
    return world.network


def test_proposal_spreads_the_standard_programme_over_the_period(english_network):
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    assert [d.number for d in drafts] == [1, 2, 3, 4]
    assert [d.title for d in drafts] == [str(g.title) for g in STANDARD_PROGRAMME]
    days = [timezone.localtime(d.starts_at).date() for d in drafts]
    assert days[0] == date(2010, 9, 1)  # the network's planned start, a Wednesday
    assert days == sorted(days)
    assert all(day.weekday() < 5 for day in days)
    assert all(english_network.planned_start <= day <= english_network.planned_end for day in days)
    assert {timezone.localtime(d.starts_at).time() for d in drafts} == {time(9, 0)}
    assert {timezone.localtime(d.ends_at).time() for d in drafts} == {time(17, 0)}


def test_proposal_speaks_the_networks_language(world):
    world.network.language = "nb"
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    with translation.override("nb"):
        norwegian = str(standard_gathering(1).title)
    with translation.override("en"):
        english = str(standard_gathering(1).title)
    assert norwegian != english
    assert drafts[0].title == norwegian


def test_facilitator_schedules_four_gatherings_with_standard_agendas(
    client, world, english_network
):
    client.force_login(world.users["facilitator"])
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    response = client.post(
        reverse("network_schedule", args=[english_network.pk]),
        _post_data(drafts, **{"0-venue": "Alta kulturhus"}),
    )
    assert response.status_code == 302
    gatherings = list(english_network.gatherings.order_by("number"))
    assert [g.number for g in gatherings] == [1, 2, 3, 4]
    assert gatherings[0].venue == "Alta kulturhus"
    for gathering in gatherings:
        standard = standard_gathering(gathering.number)
        assert list(gathering.agenda.values_list("title", flat=True)) == [
            str(item.title) for item in standard.items
        ]
        training = sum(i.minutes for i in standard.items if i.kind != AgendaItem.Kind.BREAK)
        assert training == 435  # 7.25 hours: four gatherings make the seed's 28-29 hours


def _schedule_and_expect_error(client, world, network, overrides, field_key, message):
    client.force_login(world.users["facilitator"])
    drafts = sessions_selectors.schedule_proposal(network=network)
    data = _post_data(drafts, **overrides)
    response = client.post(reverse("network_schedule", args=[network.pk]), data)
    assert response.status_code == 200
    index, field = field_key
    errors = response.context["formset"].forms[index].errors[field]
    assert any(message in error for error in errors), errors
    assert not Gathering.objects.filter(network=network).exists()


def test_schedule_rejects_an_end_before_the_start(client, world, english_network):
    _schedule_and_expect_error(
        client,
        world,
        english_network,
        {"2-start_time": "15:00", "2-end_time": "11:00"},
        (2, "end_time"),
        "The gathering must end after it starts.",
    )


def test_schedule_rejects_a_gathering_out_of_order(client, world, english_network):
    _schedule_and_expect_error(
        client,
        world,
        english_network,
        {"1-date": "2010-08-30"},
        (1, "date"),
        "Gathering 2 must come after gathering 1",
    )


def test_schedule_rejects_an_overlap(client, world, english_network):
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    day = timezone.localtime(drafts[0].starts_at).date().isoformat()
    _schedule_and_expect_error(
        client,
        world,
        english_network,
        {"1-date": day, "1-start_time": "12:00", "1-end_time": "20:00"},
        (1, "date"),
        "This overlaps gathering 1",
    )


def test_schedule_rejects_a_day_too_short_for_the_agenda(client, world, english_network):
    _schedule_and_expect_error(
        client,
        world,
        english_network,
        {"0-end_time": "15:00"},
        (0, "end_time"),
        "The agenda takes 8 hours: the gathering would need to end at 17:00.",
    )


def test_shortening_a_gathering_checks_its_own_agenda(english_network):
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    first = services.gathering_schedule(network=english_network, drafts=drafts)[0]
    first.agenda.filter(kind=AgendaItem.Kind.BREAK).delete()  # 45 minutes freed
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    drafts[0].ends_at -= timedelta(minutes=45)
    services.gathering_schedule(network=english_network, drafts=drafts)  # fits exactly
    drafts[0].ends_at -= timedelta(minutes=5)
    with pytest.raises(ValidationError) as caught:
        services.gathering_schedule(network=english_network, drafts=drafts)
    assert "would need to end at 16:15" in caught.value.message_dict["ends_at"][0]


def test_schedule_rejects_a_fifth_gathering(client, world, english_network):
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    fifth = sessions_selectors.GatheringDraft(
        5, "Extra", drafts[3].starts_at.replace(month=8), drafts[3].ends_at.replace(month=8)
    )
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("network_schedule", args=[english_network.pk]), _post_data([*drafts, fifth])
    )
    errors = response.context["formset"].forms[4].errors["date"]
    assert errors == ["A network has four gatherings: this would be a fifth."]
    assert not Gathering.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "31.02.2011", "Enter a valid date."),
        ("start_time", "nine", "Enter a valid time."),
        ("title", "", "This field is required."),
    ],
)
def test_schedule_rejects_malformed_fields(client, world, english_network, field, value, message):
    _schedule_and_expect_error(
        client, world, english_network, {f"0-{field}": value}, (0, field), message
    )


def test_schedule_warns_about_a_short_programme_until_accepted(client, world, english_network):
    client.force_login(world.users["facilitator"])
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    short = {"1-date": "2010-09-15", "2-date": "2010-10-15", "3-date": "2010-11-15"}
    url = reverse("network_schedule", args=[english_network.pk])
    response = client.post(url, _post_data(drafts, **short))
    assert response.status_code == 200
    errors = response.context["accept"].errors["accept_warning"]
    assert "shorter than 6 months" in errors[0]
    assert not Gathering.objects.exists()
    # The accept box has no prefix: it belongs to the page, not a gathering.
    response = client.post(url, {**_post_data(drafts, **short), "accept_warning": "on"})
    assert response.status_code == 302
    assert english_network.gatherings.count() == 4


def test_moving_a_gathering_keeps_its_uid_and_raises_its_sequence(english_network):
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    first = services.gathering_schedule(network=english_network, drafts=drafts)[1]
    uid = first.uid
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    tz = timezone.get_default_timezone()
    drafts[1].starts_at = timezone.make_aware(datetime(2010, 12, 2, 10, 0), tz)
    drafts[1].ends_at = timezone.make_aware(datetime(2010, 12, 2, 18, 0), tz)
    services.gathering_schedule(network=english_network, drafts=drafts)
    moved = Gathering.objects.get(pk=first.pk)
    assert moved.uid == uid
    assert moved.sequence == 1
    assert timezone.localtime(moved.starts_at).hour == 10
    assert moved.agenda.count() == len(standard_gathering(2).items)  # the agenda stays


@pytest.mark.parametrize(
    ("role", "status"),
    [("chief_executive", 403), ("other_facilitator", 404), ("project_officer", 403)],
)
def test_only_the_facilitator_schedules(client, world, english_network, role, status):
    client.force_login(world.users[role])
    drafts = sessions_selectors.schedule_proposal(network=english_network)
    response = client.post(
        reverse("network_schedule", args=[english_network.pk]), _post_data(drafts)
    )
    assert response.status_code == status
    assert not Gathering.objects.exists()
