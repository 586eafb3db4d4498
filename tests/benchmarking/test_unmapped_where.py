"""A file's rows whose code the register does not know are listed on the upload preview with
where they are in the file (line, and column for a file with one column per year), so that
the administrator can find and correct them; a feed's rows, which have no file, say nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarking.models import Observation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    country = f.CountryFactory(code="PT", name="Portugal")
    f.MunicipalityFactory(code="0705", name="Évora", region=f.RegionFactory(country=country))
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    return client


def _rows(page):
    table = re.search(
        r"<caption>Codes and periods that do not map</caption>(.*?)</table>", page, re.S
    )
    assert table, "no table of rows that do not map"
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    ]


def test_an_unknown_dico_code_is_listed_with_its_line_and_columns(importer):
    data = (
        "dico,indicator,name,2017,2016\n"
        "705,dormidas,Évora,572279,505000\n"
        "9999,dormidas,Nenhures,100,200\n"
    ).encode()
    response = importer.post(
        reverse("keyfigures_import"), {"file": SimpleUploadedFile("dormidas.csv", data)}
    )

    rows = _rows(response.content.decode())
    assert rows[0][-1] == "Where in the file"
    assert rows[1] == [
        "9999",
        "Nenhures",
        "2",
        "not a municipality code in the register",
        "line 3, column 2017; line 3, column 2016",
    ]
    assert Observation.objects.count() == 0  # a preview saves nothing


def test_a_long_file_names_the_first_three_lines_only(importer):
    lines = ["region_code,region_name,year,indicator,value", "0705,Évora,2017,X1,5"]
    lines += [f"9999,Nenhures,{year},X1,{year - 2000}" for year in range(2010, 2015)]
    response = importer.post(
        reverse("keyfigures_import"),
        {"file": SimpleUploadedFile("long.csv", "\n".join(lines).encode())},
    )

    (_header, row) = _rows(response.content.decode())
    assert row[0] == "9999"
    assert row[2] == "5"
    assert row[-1] == "line 3; line 4; line 5; …"
