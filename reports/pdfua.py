"""PDF/UA-1 checks and one repair WeasyPrint 70 needs, with pypdf (already a dependency).

WeasyPrint tags the running headers and footers (``@page`` margin boxes) as marked content
with MCIDs and builds structure elements for them that it never links to the tree (see its
``pdf/tags.py``: "included in tree as Artifact, but that's only allowed in PDF 2.0"). PDF/UA-1
(ISO 14289-1 7.1, Matterhorn 01-005/01-006) wants such content either in the tree or marked as
an Artifact. :func:`mark_orphans_as_artifacts` turns every marked-content sequence whose
structure element is not reachable from the StructTreeRoot into ``/Artifact`` (pagination)
and drops it from the ParentTree.
"""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    NullObject,
)


def _reachable(root) -> set[int]:
    """idnums of the structure elements reachable from the StructTreeRoot."""
    seen: set[int] = set()
    stack = [root.get("/K")]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        ref = getattr(item, "idnum", None)
        obj = item.get_object()
        if isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, DictionaryObject) and "/S" in obj:
            if ref is not None:
                if ref in seen:
                    continue
                seen.add(ref)
            stack.append(obj.get("/K"))
    return seen


def _parent_tree_nums(root) -> dict:
    tree = root["/ParentTree"].get_object()
    nums = tree.get("/Nums", [])
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def orphan_mcids(reader: PdfReader) -> dict[int, set[int]]:
    """Per page index, the MCIDs whose structure element hangs outside the tree."""
    root = reader.root_object["/StructTreeRoot"].get_object()
    reachable = _reachable(root)
    nums = _parent_tree_nums(root)
    found: dict[int, set[int]] = {}
    for index, page in enumerate(reader.pages):
        key = page.get("/StructParents")
        entry = nums.get(int(key)) if key is not None else None
        if entry is None:
            continue
        for mcid, element in enumerate(entry.get_object()):
            idnum = getattr(element, "idnum", None)
            if idnum is not None and idnum not in reachable:
                found.setdefault(index, set()).add(mcid)
    return found


def mark_orphans_as_artifacts(content: bytes) -> bytes:
    """The PDF with every orphaned marked-content sequence re-marked as a pagination Artifact."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    orphans = orphan_mcids(writer)
    if not orphans:
        return content
    root = writer.root_object["/StructTreeRoot"].get_object()
    nums = _parent_tree_nums(root)
    for index, mcids in orphans.items():
        page = writer.pages[index]
        stream = ContentStream(page.get_contents(), writer)
        for operands, operator in stream.operations:
            if operator != b"BDC" or len(operands) != 2:
                continue
            props = operands[1]
            if isinstance(props, DictionaryObject) and int(props.get("/MCID", -1)) in mcids:
                operands[0] = NameObject("/Artifact")
                operands[1] = DictionaryObject({NameObject("/Type"): NameObject("/Pagination")})
        page.replace_contents(stream)
        entry = nums[int(page["/StructParents"])].get_object()
        for mcid in mcids:
            entry[mcid] = NullObject()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
