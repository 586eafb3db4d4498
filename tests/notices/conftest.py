"""Fixtures the notice tests share."""

import pytest

from networks.models import Role
from strategies import services as strategy_services
from tests import factories as f
from tests.strategies.helpers import start


@pytest.fixture
def shared(world):
    """Alta's strategy, shared with the network by its chief executive; Alta's staff too."""
    strategy = start(world, status="shared", user=world.users["chief_executive"])
    world.strategy = strategy
    world.section = strategy.sections.order_by("position").first()
    return world


def comment(world, who="facilitator", body="Name an owner for each goal.", parent=None):
    return strategy_services.section_comment(
        section=world.section, user=world.users[who], body=body, parent=parent
    )


def staff_elsewhere(world):
    """Alta's staff whose role was given through the other network's invitation: it speaks
    for Alta there only."""
    return f.municipal(
        Role.Kind.MUNICIPAL_STAFF, world.municipality, granted_in=world.other_network
    )
