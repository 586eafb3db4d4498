"""The one HTTP path of the connectors: a ``requests`` session per source with retries,
back-off, time-outs and a rate limit shared by every process.

* Retries: ``urllib3.util.Retry`` on 429, 500, 502, 503 and 504 (and on broken connections),
  for GET and POST alike (a statistics query changes nothing at the source), with exponential
  back-off (``CONNECTOR_BACKOFF_FACTOR``) and the source's ``Retry-After`` honoured.
* Rate limit: ``RateLimiter``, a fixed window per source and minute counted in Django's cache
  (Redis when ``CACHE_URL`` is set, so every web and worker process counts together): a call
  that would exceed the source's calls per minute (``CONNECTOR_CALLS_PER_MINUTE``) sleeps
  until the next window instead. Retries are calls too and are counted.
* Refusals: a 4xx answer raises ``SourceRefused`` naming the source, the table and the reason
  the source gave in its body; a source that stays unreachable raises ``SourceUnavailable``.

Base URLs are settings (``SSB_PXWEB_URL``, ``EUROSTAT_URL``, ``KOLADA_URL``, ``SSB_KLASS_URL``,
``ISTAT_SDMX_URL``, ``INE_ES_URL``),
so that the tests point them at a local server.
"""

import json
import time
from collections.abc import Callable

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

SOURCE_NAMES = {
    "ssb": "SSB (Statistics Norway) PxWebApi",
    "eurostat": "Eurostat",
    "kolada": "Kolada",
    "klass": "SSB KLASS",
    "istat": "ISTAT SDMX",
    "ine_es": "INE (Spain) Tempus3",
}
RETRIED_STATUSES = (429, 500, 502, 503, 504)
LONGEST_REASON = 300


class SourceError(Exception):
    """A fetch that did not succeed: ``str()`` is the message for the administrator."""

    def __init__(self, *, source: str, table: str, reason: str, status: int | None = None):
        self.source, self.table, self.reason, self.status = source, table, reason, status
        super().__init__(self.message())

    def message(self) -> str:
        return _("%(source)s refused table %(table)s: %(reason)s") % {
            "source": SOURCE_NAMES.get(self.source, self.source),
            "table": self.table,
            "reason": self.reason,
        }


class SourceRefused(SourceError):
    """The source answered 4xx: the request itself is wrong (too many cells, unknown table)."""


class SourceUnavailable(SourceError):
    """The source did not answer usefully, after the retries."""

    def message(self) -> str:
        return _("%(source)s could not deliver table %(table)s: %(reason)s") % {
            "source": SOURCE_NAMES.get(self.source, self.source),
            "table": self.table,
            "reason": self.reason,
        }


class RateLimiter:
    """At most ``per_minute`` calls to ``source`` in each clock minute, across processes.

    ``clock`` and ``sleep`` are parameters so that a test can run a minute without waiting
    one. The counter is an atomic ``cache.incr`` on a key per source and minute.
    """

    def __init__(
        self,
        source: str,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.source, self.per_minute = source, per_minute
        self.clock, self.sleep = clock, sleep
        self.waited = 0.0  # seconds slept so far, for the fetch's report

    def acquire(self) -> None:
        while True:
            now = self.clock()
            window = int(now // 60)
            key = f"connectors:calls:{self.source}:{window}"
            cache.add(key, 0, timeout=120)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr: a new window
                cache.add(key, 1, timeout=120)
                count = 1
            if count <= self.per_minute:
                return
            pause = (window + 1) * 60 - now
            self.waited += pause
            self.sleep(pause)


class LimitedRetry(Retry):
    """urllib3's retry, which also waits for the rate limiter before each retry."""

    limiter: RateLimiter | None = None

    def new(self, **kw):
        retry = super().new(**kw)
        retry.limiter = self.limiter
        return retry

    def sleep(self, response=None):
        super().sleep(response)
        if self.limiter is not None:
            self.limiter.acquire()


def _reason(response: requests.Response) -> str:
    """What the source says is wrong, from its error body (JSON of several shapes, or text)."""
    text = response.text.strip()
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    parts = []
    if isinstance(body, dict):
        error = body.get("error") or body.get("errors") or body.get("warning")
        if isinstance(error, list):  # Eurostat: [{"status":..,"label":..}]
            parts += [str(e.get("label") or e) for e in error if isinstance(e, dict)]
        elif isinstance(error, dict):
            parts.append(str(error.get("label") or error.get("message") or error))
        elif isinstance(error, str):
            parts.append(error)
        for key in ("title", "detail", "message", "description"):  # RFC 7807, Kolada, KLASS
            if isinstance(body.get(key), str) and body[key] not in parts:
                parts.append(body[key])
    elif isinstance(body, list):
        parts += [str(item) for item in body[:3]]
    reason = "; ".join(p for p in parts if p) or text or response.reason or ""
    reason = " ".join(reason.split())
    if len(reason) > LONGEST_REASON:
        reason = reason[: LONGEST_REASON - 1] + "…"
    return f"HTTP {response.status_code}: {reason}" if reason else f"HTTP {response.status_code}"


class SourceClient:
    """A session for one source and table: every call waits for the rate limit, retries and
    backs off, and raises ``SourceRefused``/``SourceUnavailable`` instead of answering an
    error. ``calls`` counts the requests made (retries included)."""

    def __init__(self, source: str, table: str, *, limiter: RateLimiter | None = None):
        self.source, self.table = source, table
        limits = settings.CONNECTOR_CALLS_PER_MINUTE
        self.limiter = limiter or RateLimiter(source, limits.get(source, 30))
        retry = LimitedRetry(
            total=settings.CONNECTOR_RETRIES,
            connect=settings.CONNECTOR_RETRIES,
            read=settings.CONNECTOR_RETRIES,
            status=settings.CONNECTOR_RETRIES,
            status_forcelist=RETRIED_STATUSES,
            allowed_methods=frozenset({"GET", "POST"}),
            backoff_factor=settings.CONNECTOR_BACKOFF_FACTOR,
            backoff_max=settings.CONNECTOR_BACKOFF_MAX,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.limiter = self.limiter
        self.session = requests.Session()
        self.session.headers["User-Agent"] = settings.CONNECTOR_USER_AGENT
        self.session.headers["Accept"] = "application/json"
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.calls = 0

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """The source's answer to one request; 2xx only, and 413 for the caller to read
        (Eurostat answers an asynchronous extraction with 413)."""
        self.limiter.acquire()
        self.calls += 1
        try:
            response = self.session.request(
                method, url, timeout=settings.CONNECTOR_TIMEOUT, allow_redirects=False, **kwargs
            )
        except requests.exceptions.RetryError as exc:
            raise SourceUnavailable(
                source=self.source, table=self.table, reason=_("no answer after the retries")
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise SourceUnavailable(
                source=self.source, table=self.table, reason=exc.__class__.__name__
            ) from exc
        history = getattr(response.raw, "retries", None)
        if history is not None:
            self.calls += len(history.history)
        if response.status_code == 413 or 200 <= response.status_code < 300:
            return response
        if 400 <= response.status_code < 500 and response.status_code != 429:
            raise SourceRefused(
                source=self.source,
                table=self.table,
                reason=_reason(response),
                status=response.status_code,
            )
        raise SourceUnavailable(
            source=self.source, table=self.table, reason=_reason(response),
            status=response.status_code,
        )  # fmt: skip

    def json(self, response: requests.Response):
        try:
            return response.json()
        except ValueError as exc:
            raise SourceUnavailable(
                source=self.source, table=self.table, reason=_("the answer is not JSON")
            ) from exc
