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
    "nb": {
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
    },
    "pt": {
        Section.Kind.CLEAR_STRATEGY: (
            "O município de {name} vai prestar serviços digitais simples e seguros aos "
            "cidadãos e às empresas, e cooperar com os municípios vizinhos onde sozinho é "
            "pequeno demais.\n\n"
            "Os indicadores-chave do primeiro encontro mostram onde estamos. Escolhemos três "
            "apostas:\n\n"
            "1. Autosserviço para os dez serviços mais procurados\n"
            "2. Gestão conjunta das TIC com os municípios vizinhos\n"
            "3. Competências digitais em todos os dirigentes"
        ),
        Section.Kind.GOVERNANCE: (
            "A equipa dirigente do município é o grupo de direção da transformação digital. "
            "O responsável pelas TIC encomenda em nome do município, e a comunidade "
            "intermunicipal presta o serviço.\n\n"
            "- A carteira de projetos é revista todos os trimestres\n"
            "- A assembleia municipal recebe o ponto de situação no relatório anual"
        ),
        Section.Kind.BENEFITS: (
            "Cada medida tem um responsável pelos benefícios. Os benefícios são **medidos** "
            "com indicadores-chave sempre que existam, e refletem-se no orçamento do ano "
            "seguinte à conclusão da medida."
        ),
        Section.Kind.INNOVATION: (
            "Os novos serviços são desenhados com os utilizadores. Os cidadãos que não usam "
            "meios digitais continuam a ter apoio no balcão único."
        ),
        Section.Kind.COMPETENCE: (
            "Todos os dirigentes frequentam formação em liderança digital. Criamos uma rede "
            "de utilizadores de referência em cada serviço."
        ),
    },
    "es": {
        Section.Kind.CLEAR_STRATEGY: (
            "{name} prestará servicios digitales sencillos y seguros a la ciudadanía y a las "
            "empresas, y cooperará con los municipios vecinos allí donde solo no llega.\n\n"
            "Los indicadores clave del primer encuentro muestran dónde estamos. Elegimos tres "
            "apuestas:\n\n"
            "1. Autoservicio para los diez trámites más utilizados\n"
            "2. Gestión compartida de las TIC con los municipios vecinos\n"
            "3. Competencias digitales en todo el equipo directivo"
        ),
        Section.Kind.GOVERNANCE: (
            "El equipo directivo municipal es el comité de dirección de la transformación "
            "digital. El responsable de informática encarga en nombre del ayuntamiento, y la "
            "diputación provincial presta el servicio.\n\n"
            "- La cartera de proyectos se revisa cada trimestre\n"
            "- El pleno recibe el estado de situación en la memoria anual"
        ),
        Section.Kind.BENEFITS: (
            "Cada medida tiene un responsable de sus beneficios. Los beneficios se **miden** "
            "con indicadores clave cuando existen, y se reflejan en el presupuesto del año "
            "siguiente a la finalización de la medida."
        ),
        Section.Kind.INNOVATION: (
            "Los nuevos servicios se diseñan con las personas usuarias. Quien no usa medios "
            "digitales seguirá recibiendo ayuda en la oficina de atención ciudadana."
        ),
        Section.Kind.COMPETENCE: (
            "Todo el equipo directivo recibe formación en liderazgo digital. Creamos una red "
            "de usuarios de referencia en cada servicio."
        ),
    },
    "it": {
        Section.Kind.CLEAR_STRATEGY: (
            "Il Comune di {name} offrirà servizi digitali semplici e sicuri a cittadini e "
            "imprese, e collaborerà con i comuni vicini dove da solo è troppo piccolo.\n\n"
            "Gli indicatori chiave del primo incontro mostrano dove siamo. Scegliamo tre "
            "priorità:\n\n"
            "1. Servizi online per le dieci pratiche più richieste\n"
            "2. Gestione associata dell'ICT con i comuni vicini\n"
            "3. Competenze digitali per tutti i dirigenti"
        ),
        Section.Kind.GOVERNANCE: (
            "La conferenza dei dirigenti è la cabina di regia della transizione digitale. Il "
            "responsabile dei sistemi informativi commissiona per conto del Comune, e "
            "l'unione dei comuni eroga il servizio.\n\n"
            "- Il portafoglio dei progetti è esaminato ogni trimestre\n"
            "- Il consiglio comunale riceve lo stato di avanzamento nella relazione annuale"
        ),
        Section.Kind.BENEFITS: (
            "Ogni misura ha un responsabile dei benefici. I benefici sono **misurati** con "
            "gli indicatori chiave dove esistono, e si riflettono nel bilancio dell'anno "
            "successivo alla conclusione della misura."
        ),
        Section.Kind.INNOVATION: (
            "I nuovi servizi nascono insieme agli utenti. Chi non usa strumenti digitali "
            "continuerà a ricevere aiuto allo sportello unico."
        ),
        Section.Kind.COMPETENCE: (
            "Tutti i dirigenti seguono un corso di leadership digitale. Creiamo una rete di "
            "utenti esperti in ogni ufficio."
        ),
    },
    "en": {
        Section.Kind.CLEAR_STRATEGY: (
            "{name} will offer simple and safe digital services to residents and businesses, "
            "and work with neighbouring councils where we are too small alone.\n\n"
            "The key figures from the first gathering show where we stand. We choose three "
            "priorities:\n\n"
            "1. Self-service for the ten most used services\n"
            "2. Shared ICT operations with neighbouring councils\n"
            "3. Digital skills for every manager"
        ),
        Section.Kind.GOVERNANCE: (
            "The corporate leadership team is the board for digital change. The head of ICT "
            "commissions on the council's behalf, and the shared service delivers.\n\n"
            "- The portfolio is reviewed every quarter\n"
            "- Full council hears progress in the annual report"
        ),
        Section.Kind.BENEFITS: (
            "Every measure has a benefits owner in the service. Benefits are **measured** "
            "with key figures where they exist, and taken out of the budget the year after "
            "the measure is done."
        ),
        Section.Kind.INNOVATION: (
            "New services are designed with their users. Residents who are not online still "
            "get help at the customer service centre."
        ),
        Section.Kind.COMPETENCE: (
            "Every manager takes a course in digital leadership. We build a network of "
            "champions in each service."
        ),
    },
}
SECOND_DRAFT = {
    "nb": (
        "\n\nEtter samling 3 har vi lagt til: strategien rulleres hvert år, og tiltakene "
        "knyttes til økonomiplanen."
    ),
    "pt": (
        "\n\nDepois do encontro 3 acrescentámos: a estratégia é revista todos os anos, e as "
        "medidas ficam ligadas às grandes opções do plano."
    ),
    "es": (
        "\n\nTras el encuentro 3 hemos añadido: la estrategia se revisa cada año, y las "
        "medidas se vinculan al presupuesto plurianual."
    ),
    "it": (
        "\n\nDopo l'incontro 3 abbiamo aggiunto: la strategia è aggiornata ogni anno, e le "
        "misure sono collegate al documento unico di programmazione."
    ),
    "en": (
        "\n\nAfter gathering 3 we added: the strategy is refreshed every year, and the "
        "measures are tied to the medium-term financial plan."
    ),
}
COMMENT = {
    "nb": (
        "Godt utgangspunkt. Vurder å knytte satsing 1 til et nøkkeltall, slik at dere ser "
        "effekten. Se gjerne hvordan nabokommunene har gjort det."
    ),
    "pt": (
        "Bom ponto de partida. Pensem em ligar a aposta 1 a um indicador-chave, para verem o "
        "efeito. Vejam também como fizeram os municípios vizinhos."
    ),
    "es": (
        "Buen punto de partida. Valoren vincular la apuesta 1 a un indicador clave, para ver "
        "su efecto. Miren también cómo lo han hecho los municipios vecinos."
    ),
    "it": (
        "Ottimo punto di partenza. Valutate di collegare la priorità 1 a un indicatore "
        "chiave, per vederne l'effetto. Guardate anche come hanno fatto i comuni vicini."
    ),
    "en": (
        "A good start. Consider tying priority 1 to a key figure, so that you see its "
        "effect. Have a look at how the neighbouring councils did it."
    ),
}
REPLY = {
    "nb": "Takk! Vi knytter satsing 1 til andelen innbyggere som bruker digitale tjenester.",
    "pt": "Obrigado! Vamos ligar a aposta 1 à percentagem de cidadãos que usam serviços digitais.",
    "es": (
        "¡Gracias! Vincularemos la apuesta 1 al porcentaje de ciudadanos que usan servicios "
        "digitales."
    ),
    "it": (
        "Grazie! Collegheremo la priorità 1 alla quota di cittadini che usano i servizi digitali."
    ),
    "en": "Thank you! We will tie priority 1 to the share of residents who use digital services.",
}

# The measures' titles and expected benefit by language; dates and states in MEASURES.
MEASURE_TEXTS = {
    "nb": (
        (
            "Selvbetjening for byggesak",
            "Felles IKT-drift i regionen",
            "Kurs i digital ledelse",
            "Gevinstrealiseringsplan",
        ),
        "Kortere saksbehandlingstid og færre henvendelser.",
    ),
    "pt": (
        (
            "Autosserviço para o licenciamento de obras",
            "Gestão conjunta das TIC na região",
            "Formação em liderança digital",
            "Plano de realização de benefícios",
        ),
        "Prazos de decisão mais curtos e menos pedidos ao balcão.",
    ),
    "es": (
        (
            "Autoservicio para las licencias de obra",
            "Gestión compartida de las TIC en la comarca",
            "Formación en liderazgo digital",
            "Plan de realización de beneficios",
        ),
        "Plazos de tramitación más cortos y menos consultas presenciales.",
    ),
    "it": (
        (
            "Servizi online per l'edilizia privata",
            "Gestione associata dell'ICT nel territorio",
            "Corso di leadership digitale",
            "Piano di realizzazione dei benefici",
        ),
        "Tempi di istruttoria più brevi e meno richieste allo sportello.",
    ),
    "en": (
        (
            "Self-service for planning applications",
            "Shared ICT operations in the region",
            "Digital leadership course",
            "Benefits realisation plan",
        ),
        "Shorter handling times and fewer enquiries.",
    ),
}

MEASURES = [
    # section kind, start (days from today), due (days), status, progress, stale
    (Section.Kind.CLEAR_STRATEGY, -200, 120, "under_way", 40, False),
    (Section.Kind.GOVERNANCE, -300, -20, "delayed", 70, False),
    (Section.Kind.COMPETENCE, -250, -60, "done", 100, False),
    (Section.Kind.BENEFITS, -90, 200, "planned", 0, True),
]
KEY_FIGURE_MEASURE = ("Flere barn i barnehage med digital søknad", "KOSandel120000")


def _people(municipality) -> tuple:
    roles = {
        r.kind: r.user
        for r in Role.objects.filter(municipality=municipality).select_related("user")
    }
    chief = roles.get(Role.Kind.CHIEF_EXECUTIVE)
    return chief, roles.get(Role.Kind.MUNICIPAL_STAFF) or chief


def _write(strategy: Strategy, chief, staff, language: str) -> None:
    sections = {s.kind: s for s in strategy.sections.all()}
    name = strategy.municipality.name
    for kind, text in TEXTS[language].items():
        section = sections[kind]
        services.section_save(
            section=section, user=chief, body=text.format(name=name), base_version=0
        )
        if kind == Section.Kind.CLEAR_STRATEGY:
            section.refresh_from_db()
            services.section_save(
                section=section,
                user=staff,
                body=text.format(name=name) + SECOND_DRAFT[language],
                base_version=section.version,
            )


def _plan(strategy: Strategy, chief, staff, today: date, index: int, language: str) -> None:
    """Four or five measures; each municipality a little ahead or behind the next."""
    sections = {s.kind: s for s in strategy.sections.all()}
    titles, benefit = MEASURE_TEXTS[language]
    chosen = list(zip(titles, MEASURES, strict=True))[: 3 + index % 2]
    for title, (kind, start, due, status, progress, stale) in chosen:
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
                "expected_benefit": benefit,
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
            _write(strategy, chief, staff, network.language)
            _plan(strategy, chief, staff, today, index, network.language)
            if index % 3 == 1:  # some tie their governance to cooperation across borders
                governance = strategy.sections.get(kind=Section.Kind.GOVERNANCE)
                governance.dla_priorities.add(*DlaPriority.objects.filter(code="DLA5"))
            if turn != "draft":
                _move(strategy, turn, chief, index)
            if turn != "draft" and facilitator is not None:
                section = strategy.sections.get(kind=Section.Kind.CLEAR_STRATEGY)
                comment = services.section_comment(
                    section=section, user=facilitator.user, body=COMMENT[network.language]
                )
                # Alta's chief executive, and some others, answer the facilitator.
                answers = municipality.code == ALTA or index % 2 == 0
                if answers and chief is not None:
                    services.section_comment(
                        section=section, user=chief, body=REPLY[network.language], parent=comment
                    )
