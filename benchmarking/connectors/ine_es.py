"""INE Spain's Tempus3 API: ``GET {INE_ES_URL}/DATASET/<table>?date=<from>:<to>`` (or
``nult=<N>`` for the latest N periods) answers JSON-stat 2.0, kept as INE sent it; the
importer reads it as an uploaded file (readers.py, then layouts.py for INE's area codes).

INE's area codes are ``<level>_<code>``: a 5-digit code is a municipio (INE's own code, as
the register holds it), ``5_00`` the whole of Spain (kept as the country's reference value);
provinces (``4_``) and autonomous communities (``1_``) are regional figures, which the preview
lists as such: no municipality matches them. A table answers every area it has, so the feed's
regions are not sent; the import keeps Spain's municipalities in the register.
"""

from django.conf import settings

from .base import Fetched, Query
from .http import SourceClient

SOURCE = "ine_es"


def _params(query: Query) -> dict:
    if query.latest_years:
        return {"nult": query.latest_years}
    if query.years:
        return {"date": f"{min(query.years)}0101:{max(query.years)}1231"}
    return {}


def fetch(query: Query) -> Fetched:
    url = f"{settings.INE_ES_URL.rstrip('/')}/DATASET/{query.table}"
    with SourceClient(SOURCE, query.table) as client:
        response = client.request("GET", url, params=_params(query))
        client.json(response)  # an answer that is not JSON fails here, with its message
        calls = client.calls
    return Fetched(
        data=response.content, file_name=f"ine-es-{query.table}.json", calls=calls,
        requests=[response.url],
    )  # fmt: skip
