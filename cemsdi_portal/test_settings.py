"""Settings for the test suite: the production settings with test-only defaults.

``DATABASE_URL`` and ``CELERY_BROKER_URL`` still come from the environment, so that
``make test`` runs against PostgreSQL and Redis when they are set.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from .settings import *  # noqa: F403

# Tasks run in process unless a test starts a real worker (tests/services/).
CELERY_TASK_ALWAYS_EAGER = True
# Fast hashing: the tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files from the source folders, as in development (no collectstatic needed).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Each test starts with an empty cache in its own process (tests/conftest.py clears it).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
