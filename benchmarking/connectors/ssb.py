"""SSB's PxWebApi v2: ``POST {SSB_PXWEB_URL}/tables/<id>/data?lang=no&outputFormat=json-stat2``
with the selection ``{"selection": [{"variableCode": .., "valueCodes": [..]}, ..]}``.

SSB answers at most ``SSB_MAX_CELLS`` (800,000) cells per request and 30 requests a minute per
client. The cells of a selection are the product of the numbers of chosen codes, so the region
list is split into chunks that stay under the limit (and the years too, when one region is
already too many); the answers are joined into one JSON-stat dataset (jsonstat.merge).
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _

from .base import Fetched, Query
from .http import SourceClient, SourceRefused
from .jsonstat import merge

SOURCE = "ssb"
TIME = "Tid"
CONTENTS = "ContentsCode"


def cells(*selections: list) -> int:
    """The cells a selection asks for: the product of the numbers of chosen codes."""
    count = 1
    for codes in selections:
        count *= len(codes)
    return count


def plan(query: Query, max_cells: int) -> list[tuple[list[str], list[str]]]:
    """(regions, years) of each request, every one at most ``max_cells`` cells."""
    years = [f"top({query.latest_years})"] if query.latest_years else [str(y) for y in query.years]
    year_count = query.latest_years or len(years)
    per_region = len(query.indicators) * year_count
    if per_region <= max_cells:
        step = max_cells // per_region
        return [(query.regions[i : i + step], years) for i in range(0, len(query.regions), step)]
    if len(query.indicators) > max_cells or query.latest_years:
        raise SourceRefused(
            source=SOURCE,
            table=query.table,
            reason=_(
                "one region alone makes %(cells)d cells, more than the %(limit)d a request may "
                "hold: choose fewer indicators or years."
            )
            % {"cells": per_region, "limit": max_cells},
        )
    step = max_cells // len(query.indicators)
    return [
        ([region], years[i : i + step])
        for region in query.regions
        for i in range(0, len(years), step)
    ]


def fetch(query: Query, *, max_cells: int | None = None) -> Fetched:
    max_cells = max_cells or settings.SSB_MAX_CELLS
    url = f"{settings.SSB_PXWEB_URL.rstrip('/')}/tables/{query.table}/data"
    documents, asked = [], []
    with SourceClient(SOURCE, query.table) as client:
        for regions, years in plan(query, max_cells):
            body = {
                "selection": [
                    {"variableCode": CONTENTS, "valueCodes": query.indicators},
                    {"variableCode": query.region_variable, "valueCodes": regions},
                    {"variableCode": TIME, "valueCodes": years},
                ]
            }
            asked.append(json.dumps(body, separators=(",", ":")))
            response = client.request(
                "POST", url, params={"lang": "no", "outputFormat": "json-stat2"}, json=body
            )
            if response.status_code == 413:
                raise SourceRefused(
                    source=SOURCE, table=query.table, reason=f"HTTP 413: {response.text[:200]}"
                )
            documents.append((response.content, client.json(response)))
        calls = client.calls
    if len(documents) == 1:
        data = documents[0][0]  # as SSB sent it
    else:
        data = json.dumps(merge([doc for _raw, doc in documents]), ensure_ascii=False).encode()
    return Fetched(data=data, file_name=f"ssb-{query.table}.json", calls=calls, requests=asked)
