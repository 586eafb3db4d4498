"""The source sees who took its practice up: on its action plan, a measure published as a
practice says so, links the practice, and names the municipalities that adopted it with their
countries; strategies asks community through its hook (``strategies/hooks.py``), in one query
for the whole plan, so the plan's queries stay flat."""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import services as community_services
from networks.models import Role
from networks.rules import role_scopes
from strategies import hooks
from strategies import services as strategy_services
from tests import factories as f

pytestmark = pytest.mark.django_db


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _row(html: str, measure) -> str:
    match = re.search(rf'<tr id="measure-{measure.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, measure
    return match.group(1)


def _uptake(html: str, measure) -> str:
    match = re.search(
        r'<span class="small measure-practice">(.*?)</span>\s*</th>', _row(html, measure), re.S
    )
    return _text(match.group(1)) if match else ""


def _shared(network, municipality, chief):
    strategy = strategy_services.strategy_start(
        network=network, municipality=municipality, user=chief
    )
    strategy_services.strategy_set_status(strategy=strategy, status="shared", user=chief)
    strategy.refresh_from_db()  # the service moved a copy of the row
    return strategy


def _published(strategy, chief, title):
    measure = strategy_services.measure_save(
        strategy=strategy, data={"title": title, "status": "done"}
    )
    practice = community_services.practice_publish(
        measure=measure, data={"title": title, "what": f"{title}: what was done."}, user=chief
    )
    return measure, practice


def _adopter(programme, name, country=("NO", "Norway")):
    """A municipality of another network of the programme, its chief executive and plan."""
    municipality = f.MunicipalityFactory(
        name=name,
        region=f.RegionFactory(country=f.CountryFactory(code=country[0], name=country[1])),
    )
    network = f.NetworkFactory(programme=programme, members=[municipality])
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
    strategy = strategy_services.strategy_start(
        network=network, municipality=municipality, user=chief
    )
    return chief, strategy


@pytest.fixture
def uptake(world):
    """Alta shares its plan: one measure published and taken up by Évora and Bodø, one
    published and not taken up, one never published."""
    chief = world.users["chief_executive"]
    world.strategy = _shared(world.network, world.municipality, chief)
    world.adopted, world.practice = _published(world.strategy, chief, "Selvbetjening")
    world.lonely, world.lonely_practice = _published(world.strategy, chief, "Superbrukere")
    world.plain = strategy_services.measure_save(
        strategy=world.strategy, data={"title": "Ikke publisert", "status": "planned"}
    )
    for name, country in (("Évora", ("PT", "Portugal")), ("Bodø", ("NO", "Norway"))):
        adopter, plan = _adopter(world.programme, name, country)
        community_services.practice_adopt(practice=world.practice, strategy=plan, user=adopter)
    return world


def _plan(client, user, strategy):
    client.force_login(user)
    response = client.get(reverse("action_plan", args=[strategy.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_source_sees_who_took_its_practice_up(client, uptake):
    html = _plan(client, uptake.users["chief_executive"], uptake.strategy)
    assert _uptake(html, uptake.adopted) == (
        "Published as a practice: Selvbetjening · Taken up by 2: Bodø (Norway), Évora (Portugal)"
    )
    assert _uptake(html, uptake.lonely) == (
        "Published as a practice: Superbrukere · not taken up yet"
    )
    assert _uptake(html, uptake.plain) == ""
    link = reverse("practice_detail", kwargs={"pk": uptake.practice.pk})
    assert f'<a href="{link}">Published as a practice' in _row(html, uptake.adopted)


def test_the_network_reads_the_uptake_on_a_shared_plan_and_countries_in_their_language(
    client, uptake
):
    html = _plan(client, uptake.users["neighbour_chief_executive"], uptake.strategy)
    assert "Taken up by 2: Bodø (Norway), Évora (Portugal)" in _uptake(html, uptake.adopted)
    client.force_login(uptake.users["chief_executive"])
    response = client.get(
        reverse("action_plan", args=[uptake.strategy.pk]), headers={"accept-language": "pt"}
    )
    # Country names follow the reader's language (networks.countries), whatever the catalogue.
    text = _uptake(response.content.decode(), uptake.adopted)
    assert "Évora (Portugal)" in text
    assert "Bodø (Noruega)" in text or "Bodø (Norway)" in text


def test_a_merged_practice_is_no_longer_shown_on_its_source(client, uptake):
    other = _shared(uptake.other_network, uptake.other_municipality,
                    uptake.users["other_chief_executive"])  # fmt: skip
    _measure, target = _published(other, uptake.users["other_chief_executive"], "Målrettet")
    community_services.practice_merge(
        practice=uptake.lonely_practice, into=target, user=uptake.users["staff"]
    )
    html = _plan(client, uptake.users["chief_executive"], uptake.strategy)
    assert _uptake(html, uptake.lonely) == ""


def test_the_hook_answers_the_whole_plan_in_one_query(uptake):
    ids = [uptake.adopted.pk, uptake.lonely.pk, uptake.plain.pk]
    user = uptake.users["chief_executive"]
    role_scopes(user)  # read once a request, before the plan asks
    with CaptureQueriesContext(connection) as queries:
        answer = hooks.measure_practices(user=user, measure_ids=ids)
    assert len(queries) == 1
    assert set(answer) == {uptake.adopted.pk, uptake.lonely.pk}


def _count(client, user, strategy) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("action_plan", args=[strategy.pk])).status_code == 200
    return len(queries)


def test_the_plan_queries_do_not_grow_with_practices_and_adoptions(client, world):
    chief = world.users["chief_executive"]
    strategy = _shared(world.network, world.municipality, chief)
    adopters = [_adopter(world.programme, f"Adopter {n}") for n in range(3)]

    def grow(count):
        for n in range(count):
            _measure, practice = _published(
                strategy, chief, f"Practice {strategy.measures.count()} {n}"
            )
            for adopter, plan in adopters[: 1 + n % 3]:
                community_services.practice_adopt(practice=practice, strategy=plan, user=adopter)

    grow(2)
    small = _count(client, chief, strategy)
    grow(4)
    large = _count(client, chief, strategy)
    assert strategy.practices.count() == 6
    assert small == large


@pytest.mark.parametrize("who", ["other_officer", "no_role"])
def test_the_hook_tells_nothing_to_whoever_may_not_read_the_practice(uptake, who):
    user = uptake.users[who]
    assert hooks.measure_practices(user=user, measure_ids=[uptake.adopted.pk]) == {}


def test_a_draft_plans_practice_is_shown_to_its_own_people_only(client, world):
    chief = world.users["chief_executive"]
    draft = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    measure, _practice = _published(draft, chief, "Utkast")
    # The mayor reads the draft plan and its practice; the neighbour reads neither.
    assert "Published as a practice" in _uptake(_plan(client, world.users["mayor"], draft), measure)
    neighbour = world.users["neighbour_chief_executive"]
    assert hooks.measure_practices(user=neighbour, measure_ids=[measure.pk]) == {}


def test_the_plans_button_edits_a_published_measures_practice(client, uptake):
    """A measure already in the library offers to edit its practice, not to publish it again."""
    html = _plan(client, uptake.users["chief_executive"], uptake.strategy)
    for measure, label in [
        (uptake.adopted, "Edit the practice"),
        (uptake.lonely, "Edit the practice"),
        (uptake.plain, "Publish as a practice"),
    ]:
        publish = reverse("practice_publish_measure", args=[measure.pk])
        button = re.search(rf'<a [^>]*href="{publish}">(.*?)<span', _row(html, measure), re.S)
        assert button, measure.title
        assert _text(button.group(1)) == label, measure.title


def test_the_librarys_labels_start_with_a_capital_in_every_language(client, uptake):
    """ "DLA priority" is also the model's lower-case name, so its translations are too: the
    library's filter and the practice's facts capitalise it."""
    from django.utils import translation
    from django.utils.text import capfirst
    from django.utils.translation import gettext

    uptake.practice.dla_priorities.add(f.DlaPriorityFactory())
    client.force_login(uptake.users["chief_executive"])
    for language in ("pt", "es", "it"):
        with translation.override(language):
            one, many = capfirst(gettext("DLA priority")), capfirst(gettext("DLA priorities"))
        listing = client.get(reverse("practice_list"), headers={"accept-language": language})
        assert f">{one}</label>" in _text_keep_tags(listing.content.decode()), language
        detail = client.get(
            reverse("practice_detail", args=[uptake.practice.pk]),
            headers={"accept-language": language},
        )
        assert f"<dt>{many}</dt>" in detail.content.decode(), language


def _text_keep_tags(html: str) -> str:
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", htmllib.unescape(html))
