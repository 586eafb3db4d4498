"""Sign-in throttling with a cool-off, sessions that end when idle with a new key at sign-in,
and a Content Security Policy that the pages keep (no inline script or style)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from cemsdi_portal.core.middleware import SEEN_KEY
from strategies import services as strategy_services

from . import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "fjord-and-fell-2011"


@pytest.fixture
def person(db):
    user = f.UserFactory(username="kari")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, password):
    return client.post(reverse("login"), {"username": "kari", "password": password})


def test_wrong_passwords_pause_sign_in_then_it_works_again(client, person):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = _sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "Try again in 15 minutes" in locked.content.decode()
    # During the cool-off even the right password is refused, and nobody is signed in.
    assert _sign_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # Not a permanent lock: once the cool-off has passed, the right password works.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_sign_in_gives_a_new_session_key(client, person):
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    before = client.session.session_key
    assert before
    assert _sign_in(client, PASSWORD).status_code == 302
    assert client.session.session_key != before


def test_session_ends_when_idle_and_is_renewed_while_working(client, person, settings):
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    _sign_in(client, PASSWORD)
    key = client.session.session_key
    client.get(reverse("home"))
    first = Session.objects.get(session_key=key).expire_date
    # A request within the renewal interval writes nothing.
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date == first
    # Later, the next request renews the expiry.
    session = client.session
    session[SEEN_KEY] -= settings.SESSION_RENEW_AFTER + 1
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=first - timedelta(hours=1))
    client.get(reverse("home"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > first - timedelta(hours=1)
    # A session past its expiry is signed out.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.I)


def _page_urls(world):
    chief = world.users["chief_executive"]
    strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    measure = strategy_services.measure_save(strategy=strategy, data={"title": "Chatbot"})
    return [
        reverse("strategy_detail", args=[strategy.pk]),
        reverse("section_edit", args=[strategy.sections.first().pk]),
        reverse("action_plan", args=[strategy.pk]),
        reverse("action_plan_timeline", args=[strategy.pk]),
        reverse("measure_edit", args=[measure.pk]),
        reverse("home"),
        reverse("network_detail", args=[world.network.pk]),
        reverse("network_strategies", args=[world.network.pk]),
        reverse("municipality_keyfigures", args=[world.municipality.pk]),
        reverse("programme_detail", args=[world.programme.pk]),
        reverse("report_list"),
        reverse("login"),
    ]


def test_pages_send_a_content_security_policy_they_keep(client, world):
    client.force_login(world.users["chief_executive"])
    for url in _page_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        page = response.content.decode()
        assert not INLINE_SCRIPT.search(page), url
        assert not STYLE_ATTRIBUTE.search(page), url
        assert not INLINE_HANDLER.search(page), url
