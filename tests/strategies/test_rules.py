"""Who may read, write, comment on and move a strategy: each predicate agrees with its queryset
twin, and the issue's must-shows hold through the web client (unseen is 404, seen but not
allowed is 403, and a refused request changes nothing)."""

import pytest
from django.urls import reverse

from strategies import rules as perms
from strategies import services
from strategies.models import Measure, SectionComment, Strategy

from .. import factories as f
from .helpers import section, snapshot, start

pytestmark = pytest.mark.django_db

USERS = [
    "anonymous",
    "chief_executive",
    "facilitator",
    "mayor",
    "municipal_staff",
    "neighbour_chief_executive",
    "no_role",
    "other_chief_executive",
    "other_facilitator",
    "other_officer",
    "project_officer",
    "staff",
]
STATUSES = ["draft", "shared", "adopted"]

OWN_PEOPLE = {"chief_executive", "mayor", "municipal_staff"}
NETWORK_READERS = {"facilitator", "neighbour_chief_executive", "project_officer"}
EDITORS = {"chief_executive", "municipal_staff", "staff"}


def expected_reader(name: str, status: str) -> bool:
    """Of Alta's strategy (in ``world.network``)."""
    if name in OWN_PEOPLE | {"staff"}:
        return True
    return status != "draft" and name in NETWORK_READERS


@pytest.fixture
def strategies(world):
    """A strategy in each status for each municipality: Alta's and Hammerfest's in the
    network, Bodø's in the other network; all three in the status asked for by the test."""

    def make(status):
        world.strategy = start(world, status=status)
        world.neighbour_strategy = start(world, world.neighbour, status=status)
        world.other_strategy = start(
            world, world.other_municipality, network=world.other_network, status=status
        )
        return world

    return make


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("name", USERS)
def test_strategy_permissions_by_role_and_status(strategies, name, status):
    world = strategies(status)
    user = world.users[name]
    assert user.has_perm("strategies.view_strategy", world.strategy) is expected_reader(
        name, status
    )
    assert user.has_perm("strategies.change_strategy", world.strategy) is (name in EDITORS)
    assert user.has_perm("strategies.comment_strategy", world.strategy) is (
        name == "staff" or (status != "draft" and name == "facilitator")
    )
    assert user.has_perm("strategies.answer_strategy", world.strategy) is (
        name == "staff" or (status != "draft" and name in {"facilitator", *EDITORS})
    )
    membership = world.network.memberships.get(municipality=world.municipality)
    assert user.has_perm("strategies.start_strategy", membership) is (name in EDITORS)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("name", USERS)
def test_strategy_predicates_agree_with_querysets(strategies, name, status):
    world = strategies(status)
    f.StrategyFactory(network=world.other_network, municipality=world.municipality)
    user = world.users[name]
    for perm, twin in [
        ("strategies.view_strategy", perms.strategies_visible_to),
        ("strategies.change_strategy", perms.strategies_editable_by),
        ("strategies.comment_strategy", perms.strategies_commentable_by),
        ("strategies.answer_strategy", perms.strategies_answerable_by),
    ]:
        by_predicate = {s.pk for s in Strategy.objects.all() if user.has_perm(perm, s)}
        by_queryset = set(twin(user).values_list("pk", flat=True))
        assert by_predicate == by_queryset, (perm, name, status)


def test_inactive_chief_executive_reads_and_edits_nothing(strategies):
    world = strategies("draft")
    chief = world.users["chief_executive"]
    chief.is_active = False
    assert not chief.has_perm("strategies.view_strategy", world.strategy)
    assert not chief.has_perm("strategies.change_strategy", world.strategy)
    assert not perms.strategies_visible_to(chief).exists()
    assert not perms.strategies_editable_by(chief).exists()


# --- Through the web client ----------------------------------------------------------------


def _section_edit(world, client, expected):
    s = section(world.strategy)
    url = reverse("section_edit", args=[s.pk])
    assert client.get(url).status_code == expected
    post = client.post(url, {"body": "Taken over.", "version": s.version})
    assert post.status_code == expected


def _measure_create(world, client, expected):
    url = reverse("measure_create", args=[world.strategy.pk])
    assert client.get(url).status_code == expected
    post = client.post(url, {"title": "Not ours", "status": "planned", "progress": 0})
    assert post.status_code == expected


def _status(world, client, expected):
    url = reverse("strategy_status", args=[world.strategy.pk])
    assert client.get(url).status_code == expected
    post = client.post(url, {"status": "draft"})
    assert post.status_code == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # The neighbour sees the shared strategy but may not change it.
        ("neighbour_chief_executive", 403),
        # Another network's chief executive does not even see it: unseen is 404.
        ("other_chief_executive", 404),
    ],
)
@pytest.mark.parametrize("write", [_section_edit, _measure_create, _status])
def test_other_chief_executive_cannot_edit_a_shared_strategy(
    client, strategies, name, expected, write
):
    world = strategies("shared")
    client.force_login(world.users[name])
    before = snapshot()
    write(world, client, expected)
    assert snapshot() == before


@pytest.mark.parametrize("name", ["neighbour_chief_executive", "other_chief_executive"])
def test_other_chief_executive_cannot_read_a_draft(client, strategies, name):
    world = strategies("draft")
    client.force_login(world.users[name])
    s = section(world.strategy)
    for url in [
        reverse("strategy_detail", args=[world.strategy.pk]),
        reverse("action_plan", args=[world.strategy.pk]),
        reverse("action_plan_timeline", args=[world.strategy.pk]),
        reverse("action_plan_export", args=[world.strategy.pk, "csv"]),
        reverse("section_history", args=[s.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_neighbour_reads_a_shared_strategy(client, strategies):
    world = strategies("shared")
    client.force_login(world.users["neighbour_chief_executive"])
    response = client.get(reverse("strategy_detail", args=[world.strategy.pk]))
    assert response.status_code == 200
    assert reverse("section_edit", args=[section(world.strategy).pk]) not in (
        response.content.decode()
    )


def test_facilitator_comments_on_a_shared_section(client, strategies):
    world = strategies("shared")
    facilitator = world.users["facilitator"]
    client.force_login(facilitator)
    s = section(world.strategy)

    response = client.post(
        reverse("section_comment", args=[s.pk]), {"body": "  Tie this to a key figure.  "}
    )

    assert response.status_code == 302
    assert response.url == reverse("strategy_detail", args=[world.strategy.pk]) + f"#s{s.pk}"
    assert list(SectionComment.objects.values_list("section", "author", "body")) == [
        (s.pk, facilitator.pk, "Tie this to a key figure.")
    ]
    page = client.get(reverse("strategy_detail", args=[world.strategy.pk])).content.decode()
    assert "Tie this to a key figure." in page


@pytest.mark.parametrize("write", [_section_edit, _status])
def test_facilitator_cannot_edit_or_move_a_shared_strategy(client, strategies, write):
    world = strategies("shared")
    client.force_login(world.users["facilitator"])
    before = snapshot()
    write(world, client, 403)
    assert snapshot() == before


def test_facilitator_cannot_comment_on_a_draft(client, strategies):
    world = strategies("draft")
    client.force_login(world.users["facilitator"])
    s = section(world.strategy)
    response = client.post(reverse("section_comment", args=[s.pk]), {"body": "Early words."})
    assert response.status_code == 404
    assert not SectionComment.objects.exists()


@pytest.mark.parametrize("name", ["chief_executive", "neighbour_chief_executive", "mayor"])
def test_only_the_facilitator_comments(client, strategies, name):
    world = strategies("shared")
    client.force_login(world.users[name])
    s = section(world.strategy)
    response = client.post(reverse("section_comment", args=[s.pk]), {"body": "Me too."})
    assert response.status_code == 403
    assert not SectionComment.objects.exists()


@pytest.mark.parametrize("status", ["shared", "adopted"])
def test_project_officer_reads_a_shared_or_adopted_strategy(client, strategies, status):
    world = strategies(status)
    client.force_login(world.users["project_officer"])
    for url in [
        reverse("strategy_detail", args=[world.strategy.pk]),
        reverse("action_plan", args=[world.strategy.pk]),
        reverse("action_plan_timeline", args=[world.strategy.pk]),
        reverse("network_strategies", args=[world.network.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_project_officer_does_not_read_a_draft(client, strategies):
    world = strategies("draft")
    client.force_login(world.users["project_officer"])
    assert client.get(reverse("strategy_detail", args=[world.strategy.pk])).status_code == 404
    assert client.get(reverse("action_plan", args=[world.strategy.pk])).status_code == 404


def _officer_writes(world):
    """Every write on Alta's strategy, as (method, url, data)."""
    s = section(world.strategy)
    measure = Measure.objects.create(strategy=world.strategy, title="Ours", section=s)
    world.measure = measure
    return [
        ("get", reverse("section_edit", args=[s.pk]), None),
        ("post", reverse("section_edit", args=[s.pk]), {"body": "Mine.", "version": s.version}),
        ("post", reverse("section_presence", args=[s.pk]), {}),
        ("post", reverse("section_restore", args=[s.pk, 0]), {}),
        ("post", reverse("section_comment", args=[s.pk]), {"body": "Hello."}),
        ("get", reverse("section_add", args=[world.strategy.pk]), None),
        ("post", reverse("section_add", args=[world.strategy.pk]), {"title": "Mine"}),
        ("get", reverse("measure_create", args=[world.strategy.pk]), None),
        ("post", reverse("measure_create", args=[world.strategy.pk]), {"title": "Mine"}),
        ("get", reverse("measure_edit", args=[measure.pk]), None),
        ("post", reverse("measure_edit", args=[measure.pk]), {"title": "Mine"}),
        ("post", reverse("measure_delete", args=[measure.pk]), {}),
        ("get", reverse("strategy_status", args=[world.strategy.pk]), None),
        ("post", reverse("strategy_status", args=[world.strategy.pk]), {"status": "draft"}),
    ]


@pytest.mark.parametrize("status", ["shared", "adopted"])
def test_project_officer_only_reads(client, strategies, status):
    world = strategies(status)
    writes = _officer_writes(world)
    client.force_login(world.users["project_officer"])
    before = snapshot()
    for method, url, data in writes:
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, (method, url)
    assert snapshot() == before


def test_project_officer_cannot_start_a_strategy(client, world):
    client.force_login(world.users["project_officer"])
    url = reverse("strategy_start", args=[world.network.pk, world.municipality.pk])
    assert client.post(url).status_code == 403
    assert not Strategy.objects.exists()


def test_chief_executive_of_alta_cannot_start_hammerfests_strategy(client, world):
    client.force_login(world.users["chief_executive"])
    url = reverse("strategy_start", args=[world.network.pk, world.neighbour.pk])
    assert client.post(url).status_code == 403
    assert not Strategy.objects.exists()


def test_mayor_reads_the_draft_but_does_not_edit_it(client, strategies):
    world = strategies("draft")
    client.force_login(world.users["mayor"])
    assert client.get(reverse("strategy_detail", args=[world.strategy.pk])).status_code == 200
    before = snapshot()
    _section_edit(world, client, 403)
    assert snapshot() == before


def test_withdrawn_strategy_is_hidden_from_the_network_again(client, strategies):
    world = strategies("shared")
    client.force_login(world.users["neighbour_chief_executive"])
    url = reverse("strategy_detail", args=[world.strategy.pk])
    assert client.get(url).status_code == 200
    services.strategy_set_status(
        strategy=world.strategy, status="draft", user=world.users["chief_executive"]
    )
    assert client.get(url).status_code == 404
