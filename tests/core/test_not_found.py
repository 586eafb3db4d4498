"""A wrong address shows the portal's own 404 page, in production and under `make run` (DEBUG
on, where Django would show its technical list of URL patterns: core/debug404.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

# What `make run` does: DEBUG=true, nothing else set. A test client request in that process.
_AS_MAKE_RUN = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
answers = {}
for language in ("en", "nb"):
    response = Client(HTTP_HOST="127.0.0.1").get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    answers[language] = [response.status_code, response.content.decode()]
answers["debug"] = settings.DEBUG
print(json.dumps(answers))
"""


@pytest.fixture
def make_run_answers(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "CACHE_URL"}
    }
    env |= {
        "DEBUG": "true",
        "CEMSDI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "cemsdi_portal.settings",
    }
    done = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "-c", _AS_MAKE_RUN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_make_run_shows_the_portals_not_found_page(make_run_answers):
    assert make_run_answers["debug"] is True
    status, html = make_run_answers["en"]
    assert status == 404
    assert '<h1 class="h2">Not found</h1>' in html
    assert "There is nothing here, or nothing that you may see." in html
    assert '<a class="navbar-brand" href="/">CEMSDI</a>' in html  # the portal's own layout
    assert "Using the URLconf" not in html  # not Django's technical page


def test_make_run_not_found_page_in_norwegian(make_run_answers):
    status, html = make_run_answers["nb"]
    assert status == 404
    assert '<html lang="nb">' in html
    assert '<h1 class="h2">Ikke funnet</h1>' in html


def _debug_middleware(settings):
    return [
        *settings.MIDDLEWARE,
        "cemsdi_portal.core.debug404.OwnNotFoundPageMiddleware",
    ]


def test_debug_object_out_of_sight_shows_the_portals_page(client, world, settings):
    """A view's Http404 (another network's page) under DEBUG: the portal's page, no detail."""
    client.force_login(world.users["other_facilitator"])
    with override_settings(DEBUG=True, MIDDLEWARE=_debug_middleware(settings)):
        response = client.get(reverse("network_detail", args=[world.network.pk]))

    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="h2">Not found</h1>' in html
    assert "Raised by:" not in html


def test_production_wrong_address_shows_the_portals_page(client, world):
    client.force_login(world.users["facilitator"])

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert '<h1 class="h2">Not found</h1>' in response.content.decode()


def test_missing_slash_still_redirects_under_debug(client, world, settings):
    client.force_login(world.users["facilitator"])
    with override_settings(DEBUG=True, MIDDLEWARE=_debug_middleware(settings)):
        response = client.get("/networks")

    assert (response.status_code, response.url) == (301, "/networks/")
