"""The starting point: when a strategy starts, the municipality's key figures and position are
frozen as its baseline; later figures do not move it; the strategy page shows then and now."""

import html
import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from benchmarking.selectors import Comparison, municipality_position
from strategies.models import BaselineFigure
from strategies.services import BASELINE_COMPARISONS

from .. import factories as f
from .helpers import start

pytestmark = pytest.mark.django_db

FIELDS = ("year", "value", "mean", "median", "rank", "count", "percentile")


@pytest.fixture
def figures(world):
    """Free income: Alta 80,000 (2023) and 81,240 (2024), Hammerfest 66,605 (2024), Bodø
    90,000 (2024). Kindergarten: Alta 88.0 (2023) and missing in 2024 (".."), Hammerfest 90.5
    (2024). Alta's latest kindergarten figure is therefore 2023's."""
    world.income = f.IndicatorFactory(
        code="KOSAG110000", name_en="Free income per inhabitant", unit="kr", decimals=0
    )
    world.kindergarten = f.IndicatorFactory(
        code="KOSandel120000", name_en="Children aged 1-2 in kindergarten", decimals=1
    )
    for indicator, municipality, year, value, status in [
        (world.income, world.municipality, 2023, 80000.0, ""),
        (world.income, world.municipality, 2024, 81240.0, ""),
        (world.income, world.neighbour, 2024, 66605.0, ""),
        (world.income, world.other_municipality, 2024, 90000.0, ""),
        (world.kindergarten, world.municipality, 2023, 88.0, ""),
        (world.kindergarten, world.municipality, 2024, None, ".."),
        (world.kindergarten, world.neighbour, 2024, 90.5, ""),
    ]:
        f.ObservationFactory(
            indicator=indicator, municipality=municipality, year=year, value=value, status=status
        )
    return world


def _frozen(strategy, comparison=Comparison.NETWORK):
    return {
        b.indicator_id: tuple(getattr(b, name) for name in FIELDS)
        for b in BaselineFigure.objects.filter(strategy=strategy, comparison=comparison.value)
    }


def _position(world, comparison, year, indicator):
    page = municipality_position(
        municipality=world.municipality, comparison=comparison, network=world.network, year=year
    )
    (row,) = [r for r in page.rows if r.indicator == indicator]
    return (year, row.value, row.mean, row.median, row.rank, row.count, row.percentile)


# The comparisons a baseline freezes; the similar municipalities and a person's own sets are
# not frozen (a saved set is one person's, the similar set is recomputed with the register).
@pytest.mark.parametrize("comparison", BASELINE_COMPARISONS)
def test_start_freezes_the_key_figures_as_the_position_shows_them(figures, comparison):
    world = figures
    expected = {
        world.income.pk: _position(world, comparison, 2024, world.income),
        world.kindergarten.pk: _position(world, comparison, 2023, world.kindergarten),
    }

    strategy = start(world, user=world.users["chief_executive"])

    assert strategy.baseline_year == 2024
    assert _frozen(strategy, comparison) == expected


def test_network_baseline_holds_the_values_worked_out_by_hand(figures):
    world = figures
    strategy = start(world)
    assert _frozen(strategy) == {
        # Alta 81,240 and Hammerfest 66,605: Alta first of two.
        world.income.pk: (2024, 81240.0, (81240 + 66605) / 2, (81240 + 66605) / 2, 1, 2, 100.0),
        # In 2023 only Alta has a kindergarten figure.
        world.kindergarten.pk: (2023, 88.0, 88.0, 88.0, 1, 1, 100.0),
    }


def test_newer_figures_do_not_move_the_baseline(figures):
    world = figures
    strategy = start(world)
    frozen = {c: _frozen(strategy, c) for c in Comparison}

    f.ObservationFactory(
        indicator=world.income, municipality=world.municipality, year=2025, value=85000.0
    )
    f.ObservationFactory(
        indicator=world.income, municipality=world.neighbour, year=2025, value=90000.0
    )

    assert {c: _frozen(strategy, c) for c in Comparison} == frozen
    strategy.refresh_from_db()
    assert strategy.baseline_year == 2024


def test_strategy_page_shows_baseline_and_today_side_by_side(client, figures):
    world = figures
    strategy = start(world)
    f.ObservationFactory(
        indicator=world.income, municipality=world.municipality, year=2025, value=85000.0
    )
    f.ObservationFactory(
        indicator=world.income, municipality=world.neighbour, year=2025, value=90000.0
    )
    client.force_login(world.users["chief_executive"])

    response = client.get(reverse("strategy_detail", args=[strategy.pk]))

    page = response.content.decode()
    started = date_format(strategy.started_at, "DATE_FORMAT")
    assert (
        f"Key figures against the network as they stood when the strategy started ({started}), "
        "next to the latest figures. Each shows its year."
    ) in page
    row = _row(page, "Free income per inhabitant")
    # Then 81,240 and first of two; now 85,000 and second of two (Hammerfest 90,000).
    assert row == ["81,240 2024", "1 / 2", "85,000 2025", "2 / 2", f"+{85000 - 81240:,}"]
    (income,) = [fig for fig in response.context["page"].figures if fig.indicator == world.income]
    assert (income.baseline.value, income.value, income.change) == (81240.0, 85000.0, 3760.0)


def test_strategy_without_key_figures_says_so(client, world):
    strategy = start(world)
    assert not BaselineFigure.objects.exists()
    assert strategy.baseline_year is None
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert "The municipality had no key figures when the strategy started." in page


def _row(page: str, name: str) -> list[str]:
    """The cells after the row header ``name`` in the baseline table, as text."""
    (table,) = re.findall(r'aria-labelledby="baseline-heading">(.*?)</section>', page, re.S)
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        if name in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]
    raise AssertionError(f"no row for {name}")
