"""The audit log names who changed what in networks, gatherings and strategies; staff read it
in the admin, nobody edits it."""

import pytest
from django.urls import reverse

from cemsdi_portal.core.models import AuditEntry
from sessions_app import services as sessions_services
from sessions_app.models import AgendaItem
from strategies import services as strategy_services
from strategies.models import Strategy
from strategies.template import SECTIONS
from tests.sessions_app.test_schedule import _post_data

pytestmark = pytest.mark.django_db


def _entries(model):
    return list(
        AuditEntry.objects.filter(model=model)
        .order_by("pk")
        .values_list("actor__username", "action", "object_repr", "changes")
    )


def test_a_network_edit_through_the_page_is_logged_with_its_person_and_fields(client, world):
    client.force_login(world.users["facilitator"])
    url = reverse("network_update", args=[world.network.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data["municipalities"] = [getattr(m, "pk", m) for m in form.initial["municipalities"]]
    old_name = world.network.name
    data["name"] = "eKommune Vest-Finnmark"
    data["planned_start"] = world.network.planned_start.isoformat()
    data["planned_end"] = world.network.planned_end.isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    (entry,) = [e for e in _entries("networks.network") if e[1] == "changed"]
    assert entry[:3] == ("facilitator", "changed", "eKommune Vest-Finnmark")
    assert entry[3]["name"] == [old_name, "eKommune Vest-Finnmark"]


def test_strategy_work_is_logged_and_background_work_has_no_person(client, world):
    chief = world.users["chief_executive"]
    strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    # Outside a request (a command, a task): logged without a person.
    assert _entries("strategies.strategy")[0][:2] == (None, "created")
    client.force_login(chief)
    response = client.post(
        reverse("measure_create", args=[strategy.pk]),
        {"title": "Chatbot", "status": "planned", "progress": "0"},
    )
    assert response.status_code == 302
    measure = strategy.measures.get()
    client.post(
        reverse("measure_edit", args=[measure.pk]),
        {"title": "Chatbot", "status": "under_way", "progress": "30"},
    )
    client.post(reverse("measure_delete", args=[measure.pk]))
    assert [
        (who, action, changes) for who, action, _what, changes in _entries("strategies.measure")
    ] == [
        ("chief_executive", "created", {}),
        ("chief_executive", "changed", {"status": ["planned", "under_way"], "progress": [0, 30]}),
        ("chief_executive", "deleted", {}),
    ]


def test_staff_read_the_audit_log_and_nobody_changes_it(client, world):
    strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=None
    )
    entry = AuditEntry.objects.first()
    client.force_login(world.users["staff"])
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403
    client.force_login(world.users["facilitator"])
    response = client.get(reverse("admin:core_auditentry_changelist"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# --- Bulk writes ------------------------------------------------------------------------------


def test_recording_attendance_through_the_page_logs_each_row_with_its_person(client, world):
    drafts = sessions_services.schedule_proposal(network=world.network)
    first = sessions_services.gathering_schedule(network=world.network, drafts=drafts)[0]
    ce, mayor = world.users["chief_executive"], world.users["mayor"]
    neighbour = world.users["neighbour_chief_executive"]
    client.force_login(world.users["facilitator"])
    url = reverse("gathering_attendance", args=[first.pk])
    data = {f"present_{ce.pk}": "on", f"present_{mayor.pk}": "on", f"hours_{mayor.pk}": "3.5"}

    assert client.post(url, data).status_code == 302
    assert sorted(_entries("sessions_app.attendance")) == sorted(
        ("facilitator", "created", f"{person} at {first}", {}) for person in (ce, mayor, neighbour)
    )

    data[f"hours_{mayor.pk}"] = "2"
    assert client.post(url, data).status_code == 302
    assert _entries("sessions_app.attendance")[3:] == [
        ("facilitator", "changed", f"{mayor} at {first}", {"hours": ["3.50", "2.00"]})
    ]


def test_starting_a_strategy_through_the_page_logs_each_section_with_its_priorities(client, world):
    client.force_login(world.users["chief_executive"])
    response = client.post(
        reverse("strategy_start", args=[world.network.pk, world.municipality.pk])
    )
    assert response.status_code == 302
    strategy = Strategy.objects.get()
    sections = list(strategy.sections.order_by("pk").prefetch_related("dla_priorities"))
    assert len(sections) == len(SECTIONS)
    codes = [", ".join(sorted(p.code for p in s.dla_priorities.all())) for s in sections]
    assert _entries("strategies.section") == [
        ("chief_executive", "created", s.title, {"dla_priorities": [None, c]} if c else {})
        for s, c in zip(sections, codes, strict=True)
    ]
    assert _entries("strategies.section")[0][3] == {"dla_priorities": [None, "DLA1"]}
    assert _entries("strategies.strategy")[0][:2] == ("chief_executive", "created")


def test_scheduling_and_moving_agenda_items_through_the_pages_is_logged(client, world):
    client.force_login(world.users["facilitator"])
    drafts = sessions_services.schedule_proposal(network=world.network)
    response = client.post(reverse("network_schedule", args=[world.network.pk]), _post_data(drafts))
    assert response.status_code == 302
    first = world.network.gatherings.get(number=1)
    items = list(first.agenda.order_by("position"))
    created = [e for e in _entries("sessions_app.agendaitem") if e[1] == "created"]
    assert len(created) == AgendaItem.objects.count()  # the four gatherings' agendas
    assert created[: len(items)] == [("facilitator", "created", i.title, {}) for i in items]

    response = client.post(
        reverse("agenda_item_move", args=[items[1].pk, "up"]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert [e for e in _entries("sessions_app.agendaitem") if e[1] == "changed"] == [
        ("facilitator", "changed", items[1].title, {"position": [2, 1]}),
        ("facilitator", "changed", items[0].title, {"position": [1, 2]}),
    ]


def test_changing_members_through_the_page_logs_each_membership_and_invitation(client, world):
    """A facilitator's new municipalities are invited, each in the log; one left out is a
    membership deleted; an administrator's new member is a membership created."""
    from tests import factories as f

    extra, more = (f.MunicipalityFactory(region=world.municipality.region) for _ in range(2))
    url = reverse("network_update", args=[world.network.pk])

    def post_members(user, members):
        client.force_login(user)
        form = client.get(url).context["form"]
        data = {
            name: value
            for name, value in form.initial.items()
            if value is not None and not isinstance(value, list)
        }
        data["planned_start"] = world.network.planned_start.isoformat()
        data["planned_end"] = world.network.planned_end.isoformat()
        data["municipalities"] = [m.pk for m in members]
        assert client.post(url, data).status_code == 302

    post_members(world.users["facilitator"], [world.municipality, extra, more])
    assert sorted(_entries("networks.membershipinvitation")) == sorted(
        [("facilitator", "created", f"{m} invited to {world.network}", {}) for m in (extra, more)]
    )
    assert _entries("networks.networkmembership") == [
        ("facilitator", "deleted", f"{world.neighbour} in {world.network}", {})
    ]
    post_members(world.users["staff"], [world.municipality, world.neighbour])
    assert [e[:3] for e in _entries("networks.networkmembership")][1:] == [
        ("staff", "created", f"{world.neighbour} in {world.network}")
    ]
    withdrawn = [e[1:] for e in _entries("networks.membershipinvitation") if e[1] == "changed"]
    assert sorted(withdrawn) == sorted(
        ("changed", f"{m} invited to {world.network}", {"state": ["invited", "withdrawn"]})
        for m in (extra, more)
    )
