"""Demo gatherings for the five Norwegian pilots, as the seed reports them after one year:
four pilots have held all four gatherings and one has held three, with about 28 hours of
training per pilot (7.25 hours of agenda per gathering). The other countries' illustrative
pilots (networks/demo_europe.py) hold all four, in their own language. Attendance and
assignments are invented but plausible. A network that already has gatherings is left as it
is."""

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
    "Rede eMunicípio Alentejo Central": ["Évora", "Estremoz", "Montemor-o-Novo", "Évora"],
    "Red eMunicipio Sevilla": ["Sevilla", "Dos Hermanas", "Carmona", "Sevilla"],
    "Rete eComune Terra di Bari": ["Bari", "Altamura", "Monopoli", "Bari"],
    "Yorkshire and the Humber Digital Councils": ["Leeds", "Wakefield", "Sheffield", "York"],
}

# By the network's working language; the section codes are those strategies registers in
# hooks.py (tests/sessions_app test the demo).
ASSIGNMENTS = {
    "nb": {
        1: ("Finn kommunens nøkkeltall og sammenlign med nabokommunene", ""),
        2: ("Beskriv styringsmodellen for IKT i kommunen", "governance"),
        3: ("Lag et første utkast til eKommune-strategi og handlingsplan", "clear_strategy"),
    },
    "pt": {
        1: ("Encontrar os indicadores-chave do município e compará-los com os vizinhos", ""),
        2: ("Descrever o modelo de governação das TIC no município", "governance"),
        3: ("Escrever um primeiro rascunho da estratégia e do plano de ação", "clear_strategy"),
    },
    "es": {
        1: ("Buscar los indicadores clave del municipio y compararlos con los vecinos", ""),
        2: ("Describir el modelo de gobierno de las TIC en el municipio", "governance"),
        3: ("Redactar un primer borrador de la estrategia y del plan de acción", "clear_strategy"),
    },
    "it": {
        1: ("Trovare gli indicatori chiave del comune e confrontarli con i vicini", ""),
        2: ("Descrivere il modello di governo dell'ICT nel comune", "governance"),
        3: ("Scrivere una prima bozza della strategia e del piano d'azione", "clear_strategy"),
    },
    "en": {
        1: ("Find the council's key figures and compare them with the neighbours", ""),
        2: ("Describe how ICT is governed in the council", "governance"),
        3: ("Write a first draft of the digital strategy and action plan", "clear_strategy"),
    },
}

SUMMARY = {
    "nb": (
        "Samlingen gikk etter planen. Kommunene delte erfaringer i gruppearbeidet, og "
        "oppgavene til neste samling ble gjennomgått i plenum."
    ),
    "pt": (
        "O encontro decorreu como previsto. Os municípios partilharam experiências no "
        "trabalho de grupo, e as tarefas para o próximo encontro foram revistas em plenário."
    ),
    "es": (
        "El encuentro se desarrolló según lo previsto. Los municipios compartieron "
        "experiencias en el trabajo en grupo y se repasaron en plenario las tareas para el "
        "próximo encuentro."
    ),
    "it": (
        "L'incontro si è svolto come previsto. I comuni hanno condiviso le loro esperienze "
        "nel lavoro di gruppo e i compiti per il prossimo incontro sono stati rivisti in "
        "plenaria."
    ),
    "en": (
        "The gathering went as planned. The councils shared their experience in the group "
        "work, and the assignments for the next gathering were gone through in plenary."
    ),
}


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
            _hold(gathering, members, SUMMARY[network.language])
        for gathering in gatherings[:3]:  # homework after each gathering but the last
            _assign(
                gathering,
                members,
                ASSIGNMENTS[network.language][gathering.number],
                next_held=gathering.number < held,
            )


def _hold(gathering, members, summary: str) -> None:
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
    services.gathering_publish_summary(gathering=gathering, summary=summary)


def _assign(gathering, members, assignment: tuple[str, str], *, next_held: bool) -> None:
    title, section = assignment
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
