"""Demo data: one illustrative pilot network in each of the other CEMSDI pilot countries.

The seed reports Norway's five pilots only (networks/demo.py keeps them as it reports them).
So that a new user sees a European programme, Portugal, Spain, Italy and England each get one
pilot of the same shape, on real municipalities of their registers (networks/register.py);
the people, their names, texts and answers are invented, and each network's description says
so in its own language. Running it again changes nothing.
"""

from dataclasses import dataclass
from datetime import date

from .demo import _grant, _Users
from .models import Country, Municipality, Network, Programme, Role
from .register import register_load, register_load_code_history


@dataclass(frozen=True)
class EuropeanPilot:
    country: str  # ISO code
    name: str
    language: str
    start: date
    end: date
    municipality_codes: tuple[str, ...]
    facilitator: tuple[str, str, str]  # username, first name, last name
    chief: tuple[str, str, str]  # the demo login of the first municipality's chief executive
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    staff_title: str  # the title of the member of staff some municipalities send
    description: str  # says, in the network's language, that the demo is invented


PILOTS = [
    EuropeanPilot(
        "PT",
        "Rede eMunicípio Alentejo Central",
        "pt",
        date(2010, 10, 4),
        date(2011, 7, 15),
        # the fourteen concelhos of the distrito of Évora (DICO 0701-0714), Évora first
        ("0705", *(f"07{n:02d}" for n in range(1, 15) if n != 5)),
        facilitator=("facilitator-pt", "Teresa", "Almeida"),
        chief=("chief-pt", "Rui", "Carvalho"),
        first_names=("Ana", "João", "Maria", "Pedro", "Sofia", "Miguel", "Inês", "Luís"),
        last_names=("Silva", "Santos", "Ferreira", "Pereira", "Costa", "Rodrigues", "Martins"),
        staff_title="Chefe de divisão de sistemas de informação",
        description=(
            "Rede-piloto ilustrativa da demonstração: os municípios são reais; as pessoas, os "
            "textos e as respostas são inventados."
        ),
    ),
    EuropeanPilot(
        "ES",
        "Red eMunicipio Sevilla",
        "es",
        date(2010, 11, 8),
        date(2011, 9, 30),
        # the twelve most populous municipios of the province of Seville (INE 41…)
        (
            *("41091", "41038", "41004", "41095", "41059", "41039"),
            *("41034", "41024", "41065", "41053", "41021", "41093"),
        ),
        facilitator=("facilitator-es", "Lucía", "Navarro"),
        chief=("chief-es", "Javier", "Romero"),
        first_names=("Carmen", "Antonio", "Isabel", "Manuel", "Pilar", "Francisco", "Rocío"),
        last_names=("García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz"),
        staff_title="Jefe del servicio de informática",
        description=(
            "Red piloto ilustrativa de la demostración: los municipios son reales; las "
            "personas, los textos y las respuestas son inventados."
        ),
    ),
    EuropeanPilot(
        "IT",
        "Rete eComune Terra di Bari",
        "it",
        date(2010, 10, 18),
        date(2011, 6, 30),
        # twelve comuni of the città metropolitana di Bari (ISTAT 072…)
        (
            *("072006", "072004", "072029", "072011", "072030", "072020"),
            *("072023", "072027", "072021", "072046", "072043", "072036"),
        ),
        facilitator=("facilitator-it", "Francesca", "Lombardi"),
        chief=("chief-it", "Marco", "De Santis"),
        first_names=("Giulia", "Luca", "Chiara", "Giuseppe", "Anna", "Antonio", "Paola"),
        last_names=("Rossi", "Russo", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci"),
        staff_title="Responsabile dei sistemi informativi",
        description=(
            "Rete pilota illustrativa della demo: i comuni sono reali; le persone, i testi e "
            "le risposte sono inventati."
        ),
    ),
    EuropeanPilot(
        "GB",
        "Yorkshire and the Humber Digital Councils",
        "en",
        date(2011, 1, 17),
        date(2011, 10, 28),
        # twelve districts and unitaries of the region, by their GSS codes
        (
            *("E08000035", "E08000032", "E08000033", "E08000034", "E08000036", "E06000014"),
            *("E08000016", "E08000017", "E08000018", "E08000019", "E06000010", "E06000011"),
        ),
        facilitator=("facilitator-gb", "Helen", "Crawford"),
        chief=("chief-gb", "David", "Whitaker"),
        first_names=("Sarah", "James", "Emma", "Richard", "Claire", "Andrew", "Rachel"),
        last_names=("Thompson", "Walker", "Wright", "Robinson", "Hughes", "Clarke", "Shaw"),
        staff_title="Head of ICT",
        description=(
            "An illustrative demo pilot: the councils are real; the people, texts and answers "
            "are invented."
        ),
    ),
]

# The demo logins the README and `make run` print for these pilots.
DEMO_LOGINS = [
    ("chief-pt", "Secretário municipal of Évora (Portugal, in Portuguese)"),
    ("chief-es", "Secretario municipal of Sevilla (Spain, in Spanish)"),
    ("chief-it", "Segretario comunale of Bari (Italy, in Italian)"),
    ("chief-gb", "Chief executive of Leeds (England)"),
    ("facilitator-it", "Facilitator of Rete eComune Terra di Bari"),
]


def seed_pilot(spec: EuropeanPilot, *, programme: Programme, users: _Users) -> Network:
    country = Country.objects.get(code=spec.country)
    municipalities = list(
        Municipality.objects.filter(country=country, code__in=spec.municipality_codes).order_by(
            "code"
        )
    )
    missing = set(spec.municipality_codes) - {m.code for m in municipalities}
    if missing:  # the codes above are the registers' own: a register that lacks one is wrong
        raise LookupError(f"{spec.country} register lacks {', '.join(sorted(missing))}")
    first = next(m for m in municipalities if m.code == spec.municipality_codes[0])
    network, _ = Network.objects.get_or_create(
        programme=programme,
        name=spec.name,
        defaults={
            "region": first.region,
            "planned_start": spec.start,
            "planned_end": spec.end,
            "language": spec.language,
            "description": spec.description,
            "dla_status": Network.DlaStatus.INITIATED,
            "dla_initiated_on": spec.start,
            "state": Network.State.FINISHED,
        },
    )
    network.municipalities.add(*municipalities)
    username, first_name, last_name = spec.facilitator
    _grant(
        users.get(username, first_name, last_name, language=spec.language),
        Role.Kind.FACILITATOR,
        network=network,
    )
    ordered = [first, *(m for m in municipalities if m.pk != first.pk)]
    for index, municipality in enumerate(ordered):
        kinds = [(Role.Kind.CHIEF_EXECUTIVE, "ce", "")]
        if index % 3 == 0:  # a third of the members send their mayor
            kinds.append((Role.Kind.MAYOR, "mayor", ""))
        if index < 2:
            kinds.append((Role.Kind.MUNICIPAL_STAFF, "staff", spec.staff_title))
        for offset, (kind, prefix, title) in enumerate(kinds):
            n = index * 3 + offset
            username = f"{prefix}-{spec.country.lower()}-{municipality.code}"
            # n's first name and, shifted each time the first names come round again, its
            # last name: no two people of a network share both (up to first × last names)
            first_count = len(spec.first_names)
            first_name = spec.first_names[n % first_count]
            last_name = spec.last_names[
                (5 * (n % first_count) + n // first_count) % len(spec.last_names)
            ]
            if index == 0 and kind == Role.Kind.CHIEF_EXECUTIVE:
                username, first_name, last_name = spec.chief
            _grant(
                users.get(username, first_name, last_name, language=spec.language),
                kind,
                title=title,
                municipality=municipality,
                granted_in=network,
            )
    return network


def seed_european_pilots() -> list[Network]:
    """The registers of the four countries and one demo pilot in each (after
    ``networks.demo.seed_networks``, which makes the programme)."""
    programme = Programme.objects.get(acronym="CEMSDI")
    users = _Users()
    networks = []
    for spec in PILOTS:
        country = register_load(spec.country)
        register_load_code_history(country)
        networks.append(seed_pilot(spec, programme=programme, users=users))
    return networks
