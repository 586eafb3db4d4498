"""The programme's outcome figures: computed from the records, the same in the page, the
JSON, the CSV and the PDF."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from networks.models import Network, NetworkMembership, Role
from reports import figures
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from sessions_app.models import AgendaItem, Gathering
from tests import factories as f

from .conftest import SEED_NORWAY_AFTER_ONE_YEAR, seed_table

pytestmark = pytest.mark.django_db


def expected_from_records(programme) -> dict:
    """The outcome table computed straight from the rows, independently of reports/."""
    networks = Network.objects.filter(programme=programme)
    participants = Role.objects.filter(
        kind__in=Role.MUNICIPAL_KINDS, municipality__memberships__network__programme=programme
    )
    held = Gathering.objects.filter(
        network__programme=programme, attendance_recorded_at__isnull=False
    )
    minutes = sum(
        AgendaItem.objects.filter(
            gathering__in=held, kind__in=AgendaItem.TRAINING_KINDS
        ).values_list("duration_minutes", flat=True)
    )
    held_by_network = {n.pk: held.filter(network=n).count() for n in networks}
    scheduled = {n.pk: Gathering.objects.filter(network=n).count() for n in networks}
    return {
        "pilots": networks.count(),
        "municipalities": NetworkMembership.objects.filter(network__programme=programme)
        .values("municipality")
        .distinct()
        .count(),
        "participants": participants.values("user").distinct().count(),
        "leaders": participants.filter(kind__in=Role.LEADER_KINDS)
        .values("user")
        .distinct()
        .count(),
        "average_hours": (Decimal(minutes) / 60 / networks.count()).quantize(Decimal("0.01")),
        "completed": sum(held_by_network[pk] == scheduled[pk] for pk in held_by_network),
        "others": sorted(
            (n.name, held_by_network[n.pk])
            for n in networks
            if held_by_network[n.pk] < scheduled[n.pk]
        ),
        "sessions_per_pilot": max(scheduled.values()),
        "regions_dla": networks.exclude(dla_status=Network.DlaStatus.NOT_STARTED)
        .values("region")
        .distinct()
        .count(),
    }


def _pilot(programme, *, members=2):
    municipalities = [f.MunicipalityFactory() for _ in range(members)]
    network = f.NetworkFactory(
        programme=programme, region=municipalities[0].region, members=municipalities
    )
    for municipality in municipalities:
        f.municipal(Role.Kind.CHIEF_EXECUTIVE, municipality)
    return network


def _hold(gathering):
    sessions_services.attendance_record(gathering=gathering, entries=[])
    Gathering.objects.filter(pk=gathering.pk).update(attendance_recorded_at=timezone.now())


def test_changing_a_record_changes_the_figures(db):
    programme = f.ProgrammeFactory()
    network = _pilot(programme)
    drafts = sessions_selectors.schedule_proposal(network=network)
    gatherings = sessions_services.gathering_schedule(network=network, drafts=drafts)
    before = figures.programme_outcome(programme=programme)
    assert (before.pilot_count, before.municipalities, before.participants) == (1, 2, 2)
    assert before.average_training_hours == Decimal("0.00")
    assert before.regions_dla_initiated == 0

    _hold(gatherings[0])
    Network.objects.filter(pk=network.pk).update(dla_status=Network.DlaStatus.INITIATED)
    f.municipal(Role.Kind.MAYOR, network.municipalities.first())
    after = figures.programme_outcome(programme=programme)
    minutes = sum(item.duration_minutes for item in gatherings[0].agenda.all() if item.is_training)
    assert after.average_training_hours == (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    assert after.pilots[0].sessions_held == 1
    assert after.regions_dla_initiated == 1
    assert (after.participants, after.leaders) == (3, 3)


def test_a_municipality_in_two_pilots_counts_once(db):
    programme = f.ProgrammeFactory()
    first = _pilot(programme)
    second = _pilot(programme)
    shared = first.municipalities.first()
    second.municipalities.add(shared)
    outcome = figures.programme_outcome(programme=programme)
    assert [p.municipalities for p in outcome.pilots] == [2, 3]
    assert outcome.municipalities == 4
    assert outcome.participants == 4


def test_programme_outcome_runs_the_same_queries_at_any_size(db):
    def count(networks):
        programme = f.ProgrammeFactory()
        for _ in range(networks):
            _pilot(programme, members=3)
        with CaptureQueriesContext(connection) as queries:
            figures.programme_outcome(programme=programme)
        return len(queries)

    assert count(1) == count(4)


def test_outcome_csv_neutralises_a_network_name_that_looks_like_a_formula(db):
    programme = f.ProgrammeFactory()
    network = _pilot(programme)
    Network.objects.filter(pk=network.pk).update(name='=HYPERLINK("http://x")')
    content = figures.outcome_csv(figures.programme_outcome(programme=programme))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    names = {row[2] for row in rows[1:] if row[2]}
    assert names == {'\'=HYPERLINK("http://x")'}


# --- Per country -----------------------------------------------------------------------------


def _norway(outcome):
    (row,) = [row for row in outcome.countries if row.country.code == "NO"]
    return row


def _abroad(programme, code, name, *, members=2, held=1):
    country = f.CountryFactory(code=code, name=name)
    region = f.RegionFactory(country=country)
    municipalities = [f.MunicipalityFactory(region=region) for _ in range(members)]
    network = f.NetworkFactory(programme=programme, region=region, members=municipalities)
    for municipality in municipalities:
        f.municipal(Role.Kind.MAYOR, municipality)
    drafts = sessions_selectors.schedule_proposal(network=network)
    gatherings = sessions_services.gathering_schedule(network=network, drafts=drafts)
    for gathering in gatherings[:held]:
        _hold(gathering)
    return network


def test_the_country_rows_add_up_when_no_one_is_in_two_countries(db):
    programme = f.ProgrammeFactory()
    _pilot(programme)
    _abroad(programme, "PT", "Portugal")
    _abroad(programme, "ES", "Spain", members=4)
    outcome = figures.programme_outcome(programme=programme)
    assert len(outcome.countries) == 3
    for name in ("pilot_count", "municipalities", "participants", "leaders"):
        assert getattr(outcome, name) == sum(getattr(row, name) for row in outcome.countries)


def test_the_outcome_per_country_runs_the_same_queries_at_any_size(db):
    def count(per_country):
        programme = f.ProgrammeFactory()
        for code, name in (("NO", "Norway"), ("IT", "Italy"), ("PT", "Portugal")):
            for _ in range(per_country):
                _abroad(programme, code, name, held=0)
        with CaptureQueriesContext(connection) as queries:
            outcome = figures.programme_outcome(programme=programme)
            figures.country_table(outcome)
            figures.outcome_csv(outcome)
            figures.outcome_json(outcome)
        assert len(outcome.countries) == 3
        return len(queries)

    assert count(1) == count(3)


# --- On the demo: seeded once for the module (tests/conftest.py), so these come last, after
# the tests that start from an empty database.


def test_programme_outcome_of_the_demo_equals_the_records(demo):
    expected = expected_from_records(demo)
    outcome = figures.programme_outcome(programme=demo)
    assert outcome.pilot_count == expected["pilots"]
    assert outcome.municipalities == expected["municipalities"]
    assert outcome.participants == expected["participants"]
    assert outcome.leaders == expected["leaders"]
    assert outcome.average_training_hours == expected["average_hours"]
    assert len(outcome.completed) == expected["completed"]
    assert (
        sorted((p.network.name, p.sessions_held) for p in outcome.not_completed)
        == (expected["others"])
    )
    assert outcome.sessions_per_pilot == (expected["sessions_per_pilot"],) * 2
    assert outcome.regions_dla_initiated == expected["regions_dla"]
    # And Norway's are the seed's figures after one year, as the demo promises.
    norway = _norway(outcome)
    assert (norway.pilot_count, norway.municipalities, norway.participants) == (5, 61, 98)
    assert norway.leaders == 87
    assert norway.average_training_hours == Decimal("27.55")
    assert [p.sessions_held for p in norway.not_completed] == [3]


def test_outcome_json_holds_the_figures_with_stable_keys(demo):
    outcome = figures.programme_outcome(programme=demo)
    data = json.loads(figures.outcome_json(outcome))
    assert data["programme"]["grant_agreement_number"] == "250482"
    assert data["programme"]["total_cost_eur"] == 5179500
    assert len(data["programme"]["objectives"]) == 6
    assert data["outcome"] == {
        "pilots": outcome.pilot_count,
        "municipalities": outcome.municipalities,
        "participants": outcome.participants,
        "senior_executives_and_mayors": outcome.leaders,
        "training_sessions_per_pilot": 4,
        "average_training_hours_per_pilot": float(outcome.average_training_hours),
        "pilots_completed_all_sessions": len(outcome.completed),
        "other_pilots_sessions_completed": [
            {"network": p.network.name, "sessions_completed": p.sessions_held}
            for p in outcome.not_completed
        ],
        "regions_with_pilots": outcome.regions,
        "regions_initiated_dla": outcome.regions_dla_initiated,
    }
    assert [n["name"] for n in data["networks"]] == [p.network.name for p in outcome.pilots]
    assert data["networks"][0]["training_hours"] == float(outcome.pilots[0].training_hours)


def test_outcome_csv_in_norwegian_has_decimal_commas_and_a_byte_order_mark(demo):
    outcome = figures.programme_outcome(programme=demo)
    with translation.override("nb"):
        content = figures.outcome_csv(outcome)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    # The programme's rows: no country in the fifth column.
    by_key = {(row[0], row[2]): row[3] for row in rows[1:] if not row[4]}
    assert by_key[("pilots", "")] == str(outcome.pilot_count)
    assert by_key[("municipalities", "")] == str(outcome.municipalities)
    assert by_key[("average_training_hours_per_pilot", "")] == str(
        outcome.average_training_hours
    ).replace(".", ",")
    other = outcome.not_completed[0]
    assert by_key[("sessions_completed", other.network.name)] == str(other.sessions_held)


def test_norways_row_of_the_demo_is_the_seeds_table(demo):
    outcome = figures.programme_outcome(programme=demo)
    norway = _norway(outcome)
    assert seed_table(norway) == SEED_NORWAY_AFTER_ONE_YEAR
    # Norway's pilots are its networks' (their regions lie in Norway), counted like the total.
    assert {p.network.region.country.code for p in norway.pilots} == {"NO"}
    assert norway.average_training_hours == sum(
        (p.training_hours for p in norway.pilots), Decimal("0")
    ) / len(norway.pilots)


def test_a_pilot_in_another_country_leaves_norways_row_and_changes_the_total(demo):
    before = figures.programme_outcome(programme=demo)
    network = _abroad(demo, "IT", "Italy", members=3)
    after = figures.programme_outcome(programme=demo)

    assert seed_table(_norway(after)) == seed_table(_norway(before)) == SEED_NORWAY_AFTER_ONE_YEAR
    names = [figures.country_name(row.country) for row in after.countries]
    assert names == sorted(names)
    assert {row.country.code for row in after.countries} == {"IT", "NO", "PT", "ES", "GB"}
    (italy_before,) = [row for row in before.countries if row.country.code == "IT"]
    (italy,) = [row for row in after.countries if row.country.code == "IT"]
    assert (italy.pilot_count, italy.municipalities, italy.leaders) == (
        italy_before.pilot_count + 1,
        italy_before.municipalities + 3,
        italy_before.leaders + 3,
    )
    assert network in [p.network for p in italy.not_completed]
    assert after.pilot_count == before.pilot_count + 1
    assert after.municipalities == before.municipalities + 3
    assert after.participants == before.participants + 3
    assert after.leaders == before.leaders + 3
    assert len(after.not_completed) == len(before.not_completed) + 1
    with translation.override("it"):
        table = figures.country_table(after)
        in_italian = sorted(figures.country_name(row.country) for row in after.countries)
    assert [name for name, _cells in table.rows] == in_italian  # Italia … Regno Unito, Spagna
    assert dict(table.total[1])[table.columns[0].label] == after.pilot_count


def test_the_json_and_csv_carry_the_rows_per_country(demo):
    _abroad(demo, "IT", "Italy")
    outcome = figures.programme_outcome(programme=demo)
    data = json.loads(figures.outcome_json(outcome))
    by_code = {row["country"]: row for row in data["countries"]}
    assert set(by_code) == {"IT", "NO", "PT", "ES", "GB"}
    norway = by_code["NO"]
    assert norway["pilots"] == SEED_NORWAY_AFTER_ONE_YEAR["pilots"]
    assert norway["municipalities"] == SEED_NORWAY_AFTER_ONE_YEAR["municipalities"]
    assert (
        norway["senior_executives_and_mayors"]
        == 87
        == SEED_NORWAY_AFTER_ONE_YEAR["senior_executives_and_mayors"]
    )
    assert data["outcome"]["pilots"] == sum(row["pilots"] for row in by_code.values())
    with translation.override("it"):
        content = figures.outcome_csv(outcome)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    country_rows = {(row[0], row[4]): row[3] for row in rows[1:] if row[4] and not row[2]}
    with translation.override("it"):
        norway_name = figures.country_name(_norway(outcome).country)
    assert country_rows[("participants", norway_name)] == str(
        SEED_NORWAY_AFTER_ONE_YEAR["participants"]
    )
