"""Two people of one network with data of every kind: the subject, and a neighbour whose data
must never show in the subject's download."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from cemsdi_portal.core import audit
from cemsdi_portal.core.models import AuditEntry
from networks.models import Role
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from sessions_app.models import CalendarToken
from strategies import services as strategy_services
from tests import factories as f


@dataclass
class PersonData:
    person: object
    strategy: object
    section: object
    gatherings: list
    text: str
    comment: str


def give_data(world, person, municipality, *, text, comment, hours=None) -> PersonData:
    """A strategy with a revision, a comment and a measure by ``person``, their attendance at
    the network's first two gatherings, a report request, presence, a calendar feed and an
    audit entry of theirs."""
    gatherings = list(world.network.gatherings.order_by("number")[:2])
    for gathering in gatherings:
        sessions_services.attendance_record(
            gathering=gathering,
            entries=[
                sessions_services.AttendanceEntry(
                    person.pk, municipality.pk, "chief_executive", True, hours
                )
            ],
        )
    strategy = strategy_services.strategy_start(
        network=world.network, municipality=municipality, user=person
    )
    section = strategy.sections.order_by("position").first()
    strategy_services.section_save(section=section, user=person, body=text, base_version=0)
    strategy_services.section_comment(section=section, user=person, body=comment)
    strategy_services.measure_save(
        strategy=strategy, data={"title": f"Measure of {person.username}", "owner": person}
    )
    f.ReportRequestFactory(network=world.network, requested_by=person)
    strategy_services.presence_touch(section=section, user=person)
    CalendarToken.objects.create(user=person)
    for role in Role.objects.filter(user=person):  # as invitation_accept logs the role it gives
        audit.log(role, AuditEntry.Action.CREATED)
    AuditEntry.objects.create(
        actor=person,
        action=AuditEntry.Action.CHANGED,
        model="strategies.section",
        object_id=str(section.pk),
        object_repr=section.title,
        changes={"body": ["", text]},
    )
    return PersonData(person, strategy, section, gatherings, text, comment)


@pytest.fixture
def scheduled(world):
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    sessions_services.gathering_schedule(network=world.network, drafts=drafts)
    return world


@pytest.fixture
def subject(scheduled) -> PersonData:
    person = scheduled.users["chief_executive"]
    person.first_name, person.last_name, person.email = "Siri", "Eriksen", "siri@alta.example"
    person.save()
    return give_data(
        scheduled,
        person,
        scheduled.municipality,
        text="Alta cooperates on shared services.",
        comment="A remark from Alta.",
    )


@pytest.fixture
def neighbour(scheduled) -> PersonData:
    person = scheduled.users["neighbour_chief_executive"]
    person.first_name, person.last_name = "Nils", "Nabo"
    person.email = "nils@hammerfest.example"
    person.save()
    return give_data(
        scheduled,
        person,
        scheduled.neighbour,
        text="Hammerfest writes its own plan.",
        comment="A remark from Hammerfest.",
        hours=Decimal("3.50"),
    )
