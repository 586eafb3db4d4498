"""Reports speak the language of whoever asks for them, every kind: the frame (headings,
labels, dates, numbers) is translated, the text people wrote stays as they wrote it."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from networks.models import Municipality, Network
from reports import services
from reports.models import ReportRequest
from strategies.models import Strategy
from tests import factories as f

from .conftest import pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

Kind, Status = ReportRequest.Kind, ReportRequest.Status


def italian(msgid: str) -> str:
    """A heading as the Italian catalogue writes it; it must be translated, or the test
    would pass on an empty catalogue."""
    with translation.override("it"):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} has no Italian translation"
    return text


@pytest.mark.parametrize("kind", [Kind.NETWORK, Kind.PROGRAMME, Kind.POSITION])
def test_every_kind_is_written_in_the_language_of_whoever_asks(world, kind):
    world.network.language = "nb"
    world.network.save()
    officer = world.users["project_officer"]
    officer.language = "it"
    officer.save()
    subject = {
        Kind.NETWORK: {"network": world.network},
        Kind.PROGRAMME: {"programme": world.programme},
        Kind.POSITION: {"municipality": world.municipality, "network": world.network},
    }[kind]
    report = services.report_request(user=officer, kind=kind, language="en", **subject).report
    assert report.language == "it"  # the person's own language, not the network's nor the page's
    facilitator = world.users["facilitator"]  # no language of their own: the page's decides
    assert facilitator.language == ""
    other = services.report_request(user=facilitator, kind=kind, language="pt", **subject)
    assert other.report.language == "pt"
    assert other.joined is False  # another language, another document


def test_an_italian_and_a_norwegian_request_are_two_documents(world):
    queued = f.ReportRequestFactory(
        network=world.network, language="it", status=Status.QUEUED, enqueued_at=timezone.now()
    )
    norwegian = services.report_request(
        user=world.users["facilitator"], kind=Kind.NETWORK, network=world.network, language="nb"
    )
    assert (norwegian.joined, norwegian.report.language) == (False, "nb")
    italian_request = services.report_request(
        user=world.users["project_officer"], kind=Kind.NETWORK, network=world.network,
        language="it",
    )  # fmt: skip
    assert (italian_request.joined, italian_request.report.pk) == (True, queued.pk)


def test_a_norwegian_networks_report_asked_by_an_italian_officer_has_italian_headings(
    demo, client, media, django_capture_on_commit_callbacks
):
    network = Network.objects.get(name="eKommune Finnmark")
    assert network.language == "nb"
    officer = f.project_officer_of(demo, language="it")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report_request"), {"kind": "network", "network": network.pk}
        )
    assert response.status_code == 302
    report = ReportRequest.objects.get(requested_by=officer)
    assert (report.language, report.status) == ("it", Status.DONE), report.error
    with report.file.open("rb") as handle:
        content = handle.read()
    text = pdf_text(content)
    for heading in ("Network report", "Members and attendance", "Gatherings", "Key figures"):
        assert italian(heading) in text, heading
    assert "Members and attendance" not in text
    assert pdf_reader(content).trailer["/Root"]["/Lang"] == "it"
    # What people wrote stays as written: the gatherings' titles, the municipalities' names.
    for gathering in network.gatherings.all():
        assert " ".join(gathering.title.split()) in text
    assert "Sør-Varanger" in text


def test_a_strategy_adopted_in_norwegian_stays_norwegian_in_an_italian_frame(demo):
    strategy = (
        Strategy.objects.filter(status=Strategy.Status.ADOPTED, network__language="nb")
        .select_related("network", "municipality")
        .first()
    )
    _document, rendered = services.render_document(
        ReportRequest(
            kind=Kind.STRATEGY, network=strategy.network, municipality=strategy.municipality,
            language="it",
        )
    )  # fmt: skip
    text = pdf_text(rendered.content)
    assert italian("Action plan") in text
    assert italian("The strategy") in text
    assert strategy.title in text
    for section in strategy.sections.all():
        assert section.title in text
    for measure in strategy.measures.all():
        assert measure.title in text


def test_a_position_report_in_italian_has_its_title_in_italian(demo):
    alta = Municipality.objects.get(code="5601")
    _document, rendered = services.render_document(
        ReportRequest(kind=Kind.POSITION, municipality=alta, language="it")
    )
    text = pdf_text(rendered.content)
    with translation.override("it"):
        title = gettext("%(name)s in key figures") % {"name": alta.name}
    assert title != f"{alta.name} in key figures"
    assert title in text
