"""The sections every strategy starts with, and the guidance each carries.

Norway's strategies are eKommune strategies; where a line of guidance says so, another
country's says "digital municipality strategy" instead (``guidance_for``'s country).

The four first answer what the seed says most municipalities lack: a clear strategy (why
cooperate?), a governance model (how to cooperate?), benefits realisation and innovation. The
guidance points to the gathering where the network works on the topic (sessions_app/programme.py).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from networks.countries import for_country

from .models import Section

K = Section.Kind


@dataclass(frozen=True)
class SectionTemplate:
    kind: str
    guidance: Promise
    dla_priorities: tuple[str, ...]  # codes of strategies.dla.PRIORITIES


SECTIONS = (
    SectionTemplate(
        K.CLEAR_STRATEGY,
        _(
            "Why should the municipality cooperate on digital services, and with whom? Say "
            "where you stand today (use the key figures from gathering 1), where you want to be "
            "in four years, and which two or three choices matter most. Gathering 3 treats the "
            "basic elements of an eKommune strategy."
        ),
        ("DLA1",),
    ),
    SectionTemplate(
        K.GOVERNANCE,
        _(
            "How will the municipality govern ICT and cooperate with its neighbours: who "
            "decides, who commissions, who delivers, and how the work is followed up. Gathering "
            "2 treats strategic governance and management of ICT and the municipality as "
            "commissioner."
        ),
        ("DLA4",),
    ),
    SectionTemplate(
        K.BENEFITS,
        _(
            "Which benefits should the digital services give (time, money, quality for the "
            "citizen), who is responsible for taking them out, and how you will measure them. "
            "Tie measures in the action plan to key figures. Gathering 2 treats efficient work "
            "processes and benefits realisation."
        ),
        ("DLA2", "DLA4"),
    ),
    SectionTemplate(
        K.INNOVATION,
        _(
            "Which new services will you create, for whom, and how will citizens who are at "
            "risk of being left out be reached? Gathering 1 treats social inclusion in an "
            "electronic world; gathering 3 other municipalities' experience."
        ),
        ("DLA1", "DLA2"),
    ),
    SectionTemplate(
        K.COMPETENCE,
        _(
            "What do the leaders and the staff need to know and be able to do, and how will "
            "the municipality build that competence and capacity? Gathering 2 holds process "
            "work on competence and capacity in the leadership."
        ),
        ("DLA3",),
    ),
    SectionTemplate(
        K.SECURITY,
        _(
            "How will the municipality keep information safe and personal data protected: "
            "risk assessment, internal control, responsibilities and training. Gathering 2 "
            "holds a lecture on information security."
        ),
        (),
    ),
)

OWN_SECTION_GUIDANCE = _(
    "A section the municipality added for a theme of its own. Say what it is about and how it "
    "serves the strategy."
)

GUIDANCE = {template.kind: template.guidance for template in SECTIONS}

# The guidance that speaks of eKommune, as another country reads it.
GUIDANCE_ELSEWHERE = {
    K.CLEAR_STRATEGY: _(
        "Why should the municipality cooperate on digital services, and with whom? Say "
        "where you stand today (use the key figures from gathering 1), where you want to be "
        "in four years, and which two or three choices matter most. Gathering 3 treats the "
        "basic elements of a digital municipality strategy."
    ),
}


def guidance_for(kind: str, country=None) -> Promise:
    """The section's guidance as the municipality's country reads it (None: Norway's)."""
    norway = GUIDANCE.get(kind, OWN_SECTION_GUIDANCE)
    return for_country(country, norway=norway, elsewhere=GUIDANCE_ELSEWHERE.get(kind, norway))
