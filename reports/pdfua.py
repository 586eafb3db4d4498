"""The repairs WeasyPrint 70's tagged output needs for PDF/UA-1, made after rendering with
pikepdf (QPDF): :func:`repair` makes them in one pass, in about a tenth of a second for a
30-page report.

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

The tests check the result with the ``pdfua`` checker and pypdf (tests/reports/pdfua_checks.py).
"""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

PX_TO_PT = 0.75  # a CSS pixel is 1/96 in, a PDF point 1/72 in


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


def _key(obj) -> tuple:
    return obj.objgen if obj.is_indirect else ("direct", id(obj))


def _structure_elements(root) -> list:
    """Every structure element reachable from the StructTreeRoot, once each."""
    seen, found, stack = set(), [], [root.get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, Array):
            stack.extend(item)
        elif isinstance(item, Dictionary) and "/S" in item and _key(item) not in seen:
            seen.add(_key(item))
            found.append(item)
            stack.append(item.get("/K"))
    return found


def _artifacts_for_orphans(pdf, elements) -> None:
    reachable = {_key(element) for element in elements}
    tree = pdf.Root.StructTreeRoot.ParentTree
    nums = tree.get("/Nums", Array())
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in pdf.pages:
        entry = entries.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(entry, Array):
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(entry)
            if isinstance(element, Dictionary) and _key(element) not in reachable
        }
        if not orphans:
            continue
        instructions = []
        for instruction in pikepdf.parse_content_stream(page):
            operands = list(getattr(instruction, "operands", ()))
            if (
                str(instruction.operator) == "BDC"
                and len(operands) == 2
                and isinstance(operands[1], Dictionary)
                and int(operands[1].get("/MCID", -1)) in orphans
            ):
                instruction = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, Dictionary(Type=Name.Pagination)], pikepdf.Operator("BDC")
                )
            instructions.append(instruction)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        for mcid in orphans:
            entry[mcid] = None


def _describe_links(pdf, descriptions: dict[str, str]) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") != Name.Link:
                continue
            if "/Dest" in annotation:
                target = str(annotation.Dest)
            else:
                target = str(annotation.get("/A", Dictionary()).get("/URI", ""))
            if target in descriptions:
                annotation.Contents = pikepdf.String(descriptions[target])


def _figure_boxes_on_the_page(element) -> None:
    layout, page = element.get("/A"), element.get("/Pg")
    if not isinstance(layout, Dictionary) or "/BBox" not in layout or page is None:
        return
    height = float(page.MediaBox[3])
    x1, y1, x2, y2 = (float(value) * PX_TO_PT for value in layout.BBox)
    layout.BBox = Array([round(v, 3) for v in (x1, height - y2, x2, height - y1)])


def _header_scope(element) -> None:
    attributes = element.get("/A")
    if not isinstance(attributes, Dictionary) or "/Scope" in attributes:
        return
    row = element.P
    in_head = "/P" in row and row.P.get("/S") == Name.THead
    cells = row.get("/K")
    first = cells[0] if isinstance(cells, Array) and len(cells) else cells
    heads_row = not in_head and isinstance(first, Dictionary) and _key(first) == _key(element)
    attributes.Scope = Name.Row if heads_row else Name.Column


def repair(content: bytes, *, links: dict[str, str]) -> bytes:
    """The PDF with its orphaned marked content as Artifacts, its links described by
    ``links`` (target to text, from :func:`link_descriptions`), its figures' boxes on the
    page and its header cells' scopes."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        elements = _structure_elements(pdf.Root.StructTreeRoot)
        _artifacts_for_orphans(pdf, elements)
        _describe_links(pdf, links)
        for element in elements:
            if Name.Figure == element.S:
                _figure_boxes_on_the_page(element)
            elif element.S == Name.TH:
                _header_scope(element)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
