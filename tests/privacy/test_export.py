"""A person downloads what the portal holds about them, and nothing of anyone else."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Role
from sessions_app import services as sessions_services
from sessions_app.models import GatheringUpdate, GatheringUpdateSent
from strategies import services as strategy_services
from tests import factories as f

from .conftest import give_data

pytestmark = pytest.mark.django_db


def _download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cemsdi-my-data-')
    return json.loads(response.content)


def test_download_holds_the_persons_profile_roles_attendance_and_writing(client, subject):
    Role.objects.get(user=subject.person).granted_in.add(subject.strategy.network)
    data = _download(client, subject.person)
    assert [r["given_in_networks"] for r in data["roles"]] == [subject.strategy.network.name]
    assert data["profile"]["username"] == "chief_executive"
    assert data["profile"]["email"] == "siri@alta.example"
    assert data["profile"]["first_name"] == "Siri"
    assert [(r["kind"], r["scope"]) for r in data["roles"]] == [
        ("chief_executive", str(subject.strategy.municipality))
    ]
    assert [
        (a["gathering"], a["municipality"], a["present"], a["hours"]) for a in data["attendance"]
    ] == [(1, "Alta", True, "7.25"), (2, "Alta", True, "7.25")]
    assert [(r["section"], r["version"], r["text"]) for r in data["section_revisions"]] == [
        (subject.section.title, 1, "Alta cooperates on shared services.")
    ]
    assert [c["text"] for c in data["section_comments"]] == ["A remark from Alta."]
    assert [m["title"] for m in data["measures_owned"]] == ["Measure of chief_executive"]
    assert [s["municipality"] for s in data["strategies_started"]] == ["Alta"]
    assert [s["section"] for s in data["sections_last_saved"]] == [subject.section.title]
    assert [s["section"] for s in data["sections_open"]] == [subject.section.title]
    assert [r["kind"] for r in data["reports_requested"]] == ["network"]
    assert data["calendar_feed"] is True


def test_download_holds_the_audit_entries_by_and_about_the_person(client, subject):
    role = Role.objects.get(user=subject.person)
    data = _download(client, subject.person)
    records = {(e["record"], e["who"]) for e in data["audit_entries"]}
    assert (f"strategies.section {subject.section.pk}", "Siri Eriksen") in records
    assert (f"networks.role {role.pk}", None) in records  # the role given to them
    attendance_ids = set(subject.person.attendance.values_list("pk", flat=True))
    assert {
        e["record"] for e in data["audit_entries"] if e["record"].startswith("sessions_app")
    } == {f"sessions_app.attendance {pk}" for pk in attendance_ids}


def test_download_holds_nothing_of_another_person(client, subject, neighbour):
    text = json.dumps(_download(client, subject.person), ensure_ascii=False)
    for trace in [
        "Nils",
        "Nabo",
        "nils@hammerfest.example",
        "neighbour_chief_executive",
        "Hammerfest writes its own plan.",
        "A remark from Hammerfest.",
        "3.50",
    ]:
        assert trace not in text
    # And the neighbour's download has theirs.
    neighbour_text = json.dumps(_download(client, neighbour.person), ensure_ascii=False)
    assert "Hammerfest writes its own plan." in neighbour_text
    assert "Alta cooperates" not in neighbour_text


def test_download_takes_no_person_from_the_address(client, subject, neighbour):
    client.force_login(subject.person)
    response = client.get(reverse("my_data_download"), {"user": neighbour.person.pk, "pk": 1})
    assert "nils@hammerfest.example" not in response.content.decode()
    assert json.loads(response.content)["profile"]["username"] == "chief_executive"


def test_download_leaves_out_secrets(client, subject):
    token = str(subject.person.calendar_token.token)
    client.force_login(subject.person)
    body = client.get(reverse("my_data_download")).content.decode()
    assert token not in body
    assert subject.person.password not in body


@pytest.mark.parametrize("name", ["my_data", "my_data_download"])
def test_my_data_asks_a_visitor_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_my_data_page_shows_the_download_readably(client, subject):
    client.force_login(subject.person)
    response = client.get(reverse("my_data"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your attendance at gatherings" in page
    assert "Alta cooperates on shared services." in page
    assert "siri@alta.example" in page
    assert f'href="{reverse("my_data_download")}"' in page


def test_my_data_is_linked_from_every_page(client, subject):
    client.force_login(subject.person)
    assert f'href="{reverse("my_data")}"' in client.get(reverse("home")).content.decode()


def _grow(world, person, section, size, start):
    """``size`` more revisions, comments, measures, reports and roles of ``person``."""
    for n in range(start, start + size):
        section.refresh_from_db()
        strategy_services.section_save(
            section=section, user=person, body=f"Text {n}", base_version=section.version
        )
        strategy_services.section_comment(section=section, user=person, body=f"Comment {n}")
        strategy_services.measure_save(
            strategy=section.strategy, data={"title": f"More {n}", "owner": person}
        )
        f.ReportRequestFactory(network=world.network, requested_by=person)
        Role.objects.create(
            user=person, kind=Role.Kind.MUNICIPAL_STAFF, municipality=f.MunicipalityFactory()
        )


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("my_data_download"))
    assert response.status_code == 200
    return len(captured)


def test_download_queries_do_not_grow_with_rows(client, scheduled):
    person = scheduled.users["chief_executive"]
    section = give_data(
        scheduled, person, scheduled.municipality, text="One", comment="First"
    ).section
    client.force_login(person)
    _grow(scheduled, person, section, 1, start=0)
    small = _queries(client)
    gatherings = list(scheduled.network.gatherings.order_by("number"))[2:]
    for gathering in gatherings:
        sessions_services.attendance_record(
            gathering=gathering,
            entries=[
                sessions_services.AttendanceEntry(
                    person.pk, scheduled.municipality.pk, "chief_executive", True
                )
            ],
        )
    _grow(scheduled, person, section, 3, start=1)
    large = _queries(client)
    assert small == large


def _update_sent(gathering, person):
    update = GatheringUpdate.objects.create(
        gathering=gathering,
        sequence=1,
        method=GatheringUpdate.Method.CANCEL,
        previous_starts_at=gathering.starts_at,
        previous_ends_at=gathering.ends_at,
    )
    return GatheringUpdateSent.objects.create(update=update, person=person)


def test_download_holds_the_gathering_updates_mailed_to_the_person(client, subject, neighbour):
    sent = _update_sent(subject.gatherings[0], subject.person)
    _update_sent(subject.gatherings[1], neighbour.person)

    data = _download(client, subject.person)

    assert data["gathering_updates_received"] == [
        {
            "network": subject.gatherings[0].network.name,
            "gathering": 1,
            "change": "CANCEL",
            "sent_at": sent.sent_at.isoformat(),
        }
    ]
