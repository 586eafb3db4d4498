"""The audit log names who changed what in networks, gatherings and strategies; staff read it
in the admin, nobody edits it."""

import pytest
from django.urls import reverse

from cemsdi_portal.core.models import AuditEntry
from strategies import services as strategy_services

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
    data["municipalities"] = [m.pk for m in form.initial["municipalities"]]
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
