"""Draft, shared with the network, adopted: every move is recorded, adopting needs the date and
the decision's reference, and a refused move changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from strategies import services
from strategies.models import StatusChange, Strategy

from .helpers import snapshot

pytestmark = pytest.mark.django_db


def test_moves_back_and_forth_are_recorded_in_order(world, strategy):
    chief, staff = world.users["chief_executive"], world.users["municipal_staff"]
    day = timezone.localdate() - timedelta(days=3)

    services.strategy_set_status(strategy=strategy, status="shared", user=chief, note=" To all ")
    adopted = services.strategy_set_status(
        strategy=strategy,
        status="adopted",
        user=staff,
        adopted_on=day,
        decision_reference=" PS 45/11 ",
    )
    assert (adopted.status, adopted.adopted_on, adopted.decision_reference) == (
        "adopted",
        day,
        "PS 45/11",
    )
    services.strategy_set_status(strategy=strategy, status="shared", user=chief)

    assert list(
        StatusChange.objects.filter(strategy=strategy).values_list(
            "from_status", "to_status", "changed_by", "note"
        )
    ) == [
        ("draft", "shared", chief.pk, "To all"),
        ("shared", "adopted", staff.pk, ""),
        ("adopted", "shared", chief.pk, ""),
    ]
    strategy.refresh_from_db()
    assert (strategy.status, strategy.adopted_on, strategy.decision_reference) == (
        "shared",
        None,
        "",
    )


def test_status_page_moves_the_strategy_and_shows_the_history(client, world, strategy):
    chief = world.users["chief_executive"]
    client.force_login(chief)
    url = reverse("strategy_status", args=[strategy.pk])

    response = client.post(url, {"status": "shared", "note": "Til nettverket"})
    assert response.status_code == 302
    assert response.url == reverse("strategy_detail", args=[strategy.pk])
    response = client.post(
        url,
        {"status": "adopted", "adopted_on": "2011-06-14", "decision_reference": "PS 45/11"},
    )
    assert response.status_code == 302

    strategy.refresh_from_db()
    assert (strategy.status, str(strategy.adopted_on), strategy.decision_reference) == (
        "adopted",
        "2011-06-14",
        "PS 45/11",
    )
    page = client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert "Adopted 14 June 2011, decision PS 45/11" in page
    history = [
        (c.get_from_status_display(), c.get_to_status_display())
        for c in client.get(url).context["history"]
    ]
    assert history == [("Draft", "Shared with the network"), ("Shared with the network", "Adopted")]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"status": "adopted"},
            {
                "adopted_on": ["Give the date the council adopted the strategy."],
                "decision_reference": ["Give the reference of the council's decision."],
            },
        ),
        (
            {"status": "adopted", "adopted_on": "2011-06-14", "decision_reference": "  "},
            {"decision_reference": ["Give the reference of the council's decision."]},
        ),
        (
            {"status": "adopted", "decision_reference": "PS 45/11"},
            {"adopted_on": ["Give the date the council adopted the strategy."]},
        ),
        (
            {"status": "adopted", "adopted_on": "tomorrow", "decision_reference": "PS 45/11"},
            {"adopted_on": ["Enter a valid date."]},
        ),
    ],
)
def test_adopting_needs_a_date_and_a_decision(client, world, strategy, data, errors):
    client.force_login(world.users["chief_executive"])
    before = snapshot()

    response = client.post(reverse("strategy_status", args=[strategy.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert snapshot() == before


def test_adoption_date_cannot_be_in_the_future(client, world, strategy):
    client.force_login(world.users["chief_executive"])
    before = snapshot()
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        reverse("strategy_status", args=[strategy.pk]),
        {"status": "adopted", "adopted_on": tomorrow.isoformat(), "decision_reference": "PS 1/11"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "adopted_on": ["The adoption date cannot be in the future."]
    }
    assert snapshot() == before


def test_adoption_today_is_accepted(world, strategy):
    adopted = services.strategy_set_status(
        strategy=strategy,
        status="adopted",
        user=world.users["chief_executive"],
        adopted_on=timezone.localdate(),
        decision_reference="PS 2/11",
    )
    assert adopted.status == "adopted"


def test_same_status_is_refused_by_the_service(world, strategy):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.strategy_set_status(
            strategy=strategy, status="draft", user=world.users["chief_executive"]
        )
    assert caught.value.message_dict == {"status": ["The strategy is already draft."]}
    assert snapshot() == before


def test_same_status_is_not_offered_and_refused_by_the_form(client, world, strategy):
    client.force_login(world.users["chief_executive"])
    url = reverse("strategy_status", args=[strategy.pk])
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == ["shared", "adopted"]
    before = snapshot()

    response = client.post(url, {"status": "draft"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "status": ["Select a valid choice. draft is not one of the available choices."]
    }
    assert snapshot() == before


def test_unknown_status_is_refused_by_the_service(world, strategy):
    with pytest.raises(ValidationError) as caught:
        services.strategy_set_status(
            strategy=strategy, status="archived", user=world.users["chief_executive"]
        )
    assert caught.value.message_dict == {"status": ["Choose draft, shared or adopted."]}
    assert Strategy.objects.get().status == "draft"


def test_adoption_date_cannot_be_before_the_network_started(client, world, strategy):
    client.force_login(world.users["chief_executive"])
    before = snapshot()
    day_before = world.network.planned_start - timedelta(days=1)
    response = client.post(
        reverse("strategy_status", args=[strategy.pk]),
        {"status": "adopted", "adopted_on": day_before.isoformat(), "decision_reference": "PS"},
    )
    assert response.status_code == 200
    started = date_format(world.network.planned_start, "DATE_FORMAT")
    assert response.context["form"].errors == {
        "adopted_on": [f"The adoption date is before the network started ({started})."]
    }
    assert snapshot() == before


def test_status_history_keeps_each_adoption(client, world, strategy):
    chief = world.users["chief_executive"]
    first, second = world.network.planned_start, timezone.localdate()
    for adopted_on, reference in ((first, "PS 1/11"), (second, "PS 9/12")):
        services.strategy_set_status(
            strategy=strategy,
            status="adopted",
            user=chief,
            adopted_on=adopted_on,
            decision_reference=reference,
        )
        services.strategy_set_status(strategy=strategy, status="shared", user=chief)
    adoptions = strategy.status_changes.filter(to_status="adopted").order_by("pk")
    assert list(adoptions.values_list("adopted_on", "decision_reference")) == [
        (first, "PS 1/11"),
        (second, "PS 9/12"),
    ]
    client.force_login(chief)
    page = client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert f"adopted {date_format(first, 'DATE_FORMAT')}, decision PS 1/11" in page
