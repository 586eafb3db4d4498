"""Demo strategies: every status, with revisions by more than one editor, comments, and action
plans whose measures are done, under way, late, waiting for an update and tied to key figures.

Alta (the demo chief executive's municipality) has shared its strategy, so that the facilitator
can comment and the neighbours read it. In each network the members take turns: adopted,
shared, draft, not started. Measure dates are set around the day the demo is loaded, so that
"late" and "waiting" mean something whenever it is loaded. Running it again changes nothing.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from benchmarking.models import Indicator
from networks.models import Network, Role

from . import services
from .models import DlaPriority, Measure, Section, Strategy

ALTA = "5601"
TURNS = ("adopted", "shared", "draft", None)  # None: not started

TEXTS = {
    Section.Kind.CLEAR_STRATEGY: (
        "{name} skal levere enkle og trygge digitale tjenester til innbyggere og "
        "næringsliv, og samarbeide med nabokommunene der vi er for små alene.\n\n"
        "Nøkkeltallene fra første samling viser hvor vi står. Vi velger tre satsinger:\n\n"
        "1. Selvbetjening for de ti mest brukte tjenestene\n"
        "2. Felles IKT-drift med nabokommunene\n"
        "3. Digital kompetanse hos alle ledere"
    ),
    Section.Kind.GOVERNANCE: (
        "Rådmannens ledergruppe er styringsgruppe for digitaliseringen. IKT-lederen "
        "bestiller på vegne av kommunen, og det regionale IKT-samarbeidet leverer.\n\n"
        "- Porteføljen behandles hvert kvartal\n- Kommunestyret får status i årsmeldingen"
    ),
    Section.Kind.BENEFITS: (
        "Hvert tiltak har en gevinsteier i linjen. Gevinstene **måles** med nøkkeltall "
        "der det finnes, og tas ut i budsjettet året etter at tiltaket er ferdig."
    ),
    Section.Kind.INNOVATION: (
        "Nye tjenester lages sammen med brukerne. Innbyggere som ikke er digitale, skal "
        "fortsatt få hjelp på servicetorget."
    ),
    Section.Kind.COMPETENCE: (
        "Alle ledere tar kurs i digital ledelse. Vi bygger et nettverk av superbrukere "
        "i hver enhet."
    ),
}
SECOND_DRAFT = (
    "\n\nEtter samling 3 har vi lagt til: strategien rulleres hvert år, og tiltakene "
    "knyttes til økonomiplanen."
)
COMMENT = (
    "Godt utgangspunkt. Vurder å knytte satsing 1 til et nøkkeltall, slik at dere ser "
    "effekten. Se gjerne hvordan nabokommunene har gjort det."
)
REPLY = "Takk! Vi knytter satsing 1 til andelen innbyggere som bruker digitale tjenester."

MEASURES = [
    # title, section kind, start (days from today), due (days), status, progress, stale
    ("Selvbetjening for byggesak", Section.Kind.CLEAR_STRATEGY, -200, 120, "under_way", 40, False),
    ("Felles IKT-drift i regionen", Section.Kind.GOVERNANCE, -300, -20, "delayed", 70, False),
    ("Kurs i digital ledelse", Section.Kind.COMPETENCE, -250, -60, "done", 100, False),
    ("Gevinstrealiseringsplan", Section.Kind.BENEFITS, -90, 200, "planned", 0, True),
]
KEY_FIGURE_MEASURE = ("Flere barn i barnehage med digital søknad", "KOSandel120000")


def _people(municipality) -> tuple:
    roles = {
        r.kind: r.user
        for r in Role.objects.filter(municipality=municipality).select_related("user")
    }
    chief = roles.get(Role.Kind.CHIEF_EXECUTIVE)
    return chief, roles.get(Role.Kind.MUNICIPAL_STAFF) or chief


def _write(strategy: Strategy, chief, staff) -> None:
    sections = {s.kind: s for s in strategy.sections.all()}
    name = strategy.municipality.name
    for kind, text in TEXTS.items():
        section = sections[kind]
        services.section_save(
            section=section, user=chief, body=text.format(name=name), base_version=0
        )
        if kind == Section.Kind.CLEAR_STRATEGY:
            section.refresh_from_db()
            services.section_save(
                section=section,
                user=staff,
                body=text.format(name=name) + SECOND_DRAFT,
                base_version=section.version,
            )


def _plan(strategy: Strategy, chief, staff, today: date, index: int) -> None:
    """Four or five measures; each municipality a little ahead or behind the next."""
    sections = {s.kind: s for s in strategy.sections.all()}
    for title, kind, start, due, status, progress, stale in MEASURES[: 3 + index % 2]:
        if status in ("under_way", "delayed"):
            progress = min(95, progress + 10 * (index % 4))
        measure = services.measure_save(
            strategy=strategy,
            data={
                "title": title,
                "section": sections[kind],
                "owner": staff if kind == Section.Kind.GOVERNANCE else chief,
                "starts_on": today + timedelta(days=start),
                "due_on": today + timedelta(days=due),
                "status": status,
                "progress": progress,
                "cost_estimate": 250_000,
                "expected_benefit": "Kortere saksbehandlingstid og færre henvendelser.",
            },
        )
        if stale:
            Measure.objects.filter(pk=measure.pk).update(
                updated_at=timezone.now() - timedelta(days=60)
            )
    indicator = Indicator.objects.filter(code=KEY_FIGURE_MEASURE[1]).first()
    frozen = indicator and strategy.baseline.filter(indicator=indicator).first()
    if frozen and frozen.value is not None:
        services.measure_save(
            strategy=strategy,
            data={
                "title": KEY_FIGURE_MEASURE[0],
                "section": sections[Section.Kind.BENEFITS],
                "owner": chief,
                "starts_on": today - timedelta(days=30),
                "due_on": today + timedelta(days=330),
                "status": "under_way",
                "progress": 20,
                "indicator": indicator,
                "target_year": today.year + 1,
                "target_value": min(100.0, round(frozen.value + 5, 1)),
            },
        )


def _move(strategy: Strategy, turn: str, chief, index: int) -> None:
    services.strategy_set_status(strategy=strategy, status="shared", user=chief)
    if turn == "adopted":
        services.strategy_set_status(
            strategy=strategy,
            status="adopted",
            user=chief,
            adopted_on=date(2011, 6, 14) + timedelta(days=7 * (index % 8)),
            decision_reference=f"PS {20 + index}/11",
        )


@transaction.atomic
def seed_strategies() -> None:
    today = timezone.localdate()
    for network in Network.objects.filter(programme__acronym="CEMSDI").order_by("pk"):
        facilitator = Role.objects.filter(network=network, kind=Role.Kind.FACILITATOR).first()
        members = list(network.municipalities.order_by("code"))
        for index, municipality in enumerate(members):
            turn = "shared" if municipality.code == ALTA else TURNS[index % len(TURNS)]
            if (
                turn is None
                or Strategy.objects.filter(network=network, municipality=municipality).exists()
            ):
                continue
            chief, staff = _people(municipality)
            strategy = services.strategy_start(
                network=network, municipality=municipality, user=chief
            )
            _write(strategy, chief, staff)
            _plan(strategy, chief, staff, today, index)
            if index % 3 == 1:  # some tie their governance to cooperation across borders
                governance = strategy.sections.get(kind=Section.Kind.GOVERNANCE)
                governance.dla_priorities.add(*DlaPriority.objects.filter(code="DLA5"))
            if turn != "draft":
                _move(strategy, turn, chief, index)
            if turn != "draft" and facilitator is not None:
                section = strategy.sections.get(kind=Section.Kind.CLEAR_STRATEGY)
                comment = services.section_comment(
                    section=section, user=facilitator.user, body=COMMENT
                )
                # Alta's chief executive, and some others, answer the facilitator.
                answers = municipality.code == ALTA or index % 2 == 0
                if answers and chief is not None:
                    services.section_comment(
                        section=section, user=chief, body=REPLY, parent=comment
                    )
