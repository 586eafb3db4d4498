import pytest

from benchmarking import tasks


@pytest.fixture(autouse=True)
def _standings_threads_joined():
    """A standings refresh a test's upload started in a thread ends with the test."""
    yield
    tasks.background_join()


@pytest.fixture(autouse=True)
def _feed_threads_joined():
    """A fetch a test's "Fetch now" started in a thread ends with the test."""
    from benchmarking import feed_tasks

    yield
    feed_tasks.background_join()


@pytest.fixture
def source_server(settings):
    """A local statistics office (source_server.py); every connector's base URL points at it,
    retries do not back off, and Eurostat's asynchronous answers are asked again at once."""
    from .source_server import SourceServer

    with SourceServer() as server:
        settings.SSB_PXWEB_URL = f"{server.url}/api/pxwebapi/v2"
        settings.SSB_KLASS_URL = f"{server.url}/api/klass/v1"
        settings.EUROSTAT_URL = f"{server.url}/eurostat/api/dissemination/statistics/1.0"
        settings.KOLADA_URL = f"{server.url}/v3"
        settings.ISTAT_SDMX_URL = f"{server.url}/SDMXWS/rest"
        settings.INE_ES_URL = f"{server.url}/wstempus/jsstat/ES"
        settings.CONNECTOR_BACKOFF_FACTOR = 0
        settings.CONNECTOR_RETRIES = 2
        settings.CONNECTOR_TIMEOUT = 10
        settings.EUROSTAT_ASYNC_WAIT = 0
        yield server
