"""Settings for the CEMSDI portal, read from the environment.

With nothing set, the portal runs on the embedded default: SQLite in ``var/`` and Celery
tasks run in process. Production sets at least ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` and ``CELERY_BROKER_URL`` (see README.md and docker-compose.yml).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cemsdi_portal.core.database import sqlite_options

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("CEMSDI_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for a local development run."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "cemsdi_portal.core",
    "networks",
    "notices",
    "sessions_app",
    "benchmarking",
    "assessment",
    "strategies",
    "reports",
    "community",
    "privacy",
    "hub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After LocaleMiddleware and the user: a signed-in person's own language decides.
    "networks.language.UserLanguageMiddleware",
    # A network's pages show its country's time zone; each request starts in the portal's.
    "networks.countries.ZoneMiddleware",
    "cemsdi_portal.core.htmx_auth.SignedOutMiddleware",  # htmx meets an ended session: 401
    # Refuses a body larger than REQUEST_MAX_MB before anything reads it: no middleware above
    # reads the body, and CSRF reads it only once every middleware has let the request pass.
    "cemsdi_portal.core.middleware.RequestSizeLimitMiddleware",
    "cemsdi_portal.core.middleware.IdleSessionMiddleware",
    "cemsdi_portal.core.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Under DEBUG (`make run`) a wrong address shows the portal's own 404 page, as production does,
# instead of Django's list of URL patterns (core/debug404.py); the technical 500 page and
# runserver's reloading stay. DEBUG_TECHNICAL_404=true keeps Django's page.
if DEBUG and not env.bool("DEBUG_TECHNICAL_404", default=False):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
        "cemsdi_portal.core.debug404.OwnNotFoundPageMiddleware",
    )

ROOT_URLCONF = "cemsdi_portal.urls"
WSGI_APPLICATION = "cemsdi_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notices.context_processors.unread_notices",
            ],
        },
    },
]

if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default's first run
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serves one process (gunicorn.conf.py refuses more workers): see sqlite_options.
    DATABASES["default"]["OPTIONS"] = sqlite_options(DATABASES["default"].get("OPTIONS", {}))
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep connections open between requests (a new PostgreSQL connection costs milliseconds),
# checked before reuse so that a restarted database is not an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache keeps computed key-figure comparisons until the figures change (benchmarking/
# cache.py). Every process that serves pages or runs imports must share it: in production a
# Redis database, e.g. CACHE_URL=redis://redis:6379/1. The default (in process) suits a
# single process that runs its tasks in process, as `make run` does.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# With a shared cache, sessions are read from it and written through to the database; an
# in-process cache would let one process keep a session that another has ended.
if env.str("CACHE_URL", default=""):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "networks.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a sign-in while its username and address are cooling off.
    "axes.backends.AxesStandaloneBackend",
    # Object permissions (networks/rules.py), then Django's own for the admin.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Invitation and password-reset links stay valid for a week: invitees are busy chief executives.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
# An invitation not accepted within this many days expires; inviting again renews it.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("nb", _("Norwegian Bokmål")),
    ("pt", _("Portuguese")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cemsdi_portal.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Gathering materials (slides, documents): the largest file accepted.
MAX_MATERIAL_MB = env.int("MAX_MATERIAL_MB", default=20)
# Key-figure files (CSV, Excel, JSON-stat): the largest file an import reads.
MAX_IMPORT_MB = env.int("MAX_IMPORT_MB", default=20)
# Similar municipalities (benchmarking/similar.py): how many nearest neighbours each one gets,
# and the structural key figures they are compared on (indicator codes; "log:" before a code
# compares its logarithm, as for sizes; "*2" after it weighs it twice). A municipality lacking
# one of them is compared on those it has. Further codes apply where they have figures.
SIMILAR_MUNICIPALITIES_COUNT = env.int("SIMILAR_MUNICIPALITIES_COUNT", default=10)
SIMILAR_MUNICIPALITIES_VARIABLES = env.list(
    "SIMILAR_MUNICIPALITIES_VARIABLES",
    default=["log:REG-population", "log:REG-density", "log:REG-area"],
)
# A request whose declared body is larger than this is refused with 413 before it is read
# (core/middleware.py): the largest upload plus room for the form around it, so that a file
# just over its limit still gets the form's own message. The TLS proxy in front should refuse
# the same (nginx: client_max_body_size, see README.md).
REQUEST_MAX_MB = env.int("REQUEST_MAX_MB", default=max(MAX_MATERIAL_MB, MAX_IMPORT_MB) + 5)
# Form fields other than files, together (Django refuses more with 400); uploaded files larger
# than FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB: far more than any text a page sends
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: the console by default; EMAIL_URL=smtp+tls://user:password@host:587 in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CEMSDI portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the accessibility statement asks people to report a barrier (empty: the first of
# ADMINS, else DEFAULT_FROM_EMAIL's address), and within how many working days we answer.
ACCESSIBILITY_CONTACT = env.str("ACCESSIBILITY_CONTACT", default="")
ACCESSIBILITY_ANSWER_WORKING_DAYS = env.int("ACCESSIBILITY_ANSWER_WORKING_DAYS", default=10)
# The address invitation links point at (no request is at hand in a Celery task).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery. Without a broker (the embedded default) tasks run in process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB: recycle a child before it grows unbounded
# Longer than any retry delay, so a late-acked task is not redelivered while it waits.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Reminders go out each morning, the configured number of days before each gathering.
    "gathering-reminders": {
        "task": "sessions_app.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Owners of measures that wait for them get one digest a week, on Monday morning.
    "measure-digests": {
        "task": "strategies.tasks.send_measure_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    # Notices that people chose to get in a digest: daily each morning, weekly on Monday.
    "notice-digests-daily": {
        "task": "notices.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=15),
    },
    "notice-digests-weekly": {
        "task": "notices.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=45),
    },
    # Report renders whose worker died are queued again (or failed); unsent requests are sent.
    "report-sweep": {
        "task": "reports.tasks.sweep_reports",
        "schedule": crontab(minute="*/5"),
    },
    # Statistics feeds whose source has published since their last applied run are refreshed.
    "statistics-feeds": {
        "task": "benchmarking.refresh_due_feeds",
        "schedule": crontab(hour=6, minute=10),
    },
}

# Live statistics connectors (benchmarking/connectors/). The base URLs are settings so that
# the tests point them at a local server; nothing else in the project calls these hosts.
SSB_PXWEB_URL = env.str("SSB_PXWEB_URL", default="https://data.ssb.no/api/pxwebapi/v2")
SSB_KLASS_URL = env.str("SSB_KLASS_URL", default="https://data.ssb.no/api/klass/v1")
EUROSTAT_URL = env.str(
    "EUROSTAT_URL", default="https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0"
)
KOLADA_URL = env.str("KOLADA_URL", default="https://api.kolada.se/v3")
ISTAT_SDMX_URL = env.str("ISTAT_SDMX_URL", default="https://esploradati.istat.it/SDMXWS/rest")
INE_ES_URL = env.str("INE_ES_URL", default="https://servicios.ine.es/wstempus/jsstat/ES")
ISTAT_AREAS_PER_REQUEST = env.int("ISTAT_AREAS_PER_REQUEST", default=50)  # address length
ISTAT_MAX_REQUESTS = env.int("ISTAT_MAX_REQUESTS", default=5)  # more: one request for all areas
SSB_MAX_CELLS = env.int("SSB_MAX_CELLS", default=800_000)  # SSB's limit per request
KOLADA_PER_PAGE = env.int("KOLADA_PER_PAGE", default=5000)  # Kolada's page size
EUROSTAT_GEO_PER_REQUEST = env.int("EUROSTAT_GEO_PER_REQUEST", default=50)  # address length
EUROSTAT_ASYNC_POLLS = env.int("EUROSTAT_ASYNC_POLLS", default=10)
EUROSTAT_ASYNC_WAIT = env.float("EUROSTAT_ASYNC_WAIT", default=30.0)  # seconds between polls
# Calls per minute and client: SSB publishes 30; ISTAT takes about 5 a minute from one address
# (as its users report; more gets the address blocked); the others publish none, so 30.
CONNECTOR_CALLS_PER_MINUTE = {
    "ssb": 30, "klass": 30, "eurostat": 30, "kolada": 30, "istat": 5, "ine_es": 30
}  # fmt: skip
CONNECTOR_TIMEOUT = env.float("CONNECTOR_TIMEOUT", default=60.0)  # seconds per request
CONNECTOR_RETRIES = env.int("CONNECTOR_RETRIES", default=4)
CONNECTOR_BACKOFF_FACTOR = env.float("CONNECTOR_BACKOFF_FACTOR", default=2.0)
CONNECTOR_BACKOFF_MAX = env.float("CONNECTOR_BACKOFF_MAX", default=120.0)
CONNECTOR_USER_AGENT = env.str("CONNECTOR_USER_AGENT", default="cemsdi-portal (statistics feeds)")

# Review reports (reports/). A render is stopped softly after REPORTS_SOFT_TIME_LIMIT seconds
# and killed at REPORTS_TIME_LIMIT; one still "running" REPORTS_STALE_AFTER seconds after it
# started lost its worker, and the sweeper queues it again, up to REPORTS_MAX_ATTEMPTS renders.
# Transient errors retry with exponential back-off up to REPORTS_RETRY_BACKOFF_MAX seconds:
# every one of these stays below the broker's visibility timeout (tests/reports checks it).
REPORTS_SOFT_TIME_LIMIT = env.int("REPORTS_SOFT_TIME_LIMIT", default=120)
REPORTS_TIME_LIMIT = env.int("REPORTS_TIME_LIMIT", default=150)
REPORTS_STALE_AFTER = env.int("REPORTS_STALE_AFTER", default=300)
REPORTS_RESEND_AFTER = env.int("REPORTS_RESEND_AFTER", default=900)
REPORTS_MAX_ATTEMPTS = env.int("REPORTS_MAX_ATTEMPTS", default=3)
REPORTS_RETRY_BACKOFF = 10
REPORTS_RETRY_BACKOFF_MAX = 600
REPORTS_MAX_RETRIES = 5
# The static files the PDF renderer may read (folder: file types); it fetches nothing else.
REPORTS_STATIC_ALLOWED = {"fonts/": (".ttf",)}

# Strategies: a measure nobody has updated for this many days is flagged as waiting; an editor
# is shown as present on a section while their page has pinged within PRESENCE_SECONDS.
STRATEGY_STALE_DAYS = env.int("STRATEGY_STALE_DAYS", default=30)
STRATEGY_PRESENCE_SECONDS = env.int("STRATEGY_PRESENCE_SECONDS", default=60)

# Security. Production (DEBUG off) defaults to HTTPS everywhere; a deployment without TLS in
# front (the docker-compose trial) turns these off explicitly through the environment.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise the domain's owner makes to browser vendors; it is theirs to turn on.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
USE_X_FORWARDED_PROTO = env.bool("USE_X_FORWARDED_PROTO", default=False)
if USE_X_FORWARDED_PROTO:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies in front of the portal that append the address they received a request from to
# X-Forwarded-For (one TLS proxy: 1). The client's address is read that many places from the
# header's end (core/throttling.py client_ip); with 0 the header is ignored, as anyone can send
# it. Sign-in and password-reset throttling count per client address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if USE_X_FORWARDED_PROTO else 0)
SESSION_COOKIE_HTTPONLY = True
# A session ends after this many seconds without a request (core/middleware.py renews it at
# most every few minutes while the person works); Django gives a new session key at sign-in.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 3600)
SESSION_RENEW_AFTER = 300

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair waits AXES_COOLOFF_TIME; a right password resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The username as django-axes records it, cut to the length of its column (core/throttling.py).
AXES_USERNAME_CALLABLE = "cemsdi_portal.core.throttling.attempted_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address behind the proxy (TRUSTED_PROXY_COUNT). django-axes' own AXES_IPWARE_*
# settings need django-ipware; without it they were silently ignored and every failure counted
# under the proxy's address, so anyone could pause anyone's sign-in.
AXES_CLIENT_IP_CALLABLE = "cemsdi_portal.core.throttling.client_ip"

# Password reset (core/passwords.py): requests for one address, and from one client address,
# per PASSWORD_RESET_WINDOW_MINUTES, counted in the cache; more get a message and no e-mail.
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)
AXES_VERBOSE = False

# Content Security Policy (django-csp): only the portal's own files; no inline script or style
# (htmx's indicator style is turned off in base.html), no frames, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws form controls with data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
    # The admin's own pages carry inline scripts.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
}
SECURE_REFERRER_POLICY = "same-origin"
# Health checks call the portal over plain HTTP from inside its own network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # security.W021 (HSTS preload): see SECURE_HSTS_PRELOAD above; the domain owner's decision.
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes logs every sign-in at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}
