"""The programme's outcome figures, computed from the records: the one place the programme's
figures page, its JSON and CSV downloads, the review report's PDF and ``render_report`` read
them from. The table is given for the whole programme and per country (the country of the
network's region), with the same definitions.

The figures are those of the seed's outcome table ("Outcome of CEMSDI project in Norway after
one year"): pilots, municipalities, participants, senior executives and mayors, training
sessions per pilot, average training hours per pilot, pilots that completed all sessions and
how many sessions the others completed, and regions that initiated the Digital Local Agenda
process. A fixed number of queries, whatever the number of networks.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.exports import Sheet, write_csv
from networks.countries import country_name
from networks.models import Country, Network, NetworkMembership, Programme, Role
from sessions_app.models import Attendance
from sessions_app.selectors import HOURS, network_training
from strategies.models import StatusChange, Strategy

from . import hooks

DLA_STARTED = (Network.DlaStatus.INITIATED, Network.DlaStatus.STRATEGY_ADOPTED)


@dataclass
class PilotFigures:
    """One network (pilot) of the programme."""

    network: Network
    municipalities: int
    participants: int
    leaders: int  # chief executives and mayors
    sessions_planned: int  # the gatherings scheduled (four by the method)
    sessions_held: int
    training_hours: Decimal  # the held gatherings' agenda hours

    @property
    def completed(self) -> bool:
        return self.sessions_planned > 0 and self.sessions_held >= self.sessions_planned


@dataclass(kw_only=True)
class OutcomeFigures:
    """The outcome table of a set of pilots: a country's, or the whole programme's."""

    pilots: list[PilotFigures] = field(default_factory=list)
    municipalities: int = 0
    participants: int = 0
    leaders: int = 0
    regions: int = 0  # regions with a pilot
    regions_dla_initiated: int = 0

    @property
    def pilot_count(self) -> int:
        return len(self.pilots)

    @property
    def sessions_per_pilot(self) -> tuple[int, int] | None:
        """The fewest and the most sessions scheduled in a pilot (equal in the method)."""
        planned = [p.sessions_planned for p in self.pilots]
        return (min(planned), max(planned)) if planned else None

    @property
    def sessions_per_pilot_text(self) -> str | int | None:
        """One number when every pilot scheduled as many sessions, else "fewest–most"."""
        sessions = self.sessions_per_pilot
        if sessions is None:
            return None
        return sessions[0] if sessions[0] == sessions[1] else f"{sessions[0]}–{sessions[1]}"

    @property
    def average_training_hours(self) -> Decimal | None:
        if not self.pilots:
            return None
        total = sum((p.training_hours for p in self.pilots), Decimal("0"))
        return (total / len(self.pilots)).quantize(HOURS)

    @property
    def completed(self) -> list[PilotFigures]:
        return [p for p in self.pilots if p.completed]

    @property
    def not_completed(self) -> list[PilotFigures]:
        return [p for p in self.pilots if not p.completed]


@dataclass(kw_only=True)
class CountryOutcome(OutcomeFigures):
    """The pilots whose network lies in one country (its region's)."""

    country: Country

    @property
    def name(self) -> str:
        return country_name(self.country)


@dataclass(kw_only=True)
class ProgrammeOutcome(OutcomeFigures):
    programme: Programme
    as_of: date | None = None  # the figures as of this day; None: as of now
    # A row per country with a counted pilot, in the order of the countries' names.
    countries: list[CountryOutcome] = field(default_factory=list)


def _fill(
    outcome: OutcomeFigures,
    pilots: list[PilotFigures],
    members: dict[int, set[int]],
    people: dict[int, set[int]],
    leaders: dict[int, set[int]],
    as_of: date | None = None,
) -> None:
    """Sum the pilots into the table: a municipality or a person in two pilots counts once."""
    ids = [p.network.pk for p in pilots]
    outcome.pilots = pilots
    outcome.municipalities = len(set().union(*(members[pk] for pk in ids)))
    outcome.participants = len(set().union(*(people[pk] for pk in ids)))
    outcome.leaders = len(set().union(*(leaders[pk] for pk in ids)))
    outcome.regions = len({p.network.region_id for p in pilots})
    outcome.regions_dla_initiated = len(
        {p.network.region_id for p in pilots if dla_initiated(p.network, as_of)}
    )


def dla_initiated(network: Network, as_of: date | None) -> bool:
    """Whether the network had initiated its Digital Local Agenda process (by ``as_of``)."""
    if network.dla_status not in DLA_STARTED:
        return False
    if as_of is None:
        return True
    return network.dla_initiated_on is not None and network.dla_initiated_on <= as_of


def _by(as_of: date | None, *lookups: str) -> dict:
    """The lookups bound to the day, or none without a day (the figures as of now)."""
    return {} if as_of is None else dict.fromkeys(lookups, as_of)


def programme_outcome(*, programme: Programme, as_of: date | None = None) -> ProgrammeOutcome:
    """The outcome figures of every running or finished network of the programme (six
    queries). Participants are the people who hold a role in a network or came to one of its
    gatherings.

    With ``as_of`` every figure is read from the records' dates, so that a report on months
    1-12 reads the same a year later: a network counts once it had started by that day, a
    membership or a role once made by then, attendance and training only of gatherings held
    by then. (A network that counts today and was withdrawn later is left out: its state keeps
    no date.)"""
    networks = Network.objects.filter(
        programme=programme, state__in=Network.COUNTED_STATES, **_by(as_of, "planned_start__lte")
    )
    networks = list(
        # A draft, a planned or a withdrawn network is not an outcome.
        networks.select_related("region__country").order_by("planned_start", "name")
    )
    ids = [n.pk for n in networks]
    members: dict[int, set[int]] = {pk: set() for pk in ids}
    memberships = NetworkMembership.objects.filter(
        network_id__in=ids, **_by(as_of, "joined_at__date__lte")
    )
    for network_id, municipality_id in memberships.values_list("network_id", "municipality_id"):
        members[network_id].add(municipality_id)
    people: dict[int, set[int]] = {pk: set() for pk in ids}
    leaders: dict[int, set[int]] = {pk: set() for pk in ids}
    # A role given in one network takes part in that network only.
    # (One filter() call: the membership's network and its date are those of one membership.)
    roles = Role.objects.filter(
        kind__in=Role.MUNICIPAL_KINDS,
        municipality__memberships__network_id__in=ids,
        **_by(as_of, "municipality__memberships__joined_at__date__lte", "created_at__date__lte"),
    )
    for user_id, kind, network_id in roles.filter(
        Q(granted_in__isnull=True) | Q(granted_in=F("municipality__memberships__network_id"))
    ).values_list("user_id", "kind", "municipality__memberships__network_id"):
        people[network_id].add(user_id)
        if kind in Role.LEADER_KINDS:
            leaders[network_id].add(user_id)
    # Whoever came to a gathering took part, even once their role has ended or their account
    # was erased on request: the programme keeps its counts.
    attendance = Attendance.objects.filter(
        gathering__network_id__in=ids,
        present=True,
        gathering__starts_at__lte=timezone.now(),
        gathering__attendance_recorded_at__isnull=False,
        **_by(as_of, "gathering__starts_at__date__lte"),
    )
    for user_id, kind, network_id in attendance.values_list(
        "person_id", "role_kind", "gathering__network_id"
    ):
        people[network_id].add(user_id)
        if kind in Role.LEADER_KINDS:
            leaders[network_id].add(user_id)
    training = network_training(network_ids=ids, as_of=as_of)
    pilots = []
    for network in networks:
        t = training[network.pk]
        pilots.append(
            PilotFigures(
                network=network,
                municipalities=len(members[network.pk]),
                participants=len(people[network.pk]),
                leaders=len(leaders[network.pk]),
                sessions_planned=len(t.gatherings) or t.planned,
                sessions_held=t.held,
                training_hours=t.delivered_hours,
            )
        )
    outcome = ProgrammeOutcome(programme=programme, as_of=as_of)
    _fill(outcome, pilots, members, people, leaders, as_of)
    by_country: dict[int, list[PilotFigures]] = {}
    for pilot in pilots:
        by_country.setdefault(pilot.network.region.country_id, []).append(pilot)
    for country_pilots in by_country.values():
        row = CountryOutcome(country=country_pilots[0].network.region.country)
        _fill(row, country_pilots, members, people, leaders, as_of)
        outcome.countries.append(row)
    outcome.countries.sort(key=lambda row: row.name)
    return outcome


def strategies_adopted(*, programme: Programme, as_of: date | None = None) -> int:
    """The strategies of the programme's networks adopted (by ``as_of``; two queries). With a
    day, a strategy counts if its status on that day was adopted, with its adoption dated by
    then: the last move by then says, or, before any move, the status the first later move
    left (or today's, if it never moved)."""
    strategies = Strategy.objects.filter(network__programme=programme)
    if as_of is None:
        return strategies.filter(status=Strategy.Status.ADOPTED).count()
    status_then = {pk: (status, adopted_on) for pk, status, adopted_on in strategies.values_list(
        "pk", "status", "adopted_on"
    )}  # fmt: skip
    moved_before: set[int] = set()
    for change in StatusChange.objects.filter(strategy__network__programme=programme).order_by(
        "changed_at", "pk"
    ):
        pk = change.strategy_id
        if pk not in status_then:
            continue
        if timezone.localdate(change.changed_at) <= as_of:
            status_then[pk] = (change.to_status, change.adopted_on or status_then[pk][1])
            moved_before.add(pk)
        elif pk not in moved_before:
            # The first move after the day: the strategy was in its from-status then.
            status_then[pk] = (change.from_status, status_then[pk][1])
            moved_before.add(pk)
    return sum(
        status == Strategy.Status.ADOPTED and adopted_on is not None and adopted_on <= as_of
        for status, adopted_on in status_then.values()
    )


def practices_shared(*, programme: Programme, as_of: date | None = None) -> int | None:
    """The practices shared in the community of practice (by ``as_of``), or None when no app
    counts them (the community app registers the count: ``hooks``)."""
    return hooks.practices_shared(programme, as_of)


# --- The figures as data: JSON and CSV --------------------------------------------------------


def _number(value):
    """Decimals as JSON numbers (27.55, not "27.55"); whole ones as integers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _table_data(table: OutcomeFigures) -> dict:
    sessions = table.sessions_per_pilot
    return {
        "pilots": table.pilot_count,
        "municipalities": table.municipalities,
        "participants": table.participants,
        "senior_executives_and_mayors": table.leaders,
        "training_sessions_per_pilot": sessions[1] if sessions else None,
        "average_training_hours_per_pilot": _number(table.average_training_hours),
        "pilots_completed_all_sessions": len(table.completed),
        "other_pilots_sessions_completed": [
            {"network": p.network.name, "sessions_completed": p.sessions_held}
            for p in table.not_completed
        ],
        "regions_with_pilots": table.regions,
        "regions_initiated_dla": table.regions_dla_initiated,
    }


def outcome_data(outcome: ProgrammeOutcome) -> dict:
    """The figures as plain data, with stable English keys (the JSON download): the
    programme's table, the same table per country, and each network's figures."""
    programme = outcome.programme
    return {
        "programme": {
            "acronym": programme.acronym,
            "full_title": programme.full_title,
            "funding_programme": programme.funding_programme,
            "grant_agreement_number": programme.grant_agreement_number,
            "start_date": programme.start_date.isoformat(),
            "end_date": programme.end_date.isoformat(),
            "total_cost_eur": _number(programme.total_cost),
            "requested_eu_contribution_eur": _number(programme.requested_eu_contribution),
            "objectives": [o.text for o in programme.objectives.all()],
        },
        "outcome": _table_data(outcome),
        "countries": [
            {"country": row.country.code, "name": row.name, **_table_data(row)}
            for row in outcome.countries
        ],
        "networks": [
            {
                "name": p.network.name,
                "country": p.network.region.country.code,
                "region": p.network.region.name,
                "planned_start": p.network.planned_start.isoformat(),
                "planned_end": p.network.planned_end.isoformat(),
                "municipalities": p.municipalities,
                "participants": p.participants,
                "senior_executives_and_mayors": p.leaders,
                "sessions_planned": p.sessions_planned,
                "sessions_held": p.sessions_held,
                "training_hours": _number(p.training_hours),
                "dla_status": p.network.dla_status,
            }
            for p in outcome.pilots
        ],
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
    }


def outcome_json(outcome: ProgrammeOutcome) -> bytes:
    return json.dumps(
        outcome_data(outcome), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    ).encode("utf-8")


def outcome_rows(outcome: ProgrammeOutcome) -> list[tuple[str, str, str, object]]:
    """The figures as (key, label, network, value) rows in the current language: the table
    of the page and the PDF, and the rows of the CSV."""
    per_pilot = outcome.sessions_per_pilot_text
    rows = [
        ("pilots", _("Pilots"), "", outcome.pilot_count),
        ("municipalities", _("Municipalities"), "", outcome.municipalities),
        ("participants", _("Participants"), "", outcome.participants),
        (
            "senior_executives_and_mayors",
            _("Senior executives and mayors"),
            "",
            outcome.leaders,
        ),
        ("training_sessions_per_pilot", _("Training sessions per pilot"), "", per_pilot),
        (
            "average_training_hours_per_pilot",
            _("Average training hours per pilot"),
            "",
            outcome.average_training_hours,
        ),
        (
            "pilots_completed_all_sessions",
            _("Pilots that completed all sessions"),
            "",
            len(outcome.completed),
        ),
    ]
    rows += [
        ("sessions_completed", _("Sessions completed by the other pilots"), p.network.name,
         p.sessions_held)
        for p in outcome.not_completed
    ]  # fmt: skip
    rows.append(
        (
            "regions_initiated_dla",
            _("Regions that initiated the Digital Local Agenda process"),
            "",
            outcome.regions_dla_initiated,
        )
    )
    return rows


@dataclass
class CountryColumn:
    key: str
    label: str
    value: object  # a function of a table (a country's or the programme's)
    numeric: bool = True


def others_sessions(table: OutcomeFigures) -> str:
    """The sessions each pilot that did not complete them all held ("3", "3, 2"), or "–"."""
    return ", ".join(str(p.sessions_held) for p in table.not_completed) or "–"


def country_columns() -> list[CountryColumn]:
    """The columns of the table per country, in the current language (page, PDF and CSV)."""
    return [
        CountryColumn("pilots", _("Pilots"), lambda t: t.pilot_count),
        CountryColumn("municipalities", _("Municipalities"), lambda t: t.municipalities),
        CountryColumn("participants", _("Participants"), lambda t: t.participants),
        CountryColumn(
            "senior_executives_and_mayors", _("Senior executives and mayors"), lambda t: t.leaders
        ),
        CountryColumn(
            "training_sessions_per_pilot",
            _("Training sessions per pilot"),
            lambda t: t.sessions_per_pilot_text,
        ),
        CountryColumn(
            "average_training_hours_per_pilot",
            _("Average training hours per pilot"),
            lambda t: t.average_training_hours,
        ),
        CountryColumn(
            "pilots_completed_all_sessions",
            _("Pilots that completed all sessions"),
            lambda t: len(t.completed),
        ),
        CountryColumn(
            "sessions_completed", _("Sessions completed by the other pilots"), others_sessions
        ),
    ]


@dataclass
class CountryTable:
    columns: list[CountryColumn]
    rows: list[tuple[str, list[tuple[str, object]]]]  # (country, a (label, value) per column)
    total: tuple[str, list[tuple[str, object]]]  # the programme's row


def country_table(outcome: ProgrammeOutcome) -> CountryTable:
    """The outcome per country (by name, in the current language) and for the whole
    programme."""
    columns = country_columns()
    countries = sorted(outcome.countries, key=lambda row: row.name)
    return CountryTable(
        columns=columns,
        rows=[(row.name, [(c.label, c.value(row)) for c in columns]) for row in countries],
        total=(_("The programme"), [(c.label, c.value(outcome)) for c in columns]),
    )


def outcome_csv(outcome: ProgrammeOutcome) -> bytes:
    """The outcome table, then a row per country and figure, then a row per pilot and
    figure: semicolons, UTF-8 with a byte order mark, decimals as the current language writes
    them (benchmarking's CSV writer). The fifth column names the country of a country's or a
    pilot's row."""
    sheet = Sheet(
        outcome.programme.acronym,
        [_("Key"), _("Figure"), _("Network"), _("Value"), _("Country")],
    )
    for key, label, network, value in outcome_rows(outcome):
        sheet.rows.append([key, label, network, _number(value), ""])
    columns = country_columns()
    for row in outcome.countries:
        for column in columns:
            sheet.rows.append([column.key, column.label, "", _number(column.value(row)), row.name])
    for p in outcome.pilots:
        name = p.network.name
        country = country_name(p.network.region.country)
        rows = [
            ["municipalities", _("Municipalities"), name, p.municipalities],
            ["participants", _("Participants"), name, p.participants],
            ["senior_executives_and_mayors", _("Senior executives and mayors"), name, p.leaders],
            ["sessions_planned", _("Training sessions planned"), name, p.sessions_planned],
            ["sessions_held", _("Training sessions held"), name, p.sessions_held],
            ["training_hours", _("Training hours"), name, _number(p.training_hours)],
            ["dla_status", _("Digital Local Agenda status"), name,
             p.network.get_dla_status_display()],
        ]  # fmt: skip
        sheet.rows += [[*r, country] for r in rows]
    return write_csv(sheet)
