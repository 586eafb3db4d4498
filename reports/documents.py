"""What each kind of report shows: the data a report's template is rendered with.

Each builder reads through the apps' selectors (the same that their pages use) and returns a
:class:`Document`: its template, title and context. Every figure comes from the records at the
moment the report is rendered, so changing a record changes the next report. Builders run in
the language the report is written in (``services.report_render`` activates it).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benchmarking import charts
from networks.countries import for_country, is_ekommune_country
from networks.models import Municipality, Network, Programme, Role
from sessions_app.models import Attendance
from sessions_app.selectors import municipality_training, network_training, training_hours

from . import figures
from .models import ReportingPeriod, ReportRequest
from .narrative import narrative_for
from .objectives import objective_progress
from .phases import phase_comparisons


class SubjectGone(Exception):
    """What the report is about no longer exists (deleted, or a strategy not started)."""


@dataclass
class Document:
    template: str
    title: str
    subtitle: str
    context: dict
    filename: str  # without the extension
    html: str = ""  # as rendered for the PDF (services.render_document); the other formats' source


# --- A network, as a chapter of the programme report and as a report of its own --------------


@dataclass
class MemberRow:
    municipality: Municipality
    chief_executive: str
    mayor: str
    others: int
    attended: int  # held gatherings at which someone from it was present
    hours: Decimal  # its people's training hours together


@dataclass
class GatheringRow:
    gathering: object
    training_hours: Decimal
    present: int  # people present
    municipalities_present: int


@dataclass
class KeyFigureRow:
    indicator: object
    count: int  # members with a value
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    chart: str


@dataclass
class KeyFigureTable:
    """Members by a few indicators (as many as fit across the page): (value, rank) cells."""

    indicators: list
    rows: list[tuple[Municipality, list[tuple[str, int | None]]]] = field(default_factory=list)


@dataclass
class KeyFigureBlock:
    year: int | None
    summary: list[KeyFigureRow]
    tables: list[KeyFigureTable] = field(default_factory=list)


@dataclass
class NetworkChapter:
    network: Network
    facilitators: list[str]
    pilot: figures.PilotFigures
    members: list[MemberRow]
    gatherings: list[GatheringRow]
    training: object  # sessions_app.selectors.NetworkTraining
    strategies: object | None  # strategies.selectors.NetworkOverview
    keyfigures: KeyFigureBlock
    anchor: str


INDICATORS_PER_TABLE = 3


def _keyfigures(network: Network) -> KeyFigureBlock:
    from benchmarking.analysis import summary  # pandas: loaded only to render
    from benchmarking.selectors import network_table

    table = network_table(network=network)
    block = KeyFigureBlock(year=table.year, summary=[])
    for indicator in table.indicators:
        values = [
            cell[0]
            for m in table.members
            if (cell := table.cells.get((m.pk, indicator.pk))) and cell[0] is not None
        ]
        mean, median, low, high = summary(values)
        block.summary.append(
            KeyFigureRow(
                indicator=indicator,
                count=len(values),
                mean=mean,
                median=median,
                minimum=low,
                maximum=high,
                chart=charts.position_bar(
                    value=None,
                    mean=mean,
                    median=median,
                    minimum=low,
                    maximum=high,
                    decimals=indicator.decimals,
                    unit=indicator.unit_label,
                    label=f"{indicator.name}, {network.name} {table.year}",
                ),
            )
        )
    indicators = table.indicators
    for start in range(0, len(indicators), INDICATORS_PER_TABLE):
        part = KeyFigureTable(indicators=indicators[start : start + INDICATORS_PER_TABLE])
        for municipality in table.members:
            cells = []
            for indicator in part.indicators:
                value, rank, _percentile = table.cells.get(
                    (municipality.pk, indicator.pk), (None, None, None)
                )
                cells.append((charts.format_number(value, indicator.decimals), rank))
            part.rows.append((municipality, cells))
        block.tables.append(part)
    return block


def _strategy_overview(network: Network):
    from strategies.selectors import network_overview

    return network_overview(network=network)


def network_chapters(
    networks: list[Network], pilots: dict[int, figures.PilotFigures]
) -> list[NetworkChapter]:
    """A chapter per network: members, gatherings and attendance, strategies, key figures."""
    ids = [n.pk for n in networks]
    training = network_training(network_ids=ids)
    roles: dict[int, list[Role]] = {}
    for role in (
        Role.objects.filter(kind__in=Role.MUNICIPAL_KINDS, municipality__networks__in=ids)
        .select_related("user")
        .prefetch_related("granted_in")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    ):
        role.given_in = {n.pk for n in role.granted_in.all()}
        roles.setdefault(role.municipality_id, []).append(role)
    facilitators: dict[int, list[str]] = {}
    for role in (
        Role.objects.filter(kind=Role.Kind.FACILITATOR, network_id__in=ids)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        facilitators.setdefault(role.network_id, []).append(str(role.user))
    present: dict[int, tuple[set, set]] = {}
    for gathering_id, person_id, municipality_id in Attendance.objects.filter(
        gathering__network_id__in=ids, present=True
    ).values_list("gathering_id", "person_id", "municipality_id"):
        people, places = present.setdefault(gathering_id, (set(), set()))
        people.add(person_id)
        places.add(municipality_id)
    chapters = []
    for network in networks:
        t = training[network.pk]
        members = []
        for row in municipality_training(network=network, training=t):
            # A role given through another network's invitation does not count here.
            its_roles = [
                r
                for r in roles.get(row.municipality.pk, [])
                if not r.given_in or network.pk in r.given_in
            ]
            by_kind = {r.kind: str(r.user) for r in its_roles}
            members.append(
                MemberRow(
                    municipality=row.municipality,
                    chief_executive=by_kind.get(Role.Kind.CHIEF_EXECUTIVE, ""),
                    mayor=by_kind.get(Role.Kind.MAYOR, ""),
                    others=sum(r.kind == Role.Kind.MUNICIPAL_STAFF for r in its_roles),
                    attended=row.attended,
                    hours=row.hours,
                )
            )
        gatherings = []
        for gathering in t.gatherings:
            people, places = present.get(gathering.pk, (set(), set()))
            gatherings.append(
                GatheringRow(
                    gathering=gathering,
                    training_hours=training_hours(gathering.training_minutes),
                    present=len(people),
                    municipalities_present=len(places),
                )
            )
        chapters.append(
            NetworkChapter(
                network=network,
                facilitators=facilitators.get(network.pk, []),
                pilot=pilots[network.pk],
                members=members,
                gatherings=gatherings,
                training=t,
                strategies=_strategy_overview(network),
                keyfigures=_keyfigures(network),
                anchor=f"network-{network.pk}",
            )
        )
    return chapters


# --- The kinds --------------------------------------------------------------------------------


def _filename(*parts) -> str:
    return "-".join(slugify(str(p), allow_unicode=False) for p in parts if p)


def programme_document(programme: Programme, period: ReportingPeriod | None = None) -> Document:
    """The programme review report; for a reporting period, with the figures as of its end and
    the narrative written for it."""
    programme = (
        Programme.objects.prefetch_related("objectives", "countries")
        .filter(pk=programme.pk)
        .first()
    )
    if programme is None:
        raise SubjectGone
    as_of = period.ends_on if period is not None else None
    outcome = figures.programme_outcome(programme=programme, as_of=as_of)
    pilots = {p.network.pk: p for p in outcome.pilots}
    chapters = network_chapters([p.network for p in outcome.pilots], pilots)
    return Document(
        template="reports/pdf/programme.html",
        title=_("%(acronym)s programme review report") % {"acronym": programme.acronym},
        subtitle=programme.full_title,
        context={
            "programme": programme,
            "outcome": outcome,
            "outcome_rows": figures.outcome_rows(outcome),
            "country_table": figures.country_table(outcome),
            "countries": [figures.country_name(c) for c in programme.countries.all()],
            "chapters": chapters,
            "period": period,
            "figures_as_of": as_of or timezone.localdate(),
            "objectives": objective_progress(programme=programme, period=period, outcome=outcome),
            "narrative": narrative_for(
                programme=programme, period=period, language=translation.get_language()
            ),
        },
        filename=_filename(programme.acronym, "review-report", timezone.localdate()),
    )


def network_document(network: Network) -> Document:
    network = (
        Network.objects.select_related("programme", "region__country").filter(pk=network.pk).first()
    )
    if network is None:
        raise SubjectGone
    outcome = figures.programme_outcome(programme=network.programme)
    pilots = {p.network.pk: p for p in outcome.pilots}
    (chapter,) = network_chapters([network], pilots)
    return Document(
        template="reports/pdf/network.html",
        title=_("Network report: %(name)s") % {"name": network.name},
        subtitle=f"{network.programme.acronym} · {network.region.name}",
        context={"network": network, "chapter": chapter},
        filename=_filename(network.name, "report", timezone.localdate()),
    )


def position_document(municipality: Municipality, network: Network | None) -> Document:
    from benchmarking.pages import over_time_chart, position_line
    from benchmarking.selectors import Comparison, municipality_position, series_medians

    municipality = (
        Municipality.objects.select_related("region__country", "country", "peer_group")
        .filter(pk=municipality.pk)
        .first()
    )
    if municipality is None:
        raise SubjectGone
    comparison = Comparison.NETWORK if network is not None else Comparison.COUNTRY
    page = municipality_position(municipality=municipality, comparison=comparison, network=network)
    if page.comparison == Comparison.NETWORK:
        compared_with = _("the network: %(name)s") % {"name": network.name}
    else:
        compared_with = _("the country: %(name)s") % {"name": municipality.country.display_name}
    lines = [position_line(row, municipality, page.year) for row in page.rows]
    medians = series_medians(
        indicator_ids=[row.indicator.pk for row in page.rows],
        municipality=municipality,
        network=page.network,
    )
    series = [
        over_time_chart(
            indicator=row.indicator,
            municipality=municipality,
            series=row.series,
            medians=medians[row.indicator.pk],
            network=page.network,
            year=page.year,
        )
        for row in page.rows
    ]
    return Document(
        template="reports/pdf/position.html",
        title=_("%(name)s in key figures") % {"name": municipality.name},
        subtitle=_("Compared with %(set)s") % {"set": compared_with},
        context={
            "municipality": municipality,
            "network": network,
            "page": page,
            "lines": list(zip(lines, series, strict=True)),
            "compared_with": compared_with,
            "phases": phase_comparisons(municipality=municipality, network=network),
        },
        filename=_filename(municipality.name, "key-figures", page.year),
    )


def strategy_document(network: Network, municipality: Municipality) -> Document:
    from strategies.models import Measure, Strategy
    from strategies.rules import text_open
    from strategies.selectors import action_plan, strategy_page

    strategy = (
        Strategy.objects.select_related(
            "network__programme", "municipality__region", "municipality__country"
        )
        .filter(network=network, municipality=municipality)
        .first()
    )
    if strategy is None:
        raise SubjectGone
    page = strategy_page(strategy=strategy)
    plan = action_plan(strategy=strategy)
    today = timezone.localdate()
    timeline = charts.timeline(
        [
            (row.measure.title, row.measure.starts_on, row.measure.due_on, row.overdue)
            for row in plan.rows
            if row.measure.status != Measure.Status.DROPPED
        ],
        today=today,
        label=_("The action plan's measures over time"),
    )
    return Document(
        template="reports/pdf/strategy.html",
        title=strategy.title,
        subtitle=for_country(
            strategy.municipality.country,
            norway=_("eKommune strategy and action plan of %(name)s"),
            elsewhere=_("Digital municipality strategy and action plan of %(name)s"),
        )
        % {"name": strategy.municipality.name},
        context={
            "strategy": strategy,
            "ekommune": is_ekommune_country(strategy.municipality.country),
            "page": page,
            "plan": plan,
            "timeline": timeline,
            # The text is the council's once adopted: the resolution then says so.
            "text_open": text_open(strategy),
        },
        filename=_filename(strategy.municipality.name, "strategy", today),
    )


def document_for(report: ReportRequest) -> Document:
    """The document a report request asks for."""
    kind = ReportRequest.Kind
    if report.kind == kind.PROGRAMME and report.programme_id:
        return programme_document(report.programme, report.period)
    if report.kind == kind.NETWORK and report.network_id:
        return network_document(report.network)
    if report.kind == kind.POSITION and report.municipality_id:
        return position_document(report.municipality, report.network)
    if report.kind == kind.STRATEGY and report.network_id and report.municipality_id:
        return strategy_document(report.network, report.municipality)
    raise SubjectGone
