"""A gathering's sign-in sheet (PDF) and attendance (CSV, Excel, PDF): their content, formulas
neutralised, and who may have them."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from networks.models import Country
from sessions_app import services
from tests import factories as f

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    """Gathering 1, ended yesterday, with a 3-hour agenda: Alta's chief executive (whose name
    looks like a formula) came and answered yes, Alta's mayor said no and came for 1.5 hours,
    Hammerfest's chief executive did not answer and did not come."""
    world.network.language = "en"
    world.network.save()
    chief = world.users["chief_executive"]
    chief.first_name, chief.last_name = '=HYPERLINK("http://x")', "Berg"
    chief.save()
    mayor = world.users["mayor"]
    mayor.first_name, mayor.last_name = "Mona", "Mayor"
    mayor.save()
    neighbour = world.users["neighbour_chief_executive"]
    neighbour.first_name, neighbour.last_name = "Nils", "Nabo"
    neighbour.save()
    start = timezone.now() + timedelta(hours=1)
    gathering = f.GatheringFactory(
        network=world.network,
        number=1,
        title="Where do we stand?",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    f.AgendaItemFactory(gathering=gathering, position=1, duration_minutes=180)
    services.gathering_answer_set(gathering=gathering, person=chief, answer="yes")
    services.gathering_answer_set(gathering=gathering, person=mayor, answer="no")
    yesterday = timezone.now() - timedelta(days=1, hours=8)
    gathering.starts_at, gathering.ends_at = yesterday, yesterday + timedelta(hours=8)
    gathering.save()
    services.attendance_record(
        gathering=gathering,
        entries=[
            services.AttendanceEntry(chief.pk, world.municipality.pk, "chief_executive", True),
            services.AttendanceEntry(
                mayor.pk, world.municipality.pk, "mayor", True, Decimal("1.5")
            ),
            services.AttendanceEntry(neighbour.pk, world.neighbour.pk, "chief_executive", False),
        ],
    )
    return gathering


def _roles():
    """The roles as the sheets name them: with Norway's own titles (networks 0010's seed)."""
    norway = Country.objects.get(code="NO")
    return f"Chief executive ({norway.chief_executive_title})", f"Mayor ({norway.mayor_title})"


def _get(client, world, url, who="facilitator"):
    client.force_login(world.users[who])
    return client.get(url)


def test_attendance_csv_rows(client, world, held):
    response = _get(client, world, reverse("gathering_attendance_export", args=[held.pk, "csv"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attendance-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    chief, mayor = _roles()
    assert rows == [
        ["Name", "Municipality", "Role", "Answer", "Present", "Hours"],
        ['\'=HYPERLINK("http://x") Berg', "Alta", chief, "I will come", "yes", "3"],
        ["Mona Mayor", "Alta", mayor, "I cannot come", "yes", "1.5"],
        ["Nils Nabo", "Hammerfest", chief, "", "no", "0"],
    ]


def test_attendance_excel_cells_neutralise_formulas(client, world, held):
    response = _get(client, world, reverse("gathering_attendance_export", args=[held.pk, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    chief, mayor = _roles()
    assert values == [
        ["Name", "Municipality", "Role", "Answer", "Present", "Hours"],
        ['\'=HYPERLINK("http://x") Berg', "Alta", chief, "I will come", "yes", 3],
        ["Mona Mayor", "Alta", mayor, "I cannot come", "yes", 1.5],
        ["Nils Nabo", "Hammerfest", chief, None, "no", 0],
    ]
    assert sheet["A2"].data_type == "s"


def test_attendance_pdf_text(client, world, held):
    response = _get(client, world, reverse("gathering_attendance_export", args=[held.pk, "pdf"]))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    chief, mayor = _roles()
    assert f"Attendance: {world.network.name}, gathering 1" in text
    assert "Name Municipality Role Answer Present Hours" in text
    assert f'=HYPERLINK("http://x") Berg Alta {chief} I will come yes 3.00' in text
    assert f"Mona Mayor Alta {mayor} I cannot come yes 1.5" in text
    assert f"Nils Nabo Hammerfest {chief} no 0.00" in text


def test_sign_in_sheet_lists_every_invitee_by_municipality(client, world, held):
    response = _get(client, world, reverse("gathering_sign_in_sheet", args=[held.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    chief, mayor = _roles()
    assert f"Sign-in: {world.network.name}, gathering 1" in text
    assert "Where do we stand?" in text
    assert "Name Role Signature" in text
    assert (
        f'Alta =HYPERLINK("http://x") Berg {chief} Mona Mayor {mayor} Hammerfest Nils Nabo {chief}'
    ) in text


def test_an_unknown_format_is_404(client, world, held):
    url = reverse("gathering_attendance_export", args=[held.pk, "docx"])
    assert _get(client, world, url).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),
        ("project_officer", 200),
        ("staff", 200),
        ("chief_executive", 403),
        ("other_facilitator", 404),
        ("other_chief_executive", 404),
    ],
)
@pytest.mark.parametrize("name", ["sign_in_sheet", "csv"])
def test_who_has_the_exports(client, world, held, who, status, name):
    if name == "sign_in_sheet":
        url = reverse("gathering_sign_in_sheet", args=[held.pk])
    else:
        url = reverse("gathering_attendance_export", args=[held.pk, "csv"])
    assert _get(client, world, url, who).status_code == status


def test_signed_out_visitors_go_to_sign_in(client, held):
    response = client.get(reverse("gathering_sign_in_sheet", args=[held.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
