import pytest

from benchmarking import tasks


@pytest.fixture(autouse=True)
def _standings_threads_joined():
    """A standings refresh a test's upload started in a thread ends with the test."""
    yield
    tasks.background_join()
