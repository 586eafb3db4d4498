"""Fixtures the strategy tests share."""

import pytest

from .helpers import start


@pytest.fixture
def strategy(world):
    """Alta's strategy in the network, started by its chief executive (a draft)."""
    return start(world, user=world.users["chief_executive"])
