"""A strategy section with hostile markup is shown as text in its PDF and pulls nothing in.

Its own file: it commits through the web (a transactional test), which must not run while
test_render.py's module holds the seeded demo in an open transaction."""

import pytest
from django.urls import reverse

from reports.models import ReportRequest
from strategies import services as strategy_services

from .conftest import embedded_files, pdf_reader, pdf_text, raster_images

HOSTILE = (
    'Before. <img src="file:///etc/passwd"> and '
    '<img src="http://127.0.0.1:9/tracker.png"> and ![a picture](http://127.0.0.1:9/p.png) '
    'and <a rel="attachment" href="file:///etc/passwd">the passwords</a>. After.'
)


@pytest.mark.django_db(transaction=True)  # through the web: commit, then the (eager) task
def test_a_hostile_strategy_section_is_shown_as_text_and_pulls_nothing_in(client, world, media):
    chief = world.users["chief_executive"]
    strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    section = strategy.sections.first()
    strategy_services.section_save(section=section, user=chief, body=HOSTILE, base_version=0)
    client.force_login(chief)
    response = client.post(
        reverse("report_request"),
        {"kind": "strategy", "network": world.network.pk, "municipality": world.municipality.pk},
    )
    assert response.status_code == 302
    report = ReportRequest.objects.get()
    assert report.status == ReportRequest.Status.DONE, report.error
    download = client.get(reverse("report_download", args=[report.pk]))
    content = b"".join(download.streaming_content)
    reader = pdf_reader(content)
    assert embedded_files(reader) == []
    assert raster_images(reader) == []
    assert b"root:x:0" not in content
    text = pdf_text(content)
    assert "root:" not in text
    assert '<img src="file:///etc/passwd">' in text
    assert '<img src="http://127.0.0.1:9/tracker.png">' in text
    assert '<a rel="attachment" href="file:///etc/passwd">the passwords</a>' in text
    assert "Before." in text
    assert "After." in text
