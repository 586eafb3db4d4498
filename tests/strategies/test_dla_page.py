"""What the Digital Local Agenda's codes mean: the page every DLA badge links to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategies.dla import NAMES, SOURCE
from strategies.models import DlaPriority
from tests import factories as f

from .helpers import start


def test_dla_page_explains_each_priority_with_its_source(client, world):
    client.force_login(world.users["chief_executive"])

    html = client.get(reverse("dla_priorities")).content.decode()

    first = DlaPriority.objects.get(code="DLA1")
    assert '<section class="mb-3" id="dla-DLA1" aria-labelledby="dla-DLA1-heading">' in html
    assert (
        '<span class="badge text-bg-light border me-1">DLA1</span> '
        "Inclusive eGovernment for the socially disadvantaged</h3>"
    ) in html
    assert f'<p class="mb-1">{first.description}</p>' in html
    assert f"Source: {SOURCE}" in html.replace("&#x27;", "'")
    assert '<h2 class="h4 mt-4" id="dla-status">' in html


def test_dla_page_in_norwegian_names_the_priorities_in_norwegian(client, world):
    client.force_login(world.users["chief_executive"])
    client.cookies["django_language"] = "nb"

    html = client.get(reverse("dla_priorities")).content.decode()

    assert "Inkluderende digitale tjenester for utsatte grupper</h3>" in html


def test_dla_page_is_for_signed_in_people(client, world):
    response = client.get(reverse("dla_priorities"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_strategy_badges_link_to_what_the_code_means(client, world):
    strategy = start(world, user=world.users["chief_executive"])
    section = strategy.sections.first()
    section.body = "Tekst."
    section.save()
    section.dla_priorities.set([DlaPriority.objects.get(code="DLA3")])
    client.force_login(world.users["chief_executive"])

    html = client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()

    assert (
        '<a class="badge text-bg-light border ms-1 dla-badge" href="/dla/#dla-DLA3">'
        '<abbr title="Competence of civil servants in ICT and ICT-enabled services">DLA3</abbr>'
        '<span class="visually-hidden">: Competence of civil servants in ICT and ICT-enabled '
        "services</span></a>"
    ) in html


def test_network_overview_links_to_the_explanation(client, world):
    client.force_login(world.users["facilitator"])
    html = client.get(reverse("network_strategies", args=[world.network.pk])).content.decode()
    assert '<a href="/dla/">What the Digital Local Agenda and its priorities are</a>' in html


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dla_priorities"))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_dla_page_queries_do_not_grow_with_priorities(client, world):
    client.force_login(world.users["chief_executive"])
    f.DlaGoalFactory(priority=f.DlaPriorityFactory())
    small = _queries(client)
    for _ in range(3):
        priority = f.DlaPriorityFactory()
        f.DlaGoalFactory.create_batch(3, priority=priority)
    assert _queries(client) == small


@pytest.mark.parametrize("language", ["pt", "es", "it"])
def test_dla_page_names_the_priorities_in_the_readers_language_else_english(
    client, world, language
):
    goal = f.DlaGoalFactory(
        priority=DlaPriority.objects.get(code="DLA2"), code="G1", text_en="Online forms first"
    )
    translated = f.DlaGoalFactory(
        priority=goal.priority, code="G2", text_en="One answer", **{f"text_{language}": "✓ G2"}
    )
    client.force_login(world.users["chief_executive"])
    client.cookies["django_language"] = language

    html = client.get(reverse("dla_priorities")).content.decode()

    for code in ("DLA1", "DLA2", "DLA3", "DLA4", "DLA5"):
        assert f"{NAMES[code][language]}</h3>".replace("'", "&#x27;") in html
    assert f"<strong>{goal.code}</strong> Online forms first</li>" in html
    assert f"<strong>{translated.code}</strong> ✓ G2</li>" in html
