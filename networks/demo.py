"""Demo data: the CEMSDI programme and the five Norwegian pilot networks of 2010 to 2011.

From the seed material (CEMSDI fact sheet and "Outcome of CEMSDI project in Norway after one
year"): 5 pilots, 61 municipalities, 98 participants of whom 87 are chief executives and
mayors, and 5 regions that initiated the Digital Local Agenda process. The municipalities are
real (the register in networks/data/); the people are invented. Every step works on
natural keys that creates what is missing and leaves what is there (also what a demo user
changed), so running it again changes nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import (
    Country,
    Municipality,
    Network,
    Programme,
    ProgrammeObjective,
    Region,
    Role,
    User,
)
from .register import register_load_code_history, register_load_norway

DEMO_PASSWORD = "cemsdi-demo"  # noqa: S105 - printed for the demo logins, never used in production

OBJECTIVES = [
    "Modernise and empower the local public administration in the target countries through a "
    "strong capacity building of civil servants and other practitioners forming part of the "
    "service delivery chain.",
    "Allow them the implementation of digital inclusion policies through a Digital Local Agenda "
    "delivering eGovernment services targeting the socially disadvantaged.",
    "Provide civil servants the skills needed to improve their own competence in ICT and also "
    "the use of ICT-enabled public services.",
    "Create a transnational network of eGov experts and a Community of Practice at European level.",
    "Tackle the methodology towards new Member States and disadvantaged areas.",
    "Give input to the European Commission, CEMR, European networks and EISCO on training and "
    "inclusive eGovernment policies to empower civil servants and administrations in danger of "
    "exclusion.",
]

PILOT_COUNTRIES = [
    ("PT", "Portugal"),
    ("GB", "United Kingdom"),
    ("ES", "Spain"),
    ("IT", "Italy"),
    ("NO", "Norway"),
]


@dataclass(frozen=True)
class PilotSpec:
    name: str
    region_code: str
    start: date
    end: date
    municipality_codes: tuple[str, ...]
    mayors: int  # how many member municipalities sent their mayor
    staff: int  # how many sent a member of staff besides the chief executive
    facilitator: tuple[str, str, str]  # username, first name, last name


# After one year one pilot had held three of its four gatherings (sessions_app/demo.py).
STILL_RUNNING = {"eKommune Sogn og Sunnfjord"}

PILOTS = [
    PilotSpec(
        "eKommune Finnmark",
        "56",
        date(2010, 9, 1),
        date(2011, 3, 31),
        (
            "5601",
            "5603",
            "5605",
            "5607",
            "5610",
            "5612",
            "5614",
            "5616",
            "5618",
            "5620",
            "5622",
            "5624",
            "5626",
        ),
        mayors=13,
        staff=3,
        facilitator=("facilitator", "Kari", "Nordmann"),
    ),
    PilotSpec(
        "eKommune Midt- og Nord-Troms",
        "55",
        date(2010, 9, 15),
        date(2011, 4, 15),
        (
            "5520",
            "5524",
            "5526",
            "5528",
            "5532",
            "5534",
            "5536",
            "5538",
            "5540",
            "5542",
            "5544",
            "5546",
        ),
        mayors=4,
        staff=2,
        facilitator=("facilitator2", "Ola", "Hansen"),
    ),
    PilotSpec(
        "eKommune Helgeland",
        "18",
        date(2010, 10, 1),
        date(2011, 5, 15),
        (
            "1811",
            "1812",
            "1813",
            "1815",
            "1816",
            "1818",
            "1820",
            "1822",
            "1824",
            "1825",
            "1827",
            "1828",
        ),
        mayors=3,
        staff=2,
        facilitator=("facilitator3", "Ingrid", "Berg"),
    ),
    PilotSpec(
        "eKommune Fjellregionen og Nord-Gudbrandsdal",
        "34",
        date(2010, 10, 15),
        date(2011, 5, 20),
        (
            "3424",
            "3426",
            "3427",
            "3428",
            "3429",
            "3430",
            "3431",
            "3432",
            "3433",
            "3434",
            "3435",
            "3437",
        ),
        mayors=3,
        staff=2,
        facilitator=("facilitator4", "Per", "Haugen"),
    ),
    PilotSpec(
        "eKommune Sogn og Sunnfjord",
        "46",
        date(2010, 11, 1),
        date(2011, 8, 31),
        (
            "4635",
            "4636",
            "4637",
            "4638",
            "4639",
            "4640",
            "4641",
            "4642",
            "4643",
            "4644",
            "4645",
            "4646",
        ),
        mayors=3,
        staff=2,
        facilitator=("facilitator5", "Anne", "Lunde"),
    ),
]

FIRST_NAMES = [
    "Anne",
    "Bjørn",
    "Camilla",
    "Dag",
    "Eli",
    "Frode",
    "Gunn",
    "Harald",
    "Hilde",
    "Ivar",
    "Jorunn",
    "Knut",
    "Liv",
    "Magne",
    "Nina",
    "Odd",
    "Randi",
    "Svein",
    "Tone",
    "Vidar",
    "Åse",
    "Geir",
    "Marit",
    "Trond",
]
LAST_NAMES = [
    "Andersen",
    "Bakken",
    "Dahl",
    "Eriksen",
    "Fossum",
    "Gundersen",
    "Halvorsen",
    "Isaksen",
    "Johansen",
    "Karlsen",
    "Larsen",
    "Moen",
    "Nilsen",
    "Olsen",
    "Pedersen",
    "Solberg",
    "Strand",
    "Thorsen",
    "Vik",
    "Aas",
    "Berge",
    "Jakobsen",
    "Lie",
]

# The logins the README and `make run` print: (username, what they are).
DEMO_LOGINS = [
    ("facilitator", "Facilitator of eKommune Finnmark"),
    ("chief", "Chief executive (rådmann) of Alta"),
    ("mayor", "Mayor (ordfører) of Alta"),
    ("officer", "European Commission project officer for CEMSDI"),
    ("coordinator", "CEMSDI's programme coordinator (writes the review report's narrative)"),
    ("admin", "Administrator (Django admin)"),
]


# Demo logins that stand in for a generated participant: (municipality code, role kind).
NAMED_PARTICIPANTS = {
    ("5601", Role.Kind.CHIEF_EXECUTIVE): ("chief", "Siri", "Eriksen"),
    ("5601", Role.Kind.MAYOR): ("mayor", "Geir", "Ottesen"),
}


def _person_name(index: int) -> tuple[str, str]:
    return FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[(index * 7) % len(LAST_NAMES)]


class _Users:
    """Creates demo users with one precomputed password hash (hashing 100 times is slow)."""

    def __init__(self):
        self.password = make_password(DEMO_PASSWORD)

    def get(self, username: str, first_name: str, last_name: str, **extra) -> User:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.cemsdi.example.org",
                "password": self.password,
                **extra,
            },
        )
        return user


def _grant(user: User, kind: str, *, title: str = "", granted_in=None, **scope) -> Role:
    role, created = Role.objects.get_or_create(
        user=user, kind=kind, **scope, defaults={"title": title}
    )
    if created and granted_in is not None:
        role.granted_in.add(granted_in)
    return role


def seed_programme(norway: Country) -> Programme:
    programme, _ = Programme.objects.get_or_create(
        acronym="CEMSDI",
        defaults={
            "full_title": "Civil-servants Empowerment for Multi-media Service Delivery ICT-enabled",
            "funding_programme": "Competitiveness and Innovation framework Programme (CIP)",
            "theme_identifier": "IP-ICT-PSP.2009.3.3",
            "theme": "Inclusive eGovernance: flexible, personalised and multi-channel based "
            "service delivery targeted at the socially disadvantaged",
            "project_type": "CIP-Pilot actions – Type B",
            "grant_agreement_number": "250482",
            "start_date": date(2010, 6, 1),
            "end_date": date(2012, 5, 31),
            "total_cost": Decimal("5179500.00"),
            "requested_eu_contribution": Decimal("2589750.00"),
        },
    )
    for position, text in enumerate(OBJECTIVES, start=1):
        ProgrammeObjective.objects.update_or_create(
            programme=programme, position=position, defaults={"text": text}
        )
    countries = [
        norway
        if code == "NO"
        else Country.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in PILOT_COUNTRIES
    ]
    programme.countries.add(*countries)
    return programme


def seed_pilot(
    spec: PilotSpec, *, programme: Programme, norway: Country, users: _Users, person_index: int
) -> int:
    """One pilot network with its facilitator and participants; returns the next name index."""
    network, _ = Network.objects.get_or_create(
        programme=programme,
        name=spec.name,
        defaults={
            "region": Region.objects.get(country=norway, code=spec.region_code),
            "planned_start": spec.start,
            "planned_end": spec.end,
            "dla_status": Network.DlaStatus.INITIATED,
            "dla_initiated_on": spec.start,
            "state": Network.State.RUNNING
            if spec.name in STILL_RUNNING
            else Network.State.FINISHED,
        },
    )
    municipalities = list(
        Municipality.objects.filter(country=norway, code__in=spec.municipality_codes).order_by(
            "code"
        )
    )
    network.municipalities.add(*municipalities)
    username, first, last = spec.facilitator
    _grant(users.get(username, first, last), Role.Kind.FACILITATOR, network=network)

    for position, municipality in enumerate(municipalities):
        kinds = [(Role.Kind.CHIEF_EXECUTIVE, "ce", "")]  # the role says it all
        if position < spec.mayors:
            kinds.append((Role.Kind.MAYOR, "mayor", ""))
        if position < spec.staff:
            kinds.append((Role.Kind.MUNICIPAL_STAFF, "staff", "IKT-leder"))
        for kind, prefix, title in kinds:
            first, last = _person_name(person_index)
            person_index += 1
            username, first, last = NAMED_PARTICIPANTS.get(
                (municipality.code, kind), (f"{prefix}-{municipality.code}", first, last)
            )
            # As if each had accepted an invitation through the pilot's network.
            _grant(
                users.get(username, first, last),
                kind,
                title=title,
                municipality=municipality,
                granted_in=network,
            )
    return person_index


@transaction.atomic
def seed_networks() -> Programme:
    """The programme, the register, the five pilots, and the demo logins."""
    norway = register_load_norway()
    register_load_code_history(norway)
    programme = seed_programme(norway)
    users = _Users()
    person_index = 0
    for spec in PILOTS:
        person_index = seed_pilot(
            spec, programme=programme, norway=norway, users=users, person_index=person_index
        )

    _grant(
        users.get("officer", "Elena", "Marchetti"),
        Role.Kind.PROJECT_OFFICER,
        title="European Commission Project Officer",
        programme=programme,
    )
    _grant(
        users.get("coordinator", "Paolo", "Ferraro"),
        Role.Kind.COORDINATOR,
        title="Programme coordinator",
        programme=programme,
    )
    users.get("admin", "Portal", "Administrator", is_staff=True, is_superuser=True)
    return programme
