"""The demo's review report: its reporting periods (months 1-12 and 13-24) with a target or two
per objective, so that the first period's report shows the seed's figures beside them; and the
narrative for months 1-12: the coordinator's executive summary, lessons learned (the seed's own
outline: "Hva skal til for å lykkes og få utbytte?") and next steps, and eKommune Finnmark's
facilitator's progress, deviations and corrective actions in Norwegian, all final. Written
through the services, so each text has its revision and audit entry. Running it again changes
nothing."""

from datetime import UTC, datetime, time
from decimal import Decimal

from django.db import transaction

from networks.models import Network, Programme, User

from . import narrative_services as services
from .models import NarrativeRevision, NarrativeSection, ObjectiveTarget, ReportingPeriod

M = ObjectiveTarget.Measure

# (objective position, measure, target, period number or None for the programme's end)
TARGETS = [
    (1, M.MUNICIPALITIES, 60, 1),
    (1, M.PARTICIPANTS, 90, 1),
    (1, M.TRAINING_HOURS, 130, 1),
    (2, M.DLA_INITIATED, 5, 1),
    (2, M.STRATEGIES_ADOPTED, 30, None),
    (3, M.GATHERINGS, 20, 1),
    (3, M.LEADERS, 80, 1),
    (4, M.PRACTICES_SHARED, 10, None),
    (4, M.COUNTRIES, 5, None),
    (5, M.NETWORKS, 9, None),
    (6, M.PARTICIPANTS, 150, None),
]


def seed_review_plan(programme: Programme) -> None:
    """Safe to run again: it changes nothing the second time."""
    periods = {}
    for number, first, last in [(1, 1, 12), (2, 13, 24)]:
        periods[number], _ = ReportingPeriod.objects.get_or_create(
            programme=programme, number=number, defaults={"first_month": first, "last_month": last}
        )
    objectives = {o.position: o for o in programme.objectives.all()}
    for position, measure, target, period in TARGETS:
        if position not in objectives:
            continue
        ObjectiveTarget.objects.get_or_create(
            objective=objectives[position],
            measure=measure,
            period=periods.get(period),
            defaults={"target": Decimal(target)},
        )


Kind = NarrativeSection.Kind

EXECUTIVE_SUMMARY = """\
After its first year CEMSDI runs five pilot networks in Norway with 61 municipalities and 98
participants, 87 of them chief executives and mayors. Each pilot runs four training sessions,
on average 28 hours of training; four pilots have completed all their sessions and one has
completed three. The five regions taking part have each initiated the development of a
Digital Local Agenda.

The Norwegian network method (chief executives meeting in four gatherings over six to ten
months, analysing their own position with key figures, and learning from one another) has
worked as intended: every municipality is writing its own eKommune strategy and an action
plan to carry it. EISCO 2010 in Bilbao looked at the first pilot experiences, and Norway, the
pilot that started first, shares its method with the partners in the other countries.
"""

LESSONS = """\
## Engagement and involvement

The networks work when the chief executives take part themselves, and the first gathering
gains from the mayors being there too: eKommune Finnmark's experience shows that political
backing from the start carries the strategy work later.

## Capacity

Small municipalities deliver most public services with few people. The time the strategy work
takes has to be planned in each municipality, not found between other tasks.

## Content

The gatherings' content (national framework, governance of ICT, strategy and action plans,
and a fourth gathering on each municipality's own needs) must be adapted to each country:
what works in Norway does not necessarily work elsewhere, for political, economic, structural
and cultural reasons.

## Endurance

A strategy is not written in one gathering. Four gatherings over six to ten months, with work
in each municipality between them, keep the process going to an adopted strategy.

## Language

Working in a European project in English costs the participants effort; material and
discussion in the participants' own language keep everyone on board.

## Do not underestimate the workload

Taking part in an EU project with large partners is particularly useful, and it takes more
work than expected: be clear about why the project is joined and what it should yield.
"""

NEXT_STEPS = """\
The next phase extends the method to 60 municipalities more, in new networks that follow the
same four gatherings and start from the first pilots' strategies and practices. The results
and the way forward will be assessed at EISCO 2012 in Portugal, and the networks of experts
and the Community of Practice built in the pilots will support the new networks.
"""

PROGRESS = """\
Nettverket har gjennomført alle fire samlinger. Ordførerne deltok på første samling, og
rådmennene har deltatt gjennom hele løpet. Alle medlemskommunene har analysert eget ståsted
med nøkkeltall og sammenlignet seg med de andre kommunene, og arbeider med egen
eKommune-strategi og handlingsplan.
"""

DEVIATIONS = """\
Arbeidet med strategiene tok lengre tid enn planlagt i de minste kommunene, der få personer
skal dekke mange oppgaver. Enkelte kommuner hadde ikke rådmannen med på alle samlinger.
"""

CORRECTIVE_ACTIONS = """\
Kommunene har fått hjelp til å sette av tid til strategiarbeidet mellom samlingene, og
fjerde samling ble brukt til oppfølging av status for hver kommunes strategi i en workshop.
Kommuner som manglet på en samling har fått gjennomgang av innholdet i etterkant.
"""


def _noon(day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _write(period, network, kind, language, body, user) -> None:
    section = services.narrative_section(
        period=period, network=network, kind=kind, language=language
    )
    if section.pk and section.body:
        return  # seeded already
    services.narrative_save(
        period=period,
        network=network,
        kind=kind,
        language=language,
        body=body,
        version=section.version,
        user=user,
    )
    section = NarrativeSection.objects.get(
        period=period, network=network, kind=kind, language=language
    )
    services.narrative_finalise(section=section, user=user)


@transaction.atomic
def seed_narrative() -> None:
    programme = Programme.objects.get(acronym="CEMSDI")
    period, _created = ReportingPeriod.objects.get_or_create(
        programme=programme, number=1, defaults={"first_month": 1, "last_month": 12}
    )
    coordinator = User.objects.get(username="coordinator")
    facilitator = User.objects.get(username="facilitator")
    finnmark = Network.objects.get(programme=programme, name="eKommune Finnmark")
    for kind, body in [
        (Kind.EXECUTIVE_SUMMARY, EXECUTIVE_SUMMARY),
        (Kind.LESSONS, LESSONS),
        (Kind.NEXT_STEPS, NEXT_STEPS),
    ]:
        _write(period, None, kind, "en", body, coordinator)
    for kind, body in [
        (Kind.PROGRESS, PROGRESS),
        (Kind.DEVIATIONS, DEVIATIONS),
        (Kind.CORRECTIVE_ACTIONS, CORRECTIVE_ACTIONS),
    ]:
        _write(period, finnmark, kind, "nb", body, facilitator)
    # Written at the period's end, not on the day the demo was seeded.
    written = _noon(period.ends_on)
    sections = NarrativeSection.objects.filter(period=period)
    sections.update(updated_at=written, finalised_at=written)

    NarrativeRevision.objects.filter(section__in=sections).update(created_at=written)
