"""Training hours read as hours and minutes, in the reader's language; stored values unchanged."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cemsdi_portal.core.numbers import format_hours, format_minutes
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from sessions_app.models import AgendaItem


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (Decimal("7.25"), "7 h 15 min"),
        (Decimal("7.00"), "7 h"),
        (Decimal("0.75"), "45 min"),
        (Decimal("0"), "0 h"),
        (Decimal("1234.50"), "1,234 h 30 min"),
        (None, "–"),
    ],
)
def test_format_hours_in_english(hours, text):
    with translation.override("en"):
        assert format_hours(hours) == text


def test_format_hours_groups_thousands_as_norwegian_does():
    with translation.override("nb"):
        # The unit is the catalogue's ("t" for timer); the number is grouped the Norwegian way.
        assert format_hours(Decimal("1234.50")).startswith("1\xa0234 ")


def test_format_minutes_of_a_standard_agenda():
    with translation.override("en"):
        assert format_minutes(435) == "7 h 15 min"
        assert format_minutes(None) == "–"


def test_network_gatherings_show_training_hours_not_minutes(client, world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    first = sessions_services.gathering_schedule(network=world.network, drafts=drafts)[0]
    AgendaItem.objects.filter(gathering=first).update(duration_minutes=25)
    client.force_login(world.users["facilitator"])

    html = client.get(reverse("network_gatherings", args=[world.network.pk])).content.decode()

    # Six training items of 25 minutes in the first gathering: 150 minutes.
    assert '<td class="text-end" data-label="Training hours">2 h 30 min</td>' in html
    assert "150 min" not in html
    assert AgendaItem.objects.filter(gathering=first).first().duration_minutes == 25
