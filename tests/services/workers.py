"""A Celery worker process for the tests of the real path, started as operators start it
(``celery -A cemsdi_portal worker``) against the test database and the test's broker."""

import os
import subprocess
import sys
from contextlib import contextmanager

from django.db import connection

from cemsdi_portal.celery import app as celery_app
from tests.conftest import require_worker_services

WAIT_SECONDS = 60


@contextmanager
def celery_worker(**extra_env: str):
    """Run a worker with the test database and broker, and ``extra_env`` (an e-mail folder,
    a source's address) in its environment; tasks are queued, not run eagerly, meanwhile.
    Yields the process; its output is printed when it did not stop cleanly."""
    broker = require_worker_services()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cemsdi_portal.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": broker,
        **extra_env,
    }
    celery_app.control.purge()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cemsdi_portal", "worker", "--pool=solo",
         "--loglevel=INFO", "--without-gossip", "--without-mingle"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager = eager
        process.terminate()
        output, _ = process.communicate(timeout=30)
        if process.returncode not in (0, -15):
            print(output)  # shown when the test fails
