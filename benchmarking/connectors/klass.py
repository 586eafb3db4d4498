"""SSB's KLASS: which KOSTRA group (classification 112) each municipality (classification 131)
is in, from a correspondence.

Either a correspondence table by its id, ``GET {SSB_KLASS_URL}/correspondencetables/<id>.json``
(its pairs under ``correspondenceMaps``), or the correspondence in force on a day,
``GET {SSB_KLASS_URL}/classifications/131/correspondsAt?targetClassificationId=112&date=..``
(its pairs under ``correspondenceItems``). Each pair has ``sourceCode``, ``sourceName``,
``targetCode`` and ``targetName``. The groups become ``networks.PeerGroup`` rows of Norway with
the codes the KOSTRA tables give them as regions (``EKG01`` .. ``EKG17``), so that a table's
group aggregates and the groups' members meet (feeds.py applies them).
"""

import json
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from .base import Fetched, Query
from .http import SourceClient, SourceUnavailable

SOURCE = "klass"
MUNICIPALITIES, KOSTRA_GROUPS = "131", "112"
GROUP_NUMBER = re.compile(r"^(?:EKG)?(\d{1,2})$")


@dataclass(frozen=True)
class Pair:
    municipality_code: str
    municipality_name: str
    group_code: str
    group_name: str


def group_code(code: str) -> str:
    """KLASS writes a group as ``01`` or ``EKG01``; the KOSTRA tables as ``EKG01``."""
    match = GROUP_NUMBER.match(code.strip())
    return f"EKG{int(match.group(1)):02d}" if match else code.strip()


def pairs(data: bytes) -> list[Pair]:
    """The municipality-to-group pairs of a fetched correspondence."""
    body = json.loads(data)
    items = body.get("correspondenceMaps") or body.get("correspondenceItems") or []
    return [
        Pair(
            municipality_code=str(item.get("sourceCode", "")).strip(),
            municipality_name=str(item.get("sourceName", "")).strip(),
            group_code=group_code(str(item.get("targetCode", ""))),
            group_name=str(item.get("targetName", "")).strip(),
        )
        for item in items
        if isinstance(item, dict) and item.get("sourceCode") and item.get("targetCode")
    ]


def fetch(query: Query) -> Fetched:
    base = settings.SSB_KLASS_URL.rstrip("/")
    if query.table:
        url, params = f"{base}/correspondencetables/{query.table}.json", {"language": "nb"}
        table = query.table
    else:
        day = query.date or date.today().isoformat()
        url = f"{base}/classifications/{MUNICIPALITIES}/correspondsAt"
        params = {"targetClassificationId": KOSTRA_GROUPS, "date": day, "language": "nb"}
        table = f"{MUNICIPALITIES}→{KOSTRA_GROUPS} ({day})"
    with SourceClient(SOURCE, table) as client:
        response = client.request("GET", url, params=params)
        data = response.content
        found = pairs(data) if isinstance(client.json(response), dict) else []
        calls = client.calls
    if not found:
        raise SourceUnavailable(
            source=SOURCE, table=table, reason=_("the answer holds no municipality-group pairs")
        )
    return Fetched(data=data, file_name=f"klass-{table}.json", calls=calls, requests=[url])
