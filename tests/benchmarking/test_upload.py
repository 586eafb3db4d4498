"""The key-figure upload page: preview first, nothing saved until the confirmation, all or
nothing, the same file twice changes nothing, and a token from the page is never trusted."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from benchmarking import services
from benchmarking.imports import import_apply, import_preview
from benchmarking.models import Indicator, Observation, ReferenceValue
from networks.register import register_load_code_history, register_load_norway

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "benchmarking" / "data"
CITIES = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"
UPLOAD = reverse("keyfigures_import")
CONFIRM = reverse("keyfigures_import_confirm")


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


def test_home_page_has_no_import_link_for_a_chief_executive(client, world):
    client.force_login(world.users["chief_executive"])
    assert UPLOAD not in client.get(reverse("home")).content.decode()


def test_preview_shows_counts_and_saves_nothing_until_confirmed(
    facilitator, media, django_capture_on_commit_callbacks
):
    response = _upload(facilitator, CITIES)

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
    token = _token(facilitator)
    assert _stored(media) == [token]
    assert f'value="{token}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(CONFIRM, {"token": token}, follow=True)

    assert response.redirect_chain == [(UPLOAD, 302)]
    assert _messages(response) == [
        f"{CITIES} is imported. New values: 3; changed: 0; unchanged: 0; reference values: 0; "
        "new indicators: 1."
    ]
    assert _saved() == (1, 3, 0)
    assert set(Observation.objects.values_list("municipality__code", flat=True)) == {
        "0301",
        "4601",
        "5001",
    }
    assert _stored(media) == []
    assert services.SESSION_KEY not in facilitator.session


def test_uploading_the_same_file_again_previews_no_change(
    facilitator, media, django_capture_on_commit_callbacks
):
    _upload(facilitator, CITIES)
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(CONFIRM, {"token": _token(facilitator)})
    before = list(Observation.objects.order_by("pk").values())

    response = _upload(facilitator, CITIES)

    preview = response.context["preview"]
    assert (preview.indicators_new, preview.indicators_known) == ([], ["KOSAG110000"])
    assert (preview.observations_new, preview.observations_changed) == (0, 0)
    assert preview.observations_unchanged == 3
    assert "Importing this file changes no value" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(CONFIRM, {"token": _token(facilitator)}, follow=True)
    assert _messages(response) == [
        f"{CITIES} is imported. New values: 0; changed: 0; unchanged: 3; reference values: 0; "
        "new indicators: 0."
    ]
    assert list(Observation.objects.order_by("pk").values()) == before


def test_confirm_previews_again_against_the_database_of_now(facilitator, media):
    _upload(facilitator, CITIES)
    # Someone else imports the same file between the preview and the confirmation.
    import_apply(import_preview((DATA / CITIES).read_bytes(), CITIES))

    response = facilitator.post(CONFIRM, {"token": _token(facilitator)}, follow=True)

    assert _messages(response)[0].startswith(f"{CITIES} is imported. New values: 0; changed: 0;")
    assert _saved() == (1, 3, 0)


def test_options_and_direction_are_kept_until_the_confirmation(facilitator, media):
    data = b"region_code;year;value\n5601;2020;81,5\n1804;2020;79\n"
    response = _upload(
        facilitator,
        "barnehage.csv",
        data,
        indicator_code="KOSandel120000",
        indicator_name="Andel barn 1-2 år i barnehage",
        unit="prosent",
        higher_is_better="yes",
    )
    assert response.context["preview"].observations_new == 2

    facilitator.post(CONFIRM, {"token": _token(facilitator)})

    indicator = Indicator.objects.get()
    assert (indicator.code, indicator.name_nb, indicator.unit, indicator.higher_is_better) == (
        "KOSandel120000",
        "Andel barn 1-2 år i barnehage",
        "prosent",
        True,
    )
    assert Observation.objects.get(municipality__code="5601").value == 81.5


def test_text_where_a_number_belongs_names_file_and_line(facilitator, media):
    data = "region_code;year;value\n5601;2020;81,5\n5603;2020;åtti\n".encode()

    response = _upload(facilitator, "text.csv", data, indicator_code="X")

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
    assert services.SESSION_KEY not in facilitator.session


def test_truncated_jsonstat_names_file_and_line(facilitator, media):
    data = (DATA / CITIES).read_bytes()

    response = _upload(facilitator, "cut.json", data[: len(data) // 2])

    [problem] = response.context["form"].errors["file"]
    assert problem.startswith("cut.json, line 1, column ")
    assert "the JSON is broken" in problem
    assert _saved() == (0, 0, 0)
    assert _stored(media) == []


def test_a_broken_upload_drops_the_one_waiting(facilitator, media):
    _upload(facilitator, CITIES)
    token = _token(facilitator)

    _upload(facilitator, "cut.json", b'{"version": "2.0",')

    assert _stored(media) == []
    response = facilitator.post(CONFIRM, {"token": token}, follow=True)
    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert _saved() == (0, 0, 0)


def test_empty_upload_is_refused_on_the_field(facilitator, media):
    response = _upload(facilitator, "empty.csv", b"")

    assert response.context["form"].errors["file"] == [
        "empty.csv is empty: choose a file that holds key figures."
    ]
    assert _stored(media) == []


def test_no_file_is_refused_on_the_field(facilitator, media):
    response = facilitator.post(UPLOAD, {"indicator_code": "X"})

    assert response.context["form"].errors["file"] == ["Choose a file to import."]


def test_file_over_the_limit_is_refused_on_the_field(facilitator, media, settings):
    settings.MAX_IMPORT_MB = 1
    data = b"region_code,year,value\n" + b"5601,2020,1\n" * 100_000

    response = _upload(facilitator, "big.csv", data, indicator_code="X")

    assert response.context["form"].errors["file"] == ["big.csv is 1.1 MB; the limit is 1 MB."]
    assert _stored(media) == []


def test_unmapped_rows_need_the_checkbox(facilitator, media, django_capture_on_commit_callbacks):
    data = b"region_code,region_name,year,value\n0000,Nowhere,2020,1.5\n5601,Alta,2020,2\n"
    response = _upload(facilitator, "unmapped.csv", data, indicator_code="X")

    preview = response.context["preview"]
    assert [(u.code, u.label, u.rows) for u in preview.unmapped] == [("0000", "Nowhere", 1)]
    page = response.content.decode()
    assert "<caption>Codes and periods that do not map</caption>" in page
    assert "not a municipality code in the register" in page
    assert 'name="allow_unmapped"' in page
    token = _token(facilitator)

    response = facilitator.post(CONFIRM, {"token": token})

    assert response.status_code == 200
    assert response.context["form"].errors["allow_unmapped"] == [
        "1 row does not map to a municipality or a year (0000); allow unmapped rows to import "
        "the rest."
    ]
    assert _saved() == (0, 0, 0)
    assert _stored(media) == [token]  # still waiting for the checkbox

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(CONFIRM, {"token": token, "allow_unmapped": "on"}, follow=True)

    assert _messages(response) == [
        "unmapped.csv is imported. New values: 1; changed: 0; unchanged: 0; reference values: 0; "
        "new indicators: 1.",
        "Rows left out because they do not map: 1.",
    ]
    assert list(Observation.objects.values_list("municipality__code", "value")) == [("5601", 2.0)]
    assert _stored(media) == []


@pytest.mark.parametrize(
    "token",
    ["", "x" * 43, "../../../etc/passwd", "A" * 500],
    ids=["missing", "guessed", "path", "long"],
)
def test_a_tampered_token_changes_nothing(facilitator, media, token):
    _upload(facilitator, CITIES)
    waiting = _token(facilitator)

    response = facilitator.post(CONFIRM, {"token": token}, follow=True)

    assert response.redirect_chain == [(UPLOAD, 302)]
    assert _messages(response) == [
        "There is no upload waiting to be imported: it was imported already, replaced by a "
        "newer upload, or it has expired. Nothing was saved; please upload the file again."
    ]
    assert _saved() == (0, 0, 0)
    assert _stored(media) == [waiting]  # the real upload still waits
    assert _token(facilitator) == waiting


def test_a_reused_token_changes_nothing(facilitator, media, django_capture_on_commit_callbacks):
    _upload(facilitator, CITIES)
    token = _token(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(CONFIRM, {"token": token}, follow=True)
    Observation.objects.filter(municipality__code="0301").update(value=1.0)

    response = facilitator.post(CONFIRM, {"token": token}, follow=True)

    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert Observation.objects.get(municipality__code="0301").value == 1.0


def test_a_token_from_another_session_changes_nothing(facilitator, world, media):
    _upload(facilitator, CITIES)
    other = Client()
    other.force_login(world.users["other_facilitator"])

    response = other.post(CONFIRM, {"token": _token(facilitator)}, follow=True)

    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert _saved() == (0, 0, 0)


def test_a_stored_file_gone_missing_changes_nothing(facilitator, media):
    _upload(facilitator, CITIES)
    token = _token(facilitator)
    (media / token).unlink()

    response = facilitator.post(CONFIRM, {"token": token}, follow=True)

    assert _messages(response)[0].startswith("There is no upload waiting to be imported")
    assert services.SESSION_KEY not in facilitator.session
    assert _saved() == (0, 0, 0)


def test_a_new_upload_replaces_the_one_waiting(facilitator, media):
    _upload(facilitator, CITIES)
    first = _token(facilitator)

    _upload(facilitator, CITIES)

    second = _token(facilitator)
    assert second != first
    assert _stored(media) == [second]


def test_chief_executive_may_not_upload_or_confirm(client, world, register, media):
    client.force_login(world.users["chief_executive"])
    data = (DATA / CITIES).read_bytes()

    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": SimpleUploadedFile(CITIES, data)}).status_code == 403
    assert client.post(CONFIRM, {"token": "x" * 43}).status_code == 403
    assert _stored(media) == []
    assert _saved() == (0, 0, 0)


def test_staff_may_import(client, world, register, media):
    client.force_login(world.users["staff"])

    response = _upload(client, CITIES)

    assert response.context["preview"].observations_new == 3
