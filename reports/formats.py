"""A report's other formats, made from the same HTML as its PDF in the same render: a web page
and an editable word-processing file (.docx, through python-docx) for an officer who collates
several projects' reports. One content, three outputs: a heading, a figure or a table that is
in the PDF is in the other two, because all three come from one rendered template.
"""

import io
import re
from xml.etree.ElementTree import Element

import tinyhtml5  # WeasyPrint's own HTML parser, so both read the page the same way
from django.templatetags.static import static
from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt

XHTML = "{http://www.w3.org/1999/xhtml}"
HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 4}
BLOCKS = {"p", "dd", "dt", "figcaption", "blockquote", "pre"}
# Navigation and drawings: the Word file has its own contents view, and the charts' figures
# are in the tables beside them.
SKIPPED = {"nav", "svg", "script", "style", "head", "img"}
WEB_STYLESHEET = "css/report-page.css"


def _tag(element: Element) -> str:
    return element.tag.removeprefix(XHTML) if isinstance(element.tag, str) else ""


def _text(element: Element) -> str:
    """The element's text as a reader sees it: whitespace folded, drawings left out."""
    parts = []

    def walk(node):
        if _tag(node) in SKIPPED:
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def web_page(html: str) -> bytes:
    """The report as a page for the browser: the same document, with the portal's report
    stylesheet instead of the print one (the content security policy allows no inline
    style)."""
    link = f'<link rel="stylesheet" href="{static(WEB_STYLESHEET)}">'
    return html.replace("</head>", f"  {link}\n</head>", 1).encode()


class _Writer:
    def __init__(self, document):
        self.document = document

    def block(self, element: Element) -> None:
        tag = _tag(element)
        if tag in SKIPPED:
            return
        if tag in HEADINGS:
            self.document.add_heading(_text(element), level=HEADINGS[tag])
        elif tag == "table":
            self.table(element)
        elif tag in ("ul", "ol"):
            self.items(element, "List Number" if tag == "ol" else "List Bullet")
        elif tag in BLOCKS:
            if text := _text(element):
                self.document.add_paragraph(text)
        else:  # a container (section, div, dl, header): its children, and its loose text
            if element.text and element.text.strip():
                self.document.add_paragraph(element.text.strip())
            for child in element:
                self.block(child)
                if child.tail and child.tail.strip():
                    self.document.add_paragraph(child.tail.strip())

    def items(self, element: Element, style: str) -> None:
        for item in element:
            if _tag(item) == "li" and (text := _text(item)):
                self.document.add_paragraph(text, style=style)

    def table(self, element: Element) -> None:
        rows = list(element.iter(f"{XHTML}tr"))
        width = max((len([c for c in row if _tag(c) in ("th", "td")]) for row in rows), default=0)
        for caption in element.iter(f"{XHTML}caption"):
            self.document.add_paragraph(_text(caption), style="Caption")
        if not rows or not width:
            return
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for row in rows:
            cells = [c for c in row if _tag(c) in ("th", "td")]
            word_row = table.add_row().cells
            for index, cell in enumerate(cells[:width]):
                word_row[index].text = _text(cell)
                if _tag(cell) == "th":
                    for run in word_row[index].paragraphs[0].runs:
                        run.bold = True
        # The head row repeats on every page, as in the PDF.
        first = rows[0]
        if first is not None and any(_tag(c) == "th" for c in first):
            properties = table.rows[0]._tr.get_or_add_trPr()
            header = properties.makeelement(qn("w:tblHeader"), {})
            properties.append(header)


def _language(document, language: str) -> None:
    """Spell-check and read aloud in the report's language: w:lang on the base styles."""
    for style in document.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            continue
        properties = style.element.get_or_add_rPr()
        for old in properties.findall(qn("w:lang")):
            properties.remove(old)
        lang = properties.makeelement(qn("w:lang"), {qn("w:val"): language})
        properties.append(lang)


def docx_file(html: str, *, title: str, subject: str, language: str) -> bytes:
    """The report as a .docx: its headings as Word headings, its tables as tables."""
    tree = tinyhtml5.parse(html)
    body = tree.find(f"{XHTML}body")
    document = WordDocument()
    document.styles["Normal"].font.size = Pt(10)
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.author = "CEMSDI portal"
    properties.language = language
    _language(document, language)
    writer = _Writer(document)
    for child in body if body is not None else []:
        writer.block(child)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
