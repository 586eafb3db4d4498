"""Every page makes the same number of queries whatever the number of rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(world, size):
    """Give the subject's programme ``size`` more networks, each with members and people."""
    facilitator = world.users["facilitator"]
    for _ in range(size):
        members = [f.MunicipalityFactory(region=world.municipality.region) for _ in range(size)]
        network = f.NetworkFactory(
            programme=world.programme, region=world.municipality.region, members=members
        )
        Role.objects.create(user=facilitator, kind=Role.Kind.FACILITATOR, network=network)
        for municipality in members:
            f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
            f.municipal(Role.Kind.MAYOR, municipality)
        world.network.municipalities.add(*members)
        f.municipal(Role.Kind.MUNICIPAL_STAFF, world.municipality)


PAGES = [
    ("facilitator", lambda w: reverse("home")),
    ("project_officer", lambda w: reverse("home")),
    ("chief_executive", lambda w: reverse("home")),
    ("facilitator", lambda w: reverse("network_list")),
    ("facilitator", lambda w: reverse("network_detail", args=[w.network.pk])),
    ("facilitator", lambda w: reverse("network_update", args=[w.network.pk])),
    ("facilitator", lambda w: reverse("network_invite", args=[w.network.pk])),
    ("facilitator", lambda w: reverse("municipality_detail", args=[w.municipality.pk])),
    ("project_officer", lambda w: reverse("programme_detail", args=[w.programme.pk])),
]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_page_queries_do_not_grow_with_rows(client, world, role, url):
    client.force_login(world.users[role])
    _grow(world, 1)
    small = _queries(client, url(world))
    _grow(world, 3)
    large = _queries(client, url(world))
    assert small == large
