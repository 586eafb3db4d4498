"""Live statistics connectors: SSB's PxWebApi v2, Eurostat's dissemination API, Kolada's API
v3, SSB's KLASS (KOSTRA groups), ISTAT's SDMX REST API and INE Spain's Tempus3 JSON-stat.
Each turns a ``base.Query`` into one file (``base.Fetched``) that the importer previews and
applies exactly as an upload (feeds.py); ``http.py`` is the one HTTP path, with its retries,
back-off and rate limit."""

from . import eurostat, ine_es, istat, klass, kolada, ssb
from .base import Fetched, Query
from .http import SourceError, SourceRefused, SourceUnavailable

FETCHERS = {
    "ssb": ssb.fetch,
    "eurostat": eurostat.fetch,
    "kolada": kolada.fetch,
    "klass": klass.fetch,
    "istat": istat.fetch,
    "ine_es": ine_es.fetch,
}

__all__ = ["FETCHERS", "Fetched", "Query", "SourceError", "SourceRefused", "SourceUnavailable"]
