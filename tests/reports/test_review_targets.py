"""The coordinator sets the programme's reporting periods and objective targets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cemsdi_portal.core.models import AuditEntry
from reports.models import ObjectiveTarget, ReportingPeriod
from tests import factories as f

pytestmark = pytest.mark.django_db


def _data(periods=(), targets=(), initial_periods=0, initial_targets=0):
    data = {
        "periods-TOTAL_FORMS": len(periods),
        "periods-INITIAL_FORMS": initial_periods,
        "targets-TOTAL_FORMS": len(targets),
        "targets-INITIAL_FORMS": initial_targets,
    }
    for prefix, rows in (("periods", periods), ("targets", targets)):
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def programme():
    programme = f.ProgrammeFactory()
    f.ProgrammeObjectiveFactory(programme=programme, position=1, text="Networks")
    return programme


def test_the_coordinator_adds_periods_and_a_target(client, programme):
    client.force_login(f.coordinator_of(programme))
    objective = programme.objectives.get()
    url = reverse("programme_review_targets", args=[programme.pk])
    response = client.post(
        url,
        _data(
            periods=[
                {"number": 1, "first_month": 1, "last_month": 12},
                {"number": 2, "first_month": 13, "last_month": 24},
            ],
            targets=[{"objective": objective.pk, "measure": "municipalities", "target": "60"}],
        ),
    )
    assert response.status_code == 302
    assert list(
        ReportingPeriod.objects.filter(programme=programme).values_list(
            "number", "first_month", "last_month"
        )
    ) == [(1, 1, 12), (2, 13, 24)]
    target = ObjectiveTarget.objects.get(objective=objective)
    assert (target.measure, target.target, target.period) == ("municipalities", Decimal(60), None)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATED).count() >= 3


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (
            [
                {"number": 1, "first_month": 1, "last_month": 12},
                {"number": 2, "first_month": 12, "last_month": 24},
            ],
            "overlap another reporting period",
        ),
        ([{"number": 1, "first_month": 13, "last_month": 30}], "The programme runs 24 months"),
        ([{"number": 1, "first_month": 12, "last_month": 3}], "must not come before"),
    ],
)
def test_bad_periods_are_refused_and_change_nothing(client, programme, periods, message):
    client.force_login(f.coordinator_of(programme))
    response = client.post(
        reverse("programme_review_targets", args=[programme.pk]), _data(periods=periods)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportingPeriod.objects.filter(programme=programme).exists()


def test_the_officer_reads_but_does_not_write(client, programme):
    ReportingPeriod.objects.create(programme=programme, number=1, first_month=1, last_month=12)
    client.force_login(f.project_officer_of(programme))
    url = reverse("programme_review_targets", args=[programme.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "1 June 2010" in response.content.decode() or "June 1, 2010" in response.content.decode()
    response = client.post(url, _data(periods=[{"number": 2, "first_month": 13, "last_month": 24}]))
    assert response.status_code == 403
    assert ReportingPeriod.objects.filter(programme=programme).count() == 1


def test_another_programmes_coordinator_gets_nothing(client, programme):
    client.force_login(f.coordinator_of(f.ProgrammeFactory()))
    url = reverse("programme_review_targets", args=[programme.pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, _data(periods=[{"number": 1, "first_month": 1, "last_month": 12}]))
    assert response.status_code in (403, 404)
    assert not ReportingPeriod.objects.filter(programme=programme).exists()
