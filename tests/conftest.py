"""Shared fixtures, and the rule for tests that need real services.

A test marked ``services`` needs PostgreSQL and Redis (it starts a real Celery worker). When
the machine lacks one, the test is skipped with a loud notice at the end of the run; under CI
(``CI=true``) it fails instead, so that a green CI always means the services were exercised.
"""

import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from networks.models import Role

from . import factories as f

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_missing_services: list[str] = []

# Property-based tests (tests/test_bad_input_sweep.py): the same examples on every run, so that
# CI is reproducible; few of them, as each is a request; no example database in the checkout.
# HYPOTHESIS_PROFILE=dev draws fresh random examples, more of them, for a local hunt.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls back what it wrote
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
hypothesis_settings.register_profile(
    "dev", hypothesis_settings.get_profile("ci"), derandomize=False, max_examples=200
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _database_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def pytest_configure(config):
    if CI and not _database_url().startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError(
            "CI=true but DATABASE_URL is not a PostgreSQL URL: the suite must run against "
            "PostgreSQL under CI (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/cemsdi)."
        )


def _transactional(item) -> bool:
    """Whether the test commits for real, so that Django empties the database after it."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as the migrations leave it, kept as Django's serialized data. A
    transactional test ends by emptying the database, the migrations' data too (the
    countries, the questionnaire, the DLA priorities). One process runs them all last
    (pytest-django's order); ``pytest -n`` runs a file's tests together, so a later file's
    tests in that process would find no countries: ``pytest_runtest_setup`` puts the data
    back first."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            connection._migrated_contents = connection.creation.serialize_db_to_string()


_emptied = {"database": False}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if not _emptied["database"] or _transactional(item):
        return
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    _emptied["database"] = False
    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_migrated_contents", None)
            if contents is None:
                continue  # the database was never set up: no test has used it yet
            # Emptied again first: the flush after a test makes the content types anew.
            call_command(
                "flush",
                database=connection.alias,
                interactive=False,
                inhibit_post_migrate=True,
                verbosity=0,
            )
            connection.creation.deserialize_db_from_string(contents)
            # The rows came back with their keys, the sequences did not: set them past them.
            statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item):
    if _transactional(item):
        _emptied["database"] = True


def missing_service(what: str):
    """Skip loudly, or fail under CI, when a service the test needs is missing."""
    if CI:
        pytest.fail(f"{what}; CI=true requires it.", pytrace=False)
    _missing_services.append(what)
    pytest.skip(f"SERVICE MISSING: {what}")


def require_worker_services() -> str:
    """PostgreSQL and Redis, which a Celery worker process shares with the test; returns the
    broker's URL. Skips loudly (or fails under CI) when either is missing."""
    import redis
    from django.db import connection

    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL is not PostgreSQL, which a worker process can share")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        missing.append("CELERY_BROKER_URL does not point at Redis")
    else:
        try:
            redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at {broker} does not answer ({exc})")
    if missing:
        missing_service("; ".join(missing))
    return broker


def pytest_terminal_summary(terminalreporter):
    # Read from the skip reports too: under ``pytest -n`` the skips happen in other processes.
    missing = set(_missing_services)
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        if "SERVICE MISSING: " in reason:
            missing.add(reason.split("SERVICE MISSING: ", 1)[1])
    if missing:
        terminalreporter.section("SERVICES MISSING: tests were skipped", sep="!", red=True)
        for what in sorted(missing):
            terminalreporter.line(f"  {what}", red=True)
        terminalreporter.line(
            "  README.md says how to get PostgreSQL, Redis and Chromium, and how to point the "
            "tests at them (DATABASE_URL, CELERY_BROKER_URL).",
            red=True,
        )


@dataclass
class World:
    """Two networks of one programme, and a person in every role, for permission tests.

    ``network`` and ``municipality`` are the subjects; the others are outsiders to them.
    """

    programme: object
    network: object
    municipality: object
    neighbour: object  # another member of ``network``
    other_network: object
    other_municipality: object  # member of ``other_network`` only
    users: dict


@pytest.fixture
def world(db) -> World:
    programme = f.ProgrammeFactory(acronym="CEMSDI")
    municipality = f.MunicipalityFactory(name="Alta")
    neighbour = f.MunicipalityFactory(name="Hammerfest", region=municipality.region)
    other_municipality = f.MunicipalityFactory(name="Bodø")
    network = f.NetworkFactory(
        programme=programme, region=municipality.region, members=[municipality, neighbour]
    )
    other_network = f.NetworkFactory(
        programme=programme, region=other_municipality.region, members=[other_municipality]
    )
    users = {
        "anonymous": AnonymousUser(),
        "facilitator": f.facilitator_of(network, username="facilitator"),
        "other_facilitator": f.facilitator_of(other_network, username="other_facilitator"),
        "chief_executive": f.municipal(
            Role.Kind.CHIEF_EXECUTIVE, municipality, username="chief_executive"
        ),
        "mayor": f.municipal(Role.Kind.MAYOR, municipality, username="mayor"),
        "municipal_staff": f.municipal(
            Role.Kind.MUNICIPAL_STAFF, municipality, username="municipal_staff"
        ),
        "neighbour_chief_executive": f.municipal(
            Role.Kind.CHIEF_EXECUTIVE, neighbour, username="neighbour_chief_executive"
        ),
        "other_chief_executive": f.municipal(
            Role.Kind.CHIEF_EXECUTIVE, other_municipality, username="other_chief_executive"
        ),
        "project_officer": f.project_officer_of(programme, username="project_officer"),
        "other_officer": f.project_officer_of(f.ProgrammeFactory(), username="other_officer"),
        "no_role": f.UserFactory(username="no_role"),
        "staff": f.UserFactory(username="staff", is_staff=True, is_superuser=True),
    }
    return World(
        programme=programme,
        network=network,
        municipality=municipality,
        neighbour=neighbour,
        other_network=other_network,
        other_municipality=other_municipality,
        users=users,
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Nothing cached by one test (a comparison of the same ids) is read by the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in Norwegian leaves it active."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo data as ``make run`` loads it (``seed_demo``), once for the module that asks,
    inside a transaction rolled back at the module's end, so that other modules never see it
    and each test's own changes are rolled back to it (each test runs in a savepoint). Every
    later test of the module sees it too: a module puts its demo tests after the others."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    from networks.models import Programme

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield Programme.objects.get(acronym="CEMSDI")
        transaction.set_rollback(True)
