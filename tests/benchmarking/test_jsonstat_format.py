"""JSON-stat as its authors define it (https://json-stat.org/full/): the format's own published
samples are read, a dimension of one category may give a label and no index, a value count
that does not match the dimensions is named as such, and a file of several datasets says so.
Every refusal changes nothing."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from benchmarking.imports import ImportRefused, import_apply, import_preview
from benchmarking.models import Indicator, Observation, ReferenceValue
from benchmarking.readers import FileProblem, read

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = Path(__file__).resolve().parents[2] / "benchmarking" / "data"
CITIES = "ssb_12134_kostra_KOSAG110000_2024_0301_4601_5001.jsonstat2.json"
BUNDLE = "ssb_dataset_1106_population_changes_kommuner_quarterly_jsonstat1.json"


def _sample(name: str) -> dict:
    return json.loads((FIXTURES / f"jsonstat_org_sample_{name}.json").read_text())


def _counts() -> tuple[int, int, int]:
    return Indicator.objects.count(), Observation.objects.count(), ReferenceValue.objects.count()


def _refused(document, name: str) -> str:
    """The one problem the file gives; importing it anyway changes nothing."""
    before = _counts()
    preview = import_preview(json.dumps(document).encode(), name)
    assert not preview.ok
    with pytest.raises(ImportRefused):
        import_apply(preview, allow_unmapped=True)
    assert _counts() == before
    (problem,) = preview.problems
    return problem


def _position(document: dict, **categories) -> int:
    """The position in ``value`` of a combination of categories, walked from the dimensions
    (row-major, the last dimension fastest, as the format defines it)."""
    position = 0
    for dim, size in zip(document["id"], document["size"], strict=True):
        category = document["dimension"][dim]["category"]
        index = category.get("index") or {next(iter(category["label"])): 0}
        index = {code: i for i, code in enumerate(index)} if isinstance(index, list) else index
        position = position * size + index[categories[dim]]
    return position


# --- The format's own samples ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "without_index"),
    [("oecd", "concept"), ("canada", "country"), ("galicia", "concept"), ("us-unr", "year")],
)
def test_samples_with_a_single_category_without_index_are_read(name, without_index):
    document = _sample(name)
    assert "index" not in document["dimension"][without_index]["category"]
    table = read(json.dumps(document).encode(), f"{name}.json")
    expected = 1
    for size in document["size"]:
        expected *= size
    assert len(table.frame) == expected == len(document["value"])
    assert table.file_format == "json-stat 2.0"


def test_oecd_sample_values_land_where_the_dimensions_put_them():
    document = _sample("oecd")
    frame = read(json.dumps(document).encode(), "oecd.json").frame
    norway = frame[(frame["region_code"] == "NO") & (frame["period"] == "2010")].iloc[0]
    expected = document["value"][_position(document, concept="UNR", area="NO", year="2010")]
    assert float(norway["value"]) == expected
    # The one category's label and unit come from the dimension that has no index.
    assert norway["indicator_code"] == "UNR"
    assert norway["indicator_label"] == document["dimension"]["concept"]["category"]["label"]["UNR"]
    assert norway["unit"] == document["dimension"]["concept"]["category"]["unit"]["UNR"]["base"]


def test_us_gsp_sample_is_read_as_it_always_was():
    document = _sample("us-gsp")
    frame = read(json.dumps(document).encode(), "us-gsp.json").frame
    assert len(frame) == len(document["value"])


@pytest.mark.parametrize("name", ["order", "hierarchy"])
def test_samples_without_region_and_time_say_so(name):
    problem = _refused(_sample(name), f"{name}.json")
    assert problem.startswith(f"{name}.json, dimension: cannot tell which dimension is the region")


def test_a_single_category_without_index_or_label_blames_the_file():
    document = _sample("oecd")
    del document["dimension"]["concept"]["category"]["label"]
    problem = _refused(document, "nolabel.json")
    assert problem.startswith(
        "nolabel.json, dimension: the dimensions are not described as JSON-stat describes them"
    )


def test_two_categories_without_index_blame_the_file():
    document = _sample("oecd")
    document["dimension"]["concept"]["category"]["label"]["UNR2"] = "another"
    problem = _refused(document, "twolabels.json")
    assert "the dimensions are not described as JSON-stat describes them" in problem


# --- Several datasets in one file -----------------------------------------------------------


def test_a_version_1_bundle_of_two_datasets_names_them():
    assert _refused(_sample("oecd-canada"), "oecd-canada.json") == (
        "oecd-canada.json: this file holds 2 datasets (oecd, canada); import one at a time, "
        "each in a file of its own."
    )


def test_a_collection_with_embedded_datasets_names_them():
    document = _sample("oecd-canada-col")
    labels = ", ".join(item["label"] for item in document["link"]["item"])
    assert _refused(document, "col.json") == (
        f"col.json: this file holds 2 datasets ({labels}); import one at a time, each in a "
        "file of its own."
    )


def test_a_collection_of_links_says_it_holds_no_values():
    document = _sample("collection")
    items = document["link"]["item"]
    problem = _refused(document, "collection.json")
    shown = ", ".join(item["label"] for item in items[:5])
    assert problem == (
        f"collection.json: this file is a JSON-stat collection that links to {len(items)} "
        f"datasets ({shown}, …) and holds no values itself: download the datasets and import "
        "them one at a time."
    )


def test_a_collection_of_one_embedded_dataset_is_that_dataset():
    collection = _sample("oecd-canada-col")
    collection["link"]["item"] = collection["link"]["item"][:1]
    table = read(json.dumps(collection).encode(), "one.json")
    assert len(table.frame) == len(collection["link"]["item"][0]["value"])


def test_ssb_version_1_bundle_of_one_dataset_is_read():
    document = json.loads((DATA / BUNDLE).read_text())
    table = read((DATA / BUNDLE).read_bytes(), BUNDLE)
    assert len(table.frame) == len(document["dataset"]["value"])


# --- Values fewer or more than the dimensions make ------------------------------------------


def _cities() -> dict:
    return json.loads((DATA / CITIES).read_text())


def test_fewer_values_than_the_dimensions_make_are_counted():
    document = _cities()
    made = len(document["value"])
    document["value"] = document["value"][:-1]
    assert _refused(document, "fewer.json") == (
        f"fewer.json, value: {made - 1} values where the dimensions make {made}."
    )


def test_more_values_than_the_dimensions_make_are_counted():
    document = _cities()
    made = len(document["value"])
    document["value"] = [*document["value"], 1.0, 2.0]
    assert _refused(document, "more.json") == (
        f"more.json, value: {made + 2} values where the dimensions make {made}."
    )


def test_ssb_bundle_with_a_value_cut_off_is_counted():
    document = json.loads((DATA / BUNDLE).read_text())
    made = len(document["dataset"]["value"])
    document["dataset"]["value"] = document["dataset"]["value"][:-10]
    assert _refused(document, "cut1106.json") == (
        f"cut1106.json, value: {made - 10} values where the dimensions make {made}."
    )


def test_sparse_values_with_fewer_keys_are_read_as_missing():
    document = _cities()
    values = document["value"]
    document["value"] = {"0": values[0]}  # the object form: only the values there are
    frame = read(json.dumps(document).encode(), "sparse.json").frame
    assert len(frame) == len(values)
    assert float(frame["value"].iloc[0]) == values[0]
    assert (frame["value"].iloc[1:] == "").all()


def test_sparse_values_beyond_the_dimensions_are_refused():
    document = _cities()
    made = len(document["value"])
    document["value"] = {"0": 1.0, str(made): 2.0}
    assert _refused(document, "beyond.json") == (
        f"beyond.json, value {made}: a value at position “{made}” where the dimensions make "
        f"{made} (positions 0 to {made - 1})."
    )


def test_sizes_that_disagree_with_the_categories_are_refused():
    document = _cities()
    document["size"] = [document["size"][0] + 1, *document["size"][1:]]
    problem = _refused(document, "size.json")
    assert problem.startswith("size.json, size: the sizes (")
    assert "do not agree with the categories of the dimensions" in problem


def test_the_value_count_is_checked_before_the_library_sees_it():
    document = _cities()
    document["value"] = document["value"][:1]
    with pytest.raises(FileProblem) as caught:
        read(json.dumps(document).encode(), "x.json")
    assert "list index out of range" not in str(caught.value)
    assert caught.value.__cause__ is None  # our check, not a library's error re-worded


# --- The same messages on the command line --------------------------------------------------


def _fewer_values() -> tuple[dict, str]:
    document = _cities()
    made = len(document["value"])
    document["value"] = document["value"][:-1]
    return document, f"file.json, value: {made - 1} values where the dimensions make {made}."


def _two_datasets() -> tuple[dict, str]:
    document = _sample("oecd-canada")
    names = ", ".join(document)
    return document, (
        f"file.json: this file holds {len(document)} datasets ({names}); import one at a time, "
        "each in a file of its own."
    )


@pytest.mark.parametrize("make", [_fewer_values, _two_datasets], ids=["fewer", "two-datasets"])
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["real", "dry"])
def test_command_gives_the_same_messages(tmp_path, make, dry_run):
    document, expected = make()
    path = tmp_path / "file.json"
    path.write_text(json.dumps(document))
    before = _counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_keyfigures", str(path), *dry_run)
    assert str(refused.value) == f"{expected} Nothing was imported."
    assert _counts() == before
