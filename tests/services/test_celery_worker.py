"""Invitations through the real path: web request, commit, Redis, a Celery worker process,
PostgreSQL, e-mail.

The worker is started as operators start it (``celery -A cemsdi_portal worker``) against the
test database, and writes its e-mail to files that the test reads back.
"""

import os
import subprocess
import sys
import time
from email import message_from_string

import pytest
from django.db import connection
from django.urls import reverse

from cemsdi_portal.celery import app as celery_app
from networks.models import Invitation, Role
from tests.conftest import require_worker_services

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A Celery worker process on the test database; yields the folder its e-mail goes to."""
    broker = require_worker_services()
    db = connection.settings_dict
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cemsdi_portal.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"filemail:///{mail_dir}",
    }
    celery_app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cemsdi_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield mail_dir
    finally:
        celery_app.conf.task_always_eager = eager
        process.terminate()
        output, _ = process.communicate(timeout=30)
        if process.returncode not in (0, -15):
            print(output)  # shown when the test fails


def test_invitation_is_sent_by_a_celery_worker(client, world, worker):
    client.force_login(world.users["facilitator"])
    response = client.post(
        reverse("network_invite", args=[world.network.pk]),
        {
            "email": "ordforer@hammerfest.example.org",
            "first_name": "Marianne",
            "last_name": "Sivertsen",
            "kind": Role.Kind.MAYOR,
            "municipality": world.neighbour.pk,
            "title": "",
            "language": "en",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="ordforer@hammerfest.example.org")

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        files = list(worker.iterdir())
        if invitation.sent_at and files:
            break
        time.sleep(0.2)
    assert invitation.sent_at is not None, "the worker did not send the invitation"
    (mail_file,) = worker.iterdir()
    message = message_from_string(mail_file.read_text())
    assert message["To"] == "ordforer@hammerfest.example.org"
    assert world.network.name in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "/invitation/" in body
    assert "as mayor of Hammerfest" in body


def test_a_comments_notice_is_sent_by_a_celery_worker(client, world, worker):
    """A facilitator's comment through the web: after the commit, the worker e-mails the
    chief executive, once, in the chief executive's own language."""
    from notices.models import Notice
    from strategies import services as strategy_services

    chief = world.users["chief_executive"]
    chief.language = "en"
    chief.save()
    strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    strategy_services.strategy_set_status(strategy=strategy, status="shared", user=chief)
    section = strategy.sections.order_by("position").first()
    facilitator = world.users["facilitator"]
    facilitator.first_name, facilitator.last_name = "Kari", "Nordmann"
    facilitator.save()
    client.force_login(facilitator)

    response = client.post(reverse("section_comment", args=[section.pk]), {"body": "Who owns it?"})
    assert response.status_code == 302

    to_chief = Notice.objects.get(kind="comment", recipient=chief)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        to_chief.refresh_from_db()
        if to_chief.sent_at:
            break
        time.sleep(0.2)
    assert to_chief.sent_at is not None, "the worker did not send the notice"
    from email.policy import default as modern  # decodes the encoded subject

    messages = [message_from_string(p.read_text(), policy=modern) for p in worker.iterdir()]
    [message] = [m for m in messages if m["To"] == chief.email]
    assert message["Subject"].strip() == (
        f"Kari Nordmann commented on “{section.title} ({world.municipality.name})”."
    )
    assert f"/notices/{to_chief.pk}/" in message.get_content()
