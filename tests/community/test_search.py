"""Words are searched with each language's stemming on PostgreSQL, and simply on SQLite."""

import pytest
from django.db import connection

from community import selectors, services
from community.models import Practice

from .. import factories as f
from .scene import publish_data

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search with stemming on PostgreSQL"
)


@pytest.fixture
def two_languages(scene):
    norwegian = services.practice_publish(
        measure=scene.measure,
        data=publish_data(
            title="Digital post", what="Kommunene innførte digital post for tjenestene."
        ),
        user=scene.users["alta_chief"],
    )
    measure = f.MeasureFactory(strategy=scene.evora_strategy, title="Balcão único", status="done")
    portuguese = services.practice_publish(
        measure=measure,
        data=publish_data(
            title="Balcão único",
            what="Os municípios digitalizaram os serviços de atendimento.",
            why="",
            benefit="",
        ),
        user=scene.users["evora_chief"],
    )
    return norwegian, portuguese


def _found(user, words):
    return list(selectors.library_practices(user=user, wanted=selectors.LibraryFilter(words=words)))


@needs_postgresql
def test_a_norwegian_practice_is_found_by_an_inflected_word(scene, two_languages):
    norwegian, _portuguese = two_languages
    practice = Practice.objects.get(pk=norwegian.pk)
    assert practice.search_config == "norwegian"
    assert practice.search_vector
    # "kommune" is not in the text: "kommunene" (the municipalities) is.
    assert "kommune " not in practice.what.lower()
    assert _found(scene.users["evora_chief"], "kommune") == [norwegian]
    assert _found(scene.users["evora_chief"], "tjeneste") == [norwegian]  # "tjenestene"


@needs_postgresql
def test_a_portuguese_practice_is_found_by_its_own_inflection(scene, two_languages):
    _norwegian, portuguese = two_languages
    # "município" and "serviço" stand in the text only in the plural.
    assert _found(scene.users["alta_chief"], "município serviço") == [portuguese]
    assert _found(scene.users["alta_chief"], "digitalizar") == [portuguese]


@needs_postgresql
def test_the_title_ranks_above_the_text(scene, two_languages):
    norwegian, _ = two_languages
    measure = f.MeasureFactory(strategy=scene.strategy, title="Post", status="done")
    other = services.practice_publish(
        measure=measure,
        data=publish_data(title="Velferdsteknologi", what="Post om digital post og post."),
        user=scene.users["alta_chief"],
    )
    found = _found(scene.users["evora_chief"], "digital")
    assert set(found) == {norwegian, other}
    assert found[0] == norwegian  # "digital" in its title


def test_the_plain_search_finds_every_word_somewhere_in_the_text(scene, two_languages):
    """The SQLite default's search, run on either database: every word, as written."""
    norwegian, portuguese = two_languages

    def found(words):
        return list(selectors.every_word_in_text(Practice.objects.order_by("pk"), words))

    assert found("kommune") == [norwegian]  # "Kommunene"
    assert found("municípios atendimento") == [portuguese]
    assert found("kommune atendimento") == []
    assert found("kommuner") == []  # no stemming: a form not in the text is not found
    if connection.vendor == "sqlite":  # the library's own search there
        assert _found(scene.users["evora_chief"], "kommune") == [norwegian]


def test_the_search_page_lists_what_matches(client, scene, two_languages):
    norwegian, portuguese = two_languages
    client.force_login(scene.users["evora_chief"])
    page = client.get("/practices/", {"q": "kommune"}).content.decode()
    assert norwegian.title in page
    assert portuguese.title not in page


def test_filters_country_band_indicator_and_moved(scene, two_languages):
    from .scene import observe

    norwegian, portuguese = two_languages
    user = scene.users["officer"]

    def found(**wanted):
        return set(selectors.library_practices(user=user, wanted=selectors.LibraryFilter(**wanted)))

    assert found(country=scene.alta.country_id) == {norwegian}
    assert found(band="20k-100k") == {norwegian, portuguese}  # 21,000 and 53,000
    assert found(band="5k-20k") == set()
    assert found(indicator=scene.indicator.pk) == {norwegian}
    assert found(moved=True) == set()  # no figures yet
    observe(scene.indicator, scene.alta, {2020: 40.0, 2024: 70.0})
    services.practice_publish(
        measure=scene.measure,
        data=publish_data(title="Digital post", what="Kommunene innførte digital post."),
        user=scene.users["alta_chief"],
    )
    assert found(moved=True) == {norwegian}
    scene.indicator.higher_is_better = False
    scene.indicator.save()
    assert found(moved=True) == set()  # a rise of a figure where lower is better


def test_retired_and_merged_practices_are_not_listed(scene, two_languages):
    norwegian, portuguese = two_languages
    admin = scene.users["admin"]
    services.practice_retire(practice=norwegian, user=admin, retired=True)
    assert list(selectors.library_practices(user=admin)) == [portuguese]
    services.practice_retire(practice=norwegian, user=admin, retired=False)
    services.practice_merge(practice=portuguese, into=norwegian, user=admin)
    assert list(selectors.library_practices(user=admin)) == [norwegian]


def test_featured_practices_come_first(scene, two_languages):
    _norwegian, _portuguese = two_languages
    newest_first = list(selectors.library_practices(user=scene.users["admin"]))
    older = newest_first[-1]
    services.practice_feature(practice=older, user=scene.users["admin"], featured=True)
    assert next(iter(selectors.library_practices(user=scene.users["admin"]))) == older


def test_filters_dla_priority_and_theme(scene, two_languages):
    norwegian, portuguese = two_languages
    first, second = f.DlaPriorityFactory(), f.DlaPriorityFactory()
    theme = f.ThemeFactory()
    norwegian.dla_priorities.set([first, second])  # listed once, though of two priorities
    portuguese.dla_priorities.set([second])
    portuguese.theme = theme
    portuguese.save()
    user = scene.users["officer"]

    def found(**wanted):
        return list(
            selectors.library_practices(user=user, wanted=selectors.LibraryFilter(**wanted))
        )

    assert found(priority=first.pk) == [norwegian]
    assert sorted(p.pk for p in found(priority=second.pk)) == sorted([norwegian.pk, portuguese.pk])
    assert found(theme=theme.pk) == [portuguese]
    assert found(priority=first.pk, theme=theme.pk) == []
