"""The network's overview for the facilitator and the project officer: per municipality the
status, sections written, measures done and late, and the DLA priorities addressed; and pages
whose number of queries does not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Role
from strategies import selectors
from strategies.models import DlaPriority, Section

from .. import factories as f
from .helpers import section, start, write

pytestmark = pytest.mark.django_db

K = Section.Kind


@pytest.fixture
def overview(world):
    """Alta has shared its strategy: two sections written (a clear strategy: DLA1; benefits:
    DLA2 and DLA4), and three measures, one done and one late. Hammerfest has a draft with
    nothing written. Vadsø, a third member, has not started."""
    chief = world.users["chief_executive"]
    world.vadso = f.MunicipalityFactory(name="Vadsø", region=world.municipality.region)
    world.network.municipalities.add(world.vadso)
    world.strategy = start(world, status="shared", user=chief)
    write(section(world.strategy, K.CLEAR_STRATEGY), chief, "Hvorfor samarbeide.")
    write(section(world.strategy, K.BENEFITS), chief, "Gevinster.")
    today = timezone.localdate()
    for status, due in [("done", -20), ("under_way", -1), ("planned", 40)]:
        f.MeasureFactory(strategy=world.strategy, status=status, due_on=today + timedelta(days=due))
    world.neighbour_strategy = start(world, world.neighbour)
    return world


def test_network_overview_per_municipality(overview):
    world = overview
    result = selectors.network_overview(network=world.network, user=world.users["facilitator"])
    codes = {p.pk: p.code for p in DlaPriority.objects.all()}
    rows = [
        (
            row.municipality.name,
            row.strategy.status if row.strategy else None,
            row.sections_written,
            row.sections_total,
            row.measures,
            row.done,
            row.late,
            sorted(codes[pk] for pk in row.priority_ids),
            row.readable,
        )
        for row in result.rows
    ]
    assert rows == [
        ("Alta", "shared", 2, 6, 3, 1, 1, ["DLA1", "DLA2", "DLA4"], True),
        ("Hammerfest", "draft", 0, 6, 0, 0, 0, [], False),
        ("Vadsø", None, 0, 0, 0, 0, 0, [], False),
    ]
    assert [p.code for p in result.uncovered] == ["DLA3", "DLA5"]
    assert result.status_counts == {"draft": 1, "shared": 1, "adopted": 0}
    assert result.not_started == 1
    assert result.priority_cells(result.rows[0]) == [True, True, False, True, False]


def test_unwritten_sections_address_no_priority(overview):
    """Innovation is tied to DLA1 and DLA2 by the template, but nobody wrote it."""
    world = overview
    innovation = section(world.strategy, K.INNOVATION)
    assert sorted(innovation.dla_priorities.values_list("code", flat=True)) == ["DLA1", "DLA2"]
    competence = section(world.neighbour_strategy, K.COMPETENCE)
    assert list(competence.dla_priorities.values_list("code", flat=True)) == ["DLA3"]

    before = selectors.network_overview(network=world.network)
    assert [p.code for p in before.uncovered] == ["DLA3", "DLA5"]
    write(competence, world.users["neighbour_chief_executive"], "Lederkurs.")
    after = selectors.network_overview(network=world.network)
    assert [p.code for p in after.uncovered] == ["DLA5"]
    assert (after.rows[1].sections_written, after.rows[1].priority_ids) == (
        1,
        {DlaPriority.objects.get(code="DLA3").pk},
    )


def test_sections_written_counts_each_section_once(overview):
    world = overview
    chief = world.users["chief_executive"]
    for kind in (K.GOVERNANCE, K.INNOVATION, K.COMPETENCE, K.SECURITY):
        write(section(world.strategy, kind), chief, f"Text of {kind}.")
    write(section(world.strategy, K.CLEAR_STRATEGY), chief, "Second revision.")
    (alta, *_rest) = selectors.network_overview(network=world.network).rows
    assert (alta.sections_written, alta.sections_total) == (6, 6)


@pytest.mark.parametrize("name", ["facilitator", "project_officer"])
def test_overview_page_renders_for_facilitator_and_officer(client, overview, name):
    world = overview
    client.force_login(world.users[name])
    response = client.get(reverse("network_strategies", args=[world.network.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 adopted" not in page
    assert "0 adopted, 1 shared with the network, 1 in draft." in page
    assert "1 municipality has not started." in page
    # Alta's shared strategy is a link; Hammerfest's draft is not.
    assert reverse("strategy_detail", args=[world.strategy.pk]) in page
    assert reverse("strategy_detail", args=[world.neighbour_strategy.pk]) not in page
    assert "No strategy in the network addresses:" in page
    # Neither of them may start a strategy.
    assert "Start the strategy for" not in page


def test_overview_page_is_404_for_another_programmes_officer(client, overview):
    client.force_login(overview.users["other_officer"])
    url = reverse("network_strategies", args=[overview.network.pk])
    assert client.get(url).status_code == 404


def test_overview_page_offers_vadso_a_start(client, overview):
    world = overview
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, world.vadso)
    client.force_login(chief)
    page = client.get(reverse("network_strategies", args=[world.network.pk])).content.decode()
    assert page.count("Start the strategy for") == 1
    assert "Start the strategy for Vadsø" in page
    response = client.post(reverse("strategy_start", args=[world.network.pk, world.vadso.pk]))
    strategy = world.vadso.strategies.get()
    assert response.status_code == 302
    assert response.url == reverse("strategy_detail", args=[strategy.pk])
    assert list(strategy.sections.values_list("kind", flat=True)) == [
        "clear_strategy",
        "governance",
        "benefits",
        "innovation",
        "competence",
        "security",
    ]
    # A second start is refused with a message, and makes nothing.
    again = client.post(reverse("strategy_start", args=[world.network.pk, world.vadso.pk]))
    assert again.status_code == 302
    assert world.vadso.strategies.count() == 1


# --- Query counts at two sizes ------------------------------------------------------------


def _count(client, url):
    client.get(url)  # once first: a page may write a row on first sight (presence)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _member_with_strategy(world, index):
    member = f.MunicipalityFactory(region=world.municipality.region)
    world.network.municipalities.add(member)
    chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, member)
    strategy = start(world, member, status="shared", user=chief)
    write(section(strategy, K.CLEAR_STRATEGY), chief, f"Text {index}.")
    _grow_plan(strategy, chief, 2)


def _grow_plan(strategy, owner, count):
    indicator = f.IndicatorFactory()
    f.ObservationFactory(indicator=indicator, municipality=strategy.municipality, year=2024)
    sections = list(strategy.sections.all())
    today = timezone.localdate()
    for index in range(count):
        f.MeasureFactory(
            strategy=strategy,
            section=sections[index % len(sections)],
            owner=owner,
            status=("planned", "under_way", "done", "delayed", "dropped")[index % 5],
            progress=(index * 10) % 100,
            starts_on=today - timedelta(days=30),
            due_on=today + timedelta(days=index - 3),
            indicator=indicator,
            baseline_year=2024,
            baseline_value=40.0,
            target_year=2026,
            target_value=60.0,
        )
        f.SectionCommentFactory(section=sections[index % len(sections)])


@pytest.mark.parametrize("name", ["facilitator", "project_officer"])
def test_overview_page_queries_do_not_grow_with_strategies(client, world, name):
    client.force_login(world.users[name])
    url = reverse("network_strategies", args=[world.network.pk])
    _member_with_strategy(world, 0)
    small = _count(client, url)
    for index in (1, 2):
        _member_with_strategy(world, index)
    large = _count(client, url)
    assert small == large


@pytest.mark.parametrize(
    "page", ["action_plan", "action_plan_timeline", "strategy_detail", "action_plan_export"]
)
def test_strategy_pages_queries_do_not_grow_with_measures(client, world, page):
    chief = world.users["chief_executive"]
    strategy = start(world, status="shared", user=chief)
    write(section(strategy), chief, "Text.")
    client.force_login(world.users["facilitator"])
    args = [strategy.pk, "xlsx"] if page == "action_plan_export" else [strategy.pk]
    url = reverse(page, args=args)
    _grow_plan(strategy, chief, 2)
    small = _count(client, url)
    _grow_plan(strategy, world.users["municipal_staff"], 10)
    large = _count(client, url)
    assert small == large


def test_section_pages_queries_do_not_grow_with_revisions(client, world):
    chief = world.users["chief_executive"]
    strategy = start(world, user=chief)
    s = section(strategy)
    client.force_login(chief)
    urls = [reverse("section_history", args=[s.pk]), reverse("section_edit", args=[s.pk])]
    write(s, chief, "One.")
    small = [_count(client, url) for url in urls]
    for index in range(6):
        write(s, world.users["municipal_staff"] if index % 2 else chief, f"Text {index}.")
        f.SectionPresenceFactory(section=s)
    large = [_count(client, url) for url in urls]
    assert small == large
