"""Eurostat's dissemination API: ``GET {EUROSTAT_URL}/data/<dataset>?format=JSON&lang=EN
&geo=..&geo=..&time=..&<dimension>=<code>`` answers JSON-stat 2.0.

Long lists of regions make long addresses, so the regions are asked in chunks of
``EUROSTAT_GEO_PER_REQUEST``. A large extraction is prepared asynchronously: Eurostat then
answers (with HTTP 200 or 413) a body whose warning or error label begins
``ASYNCHRONOUS_RESPONSE`` ("Your request will be treated asynchronously. Please try again
later."), and the same request answers the data once it is ready. The connector asks again
after ``EUROSTAT_ASYNC_WAIT`` seconds, at most ``EUROSTAT_ASYNC_POLLS`` times, then gives up
with a message (the next run asks again). Indicators are ``dimension=code`` filters.
"""

import json
import time

from django.conf import settings
from django.utils.translation import gettext as _

from .base import Fetched, Query
from .http import SourceClient, SourceRefused, SourceUnavailable, _reason
from .jsonstat import merge

SOURCE = "eurostat"
ASYNCHRONOUS = "ASYNCHRONOUS_RESPONSE"


def _labels(body) -> list[str]:
    if not isinstance(body, dict):
        return []
    found = []
    for key in ("warning", "error"):
        part = body.get(key)
        for item in part if isinstance(part, list) else [part]:
            if isinstance(item, dict) and isinstance(item.get("label"), str):
                found.append(item["label"])
    return found


def is_asynchronous(body) -> bool:
    return any(label.startswith(ASYNCHRONOUS) for label in _labels(body))


def filters(query: Query, geo: list[str]) -> list[tuple[str, str]]:
    params = [("format", "JSON"), ("lang", "EN")]
    for item in query.indicators:
        dimension, _sep, code = item.partition("=")
        if not code:
            raise SourceRefused(
                source=SOURCE,
                table=query.table,
                reason=_("“%(item)s” is not a filter of the form dimension=code.") % {"item": item},
            )
        params.append((dimension.strip(), code.strip()))
    params += [("geo", code) for code in geo]
    if query.latest_years:
        params.append(("lastTimePeriod", str(query.latest_years)))
    else:
        params += [("time", str(year)) for year in query.years]
    return params


def _ask(client: SourceClient, url: str, params, query: Query, sleep):
    """The dataset of one request, asking again while Eurostat prepares it."""
    for attempt in range(settings.EUROSTAT_ASYNC_POLLS + 1):
        response = client.request("GET", url, params=params)
        body = client.json(response)
        if is_asynchronous(body):
            if attempt < settings.EUROSTAT_ASYNC_POLLS:
                sleep(settings.EUROSTAT_ASYNC_WAIT)
            continue
        if response.status_code == 413 or "error" in body:
            raise SourceRefused(
                source=SOURCE, table=query.table, reason=_reason(response),
                status=response.status_code,
            )  # fmt: skip
        return body
    raise SourceUnavailable(
        source=SOURCE,
        table=query.table,
        reason=_(
            "Eurostat is still preparing the extraction after %(count)d tries; the next run "
            "asks again."
        )
        % {"count": settings.EUROSTAT_ASYNC_POLLS + 1},
    )


def fetch(query: Query, *, sleep=time.sleep) -> Fetched:
    url = f"{settings.EUROSTAT_URL.rstrip('/')}/data/{query.table}"
    step = settings.EUROSTAT_GEO_PER_REQUEST
    chunks = [query.regions[i : i + step] for i in range(0, len(query.regions), step)] or [[]]
    documents, asked = [], []
    with SourceClient(SOURCE, query.table) as client:
        for geo in chunks:
            params = filters(query, geo)
            asked.append("&".join(f"{k}={v}" for k, v in params))
            documents.append(_ask(client, url, params, query, sleep))
        calls = client.calls
    data = json.dumps(merge(documents), ensure_ascii=False).encode()
    return Fetched(data=data, file_name=f"eurostat-{query.table}.json", calls=calls, requests=asked)
