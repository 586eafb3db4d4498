"""An adopted strategy's text is closed, decided once (strategies.rules.text_open) and asked by
the page, the services and the PDF."""

import pytest
from django.urls import reverse

from strategies import rules as perms
from strategies import services
from strategies.models import Section

from .helpers import snapshot, start

pytestmark = pytest.mark.django_db

CLOSED_NOTICE = "The strategy is adopted: its text is the one the council adopted."


@pytest.mark.parametrize(
    ("status", "is_open"), [("draft", True), ("shared", True), ("adopted", False)]
)
def test_text_open_by_status(world, status, is_open):
    assert perms.text_open(start(world, status=status)) is is_open


def test_the_adopted_notice_is_shown_to_editors_while_the_text_is_closed(client, world):
    strategy = start(world, status="adopted")
    url = reverse("strategy_detail", args=[strategy.pk])
    client.force_login(world.users["chief_executive"])
    assert CLOSED_NOTICE in client.get(url).content.decode()
    client.force_login(world.users["neighbour_chief_executive"])  # a reader: no notice
    assert CLOSED_NOTICE not in client.get(url).content.decode()
    services.strategy_set_status(strategy=strategy, status="shared", user=None)
    client.force_login(world.users["chief_executive"])
    assert CLOSED_NOTICE not in client.get(url).content.decode()


def test_adding_a_section_to_an_adopted_strategy_is_refused_with_the_reason(client, world):
    strategy = start(world, status="adopted")
    client.force_login(world.users["chief_executive"])
    before = snapshot()
    response = client.post(
        reverse("section_add", args=[strategy.pk]), {"title": "Egen del"}, follow=True
    )
    assert response.redirect_chain == [(reverse("strategy_detail", args=[strategy.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The strategy is adopted: move it back to shared to change its text."
    ]
    assert snapshot() == before
    assert not strategy.sections.filter(kind=Section.Kind.OWN).exists()


def test_an_administrator_is_offered_no_edit_of_an_adopted_text(client, world):
    """A superuser's has_perm says yes to anything; the closed text is asked as itself."""
    strategy = start(world, status="adopted")
    section = strategy.sections.first()
    client.force_login(world.users["staff"])
    page = client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert reverse("section_edit", args=[section.pk]) not in page
    assert reverse("section_add", args=[strategy.pk]) not in page
    assert CLOSED_NOTICE in page
    before = snapshot()
    response = client.post(
        reverse("section_edit", args=[section.pk]), {"body": "Endret.", "version": 0}
    )
    assert response.status_code == 302
    assert snapshot() == before
