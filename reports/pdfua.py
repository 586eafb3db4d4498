"""PDF/UA-1 checks and the repairs WeasyPrint 70's tagged output needs, with pypdf (already a
dependency). :func:`repair` makes them in one pass:

- WeasyPrint tags the running headers and footers (``@page`` margin boxes) as marked content
  with MCIDs and builds structure elements for them that it never links to the tree (its
  ``pdf/tags.py``: "included in tree as Artifact, but that's only allowed in PDF 2.0").
  PDF/UA-1 (ISO 14289-1 7.1, Matterhorn 01-005/01-006) wants such content in the tree or
  marked as an Artifact: every marked-content sequence whose structure element is not
  reachable from the StructTreeRoot becomes an ``/Artifact`` (pagination) and leaves the
  ParentTree.
- A link annotation's ``/Contents`` is its alternate description (ISO 14289-1 7.18.5,
  Matterhorn 28-004); WeasyPrint writes the target there (an anchor id such as
  ``network-3``). It becomes the link's own text, as a screen reader reads the link.
- A figure's ``/BBox`` (its layout attribute) is in PDF user space, points from the page's
  lower left; WeasyPrint writes CSS pixels from the upper left, so boxes lay off the page.
- A table's header cells need a ``/Scope`` (ISO 14289-1 7.5, Matterhorn 15-003) for their
  data cells to be found; WeasyPrint writes none. A header of a THead row heads its column;
  the first cell of a body row, a ``th scope="row"`` in the portal's templates, heads its row.
"""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    TextStringObject,
)

PX_TO_PT = 0.75  # a CSS pixel is 1/96 in, a PDF point 1/72 in


def _reachable(root) -> set[int]:
    """idnums of the structure elements reachable from the StructTreeRoot."""
    return {
        element.indirect_reference.idnum
        for element in structure_elements(root)
        if element.indirect_reference is not None
    }


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


def link_descriptions(document) -> dict[str, str]:
    """Each link target of a WeasyPrint document (an anchor name or an address) with the text
    of the first link to it, read from the laid-out boxes (an ``<a>`` comes before the boxes
    inside it)."""
    descriptions: dict[str, str] = {}
    for page in document.pages:
        for link_type, target, _rectangle, box in page.links:
            if link_type not in ("internal", "external") or target in descriptions:
                continue
            element = getattr(box, "element", None)
            text = " ".join("".join(element.itertext()).split()) if element is not None else ""
            if text:
                descriptions[target] = text
    return descriptions


def structure_elements(root):
    """Every structure element reachable from the StructTreeRoot, once each."""
    seen: set[int] = set()
    stack = [root.get("/K")]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        obj = item.get_object()
        if isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, DictionaryObject) and "/S" in obj:
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            yield obj
            stack.append(obj.get("/K"))


def _link_target(annotation) -> str | None:
    if "/Dest" in annotation:
        return str(annotation["/Dest"])
    action = annotation.get("/A")
    return str(action["/URI"]) if action is not None and "/URI" in action else None


def _describe_links(writer: PdfWriter, descriptions: dict[str, str]) -> None:
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = _link_target(annotation)
            if target in descriptions:
                annotation[NameObject("/Contents")] = TextStringObject(descriptions[target])


def _figure_boxes_on_the_page(writer: PdfWriter, root) -> None:
    heights = {page.indirect_reference.idnum: float(page.mediabox.top) for page in writer.pages}
    for element in structure_elements(root):
        layout = element.get("/A")
        layout = layout.get_object() if layout is not None else None
        if element["/S"] != "/Figure" or not isinstance(layout, DictionaryObject):
            continue
        page = element.get("/Pg")
        if "/BBox" not in layout or page is None:
            continue
        height = heights[page.indirect_reference.idnum]
        x1, y1, x2, y2 = (float(value) * PX_TO_PT for value in layout["/BBox"])
        layout[NameObject("/BBox")] = ArrayObject(
            FloatObject(round(value, 3)) for value in (x1, height - y2, x2, height - y1)
        )


def _header_scopes(root) -> None:
    for element in structure_elements(root):
        attributes = element.get("/A")
        attributes = attributes.get_object() if attributes is not None else None
        if element["/S"] != "/TH" or not isinstance(attributes, DictionaryObject):
            continue
        if "/Scope" in attributes:
            continue
        row = element["/P"].get_object()
        in_head = row.get("/P") is not None and row["/P"].get_object().get("/S") == "/THead"
        cells = row.get("/K")
        cells = cells.get_object() if cells is not None else ArrayObject()
        first = cells[0] if isinstance(cells, ArrayObject) and cells else cells
        heads_row = not in_head and getattr(first, "idnum", None) == getattr(
            element.indirect_reference, "idnum", -1
        )
        attributes[NameObject("/Scope")] = NameObject("/Row" if heads_row else "/Column")


def _artifacts_for_orphans(writer: PdfWriter, root) -> None:
    orphans = orphan_mcids(writer)
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


def repair(content: bytes, *, links: dict[str, str]) -> bytes:
    """The PDF with its orphaned marked content as Artifacts, its links described by
    ``links`` (target to text, from :func:`link_descriptions`), its figures' boxes on the
    page and its header cells' scopes."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    root = writer.root_object["/StructTreeRoot"].get_object()
    _artifacts_for_orphans(writer, root)
    _describe_links(writer, links)
    _figure_boxes_on_the_page(writer, root)
    _header_scopes(root)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
