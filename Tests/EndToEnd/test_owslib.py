"""OWSLib, the OGC client library for Python, reading a running planatlas service.

Tests/EndToEnd/run.sh starts the service and sets PLANATLAS_URL; expectations come from
GeoData's own files, read here with json and shapely (not through planatlas).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from owslib.ogcapi.features import Features
from shapely.geometry import box, shape

URL = os.environ["PLANATLAS_URL"]
GEODATA = Path(os.environ.get("PLANATLAS_GEODATA", Path(__file__).resolve().parents[2] / "GeoData"))


def layer_ids() -> list[str]:
    return [layer["id"] for layer in json.loads((GEODATA / "layers.json").read_text())["layers"]]


def file_features(layer: str) -> list[dict]:
    return json.loads((GEODATA / f"{layer}.geojson").read_text())["features"]


@pytest.fixture(scope="module")
def api() -> Features:
    return Features(URL)


def test_conformance_declares_core_geojson_and_openapi(api):
    classes = api.conformance()["conformsTo"]
    for name in ("core", "geojson", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{name}" in classes


def test_collections_are_the_catalogue_layers_in_order(api):
    assert [c["id"] for c in api.collections()["collections"]] == layer_ids()
    assert sorted(api.feature_collections()) == sorted(layer_ids())


@pytest.mark.parametrize("layer", layer_ids())
def test_each_collection_counts_the_features_of_its_file(api, layer):
    collection = api.collection(layer)
    assert collection["id"] == layer
    assert collection["planatlas:itemCount"] == len(file_features(layer))
    assert api.collection_items(layer, limit=1)["numberMatched"] == len(file_features(layer))


@pytest.mark.parametrize("layer, bbox", [
    ("metro-stations", [123.38, 41.76, 123.48, 41.83]),   # the old city around the Mukden Palace
    ("metro-lines", [123.40, 41.78, 123.42, 41.80]),
    ("districts", [123.30, 41.70, 123.35, 41.75]),
    ("heritage-sites", [123.0, 41.0, 123.1, 41.1]),        # empty countryside box
])
def test_items_in_a_bbox_are_those_shapely_finds_in_the_file(api, layer, bbox):
    expected = sorted(f["id"] for f in file_features(layer) if shape(f["geometry"]).intersects(box(*bbox)))
    result = api.collection_items(layer, bbox=bbox, limit=10000)
    assert result["type"] == "FeatureCollection"
    assert result["numberMatched"] == result["numberReturned"] == len(expected)
    assert sorted(f["id"] for f in result["features"]) == expected


def test_pages_with_limit_and_offset_cover_the_layer_once(api):
    ids = [f["id"] for f in file_features("metro-stations")]
    seen = []
    for offset in range(0, len(ids), 50):
        page = api.collection_items("metro-stations", limit=50, offset=offset)
        assert page["numberMatched"] == len(ids)
        seen += [f["id"] for f in page["features"]]
    assert seen == ids


def test_one_feature_by_id(api):
    expected = file_features("market-relocations")[0]
    feature = api.collection_item("market-relocations", expected["id"])
    assert feature["id"] == expected["id"]
    assert feature["properties"] == expected["properties"]
    assert feature["geometry"]["type"] == expected["geometry"]["type"]


def test_an_unknown_parameter_is_refused(api):
    with pytest.raises(RuntimeError, match="limt"):
        api.collection_items("metro-stations", limt=5)
