"""Kolada's API v3: ``GET {KOLADA_URL}/data/kpi/<ids>/municipality/<ids>/year/<years>``
answers JSON pages of at most ``KOLADA_PER_PAGE`` (5,000) values::

    {"count": 7, "values": [{"kpi": "N00945", "municipality": "0180", "period": 2020,
      "values": [{"gender": "T", "count": 1, "status": "", "value": 12.3}, ...]}, ...],
     "next_url": "https://api.kolada.se/v3/data/...&page=2", "previous_url": null}

The connector follows the next-page link (``next_url``; v2 called it ``next_page``) until
there is none, only on Kolada's own host. Kolada's JSON is not JSON-stat: the values become a
CSV the CSV reader reads (region_code, region_name, indicator, indicator_name, year, value,
status), so the import and its preview are the same as an upload's. Only the total of both
genders (``T``) is kept; Kolada's ``0000`` (the whole of Sweden) becomes ``EAK``, the code the
importer keeps as the country's reference value.
"""

import csv
import io
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .base import Fetched, Query
from .http import SourceClient, SourceUnavailable

SOURCE = "kolada"
TOTAL = "T"
COUNTRY = {"0000": "EAK"}
MAX_PAGES = 1000
COLUMNS = ["region_code", "region_name", "indicator", "indicator_name", "year", "value", "status"]


def _years(query: Query) -> list[int]:
    if query.latest_years:
        this_year = date.today().year
        return list(range(this_year - query.latest_years, this_year))
    return list(query.years)


def _same_host(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def _rows(values: list) -> list[list[str]]:
    rows = []
    for item in values:
        for cell in item.get("values") or []:
            if cell.get("gender", TOTAL) != TOTAL:
                continue
            value = cell.get("value")
            code = str(item.get("municipality", ""))
            rows.append([
                COUNTRY.get(code, code),
                "",
                str(item.get("kpi", "")),
                "",
                str(item.get("period", "")),
                "" if value is None else repr(float(value)),
                ".." if value is None else "",
            ])  # fmt: skip
    return rows


def fetch(query: Query) -> Fetched:
    base = settings.KOLADA_URL.rstrip("/")
    kpis = ",".join(code.strip() for code in query.table.split(",") if code.strip())
    url = (
        f"{base}/data/kpi/{kpis}/municipality/{','.join(query.regions)}"
        f"/year/{','.join(str(y) for y in _years(query))}"
    )
    params = {"per_page": settings.KOLADA_PER_PAGE}
    rows, asked = [], []
    with SourceClient(SOURCE, kpis) as client:
        for _page in range(MAX_PAGES):
            asked.append(url)
            body = client.json(client.request("GET", url, params=params))
            rows += _rows(body.get("values") or [])
            following = body.get("next_url") or body.get("next_page")
            if not following:
                break
            if not _same_host(following, base):
                raise SourceUnavailable(
                    source=SOURCE,
                    table=kpis,
                    reason=_("the next page is on another host (%(url)s); not followed.")
                    % {"url": following[:100]},
                )
            url, params = following, None  # the link carries its own parameters
        calls = client.calls
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return Fetched(
        data=out.getvalue().encode(), file_name=f"kolada-{kpis}.csv", calls=calls, requests=asked
    )
