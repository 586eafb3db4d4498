"""Reports through the real path: a web request, the commit, Redis, a Celery worker process
on PostgreSQL, the PDF file, the download; a worker killed in the middle of a render; and a
rolled-back transaction that sends nothing to the broker.

Workers are started as operators start them (``celery -A cemsdi_portal worker``) against the
test database, as in tests/services/test_celery_worker.py.
"""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.celery import app as celery_app
from networks.models import Programme, User
from reports import services
from reports.models import ReportRequest
from tests.conftest import require_worker_services

from .conftest import pdf_text
from .test_figures import expected_from_records
from .test_services import ask_then_roll_back

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 90
Status = ReportRequest.Status


@pytest.fixture
def workers(transactional_db, tmp_path, settings):
    """Start Celery worker processes on the test database: ``workers()`` starts one and
    returns its process. Their report files land where the test's storage reads them."""
    broker = require_worker_services()
    db = connection.settings_dict
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": broker,
        "CEMSDI_VAR_DIR": str(tmp_path / "var"),
    }
    processes = []

    def start(settings_module="cemsdi_portal.settings"):
        # The worker's log goes to a file, not a pipe nobody reads while the test waits: the
        # console e-mail of the demo's notices would fill a pipe and stop the worker.
        log = open(tmp_path / f"worker-{len(processes)}.log", "w+")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cemsdi_portal", "worker", "--pool=solo",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env={**env, "DJANGO_SETTINGS_MODULE": settings_module},
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        process.log = log
        processes.append(process)
        return process

    celery_app.control.purge()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = eager
        for process in processes:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)
            if process.returncode not in (0, -signal.SIGTERM, -signal.SIGKILL):
                process.log.seek(0)
                print(process.log.read())  # shown when the test fails
            process.log.close()
        celery_app.control.purge()


def _wait(report, statuses, seconds=WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        time.sleep(0.2)
    raise AssertionError(f"report {report.pk} still {report.status} after {seconds} s")


def _seed_demo():
    """The demo as ``make run`` seeds it, its tasks in process: the worker's queue then holds
    the report alone, not first the demo's 200-odd notices and key-figure refreshes (half a
    minute of work on a quiet machine, enough on a loaded one to run past the wait)."""
    celery_app.conf.task_always_eager = True
    try:
        call_command("seed_demo", stdout=StringIO())
    finally:
        celery_app.conf.task_always_eager = False


def _download(client, report) -> bytes:
    response = client.get(reverse("report_download", args=[report.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_programme_report_is_rendered_by_a_worker_with_the_demos_figures(client, workers):
    _seed_demo()
    programme = Programme.objects.get(acronym="CEMSDI")
    expected = expected_from_records(programme)
    workers()
    client.force_login(User.objects.get(username="officer"))
    response = client.post(
        reverse("report_request"), {"kind": "programme", "programme": programme.pk}
    )
    assert response.status_code == 302
    report = _wait(ReportRequest.objects.get(), {Status.DONE, Status.FAILED})
    assert report.status == Status.DONE, report.error
    assert report.attempts == 1
    listing = client.get(reverse("report_list")).content.decode()
    assert reverse("report_download", args=[report.pk]) in listing
    assert "hx-trigger" not in listing  # nothing under way: the page stops polling
    text = pdf_text(_download(client, report))
    for label, value in [
        ("Pilots", expected["pilots"]),
        ("Municipalities", expected["municipalities"]),
        ("Participants", expected["participants"]),
        ("Senior executives and mayors", expected["leaders"]),
        ("Training sessions per pilot", expected["sessions_per_pilot"]),
        ("Average training hours per pilot", expected["average_hours"]),
        ("Pilots that completed all sessions", expected["completed"]),
        ("Regions that initiated the Digital Local Agenda process", expected["regions_dla"]),
    ]:
        assert re.search(rf"{re.escape(label)} {re.escape(str(value))}\b", text), (label, value)
    for name, held in expected["others"]:
        assert f"Sessions completed by the other pilots: {name} {held}" in text


def test_a_worker_killed_mid_render_leaves_a_request_that_is_rendered_again(client, world, workers):
    slow = workers("tests.reports.slow_worker_settings")
    client.force_login(world.users["facilitator"])
    client.post(reverse("report_request"), {"kind": "network", "network": world.network.pk})
    report = _wait(ReportRequest.objects.get(), {Status.RUNNING})
    slow.send_signal(signal.SIGKILL)  # mid-render: no chance to clean up
    slow.wait(timeout=30)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Status.RUNNING, 1)

    workers()  # the next worker, and the sweeper that Celery beat runs every few minutes
    later = timezone.now() + timedelta(seconds=settings.REPORTS_STALE_AFTER + 1)
    assert services.reports_sweep(now=later).requeued == [report.pk]
    report = _wait(report, {Status.DONE, Status.FAILED})
    assert (report.status, report.attempts) == (Status.DONE, 2)
    assert world.network.name in pdf_text(_download(client, report))


def test_a_worker_killed_on_the_last_attempt_leaves_a_failed_request(client, world, workers):
    slow = workers("tests.reports.slow_worker_settings")
    client.force_login(world.users["facilitator"])
    client.post(reverse("report_request"), {"kind": "network", "network": world.network.pk})
    report = ReportRequest.objects.get()
    ReportRequest.objects.filter(pk=report.pk).update(attempts=settings.REPORTS_MAX_ATTEMPTS - 1)
    report = _wait(report, {Status.RUNNING})
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=30)
    later = timezone.now() + timedelta(seconds=settings.REPORTS_STALE_AFTER + 1)
    assert services.reports_sweep(now=later).failed == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.failure) == (Status.FAILED, ReportRequest.Failure.WORKER_LOST)
    page = client.get(reverse("report_list")).content.decode()
    assert "The renderer stopped several times before it finished." in page


def test_a_rolled_back_transaction_sends_nothing_to_the_broker(world, workers):
    queue = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    with pytest.raises(RuntimeError):
        ask_then_roll_back(world)
    assert queue.llen("celery") == 0
    assert not ReportRequest.objects.exists()
    services.report_request(  # committed: the task is on the queue (no worker runs)
        user=world.users["facilitator"], kind="network", network=world.network, language="en"
    )
    assert queue.llen("celery") == 1
    assert ReportRequest.objects.get().status == Status.QUEUED


def test_the_programme_report_in_italian_by_a_worker_shows_norways_row_as_the_seeds(
    client, workers
):
    from .test_programme_language import assert_italian_country_table

    _seed_demo()
    programme = Programme.objects.get(acronym="CEMSDI")
    officer = User.objects.get(username="officer")
    officer.language = "it"
    officer.save()
    workers()
    client.force_login(officer)
    response = client.post(
        reverse("report_request"), {"kind": "programme", "programme": programme.pk}
    )
    assert response.status_code == 302
    report = _wait(ReportRequest.objects.get(), {Status.DONE, Status.FAILED})
    assert (report.status, report.language) == (Status.DONE, "it"), report.error
    assert_italian_country_table(pdf_text(_download(client, report)), programme)
