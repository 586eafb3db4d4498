"""The audit log names who changed what in networks, gatherings and strategies; staff read it
in the admin, nobody edits it."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.models import AuditEntry
from sessions_app import selectors as sessions_selectors
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
    drafts = sessions_selectors.schedule_proposal(network=world.network)
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
    drafts = sessions_selectors.schedule_proposal(network=world.network)
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


# --- Each service logs its own writes -------------------------------------------------------


def _last() -> int:
    return AuditEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def _since(pk):
    return list(
        AuditEntry.objects.filter(pk__gt=pk)
        .order_by("pk")
        .values_list("actor__username", "action", "model", "object_repr", "changes")
    )


def _scheduled(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    return sessions_services.gathering_schedule(network=world.network, drafts=drafts)[0]


def test_gathering_work_through_the_pages_logs_each_change_with_old_and_new_values(client, world):
    first = _scheduled(world)
    item = first.agenda.order_by("position").first()
    client.force_login(world.users["facilitator"])
    last = _last()

    response = client.post(
        reverse("agenda_item_edit", args=[item.pk]),
        {"edit-title": "Welcome", "edit-kind": item.kind,
         "edit-duration_minutes": str(item.duration_minutes), "edit-speaker": "Ola"},
    )  # fmt: skip
    assert response.status_code == 302
    client.post(reverse("gathering_summary", args=[first.pk]), {"summary": "We met."})
    due = timezone.localdate(first.ends_at) + timedelta(days=7)
    client.post(
        reverse("assignment_create", args=[first.pk]),
        {"title": "Map the services", "due_date": due.isoformat()},
    )
    assignment = first.assignments.get()
    client.force_login(world.users["chief_executive"])
    done = reverse("assignment_done", args=[assignment.pk])
    client.post(done, {"municipality": world.municipality.pk, "done": "1"})
    client.post(done, {"municipality": world.municipality.pk, "done": "0"})
    client.force_login(world.users["facilitator"])
    client.post(reverse("agenda_item_delete", args=[item.pk]))

    entries = _since(last)
    mark = f"{world.municipality}: Map the services"
    assert [e[:4] for e in entries] == [
        ("facilitator", "changed", "sessions_app.agendaitem", "Welcome"),
        ("facilitator", "changed", "sessions_app.gathering", str(first)),
        ("facilitator", "created", "sessions_app.assignment", "Map the services"),
        ("chief_executive", "created", "sessions_app.assignmentcompletion", mark),
        ("chief_executive", "deleted", "sessions_app.assignmentcompletion", mark),
        ("facilitator", "deleted", "sessions_app.agendaitem", "Welcome"),
    ]
    assert entries[0][4] == {"title": [item.title, "Welcome"], "speaker": ["", "Ola"]}
    assert entries[1][4]["summary"] == ["", "We met."]
    assert entries[1][4]["summary_published_at"][0] is None
    assert [e[4] for e in entries[2:]] == [{}, {}, {}, {}]


def test_strategy_work_through_the_pages_logs_text_status_comments_and_sections(client, world):
    chief = world.users["chief_executive"]
    strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    section = strategy.sections.order_by("position").first()
    client.force_login(chief)
    last = _last()

    edit = reverse("section_edit", args=[section.pk])
    priorities = list(section.dla_priorities.values_list("pk", flat=True))
    client.post(edit, {"body": "Shared services.", "version": "0", "dla_priorities": priorities})
    client.post(reverse("section_add", args=[strategy.pk]), {"title": "Fibre"})
    own = strategy.sections.get(title="Fibre")
    client.post(reverse("strategy_status", args=[strategy.pk]), {"status": "shared"})
    client.force_login(world.users["facilitator"])
    client.post(reverse("section_comment", args=[section.pk]), {"body": "Agreed."})
    client.post(reverse("section_comment", args=[own.pk]), {"body": "Too early."})
    client.force_login(chief)
    client.post(reverse("section_delete", args=[own.pk]))

    # Each notice made is logged too: the facilitator told of the sharing, Alta's two editors
    # of each comment.
    def notices(**filters):
        from notices.models import Notice

        rows = Notice.objects.filter(**filters).order_by("pk")
        return [("created", "notices.notice", str(n), {}) for n in rows]

    agreed, early = (
        AuditEntry.objects.filter(
            model="strategies.sectioncomment", action=AuditEntry.Action.CREATED
        )
        .order_by("pk")
        .values_list("object_id", flat=True)
    )
    assert len(notices(event_key=f"comment:{agreed}")) == 2
    assert _since(last) == [
        ("chief_executive", "changed", "strategies.section", section.title,
         {"body": ["", "Shared services."]}),
        ("chief_executive", "created", "strategies.section", "Fibre", {}),
        ("chief_executive", "changed", "strategies.strategy", strategy.title,
         {"status": ["draft", "shared"]}),
        *[("chief_executive", *n) for n in notices(kind="strategy_shared")],
        ("facilitator", "created", "strategies.sectioncomment", "Agreed.", {}),
        *[("facilitator", *n) for n in notices(event_key=f"comment:{agreed}")],
        ("facilitator", "created", "strategies.sectioncomment", "Too early.", {}),
        *[("facilitator", *n) for n in notices(event_key=f"comment:{early}")],
        ("chief_executive", "deleted", "strategies.sectioncomment", "Too early.", {}),
        ("chief_executive", "deleted", "strategies.section", "Fibre", {}),
    ]  # fmt: skip


def test_creating_a_network_through_the_page_logs_it_its_facilitator_and_invitations(client, world):
    from networks.models import Network

    client.force_login(world.users["facilitator"])
    form = client.get(reverse("network_update", args=[world.network.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        name="eKommune Øst",
        planned_start=world.network.planned_start.isoformat(),
        planned_end=world.network.planned_end.isoformat(),
        municipalities=[world.municipality.pk],
    )
    data["state"] = "draft"
    last = _last()

    response = client.post(reverse("network_create"), data)
    assert response.status_code == 302, response.context["form"].errors

    network = Network.objects.get(name="eKommune Øst")
    facilitator = world.users["facilitator"]
    assert _since(last) == [
        ("facilitator", "created", "networks.network", "eKommune Øst", {}),
        ("facilitator", "created", "networks.role",
         f"{facilitator}: Facilitator ({network})", {}),
        ("facilitator", "created", "networks.membershipinvitation",
         f"{world.municipality} invited to {network}", {}),
    ]  # fmt: skip


def test_a_staff_members_change_in_the_admin_is_logged_with_old_and_new_values(client, world):
    strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=None
    )
    measure = strategy_services.measure_save(strategy=strategy, data={"title": "Chatbot"})
    client.force_login(world.users["staff"])
    url = reverse("admin:strategies_measure_change", args=[measure.pk])
    data = {
        name: value
        for name, value in client.get(url).context["adminform"].form.initial.items()
        if value is not None
    }
    last = _last()

    assert client.post(url, {**data, "title": "Chatbot for tax"}).status_code == 302

    assert _since(last) == [
        ("staff", "changed", "strategies.measure", "Chatbot for tax",
         {"title": ["Chatbot", "Chatbot for tax"]}),
    ]  # fmt: skip


def test_a_logged_save_reads_nothing_more_than_the_bare_write(world, django_assert_num_queries):
    """The old values are the ones the service has in hand: logging costs one INSERT."""
    first = _scheduled(world)
    with django_assert_num_queries(3), transaction.atomic():  # the bare write, a savepoint here
        first.save(update_fields=["summary", "summary_published_at"])
    with django_assert_num_queries(3 + 1):  # the same and its entry
        sessions_services.gathering_publish_summary(gathering=first, summary="We met.")
    assert AuditEntry.objects.filter(model="sessions_app.gathering").latest("pk").changes[
        "summary"
    ] == ["", "We met."]


APPS = ("networks", "sessions_app", "strategies", "benchmarking", "reports", "privacy")


def test_the_audit_module_names_no_app():
    """Core imports no app: the services name their models when they log."""
    tree = ast.parse((Path(__file__).parents[1] / "cemsdi_portal/core/audit.py").read_text())
    named = [
        node.value if isinstance(node, ast.Constant) else getattr(node, "module", None) or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant | ast.ImportFrom | ast.Import)
    ]
    named += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
              for alias in node.names]  # fmt: skip
    assert [n for n in named if isinstance(n, str) and any(app in n for app in APPS)] == []


def test_asking_for_a_report_and_renewing_a_calendar_address_are_logged(
    client, world, django_capture_on_commit_callbacks, settings, tmp_path
):
    """Asking once logs the request (joining it logs nothing more); a new calendar address is
    logged without its secret."""
    from reports.models import ReportRequest
    from sessions_app.models import CalendarToken

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["chief_executive"])
    old = CalendarToken.objects.create(user=world.users["chief_executive"]).token
    client.post(reverse("my_calendar"))
    new = CalendarToken.objects.get(user=world.users["chief_executive"]).token
    assert new != old
    entries = _entries("sessions_app.calendartoken")
    assert entries == [
        ("chief_executive", "changed", str(world.users["chief_executive"]), {"token": ["…", "…"]})
    ]
    assert str(old) not in str(entries)
    assert str(new) not in str(entries)

    data = {"kind": "network", "network": world.network.pk}
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("report_request"), data)
        client.force_login(world.users["facilitator"])
        client.post(reverse("report_request"), data)  # joins the first
    report = ReportRequest.objects.get()
    assert _entries("reports.reportrequest") == [("chief_executive", "created", str(report), {})]
