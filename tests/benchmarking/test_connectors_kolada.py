"""Kolada's API v3 connector against a local server: it follows the next-page links through
three pages, and its CSV goes through the upload's preview. The pages are written by the
project in Kolada's documented shape (recorded/PROVENANCE.md)."""

import json

import pytest

from benchmarking.connectors import Query, SourceUnavailable, kolada
from benchmarking.imports import import_preview
from tests import factories as f

from .source_server import recorded

pytestmark = pytest.mark.django_db

PAGES = [f"kolada_v3_data_FIXTURE_documented_shape_page{i}.json" for i in (1, 2, 3)]
KOLADA = "https://api.kolada.se"


def _serve_pages(server):
    def respond(request):
        page = int(request.query.get("page", ["1"])[0])
        body = recorded(PAGES[page - 1]).replace(KOLADA.encode(), server.url.encode())
        return 200, {}, body

    server.respond = respond


def _totals() -> list[tuple]:
    """The total-of-both-genders values of the pages, as they stand in the files."""
    found = []
    for name in PAGES:
        for item in json.loads(recorded(name))["values"]:
            for cell in item["values"]:
                if cell["gender"] == "T":
                    found.append((item["municipality"], str(item["period"]), cell["value"]))
    return found


def _query():
    return Query(table="N00945", regions=["0180", "1480", "1280", "0000"], years=[2019, 2020])


def test_kolada_follows_the_next_page_links_through_every_page(source_server):
    _serve_pages(source_server)

    fetched = kolada.fetch(_query())

    paths = [r.path for r in source_server.requests]
    assert paths == ["/v3/data/kpi/N00945/municipality/0180,1480,1280,0000/year/2019,2020"] * 3
    assert [r.query.get("page") for r in source_server.requests] == [None, ["2"], ["3"]]
    assert source_server.requests[0].query["per_page"] == ["5000"]
    lines = fetched.data.decode().splitlines()
    assert lines[0] == "region_code,region_name,indicator,indicator_name,year,value,status"
    assert len(lines) - 1 == len(_totals())


def test_kolada_values_preview_as_an_upload_with_the_country_as_reference(source_server):
    _serve_pages(source_server)
    sweden = f.CountryFactory(code="SE", name="Sweden")
    region = f.RegionFactory(country=sweden)
    for code, name in [("0180", "Stockholm"), ("1480", "Göteborg"), ("1280", "Malmö")]:
        f.MunicipalityFactory(code=code, name=name, region=region)
    totals = _totals()

    fetched = kolada.fetch(_query())
    preview = import_preview(fetched.data, fetched.file_name)

    assert preview.ok, preview.problems
    assert preview.observations_new == sum(1 for m, _y, _v in totals if m != "0000")
    assert preview.references == sum(1 for m, _y, _v in totals if m == "0000")
    assert preview.reference_codes == ["EAK"]
    assert preview.unmapped == []


def test_a_next_page_on_another_host_is_not_followed(source_server):
    source_server.respond = lambda request: (
        200, {}, recorded(PAGES[0]).replace(KOLADA.encode(), b"http://elsewhere.invalid")
    )  # fmt: skip

    with pytest.raises(SourceUnavailable) as caught:
        kolada.fetch(_query())

    assert "the next page is on another host" in str(caught.value)
    assert len(source_server.requests) == 1
