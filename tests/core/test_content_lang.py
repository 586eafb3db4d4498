"""Text people wrote carries its language (WCAG 3.1.2): a strategy's text, a gathering's
title, an agenda item, an assignment, a notice's words are marked with ``lang`` inside a page of
another language, on the element that holds them, and not in a page of their own language."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cemsdi_portal.core.content_lang import in_language, lang_attr
from cemsdi_portal.core.models import AuditEntry
from strategies import services as strategy_services
from strategies.models import Measure, Strategy
from tests import factories as f
from tests.strategies.helpers import parse, section, start, write

from .langs import page_lang, texts

pytestmark = pytest.mark.django_db

BODY = "Kommunen samarbeider med nabokommunene om digitale tjenester."
MEASURE = "Felles innbyggerportal"


def _page(client, user, language, url):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert page_lang(html) == language
    return html


@pytest.fixture
def norwegian(world):
    """Alta's strategy, written in Norwegian (its network's working language), with a section
    and a measure."""
    chief = world.users["chief_executive"]
    assert world.network.language == "nb"
    strategy = start(world, user=chief)
    write(section(strategy), chief, BODY)
    strategy_services.measure_save(
        strategy=strategy, data={"title": MEASURE, "status": "planned", "progress": 0}
    )
    return strategy


def test_the_mark_is_written_only_for_another_language():
    with translation.override("en"):
        assert lang_attr("nb") == ' lang="nb"'
        assert lang_attr("en") == ""
        assert lang_attr("") == ""
        assert in_language("<b>Før</b>", "nb") == '<span lang="nb">&lt;b&gt;Før&lt;/b&gt;</span>'
        assert in_language("<b>", "en") == "&lt;b&gt;"
    with translation.override("nb"):
        assert lang_attr("nb") == ""
        assert lang_attr("it") == ' lang="it"'


def test_a_strategy_starts_in_its_networks_working_language(world):
    world.network.language = "pt"
    world.network.save(update_fields=["language"])
    strategy = start(world, user=world.users["chief_executive"])
    assert strategy.language == "pt"
    strategy.refresh_from_db()
    assert strategy.language == "pt"


def test_existing_strategies_take_their_networks_language_in_the_migration(world):
    other = f.StrategyFactory(network=world.other_network, municipality=world.other_municipality)
    world.other_network.language = "es"
    world.other_network.save(update_fields=["language"])
    Strategy.objects.update(language="en")
    migration = importlib.import_module("strategies.migrations.0007_strategy_language")
    migration.from_network(apps, None)
    other.refresh_from_db()
    assert other.language == "es"


def test_an_english_page_marks_the_norwegian_strategy_on_its_own_elements(client, world, norwegian):
    chief = world.users["chief_executive"]
    html = _page(client, chief, "en", reverse("strategy_detail", args=[norwegian.pk]))
    (title,) = [t for t in texts(html, norwegian.title) if t.tag == "h1"]
    assert title.own_lang == "nb"
    heading = section(norwegian).title
    assert [t.own_lang for t in texts(html, heading) if t.tag == "h2"] == ["nb"]
    (body,) = texts(html, BODY)
    assert (body.tag, body.lang, body.marked_by) == ("p", "nb", "div")
    # The page's own words stay in the page's language.
    for ui in ("Progress of the action plan", "Action plan", "Sections", "Edit"):
        assert all(t.lang is None for t in texts(html, ui)), ui

    plan = _page(client, chief, "en", reverse("action_plan", args=[norwegian.pk]))
    assert [(t.tag, t.own_lang) for t in texts(plan, MEASURE) if t.tag == "strong"] == [
        ("strong", "nb")
    ]


def test_the_same_page_in_norwegian_does_not_mark_it(client, world, norwegian):
    chief = world.users["chief_executive"]
    html = _page(client, chief, "nb", reverse("strategy_detail", args=[norwegian.pk]))
    for words in (norwegian.title, section(norwegian).title, BODY):
        assert all(t.lang is None for t in texts(html, words)), words
    assert f'<div class="strategy-text"><p>{BODY}</p>' in html
    plan = _page(client, chief, "nb", reverse("action_plan", args=[norwegian.pk]))
    assert all(t.lang is None for t in texts(plan, MEASURE))


def test_a_norwegian_gathering_in_an_italian_page_is_marked(client, world):
    gathering = f.GatheringFactory(network=world.network, title="Samling om digital strategi")
    f.AgendaItemFactory(gathering=gathering, title="Velkommen og innledning")
    f.AssignmentFactory(gathering=gathering, title="Skriv utkast til strategien")
    chief = world.users["chief_executive"]
    html = _page(client, chief, "it", reverse("gathering_detail", args=[gathering.pk]))
    found = [t for t in texts(html, gathering.title) if t.tag == "span"]
    assert found
    assert all(t.own_lang == "nb" for t in found)
    assert [t.own_lang for t in texts(html, "Velkommen og innledning") if t.tag == "span"] == ["nb"]
    assert [t.own_lang for t in texts(html, "Skriv utkast til strategien") if t.tag == "h3"] == [
        "nb"
    ]
    listing = _page(client, chief, "it", reverse("network_gatherings", args=[world.network.pk]))
    assert [t.own_lang for t in texts(listing, gathering.title)] == ["nb"]


def test_home_marks_notices_assignments_and_measures_in_their_language(client, world, norwegian):
    chief = world.users["chief_executive"]
    f.NoticeFactory(
        recipient=chief, language="nb", about="Informasjonssikkerhet (Alta)", excerpt="Godt skrevet"
    )
    gathering = f.GatheringFactory(network=world.network, title="Andre samling")
    f.AssignmentFactory(gathering=gathering, title="Kartlegg tjenestene")
    measure = Measure.objects.get(strategy=norwegian)
    measure.owner = chief
    measure.save(update_fields=["owner"])
    html = _page(client, chief, "it", reverse("home"))
    for words, tag in [
        ("Informasjonssikkerhet (Alta)", "span"),
        ("Godt skrevet", "span"),
        ("Andre samling", "span"),
        ("Kartlegg tjenestene", "a"),
        (MEASURE, "a"),
    ]:
        assert [(t.tag, t.own_lang) for t in texts(html, words)] == [(tag, "nb")], words
    notices = _page(client, chief, "it", reverse("notices"))
    assert [t.own_lang for t in texts(notices, "Informasjonssikkerhet (Alta)")] == ["nb"]
    assert [t.own_lang for t in texts(notices, "Godt skrevet")] == ["nb"]


def test_the_chief_executive_changes_the_strategys_language(client, world, norwegian):
    chief = world.users["chief_executive"]
    client.force_login(chief)
    url = reverse("strategy_edit", args=[norwegian.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"language": "en"})
    assert response.status_code == 302
    norwegian.refresh_from_db()
    assert norwegian.language == "en"
    entry = AuditEntry.objects.filter(model="strategies.strategy", object_id=str(norwegian.pk))
    assert entry.latest("pk").changes == {"language": ["nb", "en"]}
    html = client.get(reverse("strategy_detail", args=[norwegian.pk])).content.decode()
    assert all(t.lang is None for t in texts(html, BODY))


def test_a_language_that_is_not_the_portals_is_refused_and_changes_nothing(
    client, world, norwegian
):
    client.force_login(world.users["chief_executive"])
    response = client.post(reverse("strategy_edit", args=[norwegian.pk]), {"language": "xx"})
    assert response.status_code == 200
    assert "Language of the text" in response.content.decode()
    assert response.context["form"].errors["language"]
    norwegian.refresh_from_db()
    assert norwegian.language == "nb"


def test_the_mayor_may_not_change_the_language(client, world, norwegian):
    client.force_login(world.users["mayor"])
    response = client.post(reverse("strategy_edit", args=[norwegian.pk]), {"language": "en"})
    assert response.status_code == 403
    norwegian.refresh_from_db()
    assert norwegian.language == "nb"


def _home_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_home_queries_stay_flat_as_marked_assignments_grow(client, world):
    chief = world.users["chief_executive"]
    client.force_login(chief)
    gathering = f.GatheringFactory(network=world.network)
    f.AssignmentFactory(gathering=gathering)
    one = _home_queries(client, chief)
    for number in (2, 3, 4):
        f.AssignmentFactory(gathering=f.GatheringFactory(network=world.network, number=number))
    assert _home_queries(client, chief) == one


def _strategy_queries(client, strategy) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("strategy_detail", args=[strategy.pk])).status_code == 200
        assert client.get(reverse("action_plan", args=[strategy.pk])).status_code == 200
    return len(queries)


def test_strategy_pages_queries_stay_flat_as_marked_measures_grow(client, world, norwegian):
    client.force_login(world.users["chief_executive"])
    one = _strategy_queries(client, norwegian)
    for title in ("Digital postkasse", "Felles saksbehandling", "Åpne data"):
        strategy_services.measure_save(
            strategy=norwegian, data={"title": title, "status": "planned", "progress": 0}
        )
    assert _strategy_queries(client, norwegian) == one


def test_the_fields_people_write_in_say_the_strategys_language(client, world, norwegian):
    chief = world.users["chief_executive"]
    url = reverse("section_edit", args=[section(norwegian).pk])
    english = parse(_page(client, chief, "en", url))
    (body,) = [a for tag, a in english.tags if tag == "textarea" and a.get("name") == "body"]
    assert body["lang"] == "nb"
    measure = Measure.objects.get(strategy=norwegian)
    form = parse(_page(client, chief, "en", reverse("measure_edit", args=[measure.pk])))
    marked = {a["name"]: a.get("lang") for tag, a in form.tags if tag in ("input", "textarea")}
    assert (marked["title"], marked["description"], marked["expected_benefit"]) == ("nb",) * 3
    assert marked["due_on"] is None
    norwegian_page = parse(_page(client, chief, "nb", url))
    (body,) = [a for tag, a in norwegian_page.tags if tag == "textarea" and a.get("name") == "body"]
    assert "lang" not in body
