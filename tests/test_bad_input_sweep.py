"""Bad input sweep: generated text, numbers, dates and files at every form and importer.

Each form that takes a POST (and the action plan's filters, which take a GET) is sent values
that Hypothesis draws: text with control characters, right-to-left marks, markup and script,
very long text; numbers huge, negative, NaN and infinity, in other scripts; dates far in the
past and future and malformed; empty and missing fields and fields nobody asked for; files
with random bytes under misleading names. Most examples start from a valid submission and
spoil a few of its fields, so that the values reach the services behind the forms too.

The rule: the answer is the form with a message (200), a redirect within the site, or a
refusal the view means (400, 403, 404, 409, 429), never a server error; nor is the page a
redirect leads to, which shows what the submission saved. The test client re-raises a view's
exception, so a server error fails the example; nothing here catches one. A refused submission
saves nothing: every table the form writes (and the audit log) is the same after it as before.
The importer is also called directly with generated files of each format it reads: it reports
a file's problems and raises nothing.

The server errors the sweep found are fixed; each has a regression test at the end.

Each example runs in a savepoint that is rolled back, signed in afresh, with an empty cache,
so that examples do not depend on each other. The examples are derandomized (the "ci" profile
in conftest.py): a run in CI draws the same ones as a run on a laptop.
"""

import io
import json
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote, urlsplit

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.forms import BaseForm, BaseFormSet
from django.test.client import encode_multipart
from django.test.utils import ContextList
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from benchmarking import services as benchmarking_services
from benchmarking.imports import Preview, import_apply, import_preview
from benchmarking.models import Indicator, Observation, ReferenceValue
from benchmarking.readers import ReadOptions
from cemsdi_portal.core.models import AuditEntry
from networks import services as networks_services
from networks.invite_file import invite_preview
from networks.models import Invitation, Network, NetworkMembership, Role, User
from reports.models import ReportRequest
from sessions_app import hooks
from sessions_app import selectors as sessions_selectors
from sessions_app import services as sessions_services
from sessions_app.forms import GatheringRowForm
from sessions_app.models import (
    AgendaItem,
    Assignment,
    AssignmentCompletion,
    Attendance,
    EvaluationGiven,
    EvaluationResponse,
    Gathering,
    GatheringAnswer,
    GatheringUpdate,
    Material,
)
from sessions_app.tokens import SALT, answer_token
from strategies import services as strategy_services
from strategies.models import Measure, Section, SectionComment, SectionRevision, StatusChange
from strategies.models import Strategy as StrategyModel
from tests import factories as f
from tests.networks.invitations import invitation_with_link, link_token

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests/factories.py gives every user this one

# --- Generated values -------------------------------------------------------------------------

NASTY_STRINGS = [
    "",
    " ",
    "\t\r\n",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\u202eevil.pdf",  # right-to-left override
    "\ufeff",  # byte order mark
    "\u200b",  # zero-width space
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}{% debug %}",
    "%(name)s %s %d {0} {name}",
    "' OR '1'='1' --",
    "'; DROP TABLE networks_network; --",
    "../../../../etc/passwd",
    '=HYPERLINK("http://x")',
    "+1+1",
    "@SUM(A1)",
    "Ærøskøbing Bodø Tromsø",
    "ŝ̷̢̛p̸͙̈́ḁ̶͝c̵̱̆e̷͙͝",  # combining marks
    "😀👍🏽🇳🇴",
    "ｆｕｌｌｗｉｄｔｈ",
    "null",
    "None",
    "undefined",
    "NaN",
    "-0",
]

WEIRD_NUMBERS = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "+5",
    " 7 ",
    "5.",
    ".5",
    "1,5",
    "1.5.5",
    "1_000",
    "1e3",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-inf",
    "0x10",
    "0b101",
    "١٢٣",  # Arabic-Indic digits
    "１２",  # fullwidth digits
    "9" * 40,
    "-" + "9" * 40,
    "2" * 400,
    str(2**63),
    str(2**31),
    str(-(2**63) - 1),
    "32768",
    "65536",
    "1" + "0" * 24 + ".5",
    "0.0000000000000000000001",
    "12abc",
]

BAD_DATES = [
    "",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2011-01-01",
    "2011-13-01",
    "2011-02-30",
    "2011-02-29",
    "2012-02-29",
    "31.12.2011",
    "12/31/2011",
    "2011-W01",
    "2011-001",
    "today",
    "1e4",
    "2011-06-14T25:00",
    "٢٠١١-٠٦-١٤",
    "2011-06-14\x00",
    " 2011-06-14 ",
]

BAD_TIMES = [
    "",
    "24:00",
    "23:59:60",
    "25:00",
    "9",
    "-1:00",
    "09:00:00.999999999",
    "noon",
    "00:00",
    "23:59",
    "9:5",
    "٠٩:٠٠",
]

# Text: Hypothesis's own (every code point but surrogates, control characters included),
# the nasty list, and long text built from a short piece.
LONG_TEXT = st.builds(
    lambda piece, n: (piece or "x") * n, st.text(max_size=4), st.integers(1, 60_000)
)
TEXT = st.one_of(st.text(), st.sampled_from(NASTY_STRINGS), LONG_TEXT)
NUMBER = st.one_of(
    st.sampled_from(WEIRD_NUMBERS),
    st.integers().map(str),
    st.floats().map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    TEXT,
)
DATE = st.one_of(
    st.sampled_from(BAD_DATES),
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    st.text(max_size=12),
)
TIME = st.one_of(
    st.sampled_from(BAD_TIMES), st.times().map(lambda t: t.isoformat()), st.text(max_size=8)
)
BOOLEAN = st.one_of(st.sampled_from(["on", "off", "true", "false", "1", "0", "", "yes"]), TEXT)
# An id: of nothing, of something else, or not a number at all.
ID = st.one_of(
    st.sampled_from(["0", "-1", "999999999", "9" * 30, "1.5", "abc", "", " 1", "１", "1e3"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    TEXT,
)
# Field names nobody asked for (quotes and line breaks would break the multipart header that
# a browser writes; a browser escapes them, the test client does not).
EXTRA_KEY = st.text(
    alphabet=st.characters(exclude_characters='"\r\n', exclude_categories=("Cs",)),
    min_size=1,
    max_size=20,
)
OMIT = object()  # a generated "value" meaning: leave the field out


def maybe_omitted(strategy):
    return st.one_of(strategy, st.just(OMIT))


@st.composite
def spoiled(draw, valid: dict, nasty: dict, *, extra: bool = True):
    """A valid submission with some of its fields spoiled, left out, or all of them, and
    perhaps fields nobody asked for."""
    data = dict(valid)
    names = sorted(nasty)
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    for name in chosen:
        value = draw(maybe_omitted(nasty[name]))
        if value is OMIT:
            data.pop(name, None)
        else:
            data[name] = value
    if extra:
        unknown = draw(st.dictionaries(EXTRA_KEY, TEXT, max_size=3))
        data.update({k: v for k, v in unknown.items() if k not in valid})
    return data


def listed(strategy, max_size=4):
    """A multi-valued field (checkboxes): a list of values."""
    return st.lists(strategy, max_size=max_size)


@dataclass
class Upload:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


MAGIC = [b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG\r\n", b"MZ", b"\xef\xbb\xbf", b""]
FILE_NAMES = [
    "slides.pdf",
    "slides.PDF",
    "report.docx",
    "deck.pptx",
    "sheet.xlsx",
    "old.ppt",
    "old.doc",
    "notes.odt",
    "evil.pdf.exe",
    "evil.exe.pdf",
    ".pdf",
    "pdf",
    "noextension",
    "",
    ".",
    "..",
    "../../etc/passwd.pdf",
    "..\\..\\boot.ini.pdf",
    "/absolute/path.pdf",
    "C:\\Users\\x\\slides.pdf",
    "a\x00b.pdf",
    "\u202efdp.exe",
    "ünïcødé ñame.pptx",
    "CON.pdf",
    "nul.docx",
    "x" * 300 + ".pdf",
    "slides" + ".pdf" * 60,
    '"quoted".pdf',
    "semi;colon.pdf",
    "line\nbreak.pdf",
    "%2e%2e%2fslides.pdf",
    "key-figures.csv",
    "key-figures.json",
    "key-figures.xlsm",
    "key-figures.txt",
]
FILE_NAME = st.one_of(
    st.sampled_from(FILE_NAMES),
    st.builds(
        lambda stem, ext: stem + ext,
        st.text(max_size=30),
        st.sampled_from([".pdf", ".pptx", ".docx", ".csv", ".json", ".xlsx", "", ".exe"]),
    ),
)
FILE = st.builds(
    Upload,
    name=FILE_NAME,
    content=st.builds(
        lambda magic, rest: magic + rest, st.sampled_from(MAGIC), st.binary(max_size=2048)
    ),
    content_type=st.sampled_from(
        ["application/pdf", "application/octet-stream", "text/html", "image/png", "", "x/y"]
    ),
)
LANGUAGE = st.sampled_from(["en", "nb"])


# --- Sending and checking ---------------------------------------------------------------------


BOUNDARY = "SweepBoundary7MA4YWxkTrZu0gW"


def _multipart(data: dict) -> bytes:
    """A multipart body as a browser writes it: Django's encoding for the fields, and the
    files' names exactly as given (the test client keeps only their base names), with the
    characters a browser escapes escaped."""
    fields = {k: v for k, v in data.items() if not isinstance(v, Upload)}
    body = encode_multipart(BOUNDARY, fields)
    end = f"--{BOUNDARY}--\r\n".encode()
    assert body.endswith(end)
    parts = []
    for key, upload in data.items():
        if not isinstance(upload, Upload):
            continue
        name = upload.name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        head = (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
            f"Content-Type: {upload.content_type or 'application/octet-stream'}\r\n\r\n"
        )
        parts.append(head.encode() + upload.content + b"\r\n")
    return body[: -len(end)] + b"".join(parts) + end


def post(client, url, data, *, htmx=False, language="en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if htmx:
        headers["HTTP_HX_REQUEST"] = "true"
    cleaned = {k: v for k, v in data.items() if v is not OMIT}
    response = client.post(
        url,
        _multipart(cleaned),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **headers,
    )
    follow(client, response, language)
    return response


def stays_here(location: str) -> bool:
    """A redirect to a path of this site (the browser reads a scheme-relative //host as
    another site, and so does it read /\\host)."""
    if location.startswith(("//", "/\\", "\\")):
        return False
    parts = urlsplit(location)
    return parts.netloc in ("", "testserver") and parts.scheme in ("", "http", "https")


def follow(client, response, language="en") -> None:
    """Open the page a redirect leads to: what a submission saved must not break the page
    that shows it (a server error there raises here, as in the POST)."""
    if response.status_code not in REDIRECTS:
        return
    location = response["Location"]
    if not stays_here(location):
        return  # answered() says so
    page = client.get(location, HTTP_ACCEPT_LANGUAGE=language)
    if page.streaming:
        b"".join(page.streaming_content)
    assert page.status_code < 500


@contextmanager
def example(client, user=None):
    """One example: in a savepoint rolled back at the end, signed in afresh as ``user``."""
    with transaction.atomic():
        cache.clear()
        client.cookies.clear()
        if user is not None:
            client.force_login(user)
        try:
            yield
        finally:
            transaction.set_rollback(True)


def rows(*models) -> dict:
    """Every row of the tables, to compare before and after a refused submission."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def bound_forms(response) -> list:
    context = response.context
    if context is None:
        return []
    contexts = context if isinstance(context, ContextList) else [context]
    found = {}
    for ctx in contexts:
        for value in ctx.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound:
                found[id(value)] = value
    return list(found.values())


def has_errors(response) -> bool:
    for form in bound_forms(response):
        if isinstance(form, BaseFormSet):
            if form.total_error_count():
                return True
        elif form.errors:
            return True
    return False


REDIRECTS = {301, 302, 303}


def answered(response, allowed, *, form_page=True, to_login=False) -> bool:
    """Check that the answer is one the view means; say whether it refused the submission
    (then nothing may have changed).

    A form page that answers a POST with 200 refused it: it shows what is wrong, or, for a POST
    without any of its fields, the empty form again. A redirect stays on this site.
    """
    status = response.status_code
    event(f"status {status}" + (" with errors" if has_errors(response) else ""))
    assert status in allowed, f"status {status}, expected one of {sorted(allowed)}"
    if status in REDIRECTS:
        location = response["Location"]
        assert stays_here(location), location
        if not to_login:
            assert not location.startswith(reverse("login")), "the example was not signed in"
        return False
    if status == 200 and form_page:
        assert has_errors(response) or not bound_forms(response), "a refusal must say why"
        return True
    return status >= 400 or has_errors(response)


# --- The world the forms work on --------------------------------------------------------------


@pytest.fixture
def sweep(world, settings, tmp_path):
    """The world with its network scheduled, a strategy shared with a section of its own and
    a measure, key figures for the members, and an assignment."""
    settings.MEDIA_ROOT = tmp_path
    chief = world.users["chief_executive"]
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    world.gathering = sessions_services.gathering_schedule(network=world.network, drafts=drafts)[0]
    # Three hours after the standard agenda's end: room for another item.
    Gathering.objects.filter(pk=world.gathering.pk).update(
        ends_at=F("ends_at") + timedelta(hours=3)
    )
    world.gathering.refresh_from_db()
    world.agenda_item = world.gathering.agenda.first()
    world.assignment = sessions_services.assignment_create(
        gathering=world.gathering, title="Key figures", due_date=date(2011, 12, 1)
    )
    world.indicator = f.IndicatorFactory(code="KOSAG110000", name_en="Free income", unit="kr")
    for municipality, value in [(world.municipality, 81240.0), (world.neighbour, 66605.0)]:
        for year in (2023, 2024):
            f.ObservationFactory(
                indicator=world.indicator, municipality=municipality, year=year, value=value
            )
    world.priorities = [f.DlaPriorityFactory(), f.DlaPriorityFactory()]
    world.strategy = strategy_services.strategy_start(
        network=world.network, municipality=world.municipality, user=chief
    )
    world.strategy = strategy_services.strategy_set_status(
        strategy=world.strategy, status="shared", user=chief
    )
    world.section = world.strategy.sections.exclude(kind=Section.Kind.OWN).first()
    world.own_section = strategy_services.section_add(
        strategy=world.strategy, title="Broadband", user=chief
    )
    world.measure = strategy_services.measure_save(
        strategy=world.strategy,
        data={"title": "Self-service", "owner": chief, "section": world.section},
    )
    world.invitees = sessions_selectors.gathering_invitees(world.gathering)
    # An account whose username is another person's address (given by hand in the admin).
    f.UserFactory(username="person@example.org", email="another.person@example.org")
    world.foreign_ids = [
        str(world.other_network.pk),
        str(world.other_municipality.pk),
        str(world.other_network.programme_id),
    ]
    return world


def ids(world, *own):
    """An id strategy: bad ids, ids of other networks' objects, and the form's own ones."""
    return st.one_of(ID, st.sampled_from(world.foreign_ids), st.sampled_from([str(x) for x in own]))


AUDITED = (AuditEntry,)

# --- Networks ---------------------------------------------------------------------------------


def _network_valid(world, name):
    return {
        "programme": str(world.programme.pk),
        "name": name,
        "region": str(world.municipality.region_id),
        "description": "",
        "planned_start": "2011-01-10",
        "planned_end": "2011-09-30",
        "dla_status": "not_started",
        "language": "nb",
        "reminder_days_before": "7",
        "municipalities": [str(world.municipality.pk), str(world.neighbour.pk)],
    }


def _network_nasty(world):
    choice = st.one_of(st.sampled_from(["not_started", "initiated", "strategy_adopted"]), TEXT)
    return {
        "programme": ids(world, world.programme.pk),
        "name": TEXT,
        "region": ids(world, world.municipality.region_id),
        "description": TEXT,
        "planned_start": DATE,
        "planned_end": DATE,
        "dla_status": choice,
        "language": st.one_of(LANGUAGE, TEXT),
        "reminder_days_before": NUMBER,
        "municipalities": listed(ids(world, world.municipality.pk, world.neighbour.pk)),
    }


NETWORK_TABLES = (Network, NetworkMembership, Role, *AUDITED)


@given(data=st.data())
def test_network_create(client, sweep, data):
    form = data.draw(spoiled(_network_valid(sweep, "Sweep network"), _network_nasty(sweep)))
    with example(client, sweep.users["facilitator"]):
        before = rows(*NETWORK_TABLES)
        response = post(client, reverse("network_create"), form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*NETWORK_TABLES) == before


@given(data=st.data())
def test_network_update(client, sweep, data):
    valid = _network_valid(sweep, sweep.network.name)
    form = data.draw(spoiled(valid, _network_nasty(sweep)))
    with example(client, sweep.users["facilitator"]):
        before = rows(*NETWORK_TABLES)
        url = reverse("network_update", args=[sweep.network.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*NETWORK_TABLES) == before


EMAIL = st.one_of(
    st.emails().map(str),
    st.sampled_from(
        [
            "new.person@example.org",
            "NEW.PERSON@EXAMPLE.ORG",
            "chief_executive@example.org",
            "person@example.org",
            "PERSON@example.org",
            "a@b",
            "a@b.c",
            "@example.org",
            "person@",
            "per son@example.org",
            "person@exämple.org",
            "pérson@example.org",
            "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".org",
            "x" * 240 + "@example.org",
            "person@example.org\r\nBcc: victim@example.org",
            "person@[127.0.0.1]",
            '"quoted local"@example.org',
        ]
    ),
    TEXT,
)


@given(data=st.data())
def test_network_invite(client, sweep, data):
    kinds = st.sampled_from(["chief_executive", "mayor", "municipal_staff", "facilitator"])
    valid = {
        "email": "new.person@example.org",
        "first_name": "Tove",
        "last_name": "Isaksen",
        "kind": "municipal_staff",
        "municipality": str(sweep.neighbour.pk),
        "title": "",
        "language": "en",
    }
    nasty = {
        "email": EMAIL,
        "first_name": TEXT,
        "last_name": TEXT,
        "kind": st.one_of(kinds, TEXT),
        "municipality": ids(sweep, sweep.municipality.pk, sweep.neighbour.pk),
        "title": TEXT,
        "language": st.one_of(LANGUAGE, TEXT),
    }
    form = data.draw(spoiled(valid, nasty))
    tables = (User, Role, Invitation, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        before = rows(*tables)
        url = reverse("network_invite", args=[sweep.network.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before
            assert mail.outbox == []


# --- Gatherings -------------------------------------------------------------------------------

GATHERING_TABLES = (Gathering, AgendaItem, *AUDITED)


def _schedule_valid(world) -> dict:
    drafts = sessions_selectors.schedule_proposal(network=world.network)
    data = {
        "gathering-TOTAL_FORMS": str(len(drafts)),
        "gathering-INITIAL_FORMS": str(len(drafts)),
        "gathering-MIN_NUM_FORMS": "0",
        "gathering-MAX_NUM_FORMS": "1000",
    }
    for index, draft in enumerate(drafts):
        values = GatheringRowForm.initial_from(draft)
        data.update(
            {
                f"gathering-{index}-number": str(values["number"]),
                f"gathering-{index}-title": values["title"],
                f"gathering-{index}-date": values["date"].isoformat(),
                f"gathering-{index}-start_time": values["start_time"].strftime("%H:%M"),
                f"gathering-{index}-end_time": values["end_time"].strftime("%H:%M"),
                f"gathering-{index}-venue": values["venue"],
            }
        )
    return data


@given(data=st.data())
def test_schedule(client, sweep, data):
    valid = _schedule_valid(sweep)
    nasty = {}
    for key in valid:
        field = key.rsplit("-", 1)[1]
        nasty[key] = {
            "number": st.one_of(st.integers(-2, 6).map(str), NUMBER),
            "title": TEXT,
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "venue": TEXT,
        }.get(field, NUMBER)
    nasty["accept_warning"] = BOOLEAN
    form = data.draw(spoiled(valid, nasty))
    with example(client, sweep.users["facilitator"]):
        before = rows(*GATHERING_TABLES)
        url = reverse("network_schedule", args=[sweep.network.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*GATHERING_TABLES) == before


AGENDA_KINDS = st.sampled_from(["lecture", "process_work", "workshop", "plenary", "break"])


def _agenda_nasty(prefix=""):
    return {
        f"{prefix}title": TEXT,
        f"{prefix}kind": st.one_of(AGENDA_KINDS, TEXT),
        f"{prefix}duration_minutes": st.one_of(st.integers(-10, 700).map(str), NUMBER),
        f"{prefix}speaker": TEXT,
    }


@given(data=st.data())
def test_agenda_item_add(client, sweep, data):
    valid = {"title": "Questions", "kind": "plenary", "duration_minutes": "5", "speaker": ""}
    form = data.draw(spoiled(valid, _agenda_nasty()))
    htmx = data.draw(st.booleans())
    with example(client, sweep.users["facilitator"]):
        before = rows(*GATHERING_TABLES)
        url = reverse("agenda_item_add", args=[sweep.gathering.pk])
        response = post(client, url, form, htmx=htmx, language=data.draw(LANGUAGE))
        # htmx gets the agenda back, with the form's errors or without; a plain post lands on
        # the gathering page, or on the item's own form page when refused.
        if answered(response, {200} if htmx else {200, 302}, form_page=not htmx):
            assert rows(*GATHERING_TABLES) == before


@given(data=st.data())
def test_agenda_item_edit(client, sweep, data):
    item = sweep.agenda_item
    valid = {
        "edit-title": item.title,
        "edit-kind": item.kind,
        "edit-duration_minutes": str(item.duration_minutes),
        "edit-speaker": item.speaker,
    }
    form = data.draw(spoiled(valid, _agenda_nasty("edit-")))
    htmx = data.draw(st.booleans())
    with example(client, sweep.users["facilitator"]):
        before = rows(*GATHERING_TABLES)
        url = reverse("agenda_item_edit", args=[item.pk])
        response = post(client, url, form, htmx=htmx, language=data.draw(LANGUAGE))
        if answered(response, {200} if htmx else {200, 302}, form_page=not htmx):
            assert rows(*GATHERING_TABLES) == before


@given(data=st.data())
def test_attendance(client, sweep, data):
    valid, nasty = {}, {}
    for invitee in sweep.invitees:
        key = invitee.person.pk
        valid[f"present_{key}"] = "on"
        valid[f"hours_{key}"] = "3.5"
        nasty[f"present_{key}"] = BOOLEAN
        nasty[f"hours_{key}"] = st.one_of(
            st.decimals(min_value=-5, max_value=30, places=3).map(str), NUMBER
        )
    nasty["present_999999"] = BOOLEAN
    nasty["hours_999999"] = NUMBER
    form = data.draw(spoiled(valid, nasty))
    tables = (Attendance, Gathering, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        before = rows(*tables)
        url = reverse("gathering_attendance", args=[sweep.gathering.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before


@given(data=st.data())
def test_gathering_evaluation(client, sweep, data):
    """The gathering is over and its attendance not recorded: its invitees evaluate it."""
    valid = {"overall": "4", "relevance": "5", "what_should_change": "More time for workshops"}
    nasty = {"overall": NUMBER, "relevance": NUMBER, "what_should_change": TEXT}
    form = data.draw(spoiled(valid, nasty))
    tables = (EvaluationResponse, EvaluationGiven, *AUDITED)
    with example(client, sweep.users["chief_executive"]):
        before = rows(*tables)
        url = reverse("gathering_evaluation", args=[sweep.gathering.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before


def _open_for_answers(gathering):
    start = timezone.now() + timedelta(days=30)
    Gathering.objects.filter(pk=gathering.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=11)
    )


@given(data=st.data())
def test_gathering_answer(client, sweep, data):
    form = data.draw(spoiled({"answer": "yes"}, {"answer": st.one_of(TEXT, BOOLEAN)}))
    tables = (GatheringAnswer, *AUDITED)
    with example(client, sweep.users["mayor"]):
        _open_for_answers(sweep.gathering)
        before = rows(*tables)
        url = reverse("gathering_answer", args=[sweep.gathering.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        answered(response, {302}, form_page=False)
        if form.get("answer") not in ("yes", "no"):
            assert rows(*tables) == before


@given(data=st.data())
def test_gathering_answer_link(client, sweep, data):
    """Tokens and choices from a link someone changed: refused, never a server error."""
    valid = answer_token(gathering_id=sweep.gathering.pk, person_id=sweep.users["mayor"].pk)
    token = data.draw(
        st.one_of(
            TEXT,
            st.just(valid),
            st.builds(lambda cut, tail: valid[:cut] + tail, st.integers(0, len(valid)), TEXT),
            st.builds(lambda a, b: signing.Signer(salt=SALT).sign(f"{a}.{b}"), NUMBER, NUMBER),
        )
    )
    choice = data.draw(st.one_of(st.sampled_from(["yes", "no"]), TEXT))
    tables = (GatheringAnswer, *AUDITED)
    with example(client):
        _open_for_answers(sweep.gathering)
        before = rows(*tables)
        url = f"/answer/{_path_segment(token)}/{_path_segment(choice)}/"
        for response in (client.get(url), client.post(url)):
            status = response.status_code
            assert status in {200, 302, 400, 404}, status
        if (token, choice) not in ((valid, "yes"), (valid, "no")):
            assert rows(*tables) == before


def _stored_files(root) -> list:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@given(data=st.data())
def test_material_upload(client, sweep, data, settings):
    valid = {
        "title": "Slides",
        "kind": "slides",
        "file": Upload("slides.pdf", b"%PDF-1.4 slides", "application/pdf"),
    }
    nasty = {
        "title": TEXT,
        "kind": st.one_of(st.sampled_from(["slides", "document"]), TEXT),
        "file": st.one_of(FILE, TEXT),
    }
    form = data.draw(spoiled(valid, nasty))
    tables = (Material, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        before, files = rows(*tables), _stored_files(settings.MEDIA_ROOT)
        url = reverse("material_upload", args=[sweep.gathering.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before
            assert _stored_files(settings.MEDIA_ROOT) == files


@given(data=st.data())
def test_gathering_summary(client, sweep, data):
    form = data.draw(spoiled({"summary": "We met."}, {"summary": TEXT}))
    with example(client, sweep.users["facilitator"]):
        before = rows(*GATHERING_TABLES)
        url = reverse("gathering_summary", args=[sweep.gathering.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*GATHERING_TABLES) == before


@given(data=st.data())
def test_gathering_move(client, sweep, data):
    starts = timezone.localtime(sweep.gathering.starts_at)
    valid = {
        "date": starts.date().isoformat(),
        "start_time": starts.strftime("%H:%M"),
        "end_time": timezone.localtime(sweep.gathering.ends_at).strftime("%H:%M"),
        "venue": "Alta kulturhus",
    }
    nasty = {"date": DATE, "start_time": TIME, "end_time": TIME, "venue": TEXT}
    form = data.draw(spoiled(valid, nasty))
    with example(client, sweep.users["facilitator"]):
        before = rows(*GATHERING_TABLES, GatheringUpdate)
        url = reverse("gathering_move", args=[sweep.gathering.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*GATHERING_TABLES, GatheringUpdate) == before


@given(data=st.data())
def test_assignment_create(client, sweep, data):
    sections = st.sampled_from([c for c, _label in hooks.strategy_section_choices()])
    valid = {
        "title": "Read the key figures",
        "description": "",
        "due_date": "2011-12-01",
        "strategy_section": "",
    }
    nasty = {
        "title": TEXT,
        "description": TEXT,
        "due_date": DATE,
        "strategy_section": st.one_of(sections, TEXT),
    }
    form = data.draw(spoiled(valid, nasty))
    tables = (Assignment, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        before = rows(*tables)
        url = reverse("assignment_create", args=[sweep.gathering.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before


@given(data=st.data())
def test_assignment_done(client, sweep, data):
    valid = {"municipality": str(sweep.municipality.pk), "done": "1"}
    nasty = {
        "municipality": ids(sweep, sweep.municipality.pk, sweep.neighbour.pk),
        "done": BOOLEAN,
    }
    form = data.draw(spoiled(valid, nasty))
    tables = (AssignmentCompletion,)
    with example(client, sweep.users["chief_executive"]):
        before = rows(*tables)
        url = reverse("assignment_done", args=[sweep.assignment.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {302, 403, 404}, form_page=False):
            assert rows(*tables) == before


@given(data=st.data())
def test_assignment_edit(client, sweep, data):
    sections = st.sampled_from([c for c, _label in hooks.strategy_section_choices()])
    valid = {
        "title": "Read the key figures again",
        "description": "",
        "due_date": "2011-12-02",
        "strategy_section": "",
    }
    nasty = {
        "title": TEXT,
        "description": TEXT,
        "due_date": DATE,
        "strategy_section": st.one_of(sections, TEXT),
    }
    form = data.draw(spoiled(valid, nasty))
    tables = (Assignment, AssignmentCompletion, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        before = rows(*tables)
        url = reverse("assignment_edit", args=[sweep.assignment.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before


@given(data=st.data())
def test_assignment_delete(client, sweep, data):
    form = data.draw(spoiled({"done_confirmed": "1"}, {"done_confirmed": NUMBER}))
    tables = (Assignment, AssignmentCompletion, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        sessions_services.assignment_set_done(
            assignment=sweep.assignment,
            municipality=sweep.municipality,
            user=sweep.users["chief_executive"],
            done=True,
        )
        before = rows(*tables)
        url = reverse("assignment_delete", args=[sweep.assignment.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        answered(response, {200, 302}, form_page=False)
        if response.status_code == 200:  # asked again: nothing removed
            assert rows(*tables) == before


@given(data=st.data())
def test_markdown_previews(client, sweep, data):
    name, role, pk, field = data.draw(
        st.sampled_from(
            [
                ("section_preview", "chief_executive", sweep.section.pk, "body"),
                ("gathering_summary_preview", "facilitator", sweep.gathering.pk, "summary"),
            ]
        )
    )
    form = data.draw(spoiled({field: "**We met.**"}, {field: TEXT}))
    tables = (*SECTION_TABLES, *GATHERING_TABLES)
    with example(client, sweep.users[role]):
        before = rows(*tables)
        response = post(client, reverse(name, args=[pk]), form, htmx=True)
        answered(response, {200}, form_page=False)
        assert "<script" not in response.content.decode()
        assert rows(*tables) == before


# --- Key figures: the upload page and the importer --------------------------------------------

KEYFIGURE_TABLES = (Indicator, Observation, ReferenceValue)
HEADER_WORDS = [
    "region_code",
    "region",
    "kommunenummer",
    "knr",
    "kommunenavn",
    "year",
    "år",
    "tid",
    "period",
    "value",
    "verdi",
    "status",
    "indicator",
    "indicator_name",
    "unit",
    "enhet",
]
MISSING = [".", "..", "...", ":", "x", "NA", "n/a", "-"]


def cells(codes):
    """What a key-figure file's cell may hold: codes known and unknown, years, numbers,
    missing-value symbols and anything else."""
    return st.one_of(
        st.sampled_from(codes),
        st.sampled_from(["EAK", "EKG01", "K-9000", "k9000", "0301", "301", "12345"]),
        st.integers(1800, 2200).map(str),
        st.sampled_from(["2024K1", "2024M01", "20 24", "２０２４", "2024\n", "0000", "9999"]),
        st.sampled_from(MISSING),
        NUMBER,
        st.text(max_size=12),
    )


@st.composite
def csv_files(draw, codes):
    """A CSV file: mostly the columns the reader wants, rows of generated cells, one of the
    separators and encodings that come from spreadsheets."""
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    required = ["region_code", "year", "value"]
    optional = draw(st.lists(st.sampled_from(HEADER_WORDS), max_size=4))
    header = draw(st.permutations(required + optional))
    if draw(st.integers(0, 4)) == 0:
        header = draw(st.lists(st.one_of(st.sampled_from(HEADER_WORDS), st.text(max_size=8))))
    lines = [separator.join(header)]
    for _row in range(draw(st.integers(0, 8))):
        width = len(header) + draw(st.integers(-1, 1))
        lines.append(
            separator.join(
                draw(st.lists(cells(codes), min_size=max(width, 0), max_size=max(width, 0)))
            )
        )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    return text.encode(encoding, "replace")


@st.composite
def plausible_csv(draw, codes):
    """A key-figure CSV as a statistics office writes it, now and then with a bad cell."""
    columns = draw(st.permutations(["region_code", "year", "value", "indicator", "status"]))
    separator = draw(st.sampled_from([",", ";"]))
    values = st.one_of(
        st.decimals(min_value=-(10**6), max_value=10**6, places=2).map(str),
        st.integers(0, 10**6).map(str),
        st.sampled_from(MISSING),
    )
    lines = [separator.join(columns)]
    for _row in range(draw(st.integers(1, 6))):
        cell = {
            "region_code": draw(st.sampled_from([*codes, "EAK", "EKG01", "9999"])),
            "year": draw(st.sampled_from(["2022", "2023", "2024", "2024K1"])),
            "value": draw(values),
            "indicator": draw(st.sampled_from(["KOSAG110000", "KOSNEW0001", ""])),
            "status": draw(st.sampled_from(["", "..", ":"])),
        }
        row = [cell[column] for column in columns]
        if draw(st.integers(0, 4)) == 0:
            row[draw(st.integers(0, len(row) - 1))] = draw(cells(codes))
        lines.append(separator.join(row))
    return "\n".join(lines).encode("utf-8")


def _json_containers(inner):
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)


JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
    ),
    _json_containers,
    max_leaves=12,
)


def _jsonstat(codes) -> dict:
    geo, years = codes[:2], ["2023", "2024"]
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "12134: Kostra",
        "source": "Statistics Norway",
        "id": ["KOKkommuneregion0000", "ContentsCode", "Tid"],
        "size": [len(geo), 1, len(years)],
        "role": {"geo": ["KOKkommuneregion0000"], "time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "KOKkommuneregion0000": {
                "category": {
                    "index": {code: i for i, code in enumerate(geo)},
                    "label": {code: f"Municipality {code}" for code in geo},
                }
            },
            "ContentsCode": {
                "category": {
                    "index": {"KOSAG110000": 0},
                    "label": {"KOSAG110000": "Free income"},
                    "unit": {"KOSAG110000": {"base": "kr", "decimals": 0}},
                }
            },
            "Tid": {"category": {"index": {y: i for i, y in enumerate(years)}}},
        },
        "value": [81240, 81300, 66605, None],
        "status": {"3": ".."},
    }


@st.composite
def mutated(draw, value, depth=0):
    """The JSON document with some of its parts replaced by other JSON, or removed."""
    what = draw(st.integers(0, 9))
    if what == 0 or (depth > 5 and what < 3):
        return draw(JSON_VALUE)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if draw(st.integers(0, 9)) == 0:
                continue  # removed
            out[key] = draw(mutated(item, depth + 1))
        return out
    if isinstance(value, list):
        return [draw(mutated(item, depth + 1)) for item in value]
    return value


@st.composite
def jsonstat_files(draw, codes):
    """A JSON-stat document: sound with generated values, with parts replaced or removed, as
    a 1.0 bundle, or any JSON at all."""
    document = _jsonstat(codes)
    kind = draw(st.integers(0, 4))
    if kind == 0:
        document = draw(JSON_VALUE)
    elif kind == 1:  # JSON-stat 1.0: a bundle of one dataset
        del document["class"]
        document = {"dataset": draw(mutated(document))}
    elif kind == 2:
        document["value"] = draw(st.lists(JSON_VALUE, min_size=4, max_size=4))
        document["status"] = draw(st.one_of(st.none(), JSON_VALUE))
    else:
        document = draw(mutated(document))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 5)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # cut short
    return text.encode("utf-8")


EXCEL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
)


@st.composite
def excel_files(draw, codes):
    """A workbook shaped like a StatBank export (a title, the indicator, a row of years, then
    "code name" rows) with generated cells, or cells anywhere."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    table = []
    if draw(st.booleans()):
        table.append(["12134: Free income (kr)"])
        table.append([draw(st.one_of(st.just("Frie inntekter (kr)"), EXCEL_VALUES))])
        table.append([None, *draw(st.lists(cells(codes) | EXCEL_VALUES, min_size=1, max_size=4))])
        regions = [f"K-{c} Kommune" for c in codes] + [f"{c} X" for c in codes]
        for _row in range(draw(st.integers(0, 5))):
            first = draw(st.one_of(st.sampled_from(regions), EXCEL_VALUES))
            table.append([first, *draw(st.lists(EXCEL_VALUES | cells(codes), max_size=5))])
    else:
        for _row in range(draw(st.integers(0, 5))):
            table.append(draw(st.lists(EXCEL_VALUES, max_size=5)))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = draw(st.sampled_from(["KOSAG110000", "Sheet1", "Ark 1", "Æøå"]))
    for row in table:  # a cell holds no control characters: openpyxl refuses them
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _without_time(buffer.getvalue())


def _without_time(content: bytes) -> bytes:
    """The workbook without the time it was saved (in its properties and its zip entries), so
    that the same draws make the same bytes, as Hypothesis needs."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", data)
            info = zipfile.ZipInfo(item.filename, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


@st.composite
def zip_files(draw):
    """A zip archive that is not quite a workbook: random members, entity declarations."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        names = ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "x.rels"]
        for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=4)):
            head = draw(
                st.sampled_from([b"<?xml version='1.0'?>", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b""])
            )
            archive.writestr(name, head + draw(st.binary(max_size=200)))
    return buffer.getvalue()


@st.composite
def damaged(draw, files):
    """A file with a few of its bytes overwritten: a workbook damaged in transit."""
    content = bytearray(draw(files))
    for _byte in range(draw(st.integers(1, 3))):
        if content:
            content[draw(st.integers(0, len(content) - 1))] = draw(st.integers(0, 255))
    return bytes(content)


IMPORT_NAMES = st.one_of(
    st.sampled_from(
        [
            "figures.csv",
            "figures.txt",
            "figures.xlsx",
            "figures.xlsm",
            "figures.json",
            "FIGURES.CSV",
            "figures.xls",
            "figures",
            ".csv",
            "figures.csv.exe",
            "figures.json.csv",
        ]
    ),
    st.builds(
        lambda stem, ext: stem + ext,
        st.text(max_size=20),
        st.sampled_from([".csv", ".txt", ".xlsx", ".json", ""]),
    ),
)


def import_files(codes):
    """(file name, bytes): each reader's own kind of file, or any bytes under any name."""
    by_reader = st.one_of(
        st.tuples(st.just("figures.csv"), plausible_csv(codes)),
        st.tuples(st.sampled_from(["figures.csv", "figures.txt"]), csv_files(codes)),
        st.tuples(st.just("figures.json"), jsonstat_files(codes)),
        st.tuples(st.sampled_from(["figures.xlsx", "figures.xlsm"]), excel_files(codes)),
        st.tuples(st.just("figures.xlsx"), zip_files()),
        st.tuples(st.just("figures.xlsx"), damaged(excel_files(codes))),
    )
    anything = st.tuples(
        IMPORT_NAMES,
        st.one_of(st.binary(max_size=2048), csv_files(codes), jsonstat_files(codes)),
    )
    return st.one_of(by_reader, anything)


READ_OPTIONS = st.builds(
    ReadOptions,
    indicator_code=st.one_of(st.just(""), st.just("KOSAG110000"), TEXT),
    indicator_name=st.one_of(st.just(""), TEXT),
    unit=st.one_of(st.just(""), TEXT),
    sheet=st.one_of(st.just(""), st.just("KOSAG110000"), st.text(max_size=31)),
)


def _codes(world) -> list[str]:
    return [world.municipality.code, world.neighbour.code, world.other_municipality.code]


# The importer alone answers in milliseconds: three times the examples of a form.
IMPORTER_EXAMPLES = hypothesis_settings(max_examples=3 * hypothesis_settings.default.max_examples)


@IMPORTER_EXAMPLES
@given(data=st.data())
def test_import_preview_reports_problems_and_raises_nothing(sweep, data):
    """The importer itself: whatever the bytes, a preview (with its problems), no exception;
    a preview without problems is saved by import_apply without an error either."""
    name, content = data.draw(import_files(_codes(sweep)))
    options = data.draw(READ_OPTIONS)
    higher = data.draw(st.sampled_from([None, True, False]))
    with transaction.atomic():
        before = rows(*KEYFIGURE_TABLES)
        preview = import_preview(content, name, options, higher_is_better=higher)
        event("preview without problems" if preview.ok else "preview with problems")
        assert isinstance(preview, Preview)
        assert all(isinstance(problem, str) and problem for problem in preview.problems)
        assert rows(*KEYFIGURE_TABLES) == before, "a preview saves nothing"
        if preview.ok:
            import_apply(preview, allow_unmapped=True)
        transaction.set_rollback(True)


def _upload_form(world, data):
    name, content = data.draw(import_files(_codes(world)))
    valid = {
        "file": Upload(name, content, "text/csv"),
        "indicator_code": "KOSAG110000",
        "indicator_name": "",
        "unit": "",
        "sheet": "",
        "higher_is_better": "",
    }
    nasty = {
        "file": st.one_of(FILE, TEXT),
        "indicator_code": TEXT,
        "indicator_name": TEXT,
        "unit": TEXT,
        "sheet": TEXT,
        "higher_is_better": st.one_of(st.sampled_from(["yes", "no"]), TEXT),
    }
    return data.draw(spoiled(valid, nasty))


@IMPORTER_EXAMPLES
@given(data=st.data())
def test_keyfigures_import_upload(client, sweep, data):
    form = _upload_form(sweep, data)
    with example(client, sweep.users["facilitator"]):
        before = rows(*KEYFIGURE_TABLES)
        response = post(client, reverse("keyfigures_import"), form, language=data.draw(LANGUAGE))
        # The preview page (nothing saved yet), or the form with the file's problems.
        answered(response, {200}, form_page=False)
        assert rows(*KEYFIGURE_TABLES) == before, "an upload saves nothing before the confirmation"
        if has_errors(response):
            assert benchmarking_services.SESSION_KEY not in client.session


TOKEN = st.one_of(
    st.just("A" * 43),
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        min_size=43,
        max_size=43,
    ),
    st.sampled_from(["", "../../etc/passwd", "..", "." * 43, "A" * 44, "%00"]),
    TEXT,
)


@IMPORTER_EXAMPLES
@given(data=st.data())
def test_keyfigures_import_confirm(client, sweep, data):
    """Confirm a tampered token with nothing waiting, or the real upload with spoiled fields."""
    upload = None
    if data.draw(st.booleans()):  # a file of key figures waits, most often one that imports
        if data.draw(st.integers(0, 2)):
            content = data.draw(plausible_csv(_codes(sweep)))
            upload = {"file": Upload("figures.csv", content), "indicator_code": "KOSNEW"}
        else:
            upload = _upload_form(sweep, data)
    confirm = data.draw(
        st.fixed_dictionaries(
            {},
            optional={"token": TOKEN, "allow_unmapped": BOOLEAN},
        )
    )
    keep_token = data.draw(st.booleans())
    with example(client, sweep.users["facilitator"]):
        before = rows(*KEYFIGURE_TABLES)
        waiting = None
        if upload is not None:
            post(client, reverse("keyfigures_import"), upload)
            waiting = (client.session.get(benchmarking_services.SESSION_KEY) or {}).get("token")
            if waiting and keep_token:
                confirm["token"] = waiting
        url = reverse("keyfigures_import_confirm")
        response = post(client, url, confirm, language=data.draw(LANGUAGE))
        # Imported, or nothing waiting (both back to the upload page), or the preview again
        # with the reason. A token other than the one waiting imports nothing.
        refused = answered(response, {200, 302})
        if refused or not waiting or confirm.get("token") != waiting:
            assert rows(*KEYFIGURE_TABLES) == before
        else:
            event("imported" if rows(*KEYFIGURE_TABLES) != before else "imported nothing new")


# --- Inviting from a file (networks) ---------------------------------------------------------

INVITE_HEADER = "name;email;role;municipality_code;title"


def invite_files(world):
    """A CSV of people to invite: plausible cells or generated text under the header, with
    either separator, with or without a byte-order mark; or any bytes."""
    codes = st.sampled_from(
        [world.municipality.code, world.neighbour.code, world.other_municipality.code, "301", ""]
    )
    roles = st.sampled_from(["chief_executive", "mayor", "staff", "ordfører", "Rådmann", ""])
    person = st.tuples(
        st.one_of(st.just("Tove Isaksen"), TEXT),
        st.one_of(st.just("tove@example.org"), EMAIL),
        st.one_of(roles, TEXT),
        st.one_of(codes, TEXT),
        st.one_of(st.just(""), TEXT),
    )

    def build(separator, people, bom):
        lines = [INVITE_HEADER.replace(";", separator)]
        lines += [separator.join(cells) for cells in people]
        text = "\n".join(lines) + "\n"
        return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", errors="replace")

    built = st.builds(
        build, st.sampled_from([";", ","]), st.lists(person, max_size=6), st.booleans()
    )
    return st.one_of(built, st.binary(max_size=2048))


@IMPORTER_EXAMPLES
@given(data=st.data())
def test_invite_preview_names_problems_and_raises_nothing(sweep, data):
    """Inviting from a file, the reading and checking itself: whatever the bytes, a preview,
    no exception, nothing saved; a preview without refusals sends without an error."""
    content = data.draw(invite_files(sweep))
    facilitator = sweep.users["facilitator"]
    tables = (User, Role, Invitation, *AUDITED)
    with transaction.atomic():
        before = rows(*tables)
        preview = invite_preview(
            network=sweep.network, inviter=facilitator, data=content, file_name="people.csv"
        )
        event("preview without refusals" if preview.ok else "preview with refusals")
        assert all(
            reason and isinstance(reason, str) for r in preview.rows for reason in r.refusals
        )
        assert rows(*tables) == before, "a preview saves nothing"
        if preview.ok:
            networks_services.people_invite_from_file(
                network=sweep.network, invited_by=facilitator, preview=preview
            )
        transaction.set_rollback(True)


@given(data=st.data())
def test_network_invite_file(client, sweep, data):
    """Upload a generated file, then confirm with the digest shown or a spoiled one."""
    content = data.draw(invite_files(sweep))
    name = data.draw(st.one_of(st.just("people.csv"), IMPORT_NAMES))
    tables = (User, Role, Invitation, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        before = rows(*tables)
        url = reverse("network_invite_file", args=[sweep.network.pk])
        response = post(client, url, {"file": Upload(name, content, "text/csv")})
        answered(response, {200}, form_page=False)
        assert rows(*tables) == before, "an upload sends nothing before the confirmation"
        waiting = (client.session.get(networks_services.INVITE_FILE_SESSION_KEY) or {}).get(
            "digest"
        )
        digest = data.draw(st.one_of(st.just(waiting or ""), TEXT))
        confirm = reverse("network_invite_file_confirm", args=[sweep.network.pk])
        response = post(client, confirm, {"digest": digest}, language=data.draw(LANGUAGE))
        refused = answered(response, {200, 302})
        if refused or not waiting or digest != waiting:
            assert rows(*tables) == before
        assert mail.outbox == []  # the e-mails wait for a commit that never comes here


# --- Strategies -------------------------------------------------------------------------------

STRATEGY_TABLES = (StrategyModel, StatusChange, *AUDITED)
SECTION_TABLES = (Section, Section.dla_priorities.through, SectionRevision, *AUDITED)


@given(data=st.data())
def test_strategy_status(client, sweep, data):
    statuses = st.sampled_from(["draft", "shared", "adopted"])
    valid = {
        "status": "adopted",
        "adopted_on": "2011-06-14",
        "decision_reference": "PS 45/11",
        "note": "",
    }
    nasty = {
        "status": st.one_of(statuses, TEXT),
        "adopted_on": DATE,
        "decision_reference": TEXT,
        "note": TEXT,
    }
    form = data.draw(spoiled(valid, nasty))
    with example(client, sweep.users["chief_executive"]):
        before = rows(*STRATEGY_TABLES)
        url = reverse("strategy_status", args=[sweep.strategy.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*STRATEGY_TABLES) == before


@given(data=st.data())
def test_section_edit(client, sweep, data):
    section = data.draw(st.sampled_from([sweep.section, sweep.own_section]))
    valid = {
        "title": section.title,
        "body": "Why we cooperate.",
        "dla_priorities": [str(sweep.priorities[0].pk)],
        "version": str(section.version),
    }
    nasty = {
        "title": TEXT,
        "body": TEXT,
        "dla_priorities": listed(ids(sweep, *(p.pk for p in sweep.priorities))),
        "version": st.one_of(st.integers(-1, 3).map(str), NUMBER),
    }
    form = data.draw(spoiled(valid, nasty))
    with example(client, sweep.users["chief_executive"]):
        before = rows(*SECTION_TABLES)
        url = reverse("section_edit", args=[section.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        # 409: saved by someone else since the version the form says; both texts are shown.
        if answered(response, {200, 302, 409}):
            assert rows(*SECTION_TABLES) == before


@given(data=st.data())
def test_section_add(client, sweep, data):
    form = data.draw(spoiled({"title": "Open data"}, {"title": TEXT}))
    with example(client, sweep.users["chief_executive"]):
        before = rows(*SECTION_TABLES)
        url = reverse("section_add", args=[sweep.strategy.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*SECTION_TABLES) == before


@given(data=st.data())
def test_section_comment(client, sweep, data):
    from strategies.forms import CommentForm

    form = data.draw(spoiled({"body": "Good start."}, {"body": TEXT}))
    tables = (SectionComment, *AUDITED)
    with example(client, sweep.users["facilitator"]):
        before = rows(*tables)
        url = reverse("section_comment", args=[sweep.section.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        # Back to the strategy either way, with a message that says how it went.
        answered(response, {302}, form_page=False)
        plain = {k: v for k, v in form.items() if isinstance(v, str)}
        if not CommentForm(plain).is_valid():
            assert rows(*tables) == before


def _measure_nasty(world):
    statuses = st.sampled_from([s for s, _label in Measure.Status.choices])
    chief = world.users["chief_executive"]
    return {
        "title": TEXT,
        "description": TEXT,
        "section": ids(world, world.section.pk, world.own_section.pk),
        "owner": ids(world, chief.pk, world.users["facilitator"].pk),
        "starts_on": DATE,
        "due_on": DATE,
        "status": st.one_of(statuses, TEXT),
        "progress": st.one_of(st.integers(-5, 105).map(str), NUMBER),
        "cost_estimate": NUMBER,
        "expected_benefit": TEXT,
        "indicator": ids(world, world.indicator.pk),
        "baseline_year": st.one_of(st.integers(1800, 2200).map(str), NUMBER),
        "baseline_value": NUMBER,
        "target_year": st.one_of(st.integers(1800, 2200).map(str), NUMBER),
        "target_value": NUMBER,
    }


def _measure_valid(world):
    return {
        "title": "Self-service",
        "description": "",
        "section": str(world.section.pk),
        "owner": str(world.users["chief_executive"].pk),
        "starts_on": "2011-09-01",
        "due_on": "2012-06-30",
        "status": "planned",
        "progress": "0",
        "cost_estimate": "250000",
        "expected_benefit": "",
        "indicator": str(world.indicator.pk),
        "baseline_year": "",
        "baseline_value": "",
        "target_year": "2026",
        "target_value": "90000",
    }


MEASURE_TABLES = (Measure, *AUDITED)


@given(data=st.data())
def test_measure_create(client, sweep, data):
    form = data.draw(spoiled(_measure_valid(sweep), _measure_nasty(sweep)))
    with example(client, sweep.users["chief_executive"]):
        before = rows(*MEASURE_TABLES)
        url = reverse("measure_create", args=[sweep.strategy.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*MEASURE_TABLES) == before


@given(data=st.data())
def test_measure_edit(client, sweep, data):
    form = data.draw(spoiled(_measure_valid(sweep), _measure_nasty(sweep)))
    with example(client, sweep.users["chief_executive"]):
        before = rows(*MEASURE_TABLES)
        url = reverse("measure_edit", args=[sweep.measure.pk])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*MEASURE_TABLES) == before


@given(data=st.data())
def test_action_plan_filters(client, sweep, data):
    """The filters are a GET form: bad parameters are ignored, the page still answers."""
    valid = {
        "status": "planned",
        "section": str(sweep.section.pk),
        "owner": str(sweep.users["chief_executive"].pk),
        "overdue": "on",
        "sort": "due",
    }
    nasty = {
        "status": st.one_of(st.sampled_from([s for s, _label in Measure.Status.choices]), TEXT),
        "section": ids(sweep, sweep.section.pk),
        "owner": ids(sweep, sweep.users["chief_executive"].pk),
        "overdue": BOOLEAN,
        "sort": st.one_of(st.sampled_from(["due", "start", "title", "status", "progress"]), TEXT),
    }
    query = data.draw(spoiled(valid, nasty))
    page = data.draw(st.sampled_from(["plan", "timeline", "csv", "xlsx"]))
    url = {
        "plan": reverse("action_plan", args=[sweep.strategy.pk]),
        "timeline": reverse("action_plan_timeline", args=[sweep.strategy.pk]),
        "csv": reverse("action_plan_export", args=[sweep.strategy.pk, "csv"]),
        "xlsx": reverse("action_plan_export", args=[sweep.strategy.pk, "xlsx"]),
    }[page]
    with example(client, sweep.users["chief_executive"]):
        before = rows(*MEASURE_TABLES)
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=data.draw(LANGUAGE))
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
        assert rows(*MEASURE_TABLES) == before


YEAR = st.one_of(
    st.integers(1800, 2200).map(str),
    st.sampled_from(["2024", "0000", "9999", "٢٠٢٤", "²⁰²⁴", "２０２４", "2024.0", "-2024", "1e3"]),
    NUMBER,
)


@given(data=st.data())
def test_keyfigure_pages_query(client, sweep, data):
    """The key-figure pages read the year and the comparison from the query string (their
    own GET forms): anything else is ignored."""
    page = data.draw(
        st.sampled_from(
            [
                ("municipality_keyfigures", [sweep.municipality.pk]),
                ("municipality_keyfigures_export", [sweep.municipality.pk, "csv"]),
                ("municipality_keyfigures_export", [sweep.municipality.pk, "xlsx"]),
                ("network_keyfigures", [sweep.network.pk]),
                ("network_keyfigures_export", [sweep.network.pk, "csv"]),
                ("indicator_detail", [sweep.indicator.pk]),
            ]
        )
    )
    compare = st.sampled_from(["country", "peer_group", f"network-{sweep.network.pk}"])
    query = data.draw(
        spoiled(
            {"year": "2024", "compare": "country"},
            {"year": YEAR, "compare": st.one_of(compare, TEXT)},
        )
    )
    role = data.draw(st.sampled_from(["chief_executive", "facilitator", "project_officer"]))
    with example(client, sweep.users[role]):
        response = client.get(
            reverse(page[0], args=page[1]), query, HTTP_ACCEPT_LANGUAGE=data.draw(LANGUAGE)
        )
        if response.streaming:
            b"".join(response.streaming_content)
        event(f"status {response.status_code}")
        assert response.status_code == 200


# --- Reports ----------------------------------------------------------------------------------


@given(data=st.data())
def test_report_request(client, sweep, data):
    kinds = st.sampled_from([k for k, _label in ReportRequest.Kind.choices])
    valid = {
        "kind": "network",
        "programme": str(sweep.programme.pk),
        "network": str(sweep.network.pk),
        "municipality": str(sweep.municipality.pk),
    }
    nasty = {
        "kind": st.one_of(kinds, TEXT),
        "programme": ids(sweep, sweep.programme.pk),
        "network": ids(sweep, sweep.network.pk),
        "municipality": ids(sweep, sweep.municipality.pk, sweep.neighbour.pk),
    }
    form = data.draw(spoiled(valid, nasty))
    role = data.draw(st.sampled_from(["project_officer", "facilitator", "chief_executive"]))
    tables = (ReportRequest, ReportRequest.requesters.through)
    with example(client, sweep.users[role]):
        before = rows(*tables)
        response = post(client, reverse("report_request"), form, language=data.draw(LANGUAGE))
        # 400: the request names no subject; 403/404: one the user may not have, or not see.
        if answered(response, {302, 400, 403, 404}, form_page=False):
            assert rows(*tables) == before


# --- Signing in, passwords, language ----------------------------------------------------------

USERNAMES = st.one_of(st.sampled_from(["facilitator", "FACILITATOR", "mayor", "staff "]), TEXT)
PASSWORDS = st.one_of(st.just(PASSWORD), TEXT)
NEXT = st.one_of(
    st.sampled_from(
        [
            "/",
            "/networks/",
            "//evil.example.org/",
            "https://evil.example.org/",
            "javascript:alert(1)",
            "/\\evil.example.org",
            "\\\\evil.example.org",
            "http:///evil.example.org",
            "/%0d%0aSet-Cookie:x=y",
        ]
    ),
    TEXT,
)


def _user_rows():
    return list(User.objects.order_by("pk").values("pk", "password", "last_login"))


@given(data=st.data())
def test_login(client, sweep, data):
    valid = {"username": "facilitator", "password": PASSWORD, "next": "/networks/"}
    nasty = {"username": USERNAMES, "password": PASSWORDS, "next": NEXT}
    form = data.draw(spoiled(valid, nasty))
    with example(client):
        before = _user_rows()
        response = post(client, reverse("login"), form, language=data.draw(LANGUAGE))
        # 429: django-axes's cool-off after too many wrong passwords.
        if answered(response, {200, 302, 429}):
            assert _user_rows() == before
            assert "_auth_user_id" not in client.session


@given(data=st.data())
def test_password_change(client, sweep, data):
    valid = {
        "old_password": PASSWORD,
        "new_password1": "fjord-and-fell-2011",
        "new_password2": "fjord-and-fell-2011",
    }
    nasty = {"old_password": PASSWORDS, "new_password1": TEXT, "new_password2": TEXT}
    form = data.draw(spoiled(valid, nasty))
    with example(client, sweep.users["mayor"]):
        before = _user_rows()
        response = post(client, reverse("password_change"), form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert _user_rows() == before


@given(data=st.data())
def test_password_reset(client, sweep, data):
    form = data.draw(spoiled({"email": "mayor@example.org"}, {"email": EMAIL}))
    with example(client):
        before = _user_rows()
        response = post(client, reverse("password_reset"), form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert mail.outbox == []
        assert _user_rows() == before
        mail.outbox.clear()


@given(data=st.data())
def test_invitation_accept_set_password(client, sweep, data):
    valid = {"new_password1": "fjord-and-fell-2011", "new_password2": "fjord-and-fell-2011"}
    form = data.draw(spoiled(valid, {"new_password1": TEXT, "new_password2": TEXT}))
    with example(client):
        _invitation, token = invitation_with_link(
            network=sweep.network, by=sweep.users["facilitator"], email="new@alta.example.org"
        )
        before = _user_rows()
        url = reverse("invitation_accept", args=[token])
        response = post(client, url, form, language=data.draw(LANGUAGE))
        # Accepted: signed in, on to their home page.
        if answered(response, {200, 302}, to_login=True):
            assert _user_rows() == before
            assert not Role.objects.filter(user__email="new@alta.example.org").exists()


@given(data=st.data())
def test_set_language(client, sweep, data):
    valid = {"language": "nb", "next": "/networks/"}
    form = data.draw(spoiled(valid, {"language": st.one_of(LANGUAGE, TEXT), "next": NEXT}))
    with example(client, sweep.users["mayor"]):
        before = _user_rows()
        response = post(client, reverse("set_language"), form, language=data.draw(LANGUAGE))
        # 204: a request that does not ask for a page and names no safe place to go back to.
        answered(response, {204, 302}, form_page=False)
        assert _user_rows() == before
        # A signed-in person's choice is kept on their profile, and only a language offered.
        sweep.users["mayor"].refresh_from_db()
        kept = form.get("language") if form.get("language") in ("en", "nb") else ""
        assert sweep.users["mayor"].language == kept


RHYTHM = st.one_of(st.sampled_from(["immediate", "daily", "weekly", "off"]), TEXT)


@given(data=st.data())
def test_notice_settings(client, sweep, data):
    from notices.models import NoticePreference

    valid = {
        "language": "nb",
        "strategy_shared": "daily",
        "comment": "weekly",
        "reply": "off",
        "measure_figure_worse": "immediate",
    }
    nasty = {
        "language": st.one_of(LANGUAGE, TEXT),
        "strategy_shared": RHYTHM,
        "comment": RHYTHM,
        "reply": RHYTHM,
        "measure_figure_worse": RHYTHM,
    }
    form = data.draw(spoiled(valid, nasty))
    tables = (NoticePreference, User, *AUDITED)
    with example(client, sweep.users["chief_executive"]):
        before = rows(*tables)
        response = post(client, reverse("notice_settings"), form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before


@given(data=st.data())
def test_comment_reply_and_resolve(client, sweep, data):
    from strategies.forms import CommentForm

    first = strategy_services.section_comment(
        section=sweep.section, user=sweep.users["facilitator"], body="Who owns it?"
    )
    reply = data.draw(spoiled({"body": "Our CIO."}, {"body": TEXT}))
    resolve = data.draw(spoiled({"resolved": "1"}, {"resolved": TEXT}))
    tables = (SectionComment, *AUDITED)
    with example(client, sweep.users["chief_executive"]):
        before = rows(*tables)
        url = reverse("comment_reply", args=[first.pk])
        answered(post(client, url, reply, language=data.draw(LANGUAGE)), {302}, form_page=False)
        plain = {k: v for k, v in reply.items() if isinstance(v, str)}
        if not CommentForm(plain).is_valid():
            assert rows(*tables) == before
    with example(client, sweep.users["chief_executive"]):
        before = rows(*tables)
        url = reverse("comment_resolve", args=[first.pk])
        answered(post(client, url, resolve, language=data.draw(LANGUAGE)), {302}, form_page=False)
        if resolve.get("resolved") not in ("0", "1"):
            assert rows(*tables) == before


# --- URL parameters that come from links ---------------------------------------------------


@given(version=st.one_of(st.integers(0, 5), st.integers(min_value=0, max_value=10**30)))
def test_section_restore(client, sweep, version):
    with example(client, sweep.users["chief_executive"]):
        before = rows(*SECTION_TABLES)
        url = reverse("section_restore", args=[sweep.section.pk, version])
        response = client.post(url)
        answered(response, {302}, form_page=False)
        if not sweep.section.revisions.filter(version=version).exists():
            assert rows(*SECTION_TABLES) == before


@given(direction=st.one_of(st.sampled_from(["up", "down", "UP", "sideways"]), st.text(min_size=1)))
def test_agenda_item_move(client, sweep, direction):
    with example(client, sweep.users["facilitator"]):
        before = rows(*GATHERING_TABLES)
        response = client.post(
            reverse("agenda_item_move", args=[sweep.agenda_item.pk, "up"]).replace(
                "/up/", "/" + _path_segment(direction) + "/"
            ),
        )
        answered(response, {200, 302, 404}, form_page=False)
        if direction not in ("up", "down"):
            assert rows(*GATHERING_TABLES) == before


def _path_segment(text: str) -> str:
    return quote(text, safe="") or "x"


# Buttons: forms of a button and its CSRF token, which read nothing else from the POST.
BUTTONS = [
    ("gathering_invite", "facilitator", lambda w: [w.gathering.pk]),
    ("gathering_cancel", "facilitator", lambda w: [w.gathering.pk]),
    ("agenda_item_delete", "facilitator", lambda w: [w.agenda_item.pk]),
    ("my_calendar", "chief_executive", lambda w: []),
    ("strategy_start", "neighbour_chief_executive", lambda w: [w.network.pk, w.neighbour.pk]),
    ("section_presence", "chief_executive", lambda w: [w.section.pk]),
    ("section_delete", "chief_executive", lambda w: [w.own_section.pk]),
    ("measure_delete", "chief_executive", lambda w: [w.measure.pk]),
    ("logout", "mayor", lambda w: []),
]


@hypothesis_settings(max_examples=max(3, hypothesis_settings.default.max_examples // 5))
@pytest.mark.parametrize(("name", "role", "args"), BUTTONS, ids=[b[0] for b in BUTTONS])
@given(junk=st.dictionaries(EXTRA_KEY, TEXT, max_size=4), language=LANGUAGE)
def test_buttons_ignore_fields_they_do_not_ask_for(client, sweep, name, role, args, junk, language):
    with example(client, sweep.users[role]):
        response = post(client, reverse(name, args=args(sweep)), junk, language=language)
        answered(response, {200, 302}, form_page=False, to_login=name == "logout")


# --- Regression tests for the server errors the sweep found -----------------------------------
#
# Each was a server error (or, on PostgreSQL only, a database error at the confirmation) before
# its fix; each now answers with a message on the field or in the file's problems, and saves
# nothing.

SCHEDULE_NUMBERS = (
    "The form does not say which gathering each row is. Reload the page and enter the schedule "
    "again."
)


@pytest.mark.parametrize(
    "changes",
    [
        {"gathering-0-number": "0"},  # IntegrityError: CHECK gathering_number_1_to_4
        {"gathering-3-number": "5"},  # the same
        {"gathering-1-number": "1"},  # two rows for gathering 1: one moved it, then the other
        {"gathering-TOTAL_FORMS": "5"},  # an empty fifth row: KeyError 'number'
        {"gathering-TOTAL_FORMS": "0"},  # no rows: "The four gatherings are scheduled."
    ],
)
def test_schedule_refuses_rows_that_do_not_say_their_gathering(client, sweep, changes):
    client.force_login(sweep.users["facilitator"])
    before = rows(*GATHERING_TABLES)
    data = {**_schedule_valid(sweep), "accept_warning": "on", **changes}
    response = post(client, reverse("network_schedule", args=[sweep.network.pk]), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [SCHEDULE_NUMBERS]
    assert SCHEDULE_NUMBERS in response.content.decode()
    assert rows(*GATHERING_TABLES) == before


@pytest.mark.parametrize(
    ("row", "day", "start", "end"),
    [
        (3, "9999-12-31", "23:00", "23:59"),  # OverflowError: the agenda's end after year 9999
        (0, "0001-01-01", "00:10", "17:00"),  # OverflowError: before year 1 in UTC
        (3, "9999-12-31", "09:00", "17:00"),  # saved; the calendar file then failed
    ],
)
def test_schedule_refuses_a_date_out_of_range(client, sweep, row, day, start, end):
    client.force_login(sweep.users["facilitator"])
    before = rows(*GATHERING_TABLES)
    data = {
        **_schedule_valid(sweep),
        "accept_warning": "on",
        f"gathering-{row}-date": day,
        f"gathering-{row}-start_time": start,
        f"gathering-{row}-end_time": end,
    }
    response = post(client, reverse("network_schedule", args=[sweep.network.pk]), data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[row].errors
    assert errors["date"] == ["Give a date between 1900 and 2100."]
    assert rows(*GATHERING_TABLES) == before
    assert client.get(reverse("network_calendar_ics", args=[sweep.network.pk])).status_code == 200


@pytest.mark.parametrize("view", ["network_create", "network_update"])
def test_network_refuses_a_period_out_of_range(client, sweep, view):
    """A network planned in year 9999 was saved, and its page failed (year 10000)."""
    client.force_login(sweep.users["facilitator"])
    before = rows(*NETWORK_TABLES)
    data = _network_valid(sweep, "Far future" if view == "network_create" else sweep.network.name)
    data.update(planned_start="9999-06-01", planned_end="9999-12-31")
    url = reverse(view, args=[sweep.network.pk] if view == "network_update" else [])
    response = post(client, url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (
        errors["planned_start"] == errors["planned_end"] == ["Give a date between 1900 and 2100."]
    )
    assert rows(*NETWORK_TABLES) == before


def test_assignment_refuses_a_due_date_out_of_range(client, sweep):
    client.force_login(sweep.users["facilitator"])
    before = rows(Assignment, *AUDITED)
    data = {"title": "Read", "description": "", "due_date": "9999-12-31", "strategy_section": ""}
    response = post(client, reverse("assignment_create", args=[sweep.gathering.pk]), data)
    assert response.context["form"].errors["due_date"] == ["Give a date between 1900 and 2100."]
    assert rows(Assignment, *AUDITED) == before


@pytest.mark.parametrize("municipality", ["1.5", "abc", "", "1e3"])
def test_assignment_done_for_a_municipality_that_is_no_number_is_404(client, sweep, municipality):
    """ValueError: Field 'id' expected a number."""
    client.force_login(sweep.users["chief_executive"])
    response = post(
        client,
        reverse("assignment_done", args=[sweep.assignment.pk]),
        {"municipality": municipality, "done": "1"},
    )
    assert response.status_code == 404
    assert not AssignmentCompletion.objects.exists()


def test_sign_in_with_an_overlong_username_is_refused_and_counted(client, sweep):
    """On PostgreSQL, django-axes failed to save the failure (username over 255 characters)."""
    from axes.models import AccessAttempt

    username = "0" * 300
    response = post(client, reverse("login"), {"username": username, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().username == username[:255]


def _preview(world, content: bytes, name="figures.csv", **options):
    options.setdefault("indicator_code", "KOSAG110000")
    return import_preview(content, name, ReadOptions(**options))


def test_csv_whose_first_row_has_more_fields_than_the_header(sweep):
    """TypeError: pandas made the extra field an index of text, and the line number failed."""
    code = sweep.municipality.code
    preview = _preview(sweep, f"region_code,year,value\n{code},2024,5,7\n".encode())
    assert preview.problems == ["figures.csv, line 2: 4 fields where the header has 3."]


def test_csv_with_carriage_returns_for_line_ends_is_read(sweep):
    """csv.Error (new-line character seen in unquoted field): the header was cut at \\n only."""
    code = sweep.municipality.code
    preview = _preview(sweep, f"region_code,year,value\r{code},2024,5\r".encode())
    assert preview.ok, preview.problems
    assert preview.observations_changed == 1  # 50.0 in the fixture, 5 in the file


def test_csv_in_utf16_is_read(sweep):
    """Excel's "Unicode text" export: UTF-16 with tabs (read as Latin-1, it was all NULs)."""
    code = sweep.municipality.code
    preview = _preview(sweep, f"region_code\tyear\tvalue\n{code}\t2024\t5\n".encode("utf-16"))
    assert preview.ok, preview.problems


def _workbook() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["12134: Free income (kr)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rezip(content: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, change(item.filename, source.read(item.filename)))
    return out.getvalue()


def test_excel_with_damaged_sheet_xml(sweep):
    """xml.etree.ElementTree.ParseError from openpyxl, which the reader did not expect."""
    damaged = _rezip(
        _workbook(), lambda name, data: data[: len(data) // 2] if "worksheets" in name else data
    )
    preview = _preview(sweep, damaged, "figures.xlsx")
    assert preview.problems == [
        "figures.xlsx, sheet Sheet: This is not an Excel workbook we can read."
    ]


def test_excel_with_a_damaged_zip_member(sweep):
    """zipfile.BadZipFile (bad CRC) from reading a member, outside the reader's except."""
    content = bytearray(_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        member = archive.getinfo("xl/workbook.xml")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    content[start + 5] ^= 0xFF  # one byte of the compressed data
    preview = _preview(sweep, bytes(content), "figures.xlsx")
    assert preview.problems[0].startswith("figures.xlsx, xl/workbook.xml: This is not an Excel")


@pytest.mark.parametrize(
    "change",
    [
        {"id": None},  # TypeError: 'NoneType' object is not iterable
        {"id": "KOKkommuneregion0000"},  # a string, not a list: geo was its first letter
        {"role": ["geo"]},  # AttributeError: 'list' object has no attribute 'get'
        {"role": {"geo": ["Nowhere"]}},  # KeyError
        {"dimension": {"Tid": {}}},  # KeyError: 'category'
    ],
)
def test_jsonstat_with_dimensions_of_the_wrong_shape(sweep, change):
    document = _jsonstat(_codes(sweep))
    for key, value in change.items():
        if key == "dimension":
            document["dimension"].update(value)
        else:
            document[key] = value
    preview = _preview(sweep, json.dumps(document).encode(), "figures.json")
    assert len(preview.problems) == 1
    assert "the dimensions are not described as JSON-stat describes them" in preview.problems[0]


@pytest.mark.parametrize(
    ("decimals", "saved"), [("abc", 1), (99999, 1), (-1, 1), (2.0, 2), ("3", 3)]
)
def test_jsonstat_decimals_that_are_no_count_of_decimals(sweep, decimals, saved):
    """ValueError from int("abc"); 99999 and -1 failed to save (smallint, CHECK >= 0)."""
    document = _jsonstat(_codes(sweep))
    category = document["dimension"]["ContentsCode"]["category"]
    category.update(
        index={"KOSNEW0001": 0},
        label={"KOSNEW0001": "A new key figure"},
        unit={"KOSNEW0001": {"base": "kr", "decimals": decimals}},
    )
    with transaction.atomic():
        preview = _preview(sweep, json.dumps(document).encode(), "figures.json")
        assert preview.ok, preview.problems
        import_apply(preview, allow_unmapped=True)
        assert Indicator.objects.get(code="KOSNEW0001").decimals == saved
        transaction.set_rollback(True)


def test_jsonstat_with_text_labels_of_the_wrong_type(sweep):
    """TypeError: a label that is a number cannot be joined into the indicator's name."""
    document = _jsonstat(_codes(sweep))
    document["dimension"]["ContentsCode"]["category"]["label"]["KOSAG110000"] = 7
    document["label"] = ["not", "text"]
    preview = _preview(sweep, json.dumps(document).encode(), "figures.json")
    assert preview.ok, preview.problems


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        # On PostgreSQL: "A string literal cannot contain NUL (0x00) characters".
        ("{code}\x00,2024,5,", "a NUL character, which no key figure holds"),
        # On PostgreSQL: value too long for type character varying(4), at the confirmation.
        ("{code},2024,5,Provisional", "“Provisional” is not a status symbol"),
        # Saved as Infinity, which no comparison or chart can use.
        ("{code},2024,1e309,", "“1e309” is not a number"),
        ("{code},2024,inf,", "“inf” is not a number"),
    ],
)
def test_csv_values_the_database_cannot_keep(sweep, row, problem):
    content = "region_code,year,value,status\n" + row.format(code=sweep.municipality.code)
    preview = _preview(sweep, content.encode())
    assert len(preview.problems) == 1
    assert problem in preview.problems[0]


def test_csv_indicator_code_longer_than_the_database_keeps(sweep):
    """On PostgreSQL: value too long for type character varying(200), at the confirmation."""
    code = "K" * 201
    content = f"region_code,year,value,indicator\n{sweep.municipality.code},2024,5,{code}\n"
    preview = _preview(sweep, content.encode())
    assert preview.problems == [
        f"figures.csv, line 2: the indicator code “{'K' * 40}…” is longer than 200 characters."
    ]


def test_csv_aggregate_code_longer_than_the_database_keeps(sweep):
    """On PostgreSQL: value too long for type character varying(20) (ReferenceValue.area_code):
    a code that long is no aggregate, and is listed as not mapped (beside a row that maps: a
    file where no row maps is refused whole)."""
    code = "EAK" + "X" * 30
    content = f"region_code,year,value\n{code},2024,5\n{sweep.municipality.code},2024,4\n"
    with transaction.atomic():
        preview = _preview(sweep, content.encode())
        assert preview.ok, preview.problems
        assert preview.references == 0
        assert [u.code for u in preview.unmapped] == [code]
        import_apply(preview, allow_unmapped=True)
        assert not ReferenceValue.objects.exists()
        transaction.set_rollback(True)


def test_upload_page_shows_a_file_the_database_cannot_keep_on_the_field(client, sweep):
    client.force_login(sweep.users["facilitator"])
    before = rows(*KEYFIGURE_TABLES)
    content = f"region_code,year,value,status\n{sweep.municipality.code},2024,5,Provisional\n"
    data = {
        "file": Upload("figures.csv", content.encode(), "text/csv"),
        "indicator_code": "KOSAG110000",
    }
    response = post(client, reverse("keyfigures_import"), data)
    assert response.status_code == 200
    assert "is not a status symbol" in response.context["form"].errors["file"][0]
    assert benchmarking_services.SESSION_KEY not in client.session
    assert rows(*KEYFIGURE_TABLES) == before


@pytest.mark.parametrize(
    "email",
    [
        "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".org",  # 260 characters
        "x" * 240 + "@" + "y" * 60 + ".org",
    ],
)
def test_invite_refuses_an_address_longer_than_an_account_keeps(client, sweep, email):
    """On PostgreSQL: value too long for type character varying(254); Django's e-mail field
    takes up to 320 characters."""
    client.force_login(sweep.users["facilitator"])
    tables = (User, Role, Invitation, *AUDITED)
    before = rows(*tables)
    data = {
        "email": email,
        "first_name": "Tove",
        "last_name": "Isaksen",
        "kind": "municipal_staff",
        "municipality": str(sweep.neighbour.pk),
        "title": "",
        "language": "en",
    }
    response = post(client, reverse("network_invite", args=[sweep.network.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert errors == [f"Ensure this value has at most 254 characters (it has {len(email)})."]
    assert rows(*tables) == before


def test_invite_of_an_address_that_is_another_accounts_username(
    client, sweep, django_capture_on_commit_callbacks
):
    """IntegrityError: the new account took the address as its username, which was taken."""
    client.force_login(sweep.users["facilitator"])
    data = {
        "email": "Person@Example.org",
        "first_name": "Tove",
        "last_name": "Isaksen",
        "kind": "municipal_staff",
        "municipality": str(sweep.neighbour.pk),
        "title": "",
        "language": "en",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, reverse("network_invite", args=[sweep.network.pk]), data)
    assert response.status_code == 302
    # The account is made when the invitation is accepted.
    token = link_token(mail.outbox[-1])
    client.logout()
    password = {"new_password1": "fjord-and-fell-2011", "new_password2": "fjord-and-fell-2011"}
    response = post(client, reverse("invitation_accept", args=[token]), password)
    assert response.status_code == 302
    invited = User.objects.get(email="person@example.org")
    assert invited.username == "person@example.org-2"
    assert invited.roles.get().municipality == sweep.neighbour


@pytest.mark.parametrize("token", ["\x80", "ø" * 43, "A" * 42 + "😀"])
def test_confirm_with_a_token_beyond_ascii(client, sweep, token):
    """TypeError: secrets.compare_digest refuses text with characters beyond ASCII."""
    client.force_login(sweep.users["facilitator"])
    content = f"region_code,year,value\n{sweep.municipality.code},2024,5\n".encode()
    data = {"file": Upload("figures.csv", content), "indicator_code": "KOSAG110000"}
    post(client, reverse("keyfigures_import"), data)
    assert benchmarking_services.SESSION_KEY in client.session
    before = rows(*KEYFIGURE_TABLES)
    response = post(client, reverse("keyfigures_import_confirm"), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("keyfigures_import")
    assert rows(*KEYFIGURE_TABLES) == before


@pytest.mark.parametrize("view", ["municipality_keyfigures", "indicator_detail"])
def test_keyfigure_year_in_superscript_digits_is_ignored(client, sweep, view):
    """ValueError: int("²⁰²⁴"), which str.isdigit had let through."""
    client.force_login(sweep.users["chief_executive"])
    pk = sweep.municipality.pk if view == "municipality_keyfigures" else sweep.indicator.pk
    response = client.get(reverse(view, args=[pk]), {"year": "²⁰²⁴"})
    assert response.status_code == 200


def test_jsonstat_label_and_source_with_nul_characters(sweep):
    """On PostgreSQL: A string literal cannot contain NUL (0x00) characters, at the
    confirmation (the table and the source go into the indicator's row)."""
    document = _jsonstat(_codes(sweep))
    document["dimension"]["ContentsCode"]["category"].update(
        index={"KOSNEW0001": 0}, label={"KOSNEW0001": "New"}, unit={}
    )
    document.update(label="12134\x00: Kostra", source="Statistics\x00Norway")
    with transaction.atomic():
        preview = _preview(sweep, json.dumps(document).encode(), "figures.json")
        assert preview.ok, preview.problems
        import_apply(preview, allow_unmapped=True)
        indicator = Indicator.objects.get(code="KOSNEW0001")
        assert (indicator.table_id, indicator.source) == ("12134", "StatisticsNorway")
        transaction.set_rollback(True)


def test_network_refuses_a_member_id_no_integer_column_holds(client, sweep):
    """On SQLite: OverflowError (Python int too large to convert to SQLite INTEGER), from the
    one query that looks all the checked ids up."""
    client.force_login(sweep.users["facilitator"])
    before = rows(*NETWORK_TABLES)
    data = {**_network_valid(sweep, "Huge ids"), "municipalities": ["9" * 30]}
    response = post(client, reverse("network_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["municipalities"] == [
        f"“{'9' * 30}” is not a valid value."
    ]
    assert rows(*NETWORK_TABLES) == before


def test_section_refuses_a_priority_id_no_integer_column_holds(client, sweep):
    client.force_login(sweep.users["chief_executive"])
    before = rows(*SECTION_TABLES)
    data = {
        "body": "Why we cooperate.",
        "dla_priorities": [str(2**64)],
        "version": str(sweep.section.version),
    }
    response = post(client, reverse("section_edit", args=[sweep.section.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["dla_priorities"] == [f"“{2**64}” is not a valid value."]
    assert rows(*SECTION_TABLES) == before


# --- Statistics feeds (administrators) ------------------------------------------------------


@given(data=st.data())
def test_feed_create(client, sweep, data):
    from benchmarking.feed_models import FeedRun, StatisticsFeed

    valid = {
        "name": "Sweep feed", "source": "ssb", "table_id": "12134",
        "indicators_text": "KOSAG110000", "region_variable": "KOKkommuneregion0000",
        "regions_text": "0301, 4601", "years_text": "2015-2024", "months_text": "3, 6",
        "latest_years": "0", "release_day": "15",
    }  # fmt: skip
    nasty = {
        "name": TEXT,
        "source": st.one_of(st.sampled_from(["ssb", "eurostat", "kolada", "klass"]), TEXT),
        "table_id": st.one_of(st.sampled_from(["../../x", "12134?x=1", "a b"]), TEXT),
        "indicators_text": TEXT,
        "region_variable": TEXT,
        "regions_text": TEXT,
        "network": st.one_of(ids(sweep, sweep.network.pk), TEXT),
        "years_text": st.one_of(st.sampled_from(["2024-2015", "0000-9999", "1e4"]), TEXT),
        "months_text": st.one_of(st.sampled_from(["0", "13", "-1"]), TEXT),
        "latest_years": NUMBER,
        "release_day": NUMBER,
        "scheduled": st.sampled_from(["on", "", "x"]),
    }
    form = data.draw(spoiled(valid, nasty))
    tables = (StatisticsFeed, FeedRun, *AUDITED)
    with example(client, sweep.users["staff"]):
        before = rows(*tables)
        response = post(client, reverse("feed_create"), form, language=data.draw(LANGUAGE))
        if answered(response, {200, 302}):
            assert rows(*tables) == before
