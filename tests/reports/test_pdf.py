"""The PDF helper: the URL fetcher serves only the allowed static files, nothing a document
names can pull a file, an address or an attachment into the PDF, and the PDF is tagged
(PDF/UA-1) with its fonts embedded."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings

from reports import pdf

from .conftest import embedded_files, pdf_reader, pdf_text, raster_images

FONT = "https://report.invalid/static/fonts/DejaVuSans.ttf"


def test_fetcher_serves_an_allowed_font_from_the_static_files():
    response = pdf.static_files_fetcher().fetch(FONT)
    body = response.read()
    assert body == (settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf").read_bytes()
    assert response.content_type == "font/ttf"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/fonts/DejaVuSans.ttf",  # another host
        "http://report.invalid/static/fonts/DejaVuSans.ttf",  # another scheme
        "data:text/css,body{}",
        "ftp://report.invalid/static/fonts/DejaVuSans.ttf",
        "https://report.invalid/etc/passwd",  # not under STATIC_URL
        "https://report.invalid/static/fonts/DejaVuSans.ttf?x=1",  # a query string
        "https://report.invalid/static/fonts/../../../../etc/passwd",
        "https://report.invalid/static/fonts/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "https://report.invalid/static/fonts/..%2f..%2fsettings.py",
        "https://report.invalid/static/css/portal.css",  # a static file, but not for reports
        "https://report.invalid/static/fonts/LICENSE",  # an allowed folder, not a font
        "https://report.invalid/static/fonts/missing.ttf",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = pdf.static_files_fetcher()
    with pytest.raises(pdf.FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_falls_back_to_static_root_for_collected_names(settings, tmp_path):
    """After collectstatic the manifest storage names files with their hash."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "DejaVuSans.0123abcd.ttf").write_bytes(b"font bytes")
    response = pdf.static_files_fetcher().fetch(
        "https://report.invalid/static/fonts/DejaVuSans.0123abcd.ttf"
    )
    assert response.read() == b"font bytes"


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_server():
    """A server on the loopback that counts the requests it gets."""
    _Counter.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Counter.hits
    server.shutdown()
    server.server_close()


HOSTILE = """<!doctype html><html lang="en"><head><title>Hostile</title>
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="{font}">
<link rel="stylesheet" href="{server}/style.css">
<style>@import url("file:///etc/passwd"); @import url("{server}/import.css");
@import url("{font}");</style>
</head><body><h1>Hostile document</h1>
<p>Visible text.</p>
<img src="file:///etc/passwd" alt="passwd">
<img src="{server}/tracker.png" alt="tracker">
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=" alt="pixel">
<a rel="attachment" href="file:///etc/passwd">passwd as attachment</a>
<a rel="attachment" href="{font}">a shipped font as attachment</a>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/>
<image xlink:href="{server}/svg.png" width="10" height="10"/></svg>
</body></html>"""


def test_a_hostile_document_pulls_in_no_file_address_or_attachment(listening_server):
    server, hits = listening_server
    html = HOSTILE.format(server=server, font=FONT)
    rendered = pdf.html_to_pdf(html)
    reader = pdf_reader(rendered.content)
    assert embedded_files(reader) == []
    assert raster_images(reader) == []
    assert hits == []  # nothing asked the server for anything
    text = pdf_text(rendered.content)
    assert "Visible text." in text
    assert "root:" not in text
    assert b"root:x:0:0" not in rendered.content
    refused = set(rendered.refused)
    assert "file:///etc/passwd" in refused
    assert f"{server}/tracker.png" in refused
    assert f"{server}/style.css" in refused
    assert any(url.startswith("data:") for url in refused)


def test_the_pdf_is_tagged_with_its_language_and_embeds_its_fonts():
    html = (
        '<!doctype html><html lang="nb"><head><title>Rapport</title></head>'
        "<body><h1>Måsøy, Sør-Varanger og Årdal</h1><p>Æ ø å – «nøkkeltall»</p></body></html>"
    )
    rendered = pdf.html_to_pdf(html)
    reader = pdf_reader(rendered.content)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nb"
    assert reader.metadata.title == "Rapport"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp  # declared PDF/UA-1
    fonts = []
    for page in reader.pages:
        for _name, font in page["/Resources"]["/Font"].items():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append((font["/BaseFont"], "/FontFile2" in descriptor))
    assert fonts
    assert all(embedded for _name, embedded in fonts), fonts
    text = pdf_text(rendered.content)
    assert "Måsøy, Sør-Varanger og Årdal" in text
    assert "Æ ø å" in text
