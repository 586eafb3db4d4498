import pytest

from .scene import make_scene


@pytest.fixture
def scene(db):
    return make_scene()
