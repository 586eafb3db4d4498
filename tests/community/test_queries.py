"""The library's list, search and practice pages read a fixed number of queries, whatever
the number of practices and adoptions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import services

from .. import factories as f
from .scene import observe, publish_data


def _practices(scene, count, start=0):
    """``count`` practices of Alta's plan, each taken up by a municipality of its own that
    tracks the figure."""
    for n in range(start, start + count):
        measure = f.MeasureFactory(
            strategy=scene.strategy, title=f"Digital tjeneste {n}", indicator=scene.indicator
        )
        practice = services.practice_publish(
            measure=measure,
            data=publish_data(
                title=f"Digital tjeneste {n}", what="Kommunene innførte digital post."
            ),
            user=scene.users["alta_chief"],
        )
        adopter = f.MunicipalityFactory(region=scene.evora.region)
        scene.portugal.municipalities.add(adopter)
        observe(scene.indicator, adopter, {2022: 10.0 + n, 2024: 20.0 + n})
        plan = f.StrategyFactory(network=scene.portugal, municipality=adopter, status="shared")
        services.practice_adopt(practice=practice, strategy=plan, user=scene.users["admin"])


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params", [{}, {"q": "kommune digital"}, {"moved": "on", "band": "20k-100k"}]
)
def test_list_and_search_queries_do_not_grow_with_the_practices(client, scene, params):
    observe(scene.indicator, scene.alta, {2020: 30.0, 2024: 60.0})
    client.force_login(scene.users["evora_chief"])
    _practices(scene, 2)
    few = _count(client, "/practices/", params)
    _practices(scene, 4, start=2)
    many = _count(client, "/practices/", params)
    assert many == few
    assert len(client.get("/practices/", params).context["rows"]) == 6


def test_the_practice_page_does_not_grow_with_its_adoptions(client, scene):
    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )

    def adopt(count):
        for _n in range(count):
            adopter = f.MunicipalityFactory(region=scene.evora.region)
            scene.portugal.municipalities.add(adopter)
            observe(scene.indicator, adopter, {2023: 5.0})
            plan = f.StrategyFactory(network=scene.portugal, municipality=adopter, status="shared")
            services.practice_adopt(
                practice=practice,
                strategy=plan,
                user=scene.users["admin"],
                target_year=2030,
                target_value=50.0,
            )

    client.force_login(scene.users["evora_chief"])
    adopt(2)
    few = _count(client, f"/practices/{practice.pk}/")
    adopt(4)
    many = _count(client, f"/practices/{practice.pk}/")
    assert many == few


def test_the_merge_and_publish_pages_do_not_grow(client, scene):
    """The merge page lists the programme's practices, the publish page the municipality's
    people and the DLA priorities: each in one query."""
    from networks.models import Role

    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )

    def more(count, start):
        for n in range(start, start + count):
            f.DlaPriorityFactory()
            f.municipal(Role.Kind.MUNICIPAL_STAFF, scene.alta, username=f"alta_staff_{n}")
            measure = f.MeasureFactory(strategy=scene.strategy, title=f"Tjeneste {n}")
            services.practice_publish(
                measure=measure,
                data=publish_data(title=f"Tjeneste {n}"),
                user=scene.users["alta_chief"],
            )

    more(2, 0)
    client.force_login(scene.users["norway_facilitator"])
    merge_few = _count(client, f"/practices/{practice.pk}/merge/")
    client.force_login(scene.users["alta_chief"])
    publish_few = _count(client, f"/measures/{scene.measure.pk}/publish/")
    more(4, 2)
    client.force_login(scene.users["norway_facilitator"])
    assert _count(client, f"/practices/{practice.pk}/merge/") == merge_few
    client.force_login(scene.users["alta_chief"])
    assert _count(client, f"/measures/{scene.measure.pk}/publish/") == publish_few
