"""CSV and Excel downloads of a municipality's position and a network's table: the values,
Norwegian letters, numbers kept as numbers, and cells a spreadsheet would run as formulas
neutralised."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from benchmarking import exports
from benchmarking.models import Indicator, Observation, ReferenceValue

pytestmark = pytest.mark.django_db

FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "\t"]
BY_NAME = sorted(FORMULAS)  # the order of the rows and columns


@pytest.fixture
def figures(world):
    """Free income, 2024: Alta 81,240, Hammerfest 66,605 (2023: Alta 80,000); kindergarten,
    2024: Alta missing (".."), Hammerfest 90.5. Landet 75,000."""
    world.income = Indicator.objects.create(
        code="KOSAG110000",
        name_en="Free income per inhabitant",
        unit="kr",
        decimals=0,
        higher_is_better=True,
    )
    world.kindergarten = Indicator.objects.create(
        code="KOSandel120000",
        name_en="Children aged 1-2 in kindergarten",
        unit="%",
        higher_is_better=True,
    )
    rows = [
        (world.income, world.municipality, 2023, 80000.0, ""),
        (world.income, world.municipality, 2024, 81240.0, ""),
        (world.income, world.neighbour, 2024, 66605.0, ""),
        (world.kindergarten, world.municipality, 2024, None, ".."),
        (world.kindergarten, world.neighbour, 2024, 90.5, ""),
    ]
    for indicator, municipality, year, value, status in rows:
        Observation.objects.create(
            indicator=indicator, municipality=municipality, year=year, value=value, status=status
        )
    ReferenceValue.objects.create(
        indicator=world.income, area_code="EAK", area_name="Landet", year=2024, value=75000.0
    )
    return world


def _download(client, user, name, pk, fmt, query=""):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk, fmt]) + query)
    assert response.status_code == 200
    return response


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response):
    assert response["Content-Type"] == exports.XLSX_TYPE
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


POSITION_HEADERS = [
    "Municipality",
    "Compared with",
    "Year",
    "Indicator code",
    "Indicator",
    "Unit",
    "Value",
    "Status",
    "Mean",
    "Median",
    "Rank",
    "Ranked",
    "Percentile",
    "Previous year",
    "Change",
    "Landet",
]


def test_municipality_position_as_csv(client, figures):
    response = _download(
        client,
        figures.users["chief_executive"],
        "municipality_keyfigures_export",
        figures.municipality.pk,
        "csv",
        "?year=2024",
    )
    network = f"network-{figures.network.pk}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="keyfigures-alta-2024-{network}.csv"'
    )
    compared = f"the network: {figures.network.name}"
    assert _csv(response) == [
        POSITION_HEADERS,
        [
            "Alta",
            compared,
            "2024",
            "KOSandel120000",
            "Children aged 1-2 in kindergarten",
            "%",
            "",
            "..",
            "90.5",
            "90.5",
            "",
            "1",
            "",
            "",
            "",
            "",
        ],
        [
            "Alta",
            compared,
            "2024",
            "KOSAG110000",
            "Free income per inhabitant",
            "NOK",
            "81240",
            "",
            "73922.5",
            "73922.5",
            "1",
            "2",
            "100",
            "2023",
            "1240",
            "75000",
        ],
    ]


def test_municipality_position_as_xlsx_keeps_numbers_as_numbers(client, figures):
    response = _download(
        client,
        figures.users["facilitator"],
        "municipality_keyfigures_export",
        figures.municipality.pk,
        "xlsx",
        "?compare=country&year=2023",
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="keyfigures-alta-2023-country.xlsx"'
    )
    sheet = _xlsx(response)
    assert sheet.title == "Alta 2023"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == POSITION_HEADERS[:-1]  # no reference values in 2023
    assert rows[1:] == [
        [
            "Alta",
            "the country: Norway",
            2023,
            "KOSAG110000",
            "Free income per inhabitant",
            "NOK",
            80000,
            None,
            80000,
            80000,
            1,
            1,
            100,
            None,
            None,
        ],
    ]
    assert sheet["G2"].data_type == "n"
    assert sheet["A1"].font.bold


def test_network_table_as_csv_and_xlsx(client, figures):
    user = figures.users["facilitator"]
    headers = [
        "Year",
        "Code",
        "Municipality",
        "Children aged 1-2 in kindergarten (%)",
        "Children aged 1-2 in kindergarten: rank",
        "Free income per inhabitant (NOK)",
        "Free income per inhabitant: rank",
    ]
    alta, hammerfest = figures.municipality, figures.neighbour
    response = _download(
        client, user, "network_keyfigures_export", figures.network.pk, "csv", "?year=2024"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="keyfigures-network')
    assert _csv(response) == [
        headers,
        ["2024", alta.code, "Alta", "..", "", "81240", "1"],  # missing: the source's symbol
        ["2024", hammerfest.code, "Hammerfest", "90.5", "1", "66605", "2"],
    ]
    response = _download(
        client, user, "network_keyfigures_export", figures.network.pk, "xlsx", "?year=2024"
    )
    rows = [[cell.value for cell in row] for row in _xlsx(response).iter_rows()]
    assert rows == [
        headers,
        [2024, alta.code, "Alta", "..", None, 81240, 1],
        [2024, hammerfest.code, "Hammerfest", 90.5, 1, 66605, 2],
    ]


def test_norwegian_letters_survive_the_csv(client, figures):
    Observation.objects.create(
        indicator=figures.income,
        municipality=figures.other_municipality,
        year=2024,
        value=90000.0,
    )
    response = _download(
        client,
        figures.users["other_chief_executive"],
        "municipality_keyfigures_export",
        figures.other_municipality.pk,
        "csv",
        "?year=2024",
    )
    assert "Bodø;".encode() in response.content
    network = f"network-{figures.other_network.pk}"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''keyfigures-bod%C3%B8-2024-{network}.csv"
    )
    assert _csv(response)[1][:3] == ["Bodø", f"the network: {figures.other_network.name}", "2024"]


def test_csv_in_norwegian_writes_decimal_commas(client, figures):
    client.force_login(figures.users["facilitator"])
    url = reverse("network_keyfigures_export", args=[figures.network.pk, "csv"])
    response = client.get(url, headers={"accept-language": "nb"})
    rows = _csv(response)
    assert rows[2][3] == "90,5"


def test_an_unknown_format_is_not_found(client, figures):
    client.force_login(figures.users["staff"])
    for name, pk in [
        ("municipality_keyfigures_export", figures.municipality.pk),
        ("network_keyfigures_export", figures.network.pk),
    ]:
        assert client.get(reverse(name, args=[pk, "pdf"])).status_code == 404


# --- Formula neutralising ----------------------------------------------------------------------


@pytest.fixture
def hostile(figures):
    """Indicators and a municipality named like formulas, and a negative value."""
    for position, name in enumerate(FORMULAS):
        indicator = Indicator.objects.create(
            code=f"X{position}", name_en=name, unit="@unit", category="zz"
        )
        Observation.objects.create(
            indicator=indicator, municipality=figures.municipality, year=2024, value=-1.0
        )
    figures.neighbour.name = '=HYPERLINK("http://example.org")'
    figures.neighbour.save()
    return figures


def _hostile_rows(rows):
    return [row for row in rows if str(row[3]).startswith("X")]


def _hostile_xlsx_rows(sheet):
    return [row for row in sheet.iter_rows() if str(row[3].value).startswith("X")]


def test_position_csv_neutralises_formulas_and_keeps_negative_numbers(client, hostile):
    response = _download(
        client,
        hostile.users["chief_executive"],
        "municipality_keyfigures_export",
        hostile.municipality.pk,
        "csv",
    )
    rows = _hostile_rows(_csv(response))
    assert [(row[4], row[5], row[6]) for row in rows] == [
        (f"'{name}", "'@unit", "-1") for name in BY_NAME
    ]


def test_position_xlsx_neutralises_formulas_and_keeps_negative_numbers(client, hostile):
    response = _download(
        client,
        hostile.users["chief_executive"],
        "municipality_keyfigures_export",
        hostile.municipality.pk,
        "xlsx",
    )
    sheet = _xlsx(response)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = _hostile_xlsx_rows(sheet)
    assert [(row[4].value, row[5].value, row[6].value) for row in rows] == [
        (f"'{name}", "'@unit", -1) for name in BY_NAME
    ]
    assert {row[6].data_type for row in rows} == {"n"}


def test_network_exports_neutralise_names_in_headers_and_rows(client, hostile):
    user = hostile.users["facilitator"]
    response = _download(
        client, user, "network_keyfigures_export", hostile.network.pk, "csv", "?year=2024"
    )
    header, *rows = _csv(response)
    assert [h for h in header if h.startswith("'")] == [
        item for name in BY_NAME for item in (f"'{name} (@unit)", f"'{name}: rank")
    ]
    assert '\'=HYPERLINK("http://example.org")' in [row[2] for row in rows]
    response = _download(
        client, user, "network_keyfigures_export", hostile.network.pk, "xlsx", "?year=2024"
    )
    sheet = _xlsx(response)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert '\'=HYPERLINK("http://example.org")' in [c.value for c in sheet["C"]]
    assert sheet["H1"].value == "'\t (@unit)"  # after the two plain indicators
    assert sheet["N1"].value == "'=cmd|' /C calc'!A0 (@unit)"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Alta", "Alta"),
        ("", ""),
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_neutralise(cell, written):
    assert exports.neutralise(cell) == written


def test_xlsx_drops_control_characters_before_neutralising():
    sheet = exports.Sheet("a/b:c", ["\x01=1+1"], [["x\x02y", 2.5]])
    workbook = openpyxl.load_workbook(io.BytesIO(exports.write_xlsx(sheet)))
    worksheet = workbook.active
    assert worksheet.title == "a b c"
    assert [[c.value for c in row] for row in worksheet.iter_rows()] == [
        ["'=1+1", None],
        ["xy", 2.5],
    ]
