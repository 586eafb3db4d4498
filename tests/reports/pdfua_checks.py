"""PDF/UA-1 checks for the report tests: the ``pdfua`` checker from PyPI (16 of the 106
machine-checkable rules of the PDF/UA-1 profile, on pikepdf; veraPDF, the reference, needs a
JVM and is on none of the registries here), and with pypdf the rules it does not cover that
the reports' repairs are about (reports/pdfua.py)."""

import io
from pathlib import Path

from pdfua import Severity, validate
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

# pdfua 0.1.3's heading rule raises on a heading whose /K is an array (under pikepdf 9 and 10
# alike) and reports itself "not evaluated"; :func:`structure_problems` checks headings.
NOT_EVALUATED_BY_THE_CHECKER = {"UA-14-001"}


def structure_elements(root):
    """Every structure element reachable from the StructTreeRoot, once each (pypdf)."""
    seen: set[int] = set()
    stack = [root.get("/K")]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        obj = item.get_object()
        if isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, DictionaryObject) and "/S" in obj and id(obj) not in seen:
            seen.add(id(obj))
            yield obj
            stack.append(obj.get("/K"))


def orphan_mcids(reader: PdfReader) -> dict[int, set[int]]:
    """Per page index, the MCIDs whose structure element hangs outside the tree."""
    root = reader.root_object["/StructTreeRoot"].get_object()
    reachable = {
        element.indirect_reference.idnum
        for element in structure_elements(root)
        if element.indirect_reference is not None
    }
    tree = root["/ParentTree"].get_object()
    nums = tree.get("/Nums", [])
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    found: dict[int, set[int]] = {}
    for index, page in enumerate(reader.pages):
        key = page.get("/StructParents")
        entry = entries.get(int(key)) if key is not None else None
        for mcid, element in enumerate(entry.get_object() if entry is not None else []):
            idnum = getattr(element, "idnum", None)
            if idnum is not None and idnum not in reachable:
                found.setdefault(index, set()).add(mcid)
    return found


def checker_findings(content: bytes, tmp_path: Path) -> list[str]:
    """The checker's findings (errors, warnings) and rules it could not run, one line each."""
    path = tmp_path / "checked.pdf"
    path.write_bytes(content)
    report = validate(str(path))
    lines = [
        f"{finding.rule_id} {finding.location.describe()}: {finding.message}"
        for finding in report.findings
        if finding.severity >= Severity.WARNING
    ]
    lines += [
        f"{outcome.rule_id} not evaluated: {outcome.skipped_reason}"
        for outcome in report.skipped
        if outcome.rule_id not in NOT_EVALUATED_BY_THE_CHECKER
    ]
    return lines


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    return list(kids) if isinstance(kids, list) else [kids]


def _role(item) -> str | None:
    item = item.get_object() if hasattr(item, "get_object") else item
    return str(item["/S"]) if hasattr(item, "get") and "/S" in item else None


def _marks_content(element) -> bool:
    for kid in _kids(element):
        obj = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(obj, int) or (hasattr(obj, "get") and obj.get("/Type") == "/MCR"):
            return True
        if _role(obj) and _marks_content(obj):
            return True
    return False


def _element_problems(element, pages) -> list[str]:
    role, parent = str(element["/S"]), _role(element["/P"])
    if role.startswith("/H") and role[2:].isdigit() and not _marks_content(element):
        return [f"empty heading {role}"]
    if (role == "/LI" and parent != "/L") or (role in ("/Lbl", "/LBody") and parent != "/LI"):
        return [f"{role} inside {parent}"]
    if role == "/L":
        strays = {_role(kid) for kid in _kids(element)} - {"/LI", "/L", "/Caption", None}
        return [f"/L holding {sorted(strays)}"] if strays else []
    if role == "/Figure":
        box = pages[element["/Pg"].indirect_reference.idnum].mediabox
        x1, y1, x2, y2 = (float(v) for v in element["/A"]["/BBox"])
        if not (box.left <= x1 < x2 <= box.right and box.bottom <= y1 < y2 <= box.top):
            return [f"figure box {[x1, y1, x2, y2]} off the page {list(box)}"]
    return []


def _link_problems(reader: PdfReader) -> list[str]:
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            description = str(annotation.get("/Contents") or "")
            if not description or description == str(annotation.get("/Dest")):
                problems.append(f"page {number}: link described as {description!r}")
    return problems


def structure_problems(content: bytes) -> list[str]:
    """What breaks the PDF/UA-1 rules the repairs are about, one line each:

    - 01-005/01-006: marked content outside the structure tree;
    - 14-001 (7.4): a heading with no content;
    - 16-001/16-002 (7.6): a list item outside a list, a label or body outside a list item,
      a list holding anything but items, lists and a caption;
    - 13 (7.3, ISO 32000-1 14.8.5.4): a figure's bounding box off its page;
    - 28-004 (7.18.5): a link described by its own anchor name.
    """
    reader = PdfReader(io.BytesIO(content))
    problems = [
        f"page {index + 1}: MCIDs {sorted(mcids)} outside the tree"
        for index, mcids in orphan_mcids(reader).items()
    ]
    root = reader.root_object["/StructTreeRoot"].get_object()
    pages = {page.indirect_reference.idnum: page for page in reader.pages}
    for element in structure_elements(root):
        problems += _element_problems(element, pages)
    return problems + _link_problems(reader)
