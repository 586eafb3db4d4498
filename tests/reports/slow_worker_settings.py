"""Settings of a Celery worker whose renders take a minute (test_worker.py kills it in the
middle of one). Everything else is the production settings, as in tests/services."""

from cemsdi_portal.settings import *  # noqa: F403

REPORTS_TEST_RENDER_DELAY = 60
