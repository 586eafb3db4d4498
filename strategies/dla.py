"""What is known of the Digital Local Agenda (DLA), to seed the reference data.

The seed (../shared/seed, "CEMSDI experiences") says the DLA Manifesto was adopted in
Hämeenlinna, Finland, in 2007 with 5 thematic priorities and 28 goals, and describes the DLA as
a policy instrument to implement feasible eGovernment strategies by mapping real needs, a
process that needs planning and constant evaluation, and a monitoring tool. The Manifesto's own
wording of the priorities and goals is not at hand. The five rows below are working names drawn
from the CEMSDI material (its theme and objectives), each saying so in ``source``; an
administrator replaces them with the Manifesto's wording and adds the goals in the admin.
"""

from cemsdi_portal.core.i18n import fill_blanks

SOURCE = "Working name from the CEMSDI fact sheet and objectives; replace with the Manifesto's"

PRIORITIES = (
    (
        "DLA1",
        "Inclusive eGovernment for the socially disadvantaged",
        "Inkluderende digitale tjenester for utsatte grupper",
        "CEMSDI theme IP-ICT-PSP.2009.3.3: inclusive eGovernance targeted at the socially "
        "disadvantaged.",
    ),
    (
        "DLA2",
        "Flexible, personalised, multi-channel service delivery",
        "Fleksible, tilpassede tjenester i flere kanaler",
        "CEMSDI theme: flexible, personalised and multi-channel based service delivery.",
    ),
    (
        "DLA3",
        "Competence of civil servants in ICT and ICT-enabled services",
        "Kompetanse hos de ansatte i IKT og digitale tjenester",
        "CEMSDI objective: give civil servants the skills to improve their own competence in "
        "ICT and in the use of ICT-enabled public services.",
    ),
    (
        "DLA4",
        "Strategies planned from real needs, evaluated and monitored",
        "Strategier planlagt etter reelle behov, evaluert og fulgt opp",
        "Seed: the DLA is a policy instrument to implement feasible eGovernment strategies by "
        "mapping real needs, and a monitoring tool.",
    ),
    (
        "DLA5",
        "Networks and communities of practice across borders",
        "Nettverk og praksisfellesskap på tvers av grenser",
        "CEMSDI objective: create a transnational network of eGov experts and a Community of "
        "Practice at European level.",
    ),
)


# The working names in the portal's other languages, by code (translations of the above).
NAMES = {
    "DLA1": {
        "pt": "Administração eletrónica inclusiva para os socialmente desfavorecidos",
        "es": "Administración electrónica inclusiva para las personas socialmente desfavorecidas",
        "it": "eGovernment inclusivo per le persone socialmente svantaggiate",
    },
    "DLA2": {
        "pt": "Serviços flexíveis, personalizados e multicanal",
        "es": "Servicios flexibles, personalizados y multicanal",
        "it": "Servizi flessibili, personalizzati e multicanale",
    },
    "DLA3": {
        "pt": "Competências dos funcionários públicos em TIC e serviços digitais",
        "es": "Competencias de los empleados públicos en TIC y servicios digitales",
        "it": "Competenze dei dipendenti pubblici nelle TIC e nei servizi digitali",
    },
    "DLA4": {
        "pt": "Estratégias planeadas a partir das necessidades reais, avaliadas e acompanhadas",
        "es": "Estrategias planificadas según las necesidades reales, evaluadas y supervisadas",
        "it": "Strategie pianificate sui bisogni reali, valutate e monitorate",
    },
    "DLA5": {
        "pt": "Redes e comunidades de prática além-fronteiras",
        "es": "Redes y comunidades de práctica más allá de las fronteras",
        "it": "Reti e comunità di pratica oltre i confini",
    },
}


def seed_priorities(DlaPriority, *, create: bool = True) -> None:
    """Create the priorities that are missing (unless ``create`` is off) and fill their blank
    names in the other languages; an administrator's edits are kept. ``DlaPriority`` may be
    a migration's historical model: the languages it has no column for are left out."""
    for position, (code, name_en, name_nb, description) in enumerate(PRIORITIES, start=1):
        if create:
            priority, _created = DlaPriority.objects.get_or_create(
                code=code,
                defaults={
                    "name_en": name_en,
                    "name_nb": name_nb,
                    "description": description,
                    "source": SOURCE,
                    "position": position,
                },
            )
        elif (priority := DlaPriority.objects.filter(code=code).first()) is None:
            continue
        if filled := fill_blanks(priority, "name", NAMES[code]):
            priority.save(update_fields=filled)
