"""PDF/UA-1 checkpoints on the rendered reports, checked with pypdf (no PDF/UA validator installs
from PyPI, npm or Debian here: veraPDF is on none of them). Matterhorn 01-005/01-006: every
marked-content sequence belongs to the structure tree or is an Artifact; 11-001 language;
06-003/07-001 title shown."""

import io

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import ReportRequest
from reports.pdfua import orphan_mcids

pytestmark = pytest.mark.django_db


def _reader(**fields) -> PdfReader:
    _document, rendered = services.render_document(ReportRequest(**fields))
    return PdfReader(io.BytesIO(rendered.content))


def test_programme_report_running_headers_are_artifacts_not_orphaned_tags(demo):
    reader = _reader(kind=ReportRequest.Kind.PROGRAMME, programme=demo, language="en")
    orphans = orphan_mcids(reader)
    assert sum(len(m) for m in orphans.values()) == 0, orphans
    # The running header/footer is still drawn: as an Artifact now.
    contents = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert b"/Artifact" in contents
    catalog = reader.trailer["/Root"]
    assert catalog.get("/Lang")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert catalog["/MarkInfo"]["/Marked"]
