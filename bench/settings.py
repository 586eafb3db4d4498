"""Settings for the bench's server: the production settings (DEBUG off, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL from the environment) with the bench's URLconf, plain HTTP on
127.0.0.1, and static files without a manifest (the bench does not collect them)."""

import warnings

from cemsdi_portal.settings import *  # noqa: F403
from cemsdi_portal.settings import STORAGES

DEBUG = False
ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise looks for collected files, which the bench neither has nor requests.
warnings.filterwarnings("ignore", message="No directory at")
