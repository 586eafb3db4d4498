"""JSON-stat 2.0 answers of one query split into several requests, put back into one dataset.

A source that limits the size of an answer (SSB: 800,000 cells) is asked in parts, each part
a dataset with the same dimensions and a share of the categories (regions, years). The parts
are joined into one dataset, which then goes through the same reader and preview as an
uploaded file. A single part is passed on as the source sent it, byte for byte.
"""

import json
from itertools import product


class PartsDisagree(ValueError):
    """The parts do not have the same dimensions: they are not parts of one query."""


def _values(dataset: dict, total: int) -> list:
    value = dataset.get("value")
    if isinstance(value, dict):  # sparse (Eurostat): {"index": value}
        out = [None] * total
        for index, number in value.items():
            out[int(index)] = number
        return out
    return list(value or [])


def _status(dataset: dict, total: int) -> list:
    status = dataset.get("status")
    if isinstance(status, dict):
        out = [None] * total
        for index, symbol in status.items():
            out[int(index)] = symbol
        return out
    if isinstance(status, list):
        return status + [None] * (total - len(status))
    if isinstance(status, str):
        return [status] * total
    return [None] * total


def _codes(dimension: dict) -> list[str]:
    index = dimension["category"].get("index")
    if isinstance(index, list):
        return list(index)
    if isinstance(index, dict):
        return sorted(index, key=index.get)
    return list(dimension["category"].get("label") or {})  # one category, no index


def _strides(sizes: list[int]) -> list[int]:
    strides, step = [], 1
    for size in reversed(sizes):
        strides.append(step)
        step *= size
    return list(reversed(strides))


def _union(documents: list[dict], ids: list[str]) -> tuple[dict, dict]:
    """Every dimension's categories over the parts (in order of first appearance), and the
    dimensions described with all their labels and units."""
    categories: dict[str, list[str]] = {dim: [] for dim in ids}
    dimensions = {dim: json.loads(json.dumps(documents[0]["dimension"][dim])) for dim in ids}
    for doc in documents:
        if doc.get("id") != ids:
            raise PartsDisagree(ids, doc.get("id"))
        for dim in ids:
            described = doc["dimension"][dim]["category"]
            merged = dimensions[dim]["category"]
            for code in _codes(doc["dimension"][dim]):
                if code not in categories[dim]:
                    categories[dim].append(code)
                for part in ("label", "unit", "child", "coordinates"):
                    if code in (described.get(part) or {}):
                        merged.setdefault(part, {})[code] = described[part][code]
    return categories, dimensions


def _place(documents: list[dict], ids: list[str], position: dict, total: int):
    """The values and status symbols of the parts, each in its cell of the whole."""
    strides = _strides([len(position[dim]) for dim in ids])
    values: list = [None] * total
    status: list = [None] * total
    for doc in documents:
        codes = [_codes(doc["dimension"][dim]) for dim in ids]
        count = 1
        for c in codes:
            count *= len(c)
        part_values, part_status = _values(doc, count), _status(doc, count)
        for offset, combination in enumerate(product(*codes)):
            index = sum(
                position[dim][code] * stride
                for dim, code, stride in zip(ids, combination, strides, strict=True)
            )
            values[index] = part_values[offset] if offset < len(part_values) else None
            if part_status[offset] is not None:
                status[index] = part_status[offset]
    return values, status


def merge(documents: list[dict]) -> dict:
    """One dataset holding every cell of the parts (a cell in none of them is missing)."""
    if len(documents) == 1:
        return documents[0]
    first = documents[0]
    ids = first["id"]
    categories, dimensions = _union(documents, ids)
    position = {dim: {c: i for i, c in enumerate(categories[dim])} for dim in ids}
    sizes = [len(categories[dim]) for dim in ids]
    total = 1
    for size in sizes:
        total *= size
    values, status = _place(documents, ids, position, total)
    for dim in ids:
        dimensions[dim]["category"]["index"] = position[dim]
    merged = {key: value for key, value in first.items() if key not in ("value", "status")}
    merged.update(dimension=dimensions, size=sizes, value=values)
    symbols = {str(i): s for i, s in enumerate(status) if s is not None}
    if symbols:
        merged["status"] = symbols
    return merged
