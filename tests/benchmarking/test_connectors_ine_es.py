"""INE Spain's Tempus3 connector against a local server serving a real INE answer (table 2074,
hotel travellers and nights by autonomous community and province, 2021M03-M05;
recorded/PROVENANCE.md). The figures are regional: the preview says that no municipality
matches, and nothing is saved."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarking import feeds
from benchmarking.connectors import Query, ine_es
from benchmarking.feed_models import FeedRun
from benchmarking.imports import import_preview
from benchmarking.models import Indicator, Observation
from networks.models import Municipality
from tests import factories as f

from .source_server import recorded

pytestmark = pytest.mark.django_db

ANSWER = "es_ine_2074_viajeros_pernoctaciones_ccaa_provincias_2021M03-M05.jsonstat2.json"


@pytest.fixture
def spain():
    """Sevilla (INE 41091) in the register, and Norway's Oslo: neither is a province."""
    country = f.CountryFactory(code="ES", name="Spain")
    f.MunicipalityFactory(code="41091", name="Sevilla", region=f.RegionFactory(country=country))
    f.MunicipalityFactory(code="0301", name="Oslo")
    return country


def _areas() -> dict[str, str]:
    category = json.loads(recorded(ANSWER))["dimension"]["comunidadesautonomasyprovincias"]
    return category["category"]["label"]


def test_ine_is_asked_for_the_table_and_its_years(source_server):
    source_server.respond = lambda request: (200, {}, recorded(ANSWER))

    fetched = ine_es.fetch(Query(table="2074", regions=["41091"], years=[2021]))

    (request,) = source_server.requests
    assert request.path == "/wstempus/jsstat/ES/DATASET/2074"
    assert request.query == {"date": ["20210101:20211231"]}
    assert fetched.data == recorded(ANSWER)  # kept as INE sent it
    ine_es.fetch(Query(table="2074", regions=["41091"], latest_years=3))
    assert source_server.requests[1].query == {"nult": ["3"]}


def test_regional_figures_are_said_to_match_no_municipality(source_server, spain):
    source_server.respond = lambda request: (200, {}, recorded(ANSWER))
    areas = _areas()

    fetched = ine_es.fetch(Query(table="2074", regions=["41091"], years=[2021]))
    preview = import_preview(fetched.data, fetched.file_name)

    assert not preview.ok
    (problem,) = preview.problems
    assert "regional figures" in problem
    assert "no municipality matches" in problem
    regional = {item.code: item for item in preview.unmapped if "regional" in item.reason}
    # Every area but Spain's total is a province or an autonomous community.
    assert set(regional) == {code for code in areas if code != "5_00"}
    assert regional["4_41"].label == areas["4_41"]
    assert "province" in regional["4_41"].reason
    assert "autonomous community" in regional["1_01"].reason
    assert Observation.objects.count() == 0


def test_an_ine_feed_ends_with_the_regional_message_and_saves_nothing(
    source_server, spain, django_capture_on_commit_callbacks
):
    source_server.respond = lambda request: (200, {}, recorded(ANSWER))
    feed = f.StatisticsFeedFactory(
        source="ine_es", table_id="2074", indicator_codes=[], region_codes=[], country=spain,
        years=[2021], region_variable="",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        run = feeds.feed_fetch_request(feed=feed)

    run.refresh_from_db()
    assert run.state == FeedRun.State.PROBLEMS
    assert "regional figures" in run.message
    assert (Indicator.objects.count(), Observation.objects.count()) == (0, 0)


def test_a_municipal_ine_code_lands_on_its_municipio(spain):
    """The same answer with Sevilla province's code turned into the municipio's (41091) and
    the months into years: its values land on Sevilla, of Spain's register only."""
    document = json.loads(recorded(ANSWER))
    geo = document["dimension"]["comunidadesautonomasyprovincias"]["category"]
    geo["index"] = {("19_41091" if k == "4_41" else k): v for k, v in geo["index"].items()}
    geo["label"] = {("19_41091" if k == "4_41" else k): v for k, v in geo["label"].items()}
    time = document["dimension"]["Per"]["category"]
    years = {"2021M05": "2021", "2021M04": "2020", "2021M03": "2019"}
    time["index"] = {years[k]: v for k, v in time["index"].items()}
    time["label"] = {years[k]: years[k] for k in time["label"]}

    preview = import_preview(json.dumps(document).encode(), "ine-es-2074.json")

    assert preview.ok, preview.problems
    sevilla = Municipality.objects.get(code="41091")
    assert preview.municipality_ids == {sevilla.pk}
    # 2 measures x 3 residences x 3 years for Sevilla; Spain's total as reference values.
    assert preview.observations_new == 2 * 3 * 3
    assert preview.reference_codes == ["EAK"]


def test_the_upload_page_says_the_ine_file_holds_regional_figures(
    client, world, spain, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["staff"])

    response = client.post(
        reverse("keyfigures_import"), {"file": SimpleUploadedFile(ANSWER, recorded(ANSWER))}
    )

    (error,) = response.context["form"].errors["file"]
    assert "holds regional figures (1_01, 1_02" in error
    assert "no municipality matches, so there is nothing to import" in error
    assert Indicator.objects.count() == 0
