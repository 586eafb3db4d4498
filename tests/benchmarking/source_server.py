"""A local HTTP server standing in for a statistics office: it serves recorded responses and
records the requests it got. The connectors talk to it through their real HTTP path
(requests, urllib3's retries, the rate limiter): nothing is patched, and nothing outside this
machine is called.

A test gives the server a ``respond(request)`` function answering ``(status, headers, body)``;
``RECORDED`` is the folder of recorded responses and fixtures (see its PROVENANCE.md).
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import product
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


@dataclass
class Request:
    method: str
    path: str
    query: dict
    body: bytes
    at: float
    headers: dict = field(default_factory=dict)

    def json(self):
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            body=self.rfile.read(length) if length else b"",
            at=time.monotonic(),
            headers=dict(self.headers),
        )
        self.server.source.requests.append(request)
        status, headers, body = self.server.source.respond(request)
        if isinstance(body, dict | list):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):  # quiet
        pass


class SourceServer:
    def __init__(self):
        self.requests: list[Request] = []
        self.respond = lambda request: (404, {}, b'{"error": "no route"}')
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.source = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def jsonstat_subset(dataset: dict, selection: dict[str, list[str]]) -> dict:
    """The recorded dataset cut down to a selection, as a PxWeb server answers one: the
    chosen categories of each dimension (in the dataset's order) and their values."""
    ids = dataset["id"]

    def codes(dim):
        index = dataset["dimension"][dim]["category"]["index"]
        return sorted(index, key=index.get) if isinstance(index, dict) else list(index)

    chosen = {dim: [c for c in codes(dim) if dim not in selection or c in selection[dim]]
              for dim in ids}  # fmt: skip
    sizes = [len(codes(dim)) for dim in ids]
    strides = [1] * len(ids)
    for i in range(len(ids) - 2, -1, -1):
        strides[i] = strides[i + 1] * sizes[i + 1]
    position = {dim: {c: i for i, c in enumerate(codes(dim))} for dim in ids}
    values, status = [], {}
    source_status = dataset.get("status") or {}
    sparse = isinstance(dataset["value"], dict)
    for combination in product(*(chosen[dim] for dim in ids)):
        index = sum(position[d][c] * s for d, c, s in zip(ids, combination, strides, strict=True))
        if isinstance(source_status, dict) and str(index) in source_status:
            status[str(len(values))] = source_status[str(index)]
        values.append(dataset["value"].get(str(index)) if sparse else dataset["value"][index])
    if sparse:  # answered as sparsely as it was recorded
        values = {str(i): v for i, v in enumerate(values) if v is not None}
    out = json.loads(json.dumps(dataset))
    for dim in ids:
        category = out["dimension"][dim]["category"]
        category["index"] = {c: i for i, c in enumerate(chosen[dim])}
        for part in ("label", "unit"):
            if part in category:
                category[part] = {c: v for c, v in category[part].items() if c in chosen[dim]}
    out["size"] = [len(chosen[dim]) for dim in ids]
    out["value"] = values
    if status:
        out["status"] = status
    else:
        out.pop("status", None)
    return out


def pxweb_selection(request: Request) -> dict[str, list[str]]:
    """The codes a PxWebApi v2 POST asks for, per variable."""
    return {s["variableCode"]: s["valueCodes"] for s in request.json()["selection"]}
