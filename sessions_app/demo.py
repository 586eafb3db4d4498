"""Demo gatherings for the five Norwegian pilots, as the seed reports them after one year:
four pilots have held all four gatherings and one has held three, with about 28 hours of
training per pilot (7.25 hours of agenda per gathering). Attendance and assignments are
invented but plausible. A network that already has gatherings is left as it is."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from networks.demo import STILL_RUNNING
from networks.models import Network, Role

from . import selectors, services

PILOTS_WITH_THREE_HELD = STILL_RUNNING

VENUES = {
    "eKommune Finnmark": ["Alta", "Hammerfest", "Vadsø", "Alta"],
    "eKommune Midt- og Nord-Troms": ["Storslett", "Finnsnes", "Bardufoss", "Storslett"],
    "eKommune Helgeland": ["Mosjøen", "Sandnessjøen", "Brønnøysund", "Mosjøen"],
    "eKommune Fjellregionen og Nord-Gudbrandsdal": ["Tynset", "Otta", "Tynset", "Lom"],
    "eKommune Sogn og Sunnfjord": ["Sogndal", "Årdalstangen", "Sogndal", "Høyanger"],
}

ASSIGNMENTS = {
    1: ("Finn kommunens nøkkeltall og sammenlign med nabokommunene", ""),
    2: ("Beskriv styringsmodellen for IKT i kommunen", "governance"),
    3: ("Lag et første utkast til eKommune-strategi og handlingsplan", "clear_strategy"),
}  # the section codes strategies registers in hooks.py (tests/sessions_app test the demo)

SUMMARY = (
    "Samlingen gikk etter planen. Kommunene delte erfaringer i gruppearbeidet, og "
    "oppgavene til neste samling ble gjennomgått i plenum."
)


def _absent(index: int, number: int) -> bool:
    """A few chief executives miss a gathering, so that the overview has something to show."""
    return (index * 3 + number) % 11 == 0


@transaction.atomic
def seed_gatherings() -> None:
    networks = Network.objects.filter(programme__acronym="CEMSDI").prefetch_related(
        "municipalities"
    )
    for network in networks:
        if network.gatherings.exists():
            continue
        drafts = selectors.schedule_proposal(network=network)
        for draft, venue in zip(drafts, VENUES.get(network.name, [""] * 4), strict=True):
            draft.venue = venue
        gatherings = services.gathering_schedule(network=network, drafts=drafts)
        held = 3 if network.name in PILOTS_WITH_THREE_HELD else 4
        members = sorted(network.municipalities.all(), key=lambda m: m.code)
        for gathering in gatherings[:held]:
            _hold(gathering, members)
        for gathering in gatherings[:3]:  # homework after each gathering but the last
            _assign(gathering, members, next_held=gathering.number < held)


def _hold(gathering, members) -> None:
    index_of = {m.pk: i for i, m in enumerate(members)}
    entries = []
    for invitee in selectors.gathering_invitees(gathering):
        index = index_of[invitee.municipality.pk]
        if invitee.role_kind == Role.Kind.CHIEF_EXECUTIVE:
            present = not _absent(index, gathering.number)
        else:
            present = index % 4 != 3
        hours = Decimal("4.5") if present and (index + gathering.number) % 13 == 0 else None
        entries.append(
            services.AttendanceEntry(
                invitee.person.pk, invitee.municipality.pk, invitee.role_kind, present, hours
            )
        )
    services.attendance_record(gathering=gathering, entries=entries)
    services.gathering_publish_summary(gathering=gathering, summary=SUMMARY)


def _assign(gathering, members, *, next_held: bool) -> None:
    title, section = ASSIGNMENTS[gathering.number]
    due = timezone.localdate(gathering.ends_at) + timedelta(days=45)
    assignment = services.assignment_create(
        gathering=gathering, title=title, due_date=due, strategy_section=section
    )
    # Before a gathering that has been held, most municipalities had done their work.
    for index, municipality in enumerate(members):
        if next_held and index % 5 != 4:
            services.assignment_set_done(
                assignment=assignment, municipality=municipality, user=None, done=True
            )
