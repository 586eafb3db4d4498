"""Password reset through the real path: the web request answers, then a Celery worker process
sends the e-mail (the request itself sends nothing)."""

import time
from email import message_from_string

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories as f
from tests.services.test_celery_worker import WAIT_SECONDS, worker  # noqa: F401 - the fixture

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_password_reset_is_sent_by_a_celery_worker_not_the_request(client, worker):  # noqa: F811
    f.UserFactory(username="kari", email="kari@example.org")
    response = client.post(reverse("password_reset"), {"email": "kari@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []  # nothing was sent by the web process

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and not list(worker.iterdir()):
        time.sleep(0.2)
    (mail_file,) = worker.iterdir()
    message = message_from_string(mail_file.read_text())
    assert message["To"] == "kari@example.org"
    assert message["Subject"] == "Choose a new password for the CEMSDI portal"
    assert "/accounts/reset/" in message.get_payload(decode=True).decode()
