"""Every page of the gatherings app makes the same number of queries at two sizes."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Role
from sessions_app import selectors as sessions_selectors
from sessions_app import services
from sessions_app.models import AgendaItem, Gathering
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    world.gatherings = services.gathering_schedule(network=world.network, drafts=drafts)
    # The last gathering in a month, so that its invitation can still be answered.
    start = timezone.now() + timedelta(days=30)
    Gathering.objects.filter(pk=world.gatherings[3].pk).update(
        starts_at=start, ends_at=start + timedelta(hours=8)
    )
    world.gatherings[3].refresh_from_db()
    # Two evaluations already, so that the results are shown at both sizes.
    f.EvaluationResponseFactory.create_batch(2, gathering=world.gatherings[0])
    return world


def _grow(world, size):
    """More members and invitees, agenda items, materials, assignments and attendance."""
    first = world.gatherings[0]
    for _ in range(size):
        member = f.MunicipalityFactory(region=world.municipality.region)
        world.network.municipalities.add(member)
        ce = f.municipal(Role.Kind.CHIEF_EXECUTIVE, member)
        f.municipal(Role.Kind.MAYOR, member)
        position = first.agenda.count() + 1
        AgendaItem.objects.create(
            gathering=first, position=position, title="Extra", duration_minutes=5
        )
        services.material_add(
            gathering=first,
            title="Doc",
            kind="document",
            file=SimpleUploadedFile("d.pdf", b"%PDF-1"),
            uploaded_by=None,
        )
        assignment = services.assignment_create(
            gathering=first, title="Work", due_date=first.ends_at.date()
        )
        services.assignment_set_done(assignment=assignment, municipality=member, user=ce, done=True)
        services.attendance_record(
            gathering=first,
            entries=[services.AttendanceEntry(ce.pk, member.pk, "chief_executive", True)],
        )
        services.gathering_answer_set(gathering=world.gatherings[3], person=ce, answer="yes")
        services.evaluation_submit(
            gathering=first, user=ce, evaluation=services.Evaluation(4, 4, "Shorter breaks")
        )


def _count(client, url, **headers):
    client.get(url, headers=headers)  # once first: a page may create a row on first sight
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("facilitator", lambda w: reverse("network_gatherings", args=[w.network.pk]), {}),
    ("facilitator", lambda w: reverse("gathering_detail", args=[w.gatherings[0].pk]), {}),
    ("chief_executive", lambda w: reverse("gathering_detail", args=[w.gatherings[0].pk]), {}),
    ("facilitator", lambda w: reverse("facilitator_overview"), {}),
    # The facilitator's answer list, and an invitee's question.
    ("facilitator", lambda w: reverse("gathering_detail", args=[w.gatherings[3].pk]), {}),
    ("chief_executive", lambda w: reverse("gathering_detail", args=[w.gatherings[3].pk]), {}),
    (
        "facilitator",
        lambda w: reverse("gathering_evaluation_results", args=[w.gatherings[0].pk]),
        {},
    ),
    ("facilitator", lambda w: reverse("gathering_sign_in_sheet", args=[w.gatherings[3].pk]), {}),
    (
        "facilitator",
        lambda w: reverse("gathering_attendance_export", args=[w.gatherings[0].pk, "xlsx"]),
        {},
    ),
    ("facilitator", lambda w: reverse("gathering_attendance", args=[w.gatherings[0].pk]), {}),
    ("facilitator", lambda w: reverse("network_schedule", args=[w.network.pk]), {}),
    (
        "facilitator",
        lambda w: reverse("agenda_item_edit", args=[w.gatherings[0].agenda.first().pk]),
        {"HX-Request": "true"},
    ),
    ("facilitator", lambda w: reverse("network_calendar", args=[w.network.pk]), {}),
]


@pytest.mark.parametrize(("role", "url", "headers"), PAGES)
def test_gathering_pages_do_not_grow_with_rows(client, scheduled, role, url, headers):
    client.force_login(scheduled.users[role])
    _grow(scheduled, 1)
    small = _count(client, url(scheduled), **headers)
    _grow(scheduled, 4)
    large = _count(client, url(scheduled), **headers)
    assert small == large
