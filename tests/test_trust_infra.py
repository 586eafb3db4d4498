"""The portal's footing (issue 11): sign-in throttling per real client behind the TLS proxy,
password reset throttled and mailed by a task, SQLite safe for its one process and refused for
more, oversized bodies refused before they are read, and the system check naming a missing
PDF library."""

import contextlib
import json
import os
import runpy
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.core.checks import Error, Warning
from django.db import OperationalError, connections, transaction
from django.test import Client
from django.urls import reverse

from cemsdi_portal.core.checks import pdf_library_messages
from cemsdi_portal.core.database import sqlite_options
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from sessions_app.models import Material

from . import factories as f

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "fjord-and-fell-2011"
PROXY = "10.0.0.2"  # the TLS proxy, as gunicorn sees every request
CLIENT_A = "203.0.113.7"
CLIENT_B = "198.51.100.9"


@pytest.fixture
def person(db):
    user = f.UserFactory(username="kari", email="kari@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def _behind_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the portal through the proxy, which appends the
    address it received them from to X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def _sign_in(client, password, **headers):
    return client.post(reverse("login"), {"username": "kari", "password": password}, **headers)


# --- Sign-in throttling behind the proxy ------------------------------------------------------


def test_sign_in_failures_behind_the_proxy_pause_only_the_client_that_made_them(person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, owner = _behind_proxy(CLIENT_A), _behind_proxy(CLIENT_B)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(attacker, "wrong").status_code == 200
    assert _sign_in(attacker, "wrong").status_code == 429
    assert _sign_in(attacker, PASSWORD).status_code == 429
    # The same user name through the same proxy, from another address, still signs in.
    response = _sign_in(owner, PASSWORD)
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(person.pk)


def test_an_address_a_client_writes_into_x_forwarded_for_does_not_escape_the_count(
    person, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client sends its own X-Forwarded-For; the proxy appends the client's address.
        response = _sign_in(_behind_proxy(f"192.0.2.{n}, {CLIENT_A}"), "wrong")
    assert response.status_code == 429
    assert _sign_in(_behind_proxy(f"192.0.2.99, {CLIENT_A}"), PASSWORD).status_code == 429
    assert _sign_in(_behind_proxy(CLIENT_B), PASSWORD).status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(person, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(Client(REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "x")
    assert response.status_code == 429
    assert _sign_in(Client(REMOTE_ADDR=CLIENT_B), PASSWORD).status_code == 302


# --- Password reset ---------------------------------------------------------------------------


def _ask_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


THROTTLED = (
    "Too many requests to reset a password for this address or from your network. Try again "
    "in 60 minutes at most; a link already sent stays valid for seven days."
)


def test_password_reset_mail_is_sent_by_a_task_after_the_request(
    client, person, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _ask_reset(client, "KARI@example.org")
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    # The request sent nothing: the e-mail waits for the commit, then goes through the task.
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@example.org"]
    assert message.subject == "Choose a new password for the CEMSDI portal"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    assert link.startswith(settings.SITE_URL + "/accounts/reset/")
    page = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert page.context["validlink"] is True


def test_password_reset_mail_is_in_the_language_of_the_page(
    client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_reset"), {"email": "kari@example.org"}, HTTP_ACCEPT_LANGUAGE="nb"
        )
    assert mail.outbox[0].subject != "Choose a new password for the CEMSDI portal"


def test_password_reset_beyond_the_limit_for_an_address_sends_no_more_mail(
    client, person, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert _ask_reset(client, "kari@example.org").status_code == 302
        refused = _ask_reset(client, "kari@example.org")
    assert len(mail.outbox) == 3
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [THROTTLED]
    # An address without an account gets the same answer: the limit tells nobody who exists.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert _ask_reset(client, "nobody@example.org").status_code == 302
        assert _ask_reset(client, "nobody@example.org").context["form"].non_field_errors() == [
            THROTTLED
        ]
    assert len(mail.outbox) == 3


def test_password_reset_beyond_the_limit_for_a_client_sends_no_more_mail(
    person, settings, django_capture_on_commit_callbacks
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_RESET_PER_CLIENT = 2
    spammer = _behind_proxy(CLIENT_A)
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask_reset(spammer, "one@example.org").status_code == 302
        assert _ask_reset(spammer, "two@example.org").status_code == 302
        refused = _ask_reset(spammer, "kari@example.org")
        assert refused.context["form"].non_field_errors() == [THROTTLED]
        assert mail.outbox == []
        # The owner of the account, behind the same proxy, still gets the link.
        assert _ask_reset(_behind_proxy(CLIENT_B), "kari@example.org").status_code == 302
    assert [m.to for m in mail.outbox] == [["kari@example.org"]]


# --- SQLite -----------------------------------------------------------------------------------


def test_sqlite_settings_begin_immediate_with_a_busy_timeout(tmp_path):
    # The settings as a machine without DATABASE_URL loads them (this suite may run on PostgreSQL).
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "cemsdi_portal.test_settings",
            "CEMSDI_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    options = json.loads(result.stdout.splitlines()[-1])
    assert options == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }


def _two_writers(path: Path, options: dict) -> tuple[int, list[str]]:
    """Two threads, each with its own connection to a file database through Django's SQLite
    backend, read a counter in a transaction, meet, and write it plus one (what a save that
    checks for a conflict does). The counter at the end, and the errors they met."""
    with sqlite3.connect(path) as db:
        # WAL is kept in the file: the portal's database has it from `migrate` on. Two
        # connections switching a fresh file to WAL at the same instant may meet a lock that
        # no busy timeout waits for, which is not what this test is about.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE counter (n INTEGER)")
        db.execute("INSERT INTO counter VALUES (0)")
    db.close()
    aliases = [f"sqlite_writer_{n}" for n in range(2)]
    for alias in aliases:
        # Django's defaults for a database entry (it asks for a "default" beside it).
        connections.settings[alias] = connections.configure_settings(
            {
                "default": {},
                alias: {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(path),
                    "OPTIONS": options,
                },
            }
        )[alias]
    meeting = threading.Barrier(2)
    errors: list[str] = []

    def add_one(alias):
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                # Both have read; with IMMEDIATE the other waits for the lock instead.
                with contextlib.suppress(threading.BrokenBarrierError):
                    meeting.wait(timeout=1)
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except OperationalError as exc:
            errors.append(str(exc))
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=add_one, args=(alias,)) for alias in aliases]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for alias in aliases:
            del connections.settings[alias]
    with sqlite3.connect(path) as db:
        (count,) = db.execute("SELECT n FROM counter").fetchone()
    db.close()
    return count, errors


def test_two_writers_on_sqlite_with_the_portals_options_both_succeed(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        count, errors = _two_writers(tmp_path / "db.sqlite3", sqlite_options({}))
    assert errors == []
    assert count == 2


def test_two_writers_on_sqlite_without_immediate_transactions_meet_a_locked_database(
    tmp_path, django_db_blocker
):
    """Why the options matter: what the portal did before (Django's deferred transactions)."""
    options = {**sqlite_options({}), "transaction_mode": "DEFERRED", "timeout": 1}
    with django_db_blocker.unblock():
        count, errors = _two_writers(tmp_path / "db.sqlite3", options)
    assert errors == ["database is locked"]
    assert count == 1


@pytest.fixture(scope="module")
def gunicorn_conf():
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


@pytest.mark.parametrize("database_url", [None, "", "sqlite:////data/db.sqlite3"])
def test_gunicorn_refuses_several_workers_on_sqlite(gunicorn_conf, database_url):
    problem = gunicorn_conf["sqlite_workers_problem"](3, database_url)
    assert problem == (
        "3 gunicorn workers on SQLite: SQLite serves one process. Set DATABASE_URL to a "
        "PostgreSQL database (postgres://user:password@host:5432/name), or start a single "
        "worker (WEB_CONCURRENCY=1, or --workers 1)."
    )


@pytest.mark.parametrize(
    ("workers", "database_url"),
    [(3, "postgres://cemsdi:cemsdi@postgres:5432/cemsdi"), (1, None), (1, "sqlite:///db")],
)
def test_gunicorn_accepts_postgresql_or_one_worker(gunicorn_conf, workers, database_url):
    assert gunicorn_conf["sqlite_workers_problem"](workers, database_url) is None


def test_gunicorn_with_several_workers_and_no_database_url_stops_with_the_message():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603 - the venv's gunicorn, our arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--workers",
            "3",
            "--bind",
            "127.0.0.1:0",
            "cemsdi_portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Error: 3 gunicorn workers on SQLite: SQLite serves one process." in result.stderr


# --- Oversized bodies -------------------------------------------------------------------------


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assert settings.REQUEST_MAX_MB == 25  # the largest upload (20 MB) and room for its form
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    gathering = sessions_services.gathering_schedule(network=world.network, drafts=drafts)[0]
    client.force_login(world.users["facilitator"])
    # The body declares 26 MB; read, the test client's stream would run dry and fail.
    response = client.post(
        reverse("material_upload", args=[gathering.pk]),
        {"title": "Lysark", "kind": "slides"},
        CONTENT_LENGTH=str(26 * 1024 * 1024),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Too large to send" in page
    assert "at most 25 MB at once), so nothing was saved" in page
    assert not Material.objects.exists()


# --- System check -----------------------------------------------------------------------------


def test_system_check_names_a_missing_pdf_library():
    messages = pdf_library_messages(
        required={"Pango": ("libpango-missing-1.0.so.0", "pango-missing-1.0")},
        subset={"HarfBuzz subset": ("libharfbuzz-subset-missing.so.0",)},
    )
    assert [(type(m), m.id, m.msg) for m in messages] == [
        (
            Error,
            "cemsdi.E001",
            "The PDF reports need libraries this machine lacks: Pango (libpango-missing-1.0.so.0).",
        ),
        (
            Warning,
            "cemsdi.W001",
            "WeasyPrint, which renders the PDF reports, lacks HarfBuzz subset "
            "(libharfbuzz-subset-missing.so.0): it warns on every render, and its next versions "
            "require it.",
        ),
    ]
    assert "libharfbuzz-subset0" in messages[1].hint


def test_this_machine_has_the_pdf_libraries():
    assert pdf_library_messages() == []
