"""``render_report KIND [SUBJECT] --output FILE``: PDF, or the figures as JSON or CSV."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from reports import figures

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_render_report_writes_the_programme_pdf(world, tmp_path):
    out = tmp_path / "review.pdf"
    call_command("render_report", "programme", world.programme.acronym, output=str(out))
    text = pdf_text(out.read_bytes())
    assert f"{world.programme.acronym} programme review report" in text
    assert world.network.name in text


def test_render_report_writes_the_figures_as_json_and_csv(world, tmp_path):
    outcome = figures.programme_outcome(programme=world.programme)
    call_command(
        "render_report", "programme", str(world.programme.pk), output=str(tmp_path / "f.json")
    )
    data = json.loads((tmp_path / "f.json").read_text())
    assert data["outcome"]["municipalities"] == outcome.municipalities
    call_command("render_report", "programme", "cemsdi", output=str(tmp_path / "f.csv"))
    with (tmp_path / "f.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["Key", "Figure", "Network", "Value", "Country"]
    assert ["pilots", "Pilots", "", str(outcome.pilot_count)] in [row[:4] for row in rows]


def test_render_report_writes_a_network_and_a_position_pdf(world, tmp_path):
    world.network.language = "nb"  # the report speaks --language (English), not the network's
    world.network.save()
    call_command("render_report", "network", str(world.network.pk), output=str(tmp_path / "n.pdf"))
    assert world.network.name in pdf_text((tmp_path / "n.pdf").read_bytes())
    call_command(
        "render_report", "position", world.municipality.code, network=str(world.network.pk),
        output=str(tmp_path / "p.pdf"),
    )  # fmt: skip
    assert f"{world.municipality.name} in key figures" in pdf_text(
        (tmp_path / "p.pdf").read_bytes()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["programme", "--output", "x.docx"], "must end in .pdf, .json or .csv"),
        (["network", "--output", "x.json"], "JSON and CSV hold the programme's outcome"),
        (["network", "--output", "x.pdf"], "Name the network"),
        (["programme", "NOPE", "--output", "x.pdf"], "No programme matches 'NOPE'"),
        (["strategy", "MUNICIPALITY", "--output", "x.pdf"], "add --network"),
    ],
)
def test_render_report_says_what_is_wrong(world, tmp_path, args, message):
    args = [world.municipality.code if arg == "MUNICIPALITY" else arg for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("render_report", *args)
