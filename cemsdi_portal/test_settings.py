"""Settings for the test suite: the production settings with test-only defaults.

``DATABASE_URL`` and ``CELERY_BROKER_URL`` still come from the environment, so that
``make test`` runs against PostgreSQL and Redis when they are set.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)


def _own_per_test_process() -> None:
    """Under ``pytest -n`` (``make test``) each test process gets its own Redis database for
    the broker and its own var/ folder (media files), as pytest-django gives it its own test
    database; the environment carries them to the Celery workers the tests start."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
    if not worker.startswith("gw"):
        return
    number = int(worker[2:])
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis"):
        base, _, database = broker.rstrip("/").rpartition("/")
        if not database.isdigit():
            base, database = broker.rstrip("/"), "0"
        os.environ["CELERY_BROKER_URL"] = f"{base}/{int(database) + number}"
    var_dir = os.environ.get("CEMSDI_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var"))
    os.environ["CEMSDI_VAR_DIR"] = str(Path(var_dir) / f"test-{worker}")


_own_per_test_process()

from .settings import *  # noqa: E402, F403

# Tasks run in process unless a test starts a real worker (tests/services/).
CELERY_TASK_ALWAYS_EAGER = True
# Fast hashing: the tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files from the source folders, as in development (no collectstatic needed).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Each test starts with an empty cache in its own process (tests/conftest.py clears it).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
