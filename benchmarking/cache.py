"""Key figures change only when someone imports or edits them, so what the comparison page
computes from them is kept in the cache until they do.

Every cache key carries the *data version*: a value stored in the cache that changes after
every commit that changes key figures (an import, a standings refresh, an edit of an indicator,
an observation, a reference value, a municipality, a network or its members; see
``signals.py``). A new version is never an old one (it is a clock reading in nanoseconds), so
an entry computed before a change is never read after it, and if the cache loses the version
a new one starts. The cache must be shared by every process that serves pages or runs imports
(Redis in production, ``CACHE_URL``); the in-process default suits one process with tasks run
in process.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "benchmarking:data-version"
TIMEOUT = 24 * 3600  # entries of versions no longer asked for age out


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def data_changed() -> None:
    """Key figures changed: nothing cached before is read again. The version changes now
    (for the rest of this transaction) and again once it commits (another process may have
    cached the figures as they stood before the commit in the meantime)."""
    _bump()
    transaction.on_commit(_bump)


def cached(parts: tuple, build):
    """``build()``'s result for these key parts in the current data version."""
    digest = hashlib.sha256(repr((data_version(), *parts)).encode()).hexdigest()
    key = f"benchmarking:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
