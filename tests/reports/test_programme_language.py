"""The programme review report in Italian, asked for through the web and read back from the
PDF's text: the outcome table per country, with Norway's row as the seed's and Italian labels.
In process here (the test settings' eager tasks); test_worker.py does the same through Redis
and a Celery worker on PostgreSQL."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from networks.models import Programme
from reports import figures
from reports.models import ReportRequest
from tests import factories as f

from .conftest import SEED_NORWAY_AFTER_ONE_YEAR, pdf_text

pytestmark = pytest.mark.django_db

SEED = SEED_NORWAY_AFTER_ONE_YEAR


def assert_italian_country_table(text: str, programme: Programme) -> None:
    """The table per country in the PDF's text: Italian column labels in order, Norway's row
    with the seed's figures, and the programme's row."""
    text = text.replace("\u2010 ", "")  # a header word hyphenated at the end of its line
    outcome = figures.programme_outcome(programme=programme)
    (norway,) = [row for row in outcome.countries if row.country.code == "NO"]
    with translation.override("it"):
        labels = [column.label for column in figures.country_columns()]
        caption = gettext("The outcome per country")
        country_label = gettext("Country")
        norway_name = figures.country_name(norway.country)
        total_name = gettext("The programme")
        hours = formats.number_format(norway.average_training_hours, 2)
    with translation.override("en"):
        english = [column.label for column in figures.country_columns()]
    for label, in_english in zip(labels, english, strict=True):
        assert label != in_english, f"{in_english!r} has no Italian translation"
    assert f"{caption} {country_label} {' '.join(labels)}" in text
    assert f" {total_name} " in text[text.find(caption) :]
    # Norway's row, up to the next row's name (another country's, or the programme's).
    row = re.search(
        rf"{re.escape(norway_name)} (\d+) (\d+) (\d+) (\d+) (\d+) (\d+,\d\d) (\d+) ([\d, –]+?) "
        r"(?=[^\d\s,–])",
        text,
    )
    assert row, text[text.find(caption) : text.find(caption) + 600]
    pilots, municipalities, participants, leaders, sessions, _hours, completed, others = (
        row.groups()
    )
    assert [int(pilots), int(municipalities), int(participants), int(leaders)] == [
        SEED["pilots"],
        SEED["municipalities"],
        SEED["participants"],
        SEED["senior_executives_and_mayors"],
    ]
    assert int(sessions) == SEED["training_sessions_per_pilot"]
    assert row.group(6) == hours  # the decimal comma: Italian numbers
    assert round(Decimal(hours.replace(",", "."))) == SEED["average_training_hours_per_pilot"]
    assert int(completed) == SEED["pilots_completed_all_sessions"]
    assert [int(n) for n in others.split(",")] == SEED["other_pilots_sessions_completed"]


def test_the_programme_report_in_italian_shows_norways_row_as_the_seeds(
    demo, client, media, django_capture_on_commit_callbacks
):
    officer = f.project_officer_of(demo, language="it")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report_request"), {"kind": "programme", "programme": demo.pk}
        )
    assert response.status_code == 302
    report = ReportRequest.objects.get(requested_by=officer)
    assert (report.language, report.status) == ("it", ReportRequest.Status.DONE), report.error
    download = client.get(reverse("report_download", args=[report.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert_italian_country_table(text, demo)
