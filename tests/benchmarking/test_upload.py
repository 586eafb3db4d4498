"""The key-figure upload page: preview first, nothing saved until the confirmation, all or
nothing, the same file twice changes nothing, and a token from the page is never trusted."""

import json
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from benchmarking import services, tasks
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Indicator, Observation, ReferenceValue, Standing
from networks.models import MembershipInvitation, Municipality, NetworkMembership
from networks.register import register_load_code_history, register_load_norway

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "benchmarking" / "data"
CITIES = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"
UPLOAD = reverse("keyfigures_import")
CONFIRM = reverse("keyfigures_import_confirm")
RANKS_FOLLOW = (
    "%s Ranks in the country and the peer groups are being computed; the pages show them when "
    "ready."
)


@pytest.fixture
def register(db):
    norway = register_load_norway()
    register_load_code_history(norway)
    return norway


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


@pytest.fixture
def facilitator(client, world, register, media):
    client.force_login(world.users["facilitator"])
    return client


@pytest.fixture
def importer(client, world, register, media):
    """An administrator, who may import any file (the upload's own checks are theirs too)."""
    client.force_login(world.users["staff"])
    return client


def _upload(client, name, data=None, **fields):
    data = (DATA / name).read_bytes() if data is None else data
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **fields})


def _token(client) -> str:
    return client.session[services.SESSION_KEY]["token"]


def _stored(media) -> list[str]:
    return sorted(p.name for p in media.iterdir()) if media.exists() else []


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _saved() -> tuple[int, int, int]:
    return Indicator.objects.count(), Observation.objects.count(), ReferenceValue.objects.count()


def test_upload_page_shows_the_form_to_a_facilitator(facilitator):
    response = facilitator.get(UPLOAD)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data" novalidate' in page
    assert 'accept=".csv,.txt,.xlsx,.xlsm,.json"' in page
    assert "Is a higher value better?" in page


def test_home_page_links_facilitators_to_the_import(facilitator):
    assert UPLOAD in facilitator.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", ["chief_executive", "project_officer"])
def test_home_page_has_no_import_link_for_others(client, world, role):
    client.force_login(world.users[role])
    assert UPLOAD not in client.get(reverse("home")).content.decode()


def test_preview_shows_counts_and_saves_nothing_until_confirmed(
    importer, media, django_capture_on_commit_callbacks
):
    response = _upload(importer, CITIES)

    assert response.status_code == 200
    assert response.templates[0].name == "benchmarking/import_preview.html"
    preview = response.context["preview"]
    assert (preview.indicators_new, preview.indicators_known) == (["KOSAG110000"], [])
    assert (preview.observations_new, preview.observations_changed) == (3, 0)
    assert (preview.observations_unchanged, preview.references, preview.unmapped) == (0, 0, [])
    page = response.content.decode()
    assert CITIES in page
    assert "JSON-stat 2.0" in page
    assert '<td class="text-end" id="count-new">3</td>' in page
    assert '<td class="text-end" id="count-changed">0</td>' in page
    assert '<td class="text-end" id="count-indicators-new">1</td>' in page
    assert "allow_unmapped" not in page  # nothing unmapped: no checkbox
    assert _saved() == (0, 0, 0)
    token = _token(importer)
    assert _stored(media) == [token]
    assert f'value="{token}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = importer.post(CONFIRM, {"token": token}, follow=True)

    assert response.redirect_chain == [(UPLOAD, 302)]
    assert _messages(response) == [
        f"{CITIES} is imported. New values: 3; changed: 0; unchanged: 0; reference values: 0; "
        "new indicators: 1.",
        RANKS_FOLLOW % "3 values are saved.",
    ]
    assert _saved() == (1, 3, 0)
    assert set(Observation.objects.values_list("municipality__code", flat=True)) == {
        "0301",
        "4601",
        "5001",
    }
    assert _stored(media) == []
    assert services.SESSION_KEY not in importer.session


def test_uploading_the_same_file_again_previews_no_change(
    importer, media, django_capture_on_commit_callbacks
):
    _upload(importer, CITIES)
    with django_capture_on_commit_callbacks(execute=True):
        importer.post(CONFIRM, {"token": _token(importer)})
    before = list(Observation.objects.order_by("pk").values())

    response = _upload(importer, CITIES)

    preview = response.context["preview"]
    assert (preview.indicators_new, preview.indicators_known) == ([], ["KOSAG110000"])
    assert (preview.observations_new, preview.observations_changed) == (0, 0)
    assert preview.observations_unchanged == 3
    assert "Importing this file changes no value" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = importer.post(CONFIRM, {"token": _token(importer)}, follow=True)
    assert _messages(response) == [
        f"{CITIES} is imported. New values: 0; changed: 0; unchanged: 3; reference values: 0; "
        "new indicators: 0.",
        RANKS_FOLLOW % "0 values are saved.",
    ]
    assert list(Observation.objects.order_by("pk").values()) == before


def test_confirm_previews_again_against_the_database_of_now(importer, media):
    _upload(importer, CITIES)
    # Someone else imports the same file between the preview and the confirmation.
    import_apply(import_preview((DATA / CITIES).read_bytes(), CITIES))

    response = importer.post(CONFIRM, {"token": _token(importer)}, follow=True)

    assert _messages(response)[0].startswith(f"{CITIES} is imported. New values: 0; changed: 0;")
    assert _saved() == (1, 3, 0)


def test_options_and_direction_are_kept_until_the_confirmation(importer, media):
    data = b"region_code;year;value\n5601;2020;81,5\n1804;2020;79\n"
    response = _upload(
        importer,
        "barnehage.csv",
        data,
        indicator_code="KOSandel120000",
        indicator_name="Andel barn 1-2 år i barnehage",
        unit="prosent",
        higher_is_better="yes",
    )
    assert response.context["preview"].observations_new == 2

    importer.post(CONFIRM, {"token": _token(importer)})

    indicator = Indicator.objects.get()
    assert (indicator.code, indicator.name_nb, indicator.unit, indicator.higher_is_better) == (
        "KOSandel120000",
        "Andel barn 1-2 år i barnehage",
        "prosent",
        True,
    )
    assert Observation.objects.get(municipality__code="5601").value == 81.5


def test_text_where_a_number_belongs_names_file_and_line(importer, media):
    data = "region_code;year;value\n5601;2020;81,5\n5603;2020;åtti\n".encode()

    response = _upload(importer, "text.csv", data, indicator_code="X")

    assert response.status_code == 200
    assert response.templates[0].name == "benchmarking/import_upload.html"
    assert response.context["form"].errors["file"] == [
        "text.csv, line 3: “åtti” is not a number (for 5603, 2020). Use a point or a comma "
        "for decimals, and a symbol such as .. for a missing value."
    ]
    page = response.content.decode()
    assert "text.csv, line 3: “åtti” is not a number" in page
    assert "Nothing was imported" in page
    assert _saved() == (0, 0, 0)
    assert _stored(media) == []
    assert services.SESSION_KEY not in importer.session


def test_truncated_jsonstat_names_file_and_line(importer, media):
    data = (DATA / CITIES).read_bytes()

    response = _upload(importer, "cut.json", data[: len(data) // 2])

    [problem] = response.context["form"].errors["file"]
    assert problem.startswith("cut.json, line 1, column ")
    assert "the JSON is broken" in problem
    assert _saved() == (0, 0, 0)
    assert _stored(media) == []


def test_a_broken_upload_drops_the_one_waiting(importer, media):
    _upload(importer, CITIES)
    token = _token(importer)

    _upload(importer, "cut.json", b'{"version": "2.0",')

    assert _stored(media) == []
    response = importer.post(CONFIRM, {"token": token}, follow=True)
    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert _saved() == (0, 0, 0)


def test_empty_upload_is_refused_on_the_field(importer, media):
    response = _upload(importer, "empty.csv", b"")

    assert response.context["form"].errors["file"] == [
        "empty.csv is empty: choose a file that holds key figures."
    ]
    assert _stored(media) == []


def test_no_file_is_refused_on_the_field(importer, media):
    response = importer.post(UPLOAD, {"indicator_code": "X"})

    assert response.context["form"].errors["file"] == ["Choose a file to import."]


def test_file_over_the_limit_is_refused_on_the_field(importer, media, settings):
    settings.MAX_IMPORT_MB = 1
    data = b"region_code,year,value\n" + b"5601,2020,1\n" * 100_000

    response = _upload(importer, "big.csv", data, indicator_code="X")

    assert response.context["form"].errors["file"] == ["big.csv is 1.1 MB; the limit is 1 MB."]
    assert _stored(media) == []


def test_unmapped_rows_need_the_checkbox(importer, media, django_capture_on_commit_callbacks):
    data = b"region_code,region_name,year,value\n0000,Nowhere,2020,1.5\n5601,Alta,2020,2\n"
    response = _upload(importer, "unmapped.csv", data, indicator_code="X")

    preview = response.context["preview"]
    assert [(u.code, u.label, u.rows) for u in preview.unmapped] == [("0000", "Nowhere", 1)]
    page = response.content.decode()
    assert "<caption>Codes and periods that do not map</caption>" in page
    assert "not a municipality code in the register" in page
    assert 'name="allow_unmapped"' in page
    token = _token(importer)

    response = importer.post(CONFIRM, {"token": token})

    assert response.status_code == 200
    assert response.context["form"].errors["allow_unmapped"] == [
        "1 row does not map to a municipality or a year (0000); allow unmapped rows to import "
        "the rest."
    ]
    assert _saved() == (0, 0, 0)
    assert _stored(media) == [token]  # still waiting for the checkbox

    with django_capture_on_commit_callbacks(execute=True):
        response = importer.post(CONFIRM, {"token": token, "allow_unmapped": "on"}, follow=True)

    assert _messages(response) == [
        "unmapped.csv is imported. New values: 1; changed: 0; unchanged: 0; reference values: 0; "
        "new indicators: 1.",
        RANKS_FOLLOW % "1 value is saved.",
        "Rows left out because they do not map: 1.",
    ]
    assert list(Observation.objects.values_list("municipality__code", "value")) == [("5601", 2.0)]
    assert _stored(media) == []


@pytest.mark.parametrize(
    "token",
    ["", "x" * 43, "../../../etc/passwd", "A" * 500],
    ids=["missing", "guessed", "path", "long"],
)
def test_a_tampered_token_changes_nothing(importer, media, token):
    _upload(importer, CITIES)
    waiting = _token(importer)

    response = importer.post(CONFIRM, {"token": token}, follow=True)

    assert response.redirect_chain == [(UPLOAD, 302)]
    assert _messages(response) == [
        "There is no upload waiting to be imported: it was imported already, replaced by a "
        "newer upload, or it has expired. Nothing was saved; please upload the file again."
    ]
    assert _saved() == (0, 0, 0)
    assert _stored(media) == [waiting]  # the real upload still waits
    assert _token(importer) == waiting


def test_a_reused_token_changes_nothing(importer, media, django_capture_on_commit_callbacks):
    _upload(importer, CITIES)
    token = _token(importer)
    with django_capture_on_commit_callbacks(execute=True):
        importer.post(CONFIRM, {"token": token}, follow=True)
    Observation.objects.filter(municipality__code="0301").update(value=1.0)

    response = importer.post(CONFIRM, {"token": token}, follow=True)

    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert Observation.objects.get(municipality__code="0301").value == 1.0


def test_a_token_from_another_session_changes_nothing(importer, world, media):
    _upload(importer, CITIES)
    other = Client()
    other.force_login(world.users["other_facilitator"])

    response = other.post(CONFIRM, {"token": _token(importer)}, follow=True)

    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert _saved() == (0, 0, 0)


def test_a_stored_file_gone_missing_changes_nothing(importer, media):
    _upload(importer, CITIES)
    token = _token(importer)
    (media / token).unlink()

    response = importer.post(CONFIRM, {"token": token}, follow=True)

    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert services.SESSION_KEY not in importer.session
    assert _saved() == (0, 0, 0)


def test_a_new_upload_replaces_the_one_waiting(importer, media):
    _upload(importer, CITIES)
    first = _token(importer)

    _upload(importer, CITIES)

    second = _token(importer)
    assert second != first
    assert _stored(media) == [second]


@pytest.mark.parametrize(
    "role", ["chief_executive", "municipal_staff", "project_officer", "no_role"]
)
def test_only_facilitators_and_administrators_may_upload_or_confirm(
    client, world, register, media, role
):
    client.force_login(world.users[role])
    data = (DATA / CITIES).read_bytes()

    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": SimpleUploadedFile(CITIES, data)}).status_code == 403
    assert client.post(CONFIRM, {"token": "x" * 43}).status_code == 403
    assert _stored(media) == []
    assert _saved() == (0, 0, 0)


# --- Who may import what (benchmarking/rules.py) ------------------------------------------

REFUSED = "Nothing was imported: the file has a problem, described under the file field."


@pytest.fixture
def income(db):
    return Indicator.objects.create(code="KOSAG110000", name_nb="Frie inntekter per innbygger")


def _members(network, *codes):
    for municipality in Municipality.objects.filter(code__in=codes):
        NetworkMembership.objects.create(network=network, municipality=municipality)


def test_facilitator_imports_figures_of_their_networks_members(
    facilitator, world, income, media, django_capture_on_commit_callbacks
):
    _members(world.network, "0301", "4601", "5001")

    response = _upload(facilitator, CITIES)

    assert response.templates[0].name == "benchmarking/import_preview.html"
    assert response.context["preview"].problems == []
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(CONFIRM, {"token": _token(facilitator)}, follow=True)
    assert _messages(response) == [
        f"{CITIES} is imported. New values: 3; changed: 0; unchanged: 0; reference values: 0; "
        "new indicators: 0.",
        RANKS_FOLLOW % "3 values are saved.",
    ]
    assert sorted(Observation.objects.values_list("municipality__code", flat=True)) == [
        "0301",
        "4601",
        "5001",
    ]


def test_facilitator_file_with_municipalities_outside_their_networks_saves_nothing(
    facilitator, world, income, media
):
    _members(world.network, "0301")
    _members(world.other_network, "4601")  # another facilitator's member
    oslo = Municipality.objects.get(code="0301")
    Observation.objects.create(indicator=income, municipality=oslo, year=2024, value=1.0)
    before = list(Observation.objects.values_list("municipality__code", "year", "value"))

    response = _upload(facilitator, CITIES)

    message = (
        "2 municipalities in the file are not members of a network you facilitate: Bergen "
        "(4601), Trondheim (5001). Remove their rows, or ask an administrator to import the "
        "file."
    )
    assert response.templates[0].name == "benchmarking/import_upload.html"
    assert response.context["form"].errors["file"] == [message]
    page = response.content.decode()
    assert message in page
    assert REFUSED in page
    assert list(Observation.objects.values_list("municipality__code", "year", "value")) == before
    assert _stored(media) == []
    assert services.SESSION_KEY not in facilitator.session


def test_a_municipality_invited_to_the_network_is_not_yet_a_member(
    facilitator, world, income, media
):
    oslo = Municipality.objects.get(code="0301")
    MembershipInvitation.objects.create(network=world.network, municipality=oslo)

    data = b"region_code,year,value\n0301,2024,5\n"
    response = _upload(facilitator, "oslo.csv", data, indicator_code="KOSAG110000")

    assert response.context["form"].errors["file"] == [
        "1 municipality in the file is not a member of a network you facilitate: Oslo (0301). "
        "Remove its rows, or ask an administrator to import the file."
    ]
    assert _saved() == (1, 0, 0)


def test_facilitator_confirm_is_refused_once_a_municipality_left_the_network(
    facilitator, world, income, media
):
    _members(world.network, "0301", "4601", "5001")
    _upload(facilitator, CITIES)
    token = _token(facilitator)
    NetworkMembership.objects.filter(municipality__code="5001").delete()

    response = facilitator.post(CONFIRM, {"token": token})

    assert response.status_code == 200
    assert response.context["preview"].problems == [
        "1 municipality in the file is not a member of a network you facilitate: Trondheim "
        "(5001). Remove its rows, or ask an administrator to import the file."
    ]
    page = response.content.decode()
    assert "This file cannot be imported" in page
    assert "Nothing was saved." in page
    assert _saved() == (1, 0, 0)
    assert _stored(media) == []  # it cannot succeed: dropped


@pytest.mark.parametrize(
    ("data", "fields", "message"),
    [
        (
            b"region_code,year,value\n0301,2024,5\n",
            {"indicator_code": "KOSNEW"},
            "The file has indicators the portal does not have yet (KOSNEW): only an "
            "administrator adds indicators.",
        ),
        (
            b"region_code,region_name,year,value\nEAK,Landet,2024,4\n0301,Oslo,2024,5\n",
            {"indicator_code": "KOSAG110000"},
            "The file has reference values (EAK), which every municipality is compared with: "
            "only an administrator imports them. Remove those rows.",
        ),
        (
            b"region_code,year,value\n0301,2024,5\n",
            {"indicator_code": "KOSAG110000", "higher_is_better": "no"},
            "Which direction is better is set for every municipality: only an administrator "
            "changes it (KOSAG110000). Leave the question unanswered.",
        ),
    ],
    ids=["new indicator", "reference values", "direction"],
)
def test_facilitator_may_not_change_what_every_municipality_is_compared_with(
    facilitator, world, income, media, data, fields, message
):
    _members(world.network, "0301")

    response = _upload(facilitator, "figures.csv", data, **fields)

    assert response.context["form"].errors["file"] == [message]
    assert _saved() == (1, 0, 0)
    assert _stored(media) == []


def test_staff_may_import_any_file(importer, media, django_capture_on_commit_callbacks):
    data = b"region_code,region_name,year,value\nEAK,Landet,2024,4\n0301,Oslo,2024,5\n"
    _upload(importer, "figures.csv", data, indicator_code="KOSNEW", higher_is_better="yes")

    with django_capture_on_commit_callbacks(execute=True):
        response = importer.post(CONFIRM, {"token": _token(importer)}, follow=True)

    assert _messages(response)[1] == RANKS_FOLLOW % "2 values are saved."
    assert _saved() == (1, 1, 1)
    assert Indicator.objects.get().higher_is_better is True


# --- Long work after the answer ------------------------------------------------------------


@contextmanager
def _standings_table_locked():
    """Hold writes to the standings back (from a connection of its own) until the block ends:
    work that waited for them inside the request would not answer."""
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Standing._meta.db_table} IN SHARE MODE")
                locked.set()
                release.wait()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(timeout=30)
    try:
        yield
    finally:
        release.set()
        holder.join()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="locks a table on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_confirm_answers_once_the_rows_are_saved_and_the_ranks_follow(client, world, media):
    register_load_code_history(register_load_norway())
    client.force_login(world.users["staff"])
    _upload(client, CITIES)
    with connection.cursor() as cursor:  # what waits inside the request fails, not hangs
        cursor.execute("SET lock_timeout = '5s'")

    with _standings_table_locked():
        response = client.post(CONFIRM, {"token": _token(client)})

        assert response.status_code == 302
        assert Observation.objects.count() == 3
        assert not Standing.objects.exists()
        page = client.get(UPLOAD).content.decode()
        assert RANKS_FOLLOW % "3 values are saved." in page
        income = Indicator.objects.get(code="KOSAG110000")
        assert income.standings_state in ("queued", "running")
        assert re.search(
            rf'<li id="ranks-{income.pk}"><code>KOSAG110000</code> [^<]*: '
            r"(waiting to be computed|being computed)</li>",
            page,
        )

    tasks.background_join()
    income.refresh_from_db()
    assert income.standings_state == "ready"
    assert sorted(
        Standing.objects.filter(scope="country").values_list("municipality__code", "rank")
    ) == [("0301", 1), ("4601", 2), ("5001", 3)]
    assert "Ranks not ready yet" not in client.get(UPLOAD).content.decode()


# --- Messages in the page's own words --------------------------------------------------------


def test_csv_without_indicator_asks_for_it_on_the_field_not_the_command_line(importer, media):
    data = b"region_code;year;value\n5601;2020;81,5\n"

    response = _upload(importer, "noindicator.csv", data)

    errors = response.context["form"].errors
    assert errors["file"] == [
        "noindicator.csv, line 1: the file has no indicator column: give the code of the "
        "indicator it holds."
    ]
    assert errors["indicator_code"] == [
        "The file has no indicator column: enter here the code of the indicator it holds, for "
        "example KOSandel120000."
    ]
    page = response.content.decode()
    assert "--indicator" not in page
    assert "command line" not in page
    assert _saved() == (0, 0, 0)
    assert _stored(media) == []


def test_jsonstat_with_fewer_values_than_its_dimensions_is_counted_on_the_page(importer, media):
    document = json.loads((DATA / CITIES).read_text())
    made = len(document["value"])
    document["value"] = document["value"][:-1]

    response = _upload(importer, "fewer.json", json.dumps(document).encode())

    assert response.context["form"].errors["file"] == [
        f"fewer.json, value: {made - 1} values where the dimensions make {made}."
    ]
    assert "list index out of range" not in response.content.decode()
    assert _saved() == (0, 0, 0)
    assert _stored(media) == []


def test_a_file_where_no_row_maps_is_refused_on_upload(importer, media):
    name = "ssb_07221_boligprisindeks_region_jsonstat2.json"  # quarters only

    response = _upload(importer, name)

    [problem] = response.context["form"].errors["file"]
    assert problem.startswith(f"{name}: no row maps to a municipality and a year (")
    assert _saved() == (0, 0, 0)
    assert _stored(media) == []
