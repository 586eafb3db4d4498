"""The one way the portal turns a template into a PDF: WeasyPrint, tagged PDF/UA-1, and a URL
fetcher that serves only the project's own fonts.

WeasyPrint's default fetcher follows any URL a document names: ``file:`` paths, ``http(s):``
addresses (with redirects), ``data:`` URLs; and it embeds ``<a rel="attachment">`` and
``<link rel="attachment">`` targets into the PDF. Report templates escape every user text, so
none of that should ever be asked for; if it is, three locks each stop it on their own:

1. :class:`StaticFilesFetcher` answers only URLs under the report's own base address whose path
   is a file of ``REPORTS_STATIC_ALLOWED`` in the static files (the finders in development,
   ``STATIC_ROOT`` after ``collectstatic``). Everything else (another scheme, host, folder or
   file type, a query string, ``..``) is refused before any file or socket is opened. There is
   no network code, so no redirect can be followed.
2. The stylesheet is read by Python from the template folder and handed over as a string:
   the fetcher never serves CSS, so an ``@import`` has nothing to pull in.
3. Attachments are dropped from the rendered document before it is written, whatever asked
   for them.

WeasyPrint is imported inside the functions: pages that never render a PDF do not load it.
"""

import logging
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The address documents are rendered at. ``.invalid`` is reserved (RFC 2606): nothing resolves.
BASE_URL = "https://report.invalid/"
PDF_VARIANT = "pdf/ua-1"
STYLESHEET = "reports/pdf/report.css"

_MIME_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


class FetchRefused(ValueError):
    """The renderer asked for something the project did not ship."""


def static_path_for(url: str) -> Path:
    """The file an allowed URL names, or :class:`FetchRefused` saying why not."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise FetchRefused(f"not the report's own address: {url[:200]!r}")
    if parts.query:
        raise FetchRefused(f"a query string is not served: {url[:200]!r}")
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(static_url):
        raise FetchRefused(f"not a static file: {url[:200]!r}")
    relative = path[len(static_url) :]
    if "\\" in relative or "\x00" in relative or posixpath.normpath(relative) != relative:
        raise FetchRefused(f"not a plain path: {url[:200]!r}")
    allowed = getattr(settings, "REPORTS_STATIC_ALLOWED", {"fonts/": (".ttf",)})
    suffix = posixpath.splitext(relative)[1].lower()
    if not any(
        relative.startswith(folder) and suffix in suffixes for folder, suffixes in allowed.items()
    ):
        raise FetchRefused(f"not a file reports may use: {url[:200]!r}")
    found = finders.find(relative)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        try:
            candidate = Path(safe_join(settings.STATIC_ROOT, relative))
        except Exception as exc:  # SuspiciousFileOperation: outside STATIC_ROOT
            raise FetchRefused(f"outside the static files: {url[:200]!r}") from exc
        if candidate.is_file():
            return candidate
    raise FetchRefused(f"no such static file: {url[:200]!r}")


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves the allowed static files and refuses every other URL (see the module)."""

        def __init__(self):
            # No protocol at all for the parent's opener: it is never used.
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                path = static_path_for(url)
            except FetchRefused as exc:
                self.refused.append(url[:200])
                logger.warning("Report renderer refused a URL: %s", exc)
                raise
            return URLFetcherResponse(
                url,
                body=path.read_bytes(),
                headers={"Content-Type": _MIME_TYPES.get(path.suffix.lower(), "")},
            )

    return StaticFilesFetcher


def static_files_fetcher():
    """A new fetcher (it records what it refused, for the log and the tests)."""
    return _fetcher_class()()


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int
    refused: list[str]


def css_content(text: str, **values: str) -> str:
    """A translated text with ``%(name)s`` placeholders as the value of a CSS ``content``
    property: the words as CSS strings, each placeholder as the CSS given for it (a counter,
    a named string), in the order the translation puts them."""
    parts = re.split(r"%\((\w+)\)s", text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(values[part])
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            out.append(f'"{escaped}"')
    return " ".join(out)


def stylesheet() -> str:
    """The reports' stylesheet in the current language (its page labels are translated)."""
    return render_to_string(
        STYLESHEET,
        {
            "footer": css_content(_("CEMSDI portal · %(date)s"), date="string(generated)"),
            "page_numbers": css_content(
                _("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)"
            ),
        },
    )


def _tag_languages() -> None:
    """Give the structure element of every HTML element with a ``lang`` its PDF ``/Lang``.

    WeasyPrint writes ``<html lang>`` as the catalog's ``/Lang`` only: a Norwegian section in an
    English report would be read as English (PDF/UA-1 7.2, WCAG 3.1.2 "language of parts").
    Its tag tree is built by ``weasyprint.pdf.tags._build_box_tree``, which calls itself by
    that module name for each child box and yields each box's structure element: wrapped, every
    element built for a box whose HTML element has ``lang`` gets ``/Lang``. The name is private,
    so a WeasyPrint without it keeps its own behaviour (the catalog only), and
    tests/reports/test_pdf_languages.py fails to say so."""
    import pydyf
    from weasyprint.formatting_structure.boxes import PageBox
    from weasyprint.pdf import tags

    build = getattr(tags, "_build_box_tree", None)
    if build is None or getattr(build, "marks_languages", False):
        return

    def build_with_languages(box, parent, *args, **kwargs):
        element = getattr(box, "element", None)
        lang = None
        if (
            element is not None
            and not isinstance(box, PageBox)
            and getattr(box, "element_tag", None) not in ("html", "body")
        ):
            lang = element.get("lang")
        for structure in build(box, parent, *args, **kwargs):
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    build_with_languages.marks_languages = True
    tags._build_box_tree = build_with_languages


def html_to_pdf(html: str, *, css: str | None = None) -> RenderedPdf:
    """An HTML document as a tagged PDF/UA-1 file, fetching only the allowed static files;
    parts marked with another ``lang`` carry it in the PDF's structure (``_tag_languages``)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    _tag_languages()

    fetcher = static_files_fetcher()
    font_config = FontConfiguration()
    styles = CSS(
        string=stylesheet() if css is None else css,
        base_url=BASE_URL,
        url_fetcher=fetcher,
        font_config=font_config,
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[styles], font_config=font_config, pdf_variant=PDF_VARIANT
    )
    # The third lock: no file is attached to the PDF, whatever the document asked for.
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    content = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=None)
    # WeasyPrint's tagging needs repairs for PDF/UA-1: headers and footers outside the tree,
    # links described by their target, figures' boxes in pixels (reports/pdfua.py).
    from . import pdfua

    try:
        content = pdfua.repair(content, links=pdfua.link_descriptions(document))
    except Exception:  # the repair is an improvement; never lose the report over it
        logger.exception("PDF/UA repair failed; keeping WeasyPrint's output")
    return RenderedPdf(content=content, page_count=len(document.pages), refused=fetcher.refused)
