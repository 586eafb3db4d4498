"""The agenda edited in place (htmx): add, edit, reorder, remove; times follow the order."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sessions_app import selectors, services
from sessions_app import selectors as sessions_selectors
from sessions_app.models import AgendaItem

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def gathering(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    return services.gathering_schedule(network=world.network, drafts=drafts)[0]


def _titles(gathering):
    return list(gathering.agenda.order_by("position").values_list("title", flat=True))


def _starts(gathering):
    rows = selectors.agenda_rows(gathering, list(gathering.agenda.order_by("position")))
    return [timezone.localtime(row.starts).strftime("%H:%M") for row in rows]


def test_agenda_times_follow_order_and_durations(gathering):
    items = list(gathering.agenda.order_by("position"))
    starts = _starts(gathering)
    assert starts[0] == "09:00"
    moment = 9 * 60
    expected = []
    for item in items:
        expected.append(f"{moment // 60:02d}:{moment % 60:02d}")
        moment += item.duration_minutes
    assert starts == expected


def test_edit_in_place_returns_the_agenda_with_the_row_as_a_form(client, world, gathering):
    client.force_login(world.users["facilitator"])
    item = gathering.agenda.order_by("position")[1]
    response = client.get(reverse("agenda_item_edit", args=[item.pk]), headers=HTMX)
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="agenda"')  # a fragment, not a page
    assert f'data-hx-post="{reverse("agenda_item_edit", args=[item.pk])}"' in page
    assert f'value="{escape(item.title)}"' in page


def test_editing_a_duration_moves_the_later_items(client, world, gathering):
    client.force_login(world.users["facilitator"])
    first = gathering.agenda.order_by("position")[0]
    before = _starts(gathering)
    response = client.post(
        reverse("agenda_item_edit", args=[first.pk]),
        {
            "edit-title": "Velkommen",
            "edit-kind": "plenary",
            "edit-duration_minutes": 20,
            "edit-speaker": "Kari",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Velkommen" in response.content.decode()
    first.refresh_from_db()
    assert (first.title, first.duration_minutes, first.speaker) == ("Velkommen", 20, "Kari")
    after = _starts(gathering)
    assert after[0] == before[0] == "09:00"
    assert before[1] == "09:30"
    assert after[1] == "09:20"  # ten minutes earlier, as the opening is ten minutes shorter


def test_adding_an_item_appends_it(client, world, gathering, django_capture_on_commit_callbacks):
    client.force_login(world.users["facilitator"])
    gathering.agenda.filter(kind=AgendaItem.Kind.PLENARY).last().delete()  # make room
    response = client.post(
        reverse("agenda_item_add", args=[gathering.pk]),
        {"title": "Spørsmål og svar", "kind": "plenary", "duration_minutes": 30, "speaker": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert _titles(gathering)[-1] == "Spørsmål og svar"


def test_an_item_that_runs_past_the_end_is_refused_on_its_field(client, world, gathering):
    client.force_login(world.users["facilitator"])
    before = _titles(gathering)
    response = client.post(
        reverse("agenda_item_add", args=[gathering.pk]),
        {"title": "Extra", "kind": "lecture", "duration_minutes": 60, "speaker": ""},
        headers=HTMX,
    )
    errors = response.context["agenda_form"].errors["duration_minutes"]
    assert errors == [
        "The agenda would run 60 minutes past the gathering's end (17:00). "
        "Shorten an item or move the end."
    ]
    assert "The agenda would run 60 minutes past" in response.content.decode()
    assert _titles(gathering) == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "kind": "lecture", "duration_minutes": 30}, "title", "required"),
        ({"title": "X", "kind": "dance", "duration_minutes": 30}, "kind", "valid choice"),
        (
            {"title": "X", "kind": "lecture", "duration_minutes": 0},
            "duration_minutes",
            "greater than or equal to 5",
        ),
        (
            {"title": "X", "kind": "lecture", "duration_minutes": "half an hour"},
            "duration_minutes",
            "whole number",
        ),
    ],
)
def test_bad_agenda_input_is_refused_on_the_field(client, world, gathering, data, field, message):
    client.force_login(world.users["facilitator"])
    before = _titles(gathering)
    response = client.post(reverse("agenda_item_add", args=[gathering.pk]), data, headers=HTMX)
    assert any(message in e for e in response.context["agenda_form"].errors[field])
    assert _titles(gathering) == before


def test_moving_an_item_swaps_it_with_its_neighbour(client, world, gathering):
    client.force_login(world.users["facilitator"])
    titles = _titles(gathering)
    second = gathering.agenda.order_by("position")[1]
    client.post(reverse("agenda_item_move", args=[second.pk, "up"]), headers=HTMX)
    assert _titles(gathering) == [titles[1], titles[0], *titles[2:]]
    client.post(reverse("agenda_item_move", args=[second.pk, "down"]), headers=HTMX)
    assert _titles(gathering) == titles
    first = gathering.agenda.order_by("position")[0]
    client.post(reverse("agenda_item_move", args=[first.pk, "up"]), headers=HTMX)
    assert _titles(gathering) == titles  # the first stays first


def test_removing_an_item(client, world, gathering):
    client.force_login(world.users["facilitator"])
    titles = _titles(gathering)
    item = gathering.agenda.order_by("position")[2]
    response = client.post(reverse("agenda_item_delete", args=[item.pk]), headers=HTMX)
    assert response.status_code == 200
    assert _titles(gathering) == titles[:2] + titles[3:]


def test_without_htmx_the_forms_post_back_to_the_page(client, world, gathering):
    client.force_login(world.users["facilitator"])
    item = gathering.agenda.order_by("position")[1]
    response = client.post(reverse("agenda_item_move", args=[item.pk, "up"]))
    assert response.status_code == 302
    assert response.url == reverse("gathering_detail", args=[gathering.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [("chief_executive", 403), ("project_officer", 403), ("other_facilitator", 404)],
)
def test_only_the_facilitator_edits_the_agenda(client, world, gathering, role, status):
    client.force_login(world.users[role])
    item = gathering.agenda.order_by("position")[1]
    titles = _titles(gathering)
    for url, data in [
        (
            reverse("agenda_item_edit", args=[item.pk]),
            {"title": "Hacked", "kind": "lecture", "duration_minutes": 30},
        ),
        (reverse("agenda_item_move", args=[item.pk, "up"]), {}),
        (reverse("agenda_item_delete", args=[item.pk]), {}),
        (
            reverse("agenda_item_add", args=[gathering.pk]),
            {"title": "Hacked", "kind": "lecture", "duration_minutes": 5},
        ),
    ]:
        assert client.post(url, data, headers=HTMX).status_code == status
    assert _titles(gathering) == titles
