"""Learn from the best on an indicator's page: beside each best performer's figure, the
practices it published that the reader may see (those on the indicator first, each with its
figure before and after and a link to its page); a draft strategy's practice stays inside its
municipality; a retired one is not shown; the page's queries do not grow with the best
performers and their practices."""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.charts import format_number
from benchmarking.models import Observation
from community import services as community_services
from networks.models import Role
from strategies import services as strategy_services
from tests import factories as f

pytestmark = pytest.mark.django_db


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _strategy(network, municipality, chief, *, status="shared"):
    strategy = strategy_services.strategy_start(
        network=network, municipality=municipality, user=chief
    )
    if status != "draft":
        strategy_services.strategy_set_status(strategy=strategy, status="shared", user=chief)
    strategy.refresh_from_db()  # the service moved a copy of the row
    return strategy


def _practice(strategy, chief, indicator, title):
    """A done measure tied to the figure from its 2023 value, published as a practice: the
    values before and after are the service's, read from the observations."""
    measure = strategy_services.measure_save(
        strategy=strategy,
        data={
            "title": title,
            "status": "done",
            "indicator": indicator,
            "baseline_year": 2023,
            "target_year": 2024,
            "target_value": 99.0,
        },
    )
    return community_services.practice_publish(
        measure=measure, data={"title": title, "what": f"What {title} did."}, user=chief
    )


def _moved(indicator, municipality, before, after):
    for year, value in ((2023, before), (2024, after)):
        f.ObservationFactory(indicator=indicator, municipality=municipality, year=year, value=value)


def _best_lines(html: str) -> dict[str, list[str]]:
    """Each best performer's line in the network's set: its practices' texts, by its name."""
    block = re.search(r'<ol class="kf-best">(.*?)</ol>', html, re.S).group(1)
    lines = {}
    for item in re.split(r"(?=<li><a )", block)[1:]:
        name = _text(re.match(r"<li><a [^>]*>(.*?)</a>", item).group(1))
        lines[name] = [
            _text(p) for p in re.findall(r'<li class="kf-best-practice">(.*?)</li>', item, re.S)
        ]
    return lines


@pytest.fixture
def best(world):
    """Hammerfest shares its strategy, with a practice on the figure and one on another; Alta
    (the reader's own) and Hammerfest are the network's best on the figure."""
    world.indicator = f.IndicatorFactory(name_en="Digital services used", unit="%", decimals=1)
    world.other_indicator = f.IndicatorFactory(name_en="Cases handled online", unit="%")
    _moved(world.indicator, world.neighbour, 40.0, 62.5)
    _moved(world.indicator, world.municipality, 30.0, 35.0)
    _moved(world.other_indicator, world.neighbour, 10.0, 20.0)
    chief = world.users["neighbour_chief_executive"]
    world.shared = _strategy(world.network, world.neighbour, chief)
    world.on_figure = _practice(world.shared, chief, world.indicator, "Selvbetjening")
    world.on_other = _practice(world.shared, chief, world.other_indicator, "Digital postkasse")
    return world


def _page(client, user, indicator):
    client.force_login(user)
    response = client.get(reverse("indicator_detail", args=[indicator.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _before_after(practice, decimals=1):
    before = format_number(practice.before_value, decimals)
    after = format_number(practice.after_value, decimals)
    return f"{before} ({practice.before_year}) → to {after} ({practice.after_year})"


def test_best_performers_show_their_practices_on_the_figure_first(client, best):
    html = _page(client, best.users["chief_executive"], best.indicator)
    observed = Observation.objects.get(
        indicator=best.indicator, municipality=best.neighbour, year=2024
    )
    assert (best.on_figure.before_value, best.on_figure.after_value) == (40.0, observed.value)
    assert _best_lines(html)["Hammerfest"] == [
        f"Selvbetjening: {_before_after(best.on_figure)}",
        f"Digital postkasse: Cases handled online {_before_after(best.on_other, 1)}",
    ]
    assert _best_lines(html)["Alta"] == []  # Alta published nothing
    link = reverse("practice_detail", kwargs={"pk": best.on_figure.pk})
    # The practice is written in the strategy's language, marked where the page is another.
    assert f'<a href="{link}" lang="nb">Selvbetjening</a>' in html


def test_a_draft_strategys_practice_stays_in_its_municipality(client, best):
    chief = best.users["chief_executive"]
    draft = _strategy(best.network, best.municipality, chief, status="draft")
    _practice(draft, chief, best.indicator, "Utkast til tiltak")
    # Alta's own people see it beside Alta's figure; Hammerfest's chief executive does not.
    assert _best_lines(_page(client, chief, best.indicator))["Alta"] == [
        "Utkast til tiltak: 30.0 (2023) → to 35.0 (2024)"
    ]
    html = _page(client, best.users["neighbour_chief_executive"], best.indicator)
    assert _best_lines(html)["Alta"] == []
    assert "Utkast til tiltak" not in html


def test_a_retired_practice_is_not_shown(client, best):
    community_services.practice_retire(
        practice=best.on_other, user=best.users["staff"], retired=True
    )
    assert _best_lines(_page(client, best.users["chief_executive"], best.indicator))[
        "Hammerfest"
    ] == [f"Selvbetjening: {_before_after(best.on_figure)}"]


def _grown(world, per_network: int):
    """A facilitator of two networks whose members have each published a practice on the
    figure: ``per_network`` best performers with practices in each network's set."""
    indicator = f.IndicatorFactory(name_en="Grown figure")
    facilitator = f.UserFactory()
    for _n in range(2):
        members = [f.MunicipalityFactory() for _m in range(per_network)]
        network = f.NetworkFactory(programme=world.programme, members=members)
        Role.objects.create(user=facilitator, kind=Role.Kind.FACILITATOR, network=network)
        for index, municipality in enumerate(members):
            chief = f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
            _moved(indicator, municipality, 10.0 + index, 20.0 + index)
            strategy = _strategy(network, municipality, chief)
            _practice(strategy, chief, indicator, f"Practice {municipality.pk}")
            _practice(strategy, chief, f.IndicatorFactory(), f"Other {municipality.pk}")
    return facilitator, indicator


def _count(client, user, indicator) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("indicator_detail", args=[indicator.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_learn_from_the_best_queries_do_not_grow_with_practices(client, world):
    small_user, small_indicator = _grown(world, 1)
    large_user, large_indicator = _grown(world, 3)
    small, small_html = _count(client, small_user, small_indicator)
    large, large_html = _count(client, large_user, large_indicator)
    assert small_html.count('class="kf-best-practice"') == 2 * 2
    assert large_html.count('class="kf-best-practice"') == 6 * 2
    assert small == large
