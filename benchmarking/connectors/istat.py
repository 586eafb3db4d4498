"""ISTAT's SDMX REST API (Italy): ``GET {ISTAT_SDMX_URL}/data/<dataflow>/<key>?startPeriod=..
&endPeriod=..`` with ``Accept: application/vnd.sdmx.data+csv;version=1.0.0`` answers SDMX-CSV
(``DATAFLOW, FREQ, <dimensions>, TIME_PERIOD, OBS_VALUE, <attributes>``), which the importer
reads as it reads an uploaded SDMX-CSV file (layouts.py): areas in ``ITTER107``, comuni by
their 6-digit ISTAT code.

The key is the feed's first indicator: the dataflow's dimensions in its order, separated by
dots, with ``{regions}`` where the area goes (``A.F.{regions}.KILLINJ`` for 41_983: frequency,
outcome, area, data type); the connector puts the areas there, joined by ``+``, in chunks of
``ISTAT_AREAS_PER_REQUEST``, and joins the answers under one header. More areas than
``ISTAT_MAX_REQUESTS`` chunks hold (a feed of all Italy's comuni: 158 requests, half an hour at
ISTAT's rate) are asked in one request for every area, the key's area place left empty as SDMX
allows; the importer keeps the register's comuni and lists the rest. The latest N years are
``lastNObservations``.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from .base import Fetched, Query
from .http import SourceClient, SourceRefused, SourceUnavailable

SOURCE = "istat"
SDMX_CSV = "application/vnd.sdmx.data+csv;version=1.0.0"
PLACE = "{regions}"
KEY = re.compile(r"^[A-Za-z0-9_+.@-]*$")  # goes into the address


def series_key(query: Query, areas: list[str]) -> str:
    key = (query.indicators or [""])[0].strip()
    if PLACE not in key or not KEY.match(key.replace(PLACE, "")):
        raise SourceRefused(
            source=SOURCE,
            table=query.table,
            reason=_(
                "the series key “%(key)s” needs {regions} where the area goes, e.g. "
                "A.F.{regions}.KILLINJ, and only letters, digits, dots and +."
            )
            % {"key": key[:80]},
        )
    return key.replace(PLACE, "+".join(areas))


def _params(query: Query) -> dict:
    if query.latest_years:
        return {"lastNObservations": query.latest_years}
    if query.years:
        return {"startPeriod": min(query.years), "endPeriod": max(query.years)}
    return {}


def fetch(query: Query) -> Fetched:
    base = settings.ISTAT_SDMX_URL.rstrip("/")
    step = settings.ISTAT_AREAS_PER_REQUEST
    chunks = [query.regions[i : i + step] for i in range(0, len(query.regions), step)]
    if len(chunks) > settings.ISTAT_MAX_REQUESTS:
        chunks = [[]]  # every area: "A.F..KILLINJ"
    header, lines, asked = None, [], []
    with SourceClient(SOURCE, query.table) as client:
        for areas in chunks:
            url = f"{base}/data/{query.table}/{series_key(query, areas)}"
            asked.append(url)
            response = client.request(
                "GET", url, params=_params(query), headers={"Accept": SDMX_CSV}
            )
            rows = response.content.decode("utf-8-sig", errors="replace").splitlines()
            if not rows or not rows[0].upper().startswith(("DATAFLOW,", "STRUCTURE,")):
                raise SourceUnavailable(
                    source=SOURCE, table=query.table, reason=_("the answer is not SDMX-CSV")
                )
            if header is None:
                header = rows[0]
            elif rows[0] != header:
                raise SourceUnavailable(
                    source=SOURCE,
                    table=query.table,
                    reason=_("the answers to the chunks of areas have different columns"),
                )
            lines += [row for row in rows[1:] if row.strip()]
        calls = client.calls
    data = "\r\n".join([header or "", *lines]).encode() + b"\r\n"
    return Fetched(data=data, file_name=f"istat-{query.table}.csv", calls=calls, requests=asked)
