"""Invitations through the real path: web request, commit, Redis, a Celery worker process,
PostgreSQL, e-mail.

The worker is started as operators start it (``celery -A cemsdi_portal worker``) against the
test database, and writes its e-mail to files that the test reads back.
"""

import time
from email import message_from_bytes, message_from_string

import pytest
from django.urls import reverse

from networks.models import Country, Invitation, Role
from tests.services.workers import WAIT_SECONDS, celery_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A Celery worker process on the test database; yields the folder its e-mail goes to."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with celery_worker(EMAIL_URL=f"filemail:///{mail_dir}"):
        yield mail_dir


def test_invitation_is_sent_by_a_celery_worker(client, world, worker):
    # The country settings' seed migration is flushed with the other rows before a worker test.
    Country.objects.filter(pk=world.neighbour.country_id).update(mayor_title="ordfører")
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
    message = message_from_bytes(mail_file.read_bytes())  # the body holds "ø" (ordfører)
    assert message["To"] == "ordforer@hammerfest.example.org"
    assert world.network.name in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "/invitation/" in body
    # Norway's own title beside the role (set before the invitation, below the world).
    assert "as mayor (ordfører) of Hammerfest" in " ".join(body.split())


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
