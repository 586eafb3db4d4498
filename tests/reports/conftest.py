"""Fixtures of the report tests: the demo data, and reading a PDF back with pypdf."""

import io
import re

import pytest
from pypdf import PdfReader


@pytest.fixture
def demo(seeded_demo, db):
    """The demo data (the five Norwegian pilots and the other countries' illustrative ones),
    loaded as `make run` loads it, once per module."""
    return seeded_demo


@pytest.fixture
def period(world):
    """Months 1-12 of the world's programme."""
    from reports.models import ReportingPeriod

    return ReportingPeriod.objects.create(
        programme=world.programme, number=1, first_month=1, last_month=12
    )


@pytest.fixture
def coordinator(world):
    """The world's programme's coordinator, reading in English."""
    from tests import factories as f

    return f.coordinator_of(world.programme, username="coordinator", language="en")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_reader(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-"), content[:40]
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """The PDF's text, whitespace folded to single spaces."""
    reader = pdf_reader(content)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def embedded_files(reader: PdfReader) -> list:
    """Files attached to the document or to its annotations."""
    found = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/EmbeddedFiles")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/FileAttachment" or "/FS" in annotation:
                found.append(annotation.get("/Subtype"))
    return found


def raster_images(reader: PdfReader) -> list:
    """Every raster image in the PDF, on a page or inside a form (the SVG charts are vector
    forms with no image in them)."""
    images = []

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for _name, xobject in (resources.get("/XObject") or {}).items():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                images.append(xobject)
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))
        for _name, pattern in (resources.get("/Pattern") or {}).items():
            walk(pattern.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return images


# The seed's outcome table, "Outcome of CEMSDI project in Norway after one year" (the seed
# material, which the demo data in networks/demo.py reproduces): "5 pilots, 61
# municipalities, 98 Participants - 87 Senior executives and Mayors, 4 training sessions per
# Pilot, Average 28 hours of total training for each pilot, 4 Pilots have completed all
# sessions, 1 Pilots have completed 3 sessions".
SEED_NORWAY_AFTER_ONE_YEAR = {
    "pilots": 5,
    "municipalities": 61,
    "participants": 98,
    "senior_executives_and_mayors": 87,
    "training_sessions_per_pilot": 4,
    "average_training_hours_per_pilot": 28,  # "average 28 hours": rounded to the hour
    "pilots_completed_all_sessions": 4,
    "other_pilots_sessions_completed": [3],
}


def seed_table(table) -> dict:
    """An outcome table (a country's or the programme's) in the seed's terms."""
    return {
        "pilots": table.pilot_count,
        "municipalities": table.municipalities,
        "participants": table.participants,
        "senior_executives_and_mayors": table.leaders,
        "training_sessions_per_pilot": table.sessions_per_pilot_text,
        "average_training_hours_per_pilot": round(table.average_training_hours),
        "pilots_completed_all_sessions": len(table.completed),
        "other_pilots_sessions_completed": [p.sessions_held for p in table.not_completed],
    }
