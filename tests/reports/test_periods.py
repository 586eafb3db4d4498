"""Figures as of a reporting period's end: what was recorded after the day does not count, so
that a report on months 1-12 reads the same a year later."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from networks import services as network_services
from networks.models import Network, NetworkMembership, Role
from reports import figures
from reports.models import ReportingPeriod
from sessions_app.models import Gathering
from strategies.models import StatusChange, Strategy
from tests import factories as f

pytestmark = pytest.mark.django_db

BEFORE = date(2011, 3, 1)  # inside months 1-12
AFTER = date(2011, 7, 1)  # in months 13-24


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def _held(network, number, day):
    gathering = f.GatheringFactory(network=network, number=number, starts_at=_at(day))
    Gathering.objects.filter(pk=gathering.pk).update(attendance_recorded_at=_at(day))
    return gathering


def _records(programme, when: date):
    """A network with one membership, one role, one held gathering with someone present, an
    adopted strategy and an initiated Digital Local Agenda, all dated ``when`` (the network
    started before months 1-12 ended)."""
    municipality = f.MunicipalityFactory()
    network = f.NetworkFactory(
        programme=programme, region=municipality.region, members=[municipality]
    )
    NetworkMembership.objects.filter(network=network).update(joined_at=_at(when))
    person = f.municipal(Role.Kind.MAYOR, municipality)
    Role.objects.filter(user=person).update(created_at=_at(when))
    gathering = _held(network, 1, when)
    f.AttendanceFactory(gathering=gathering, person=f.UserFactory(), municipality=municipality)
    strategy = f.StrategyFactory(network=network, municipality=municipality, status="adopted")
    Strategy.objects.filter(pk=strategy.pk).update(adopted_on=when)
    change = f.StatusChangeFactory(
        strategy=strategy, from_status="shared", to_status="adopted", adopted_on=when
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=_at(when))
    Network.objects.filter(pk=network.pk).update(
        dla_status=Network.DlaStatus.INITIATED, dla_initiated_on=when
    )
    return network


@pytest.mark.parametrize(("when", "counted"), [(BEFORE, 1), (AFTER, 0)])
def test_records_dated_after_the_period_do_not_count(when, counted):
    programme = f.ProgrammeFactory()
    period = ReportingPeriod.objects.create(
        programme=programme, number=1, first_month=1, last_month=12
    )
    assert period.ends_on == date(2011, 5, 31)
    _records(programme, when)

    then = figures.programme_outcome(programme=programme, as_of=period.ends_on)
    assert then.pilot_count == 1  # started 2010-09-01
    assert then.municipalities == counted
    # The mayor (a role) and the attendee: counted only when dated by the period's end.
    assert then.participants == 2 * counted
    assert then.leaders == 2 * counted  # a mayor and a chief executive
    assert sum(p.sessions_held for p in then.pilots) == counted
    assert then.regions_dla_initiated == counted
    assert figures.strategies_adopted(programme=programme, as_of=period.ends_on) == counted

    now = figures.programme_outcome(programme=programme)
    assert (now.municipalities, now.participants, now.regions_dla_initiated) == (1, 2, 1)
    assert sum(p.sessions_held for p in now.pilots) == 1
    assert figures.strategies_adopted(programme=programme) == 1


def test_a_network_not_started_by_the_day_is_not_counted():
    programme = f.ProgrammeFactory()
    f.NetworkFactory(
        programme=programme, planned_start=date(2011, 9, 1), planned_end=date(2012, 5, 1)
    )
    assert figures.programme_outcome(programme=programme, as_of=date(2011, 5, 31)).pilot_count == 0
    assert figures.programme_outcome(programme=programme).pilot_count == 1


def test_a_strategy_moved_back_after_the_day_was_adopted_then():
    programme = f.ProgrammeFactory()
    network = f.NetworkFactory(programme=programme)
    strategy = f.StrategyFactory(network=network, status="shared")
    adopted = f.StatusChangeFactory(
        strategy=strategy, from_status="shared", to_status="adopted", adopted_on=BEFORE
    )
    back = f.StatusChangeFactory(strategy=strategy, from_status="adopted", to_status="shared")
    StatusChange.objects.filter(pk=adopted.pk).update(changed_at=_at(BEFORE))
    StatusChange.objects.filter(pk=back.pk).update(changed_at=_at(AFTER))
    assert figures.strategies_adopted(programme=programme, as_of=date(2011, 5, 31)) == 1
    assert figures.strategies_adopted(programme=programme, as_of=AFTER) == 0
    assert figures.strategies_adopted(programme=programme) == 0


def test_the_service_dates_the_digital_local_agenda():
    network = f.NetworkFactory()
    admin = f.UserFactory(is_superuser=True)
    network_services.network_update(
        network=network, municipalities=[], by=admin, dla_status=Network.DlaStatus.INITIATED
    )
    network.refresh_from_db()
    assert network.dla_initiated_on == timezone.localdate()
    network_services.network_update(
        network=network, municipalities=[], by=admin, dla_status=Network.DlaStatus.NOT_STARTED
    )
    network.refresh_from_db()
    assert network.dla_initiated_on is None


def test_practices_shared_comes_from_the_community_hook():
    programme = f.ProgrammeFactory()
    # The community app registers its count: none shared yet is 0, not "not counted".
    assert figures.practices_shared(programme=programme, as_of=date(2011, 5, 31)) == 0


def test_figures_as_of_a_day_run_the_same_queries_at_any_size():
    def count(networks):
        programme = f.ProgrammeFactory()
        for _ in range(networks):
            _records(programme, BEFORE)
        with CaptureQueriesContext(connection) as queries:
            figures.programme_outcome(programme=programme, as_of=date(2011, 5, 31))
            figures.strategies_adopted(programme=programme, as_of=date(2011, 5, 31))
        return len(queries)

    assert count(1) == count(4)
