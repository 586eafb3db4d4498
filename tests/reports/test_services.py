"""Asking for a report, joining one under way, rendering it once, and sweeping up after
workers that died. Tasks run in process here (the test settings' eager mode); the real worker
and broker are in test_worker.py."""

from datetime import timedelta

import kombu.pools
import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.celery import app as celery_app
from networks.models import Role
from reports import services
from reports.models import ReportRequest
from reports.tasks import render_report
from tests import factories as f

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

Status, Kind = ReportRequest.Status, ReportRequest.Kind


@pytest.fixture
def ask(world, django_capture_on_commit_callbacks):
    """Ask for a report as a view does, and run what is sent once the transaction commits."""

    def ask(*, user="facilitator", language="en", **subject):
        subject = subject or {"network": world.network}
        kind = subject.pop("kind", Kind.NETWORK)
        with django_capture_on_commit_callbacks(execute=True):
            return services.report_request(
                user=world.users[user], kind=kind, language=language, **subject
            )

    return ask


def test_a_request_is_rendered_after_its_transaction_commits(world, media, ask):
    requested = ask()
    report = ReportRequest.objects.get(pk=requested.report.pk)
    assert requested.joined is False
    assert report.status == Status.DONE
    assert report.attempts == 1
    assert report.requested_by == world.users["facilitator"]
    assert list(report.requesters.all()) == [world.users["facilitator"]]
    assert report.page_count >= 3
    with report.file.open("rb") as handle:
        content = handle.read()
    assert report.size == len(content)
    assert world.network.name in pdf_text(content)


def test_a_request_while_one_is_queued_joins_it(world, media, ask):
    queued = f.ReportRequestFactory(
        network=world.network,
        status=Status.QUEUED,
        requested_by=world.users["facilitator"],
        enqueued_at=timezone.now(),
    )
    requested = ask(user="project_officer")
    assert requested.joined is True
    assert requested.report.pk == queued.pk
    assert ReportRequest.objects.count() == 1
    queued.refresh_from_db()
    assert queued.status == Status.QUEUED  # already sent: not sent twice
    assert set(queued.requesters.all()) == {world.users["project_officer"]}


def test_a_request_while_one_is_running_joins_it(world, media, ask):
    running = f.ReportRequestFactory(
        network=world.network, status=Status.RUNNING, started_at=timezone.now(), attempts=1
    )
    requested = ask()
    assert (requested.joined, requested.report.pk) == (True, running.pk)
    running.refresh_from_db()
    assert running.status == Status.RUNNING


def test_a_request_after_the_last_one_finished_renders_again(world, media, ask):
    done = f.ReportRequestFactory(network=world.network, status=Status.DONE)
    requested = ask()
    assert requested.joined is False
    assert requested.report.pk != done.pk
    assert ReportRequest.objects.filter(status=Status.DONE).count() == 2


def test_a_report_about_a_network_speaks_the_language_of_whoever_asks(world, media, ask):
    world.network.language = "nb"
    world.network.save()
    report = ask(language="en").report
    assert report.language == "en"


def test_a_programme_report_in_another_language_is_another_report(world, media, ask):
    first = f.ReportRequestFactory(
        kind=Kind.PROGRAMME,
        network=None,
        programme=world.programme,
        status=Status.RUNNING,
        started_at=timezone.now(),
    )
    requested = ask(user="project_officer", language="nb", kind=Kind.PROGRAMME,
                     programme=world.programme)  # fmt: skip
    assert requested.joined is False
    assert requested.report.pk != first.pk
    assert requested.report.language == "nb"


def test_the_database_refuses_two_active_renders_of_one_report(world):
    f.ReportRequestFactory(network=world.network, status=Status.QUEUED)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ReportRequestFactory(network=world.network, status=Status.RUNNING)
    f.ReportRequestFactory(network=world.network, status=Status.DONE)  # finished ones stay


def test_the_database_refuses_a_subject_that_does_not_fit_the_kind(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ReportRequestFactory(kind=Kind.PROGRAMME, network=world.network, subject_key="x")


@pytest.mark.parametrize("status", [Status.RUNNING, Status.DONE, Status.FAILED])
def test_a_task_whose_row_is_not_queued_does_nothing(world, media, status):
    report = f.ReportRequestFactory(network=world.network, status=status, attempts=1)
    before = ReportRequest.objects.values().get(pk=report.pk)
    render_report.delay(report.pk)
    assert ReportRequest.objects.values().get(pk=report.pk) == before


def test_a_task_for_a_row_that_is_gone_does_nothing(db):
    render_report.delay(987654)
    assert not ReportRequest.objects.exists()


def test_a_strategy_report_without_its_strategy_fails_saying_why(world, media):
    report = f.ReportRequestFactory(
        kind=Kind.STRATEGY,
        network=world.network,
        municipality=world.neighbour,  # has not started a strategy
        status=Status.QUEUED,
    )
    render_report.delay(report.pk)
    report.refresh_from_db()
    assert (report.status, report.failure) == (Status.FAILED, ReportRequest.Failure.SUBJECT_GONE)
    assert report.finished_at is not None
    assert not report.file


def _running(world, *, attempts, minutes_ago=10):
    return f.ReportRequestFactory(
        network=world.network,
        status=Status.RUNNING,
        attempts=attempts,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        enqueued_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_the_sweeper_queues_again_a_render_whose_worker_died(world, media):
    report = _running(world, attempts=1)
    sweep = services.reports_sweep()
    assert sweep.requeued == [report.pk]
    report.refresh_from_db()
    # Sent again, and (tasks run in process here) rendered: the second attempt.
    assert (report.status, report.attempts) == (Status.DONE, 2)


def test_the_sweeper_fails_a_render_after_its_last_attempt(world, media):
    report = _running(world, attempts=settings.REPORTS_MAX_ATTEMPTS)
    sweep = services.reports_sweep()
    assert sweep.failed == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.failure) == (Status.FAILED, ReportRequest.Failure.WORKER_LOST)


def test_the_sweeper_leaves_a_render_within_its_time(world, media):
    report = _running(world, attempts=1, minutes_ago=1)
    assert services.reports_sweep() == services.Sweep()
    report.refresh_from_db()
    assert report.status == Status.RUNNING


def test_the_sweeper_sends_a_request_the_broker_never_got(world, media):
    report = f.ReportRequestFactory(
        network=world.network, status=Status.QUEUED, note=ReportRequest.Note.BROKER_DOWN
    )
    assert services.reports_sweep().sent == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.note) == (Status.DONE, "")


def test_a_render_given_up_by_the_sweeper_cannot_finish_over_it(world, media):
    report = f.ReportRequestFactory(
        network=world.network, status=Status.QUEUED, attempts=settings.REPORTS_MAX_ATTEMPTS - 1
    )
    claimed = services.report_claim(report_id=report.pk)
    later = timezone.now() + timedelta(seconds=settings.REPORTS_STALE_AFTER + 1)
    assert services.reports_sweep(now=later).failed == [report.pk]
    services.report_fail(report=claimed, failure=ReportRequest.Failure.ERROR)
    assert services._still_mine(claimed).update(status=Status.DONE) == 0
    report.refresh_from_db()
    assert report.failure == ReportRequest.Failure.WORKER_LOST


@pytest.fixture
def broker_down():
    """Celery pointed at a port where nothing listens: publishing fails as with Redis down."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_write_url, conf.task_always_eager

    def reset_pools():  # connections are pooled by URL: forget them, as a new process would
        kombu.pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:1/0"
    conf.task_always_eager = False
    reset_pools()
    yield
    conf.broker_url, conf.broker_write_url, conf.task_always_eager = saved
    reset_pools()


@pytest.mark.django_db(transaction=True)
def test_when_the_broker_is_down_the_request_is_kept_and_the_user_told(
    client, world, media, broker_down
):
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("report_request"), {"kind": Kind.NETWORK, "network": world.network.pk}, follow=True
    )
    report = ReportRequest.objects.get()
    assert (report.status, report.note, report.enqueued_at) == (
        Status.QUEUED,
        ReportRequest.Note.BROKER_DOWN,
        None,
    )
    page = response.content.decode()
    assert "the task queue cannot be reached" in page
    assert "starts when the queue is back" in page  # the row's note, on the list


def ask_then_roll_back(world):
    """A request in a transaction that then fails."""
    with transaction.atomic():
        services.report_request(
            user=world.users["facilitator"], kind=Kind.NETWORK, network=world.network, language="en"
        )
        raise RuntimeError("the rest of the transaction failed")


def test_a_rolled_back_request_sends_nothing(world, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as sent, pytest.raises(RuntimeError):
        ask_then_roll_back(world)
    assert sent == []
    assert not ReportRequest.objects.exists()


def test_retry_delays_and_time_limits_stay_under_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert render_report.retry_backoff_max == settings.REPORTS_RETRY_BACKOFF_MAX
    assert render_report.retry_backoff_max < visibility
    assert render_report.time_limit < visibility
    assert render_report.soft_time_limit < render_report.time_limit
    # A live render is never taken for a dead one.
    assert render_report.time_limit < settings.REPORTS_STALE_AFTER
    assert render_report.acks_late is True
    assert render_report.reject_on_worker_lost is True
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]


def test_only_the_requests_leader_is_named_and_joiners_are_listed(world, media, ask):
    f.municipal(Role.Kind.MAYOR, world.neighbour, username="joiner")
    report = f.ReportRequestFactory(
        network=world.network, status=Status.QUEUED, enqueued_at=timezone.now()
    )
    ask(user="chief_executive")
    ask(user="facilitator")
    report.refresh_from_db()
    assert set(report.requesters.values_list("username", flat=True)) == {
        "chief_executive",
        "facilitator",
    }
