"""Materials with type and size checks; minutes; assignments marked done by municipalities."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from networks.models import Role
from sessions_app import selectors as sessions_selectors
from sessions_app import services
from sessions_app.models import Assignment, AssignmentCompletion, Material
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    return services.gathering_schedule(network=world.network, drafts=drafts)[0]


def _upload(client, gathering, name, content, kind="slides"):
    return client.post(
        reverse("material_upload", args=[gathering.pk]),
        {"title": "Lysark", "kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def test_facilitator_uploads_slides_that_members_download(client, world, gathering):
    client.force_login(world.users["facilitator"])
    assert _upload(client, gathering, "lysark.pdf", b"%PDF-1.7 slides").status_code == 302
    material = Material.objects.get()
    assert material.size == len(b"%PDF-1.7 slides")
    client.force_login(world.users["chief_executive"])
    response = client.get(reverse("material_download", args=[material.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 slides"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world.users["other_chief_executive"])
    assert client.get(reverse("material_download", args=[material.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "virus.exe is not a type we accept"),
        ("fake.pdf", b"<html>not a pdf</html>", "fake.pdf is not really a PDF file."),
        ("slides.pptx", b"%PDF-1.4", "slides.pptx is not really a PPTX file."),
        ("noextension", b"%PDF-1.4", "noextension is not a type we accept"),
    ],
)
def test_upload_refuses_wrong_types(client, world, gathering, name, content, message):
    client.force_login(world.users["facilitator"])
    response = _upload(client, gathering, name, content)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["file"])
    assert not Material.objects.exists()


def test_upload_refuses_a_file_over_the_limit(client, world, gathering, settings):
    settings.MAX_MATERIAL_MB = 1
    client.force_login(world.users["facilitator"])
    response = _upload(client, gathering, "big.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    errors = response.context["form"].errors["file"]
    assert errors == ["big.pdf is 1.0 MB; the limit is 1 MB."]
    assert not Material.objects.exists()


def test_published_summary_shows_on_the_page(client, world, gathering):
    client.force_login(world.users["facilitator"])
    client.post(
        reverse("gathering_summary", args=[gathering.pk]),
        {"summary": "God samling.\n<script>alert(1)</script>"},
    )
    gathering.refresh_from_db()
    assert gathering.summary_published_at is not None
    client.force_login(world.users["chief_executive"])
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert "God samling." in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _due(gathering, days):
    return (timezone.localdate(gathering.ends_at) + timedelta(days=days)).isoformat()


def test_assignment_is_given_and_marked_done_by_a_municipality(client, world, gathering):
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("assignment_create", args=[gathering.pk]),
        {
            "title": "Nøkkeltall",
            "description": "",
            "due_date": _due(gathering, 30),
            "strategy_section": "governance",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    client.force_login(world.users["chief_executive"])
    response = client.post(
        reverse("assignment_done", args=[assignment.pk]),
        {"municipality": world.municipality.pk, "done": "1"},
    )
    assert response.status_code == 302
    assert list(AssignmentCompletion.objects.values_list("municipality__name", flat=True)) == [
        "Alta"
    ]
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content.decode()
    assert "1 of 2 municipalities done" in page
    client.force_login(world.users["chief_executive"])
    client.post(
        reverse("assignment_done", args=[assignment.pk]),
        {"municipality": world.municipality.pk, "done": "0"},
    )
    assert not AssignmentCompletion.objects.exists()


def test_nobody_marks_another_municipalitys_work(client, world, gathering):
    assignment = services.assignment_create(
        gathering=gathering, title="X", due_date=timezone.localdate(gathering.ends_at)
    )
    client.force_login(world.users["chief_executive"])
    response = client.post(
        reverse("assignment_done", args=[assignment.pk]),
        {"municipality": world.neighbour.pk, "done": "1"},
    )
    assert response.status_code == 403
    client.force_login(world.users["other_chief_executive"])
    response = client.post(
        reverse("assignment_done", args=[assignment.pk]),
        {"municipality": world.other_municipality.pk, "done": "1"},
    )
    assert response.status_code == 404
    assert not AssignmentCompletion.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_date": "past"}, "due_date", "The work is due after the gathering"),
        ({"due_date": "not a date"}, "due_date", "Enter a valid date."),
        ({"title": ""}, "title", "This field is required."),
        ({"strategy_section": "poetry"}, "strategy_section", "Select a valid choice."),
    ],
)
def test_bad_assignment_is_refused_on_the_field(
    client, world, gathering, overrides, field, message
):
    data = {
        "title": "X",
        "description": "",
        "due_date": _due(gathering, 30),
        "strategy_section": "",
    }
    data.update(overrides)
    if data["due_date"] == "past":
        data["due_date"] = _due(gathering, -1)
    client.force_login(world.users["facilitator"])
    response = client.post(reverse("assignment_create", args=[gathering.pk]), data)
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Assignment.objects.exists()


def test_a_role_given_through_another_network_reports_no_work_in_this_one(client, world, gathering):
    # Staff of Vardø through this network's invitation, and of Alta through the other's.
    vardo = f.MunicipalityFactory(name="Vardø")
    world.network.municipalities.add(vardo)
    world.other_network.municipalities.add(world.municipality)
    person = f.UserFactory()
    for municipality, network in (
        (vardo, world.network),
        (world.municipality, world.other_network),
    ):
        Role.objects.create(
            user=person, kind=Role.Kind.MUNICIPAL_STAFF, municipality=municipality
        ).granted_in.add(network)
    assignment = services.assignment_create(
        gathering=gathering, title="X", due_date=timezone.localdate(gathering.ends_at)
    )
    client.force_login(person)
    url = reverse("assignment_done", args=[assignment.pk])

    assert client.post(url, {"municipality": world.municipality.pk, "done": "1"}).status_code == 403
    assert not AssignmentCompletion.objects.exists()
    assert client.post(url, {"municipality": vardo.pk, "done": "1"}).status_code == 302
    assert list(AssignmentCompletion.objects.values_list("municipality__name", flat=True)) == [
        "Vardø"
    ]
    page = client.get(reverse("gathering_detail", args=[gathering.pk])).content
    assert page.count(b'name="municipality"') == 1  # Vardø's button only


def test_assignments_offer_the_strategy_sections_strategies_registers():
    """sessions_app does not import strategies: the sections come through its hook."""
    from sessions_app import hooks
    from sessions_app.demo import ASSIGNMENTS
    from strategies.models import Section

    codes = [code for code, _label in hooks.strategy_section_choices()]
    assert codes == [c for c in Section.Kind.values if c != Section.Kind.OWN]
    used = {s for by_number in ASSIGNMENTS.values() for _title, s in by_number.values() if s}
    assert used <= set(codes)
