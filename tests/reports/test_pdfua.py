"""PDF/UA-1 on a rendered report: the ``pdfua`` checker from PyPI and the pypdf checks of
``pdfua_checks`` find nothing, on a small document that has each thing WeasyPrint 70 tags
wrongly on its own (running headers and footers, links, a chart, header cells) and that
reports/pdfua.py repairs. The demo's programme report is checked in test_review_report_demo."""

import io

import pytest
from pypdf import PdfReader

from reports import pdf

from .pdfua_checks import checker_findings, structure_elements, structure_problems

DOCUMENT = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A checked report</title></head>
<body>
<h1 class="cover-title">A checked report</h1>
<nav><ol><li><a href="#part">The part on the next page</a></li></ol></nav>
<table>
  <caption>Key figures</caption>
  <thead><tr><th scope="col">Figure</th><th scope="col">Chart</th></tr></thead>
  <tbody><tr><th scope="row">Population</th><td><svg role="img" width="120" height="40"
    viewBox="0 0 120 40"><title>Population: 1,200</title><rect width="60" height="20"/>
  </svg></td></tr></tbody>
</table>
<ul><li>One lesson</li><li>Another lesson</li></ul>
<h2 id="part" style="break-before: page">The part</h2>
<p>Read more on <a href="https://example.org/cemsdi">the project's site</a>.</p>
</body>
</html>"""


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return pdf.html_to_pdf(DOCUMENT).content


def _elements(content: bytes, role: str) -> list:
    reader = PdfReader(io.BytesIO(content))
    root = reader.root_object["/StructTreeRoot"].get_object()
    return [element for element in structure_elements(root) if element["/S"] == role]


def test_the_checker_and_the_structure_checks_find_nothing(rendered, tmp_path):
    assert checker_findings(rendered, tmp_path) == []
    assert structure_problems(rendered) == []


def test_weasyprint_alone_breaks_the_rules_the_repairs_are_about(monkeypatch, tmp_path):
    monkeypatch.setattr("reports.pdfua.repair", lambda content, links: content)
    content = pdf.html_to_pdf(DOCUMENT).content
    problems = "\n".join(structure_problems(content))
    assert "outside the tree" in problems  # the running header and footer
    assert "link described as 'part'" in problems
    (figure,) = _elements(content, "/Figure")
    x1, y1, x2, y2 = (float(value) for value in figure["/A"]["/BBox"])
    assert (round(x2 - x1, 2), round(y2 - y1, 2)) == (120, 40)  # CSS pixels
    assert any(line.startswith("UA-15-003") for line in checker_findings(content, tmp_path))


def test_the_running_header_and_footer_are_artifacts(rendered):
    reader = PdfReader(io.BytesIO(rendered))
    contents = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert b"/Artifact" in contents
    assert "A checked report" in reader.pages[1].extract_text()  # still drawn on page 2
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert catalog["/MarkInfo"]["/Marked"]


def test_links_are_described_by_their_own_text(rendered):
    reader = PdfReader(io.BytesIO(rendered))
    descriptions = {
        str(annotation.get_object()["/Contents"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object()["/Subtype"] == "/Link"
    }
    assert descriptions == {"The part on the next page", "the project's site"}


def test_the_charts_box_is_its_size_in_points_on_its_page(rendered):
    (figure,) = _elements(rendered, "/Figure")
    x1, y1, x2, y2 = (float(value) for value in figure["/A"]["/BBox"])
    assert (round(x2 - x1, 2), round(y2 - y1, 2)) == (90.0, 30.0)  # 120 x 40 CSS pixels
    width, height = (float(value) for value in figure["/Pg"].get_object()["/MediaBox"][2:])
    assert 0 < x1 < x2 < width
    # In the upper half: the table is at the top of the first page.
    assert height / 2 < y1 < y2 < height
    assert str(figure["/Alt"]).startswith("Population: 1,200")


def test_header_cells_head_their_column_or_their_row(rendered):
    scopes = [str(cell["/A"]["/Scope"]) for cell in _elements(rendered, "/TH")]
    assert sorted(scopes) == ["/Column", "/Column", "/Row"]
