"""Tests of the benchmark's own judgement: the data generator and the answer checker.
Run: Tools/bench/.venv/bin/python -m pytest Tools/bench/tests"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "peers"))

import check  # noqa: E402
import generate  # noqa: E402


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


W1A = "query_id,feature_id,distance_m\n0,5,10.00\n0,3,250.50\n1,7,499.99\n"


def test_w1a_identical_answers_agree_and_share_a_fingerprint(tmp_path):
    a = write(tmp_path / "a.csv", W1A)
    b = write(tmp_path / "b.csv", W1A)
    assert check.compare("w1a", a, b).agree
    assert check.fingerprint("w1a", a) == check.fingerprint("w1a", b)


def test_w1a_a_missing_hit_inside_the_radius_is_a_disagreement(tmp_path):
    a = write(tmp_path / "a.csv", W1A)
    b = write(tmp_path / "b.csv", "query_id,feature_id,distance_m\n0,5,10.00\n1,7,499.99\n")
    verdict = check.compare("w1a", a, b)
    assert not verdict.agree
    assert "feature 3" in verdict.differences[0]


def test_w1a_a_hit_on_the_radius_may_be_in_or_out(tmp_path):
    a = write(tmp_path / "a.csv", W1A)
    b = write(tmp_path / "b.csv", "query_id,feature_id,distance_m\n0,5,10.00\n0,3,250.50\n")
    assert check.compare("w1a", a, b, radius=500.0).agree


def test_w1a_distances_differing_by_more_than_a_centimetre_disagree(tmp_path):
    a = write(tmp_path / "a.csv", W1A)
    b = write(tmp_path / "b.csv", W1A.replace("250.50", "250.53"))
    assert not check.compare("w1a", a, b).agree


def test_w1a_rows_out_of_distance_order_disagree(tmp_path):
    a = write(tmp_path / "a.csv", W1A)
    b = write(tmp_path / "b.csv", "query_id,feature_id,distance_m\n0,3,250.50\n0,5,10.00\n1,7,499.99\n")
    assert not check.compare("w1a", a, b).agree


def test_w1b_a_different_pick_inside_the_tie_band_agrees(tmp_path):
    head = "query_id,rank,feature_id,distance_m\n0,1,4,1.00\n"
    a = write(tmp_path / "a.csv", head + "0,2,8,7.25\n")
    b = write(tmp_path / "b.csv", head + "0,2,9,7.25\n")
    assert check.compare("w1b", a, b, k=2).agree


def test_w1b_a_different_feature_closer_than_the_kth_disagrees(tmp_path):
    a = write(tmp_path / "a.csv", "query_id,rank,feature_id,distance_m\n0,1,4,1.00\n0,2,8,7.25\n")
    b = write(tmp_path / "b.csv", "query_id,rank,feature_id,distance_m\n0,1,5,1.00\n0,2,8,7.25\n")
    assert not check.compare("w1b", a, b, k=2).agree


def test_w2_areas_within_a_tenth_of_a_percent_agree_and_beyond_do_not(tmp_path):
    a = write(tmp_path / "a.csv", "id_a,id_b,area_m2\n1,2,1000.0000\n")
    near = write(tmp_path / "b.csv", "id_a,id_b,area_m2\n1,2,1000.9000\n")
    far = write(tmp_path / "c.csv", "id_a,id_b,area_m2\n1,2,1001.5000\n")
    assert check.compare("w2", a, near).agree
    assert not check.compare("w2", a, far).agree


def test_w2_a_touching_pair_with_no_area_may_be_missing(tmp_path):
    a = write(tmp_path / "a.csv", "id_a,id_b,area_m2\n1,2,1000.0000\n3,4,0.0000\n")
    b = write(tmp_path / "b.csv", "id_a,id_b,area_m2\n1,2,1000.0000\n")
    assert check.compare("w2", a, b).agree


def test_agreement_marks_the_odd_one_out_invalid(tmp_path):
    good = {n: write(tmp_path / f"{n}.csv", W1A) for n in ("x", "y")}
    odd = write(tmp_path / "z.csv", W1A.replace("0,5,10.00\n", ""))
    valid, report = check.agreement("w1a", {**good, "z": odd}, radius=500.0)
    assert valid == {"x": True, "y": True, "z": False}
    assert any("DISAGREE" in line for line in report)


def test_generator_is_deterministic_and_writes_what_it_promises(tmp_path):
    first = generate.generate_w1(tmp_path / "one", 500, 20)
    second = generate.generate_w1(tmp_path / "two", 500, 20)
    m1 = json.loads((first / "manifest.json").read_text())
    m2 = json.loads((second / "manifest.json").read_text())
    assert m1["files"] == m2["files"]
    assert m1["counts"] == {"point": 350, "line": 100, "polygon": 50}

    doc = json.loads((first / "features.geojson").read_text())
    from_json = np.array([shapely.geometry.shape(f["geometry"]) for f in doc["features"]])
    z = np.load(first / "features.npz")
    blob, off = z["wkb"].tobytes(), z["wkb_offsets"]
    from_npz = shapely.from_wkb([blob[off[i]:off[i + 1]] for i in range(len(off) - 1)])
    assert shapely.equals_exact(from_json, from_npz, tolerance=0).all()

    polygons = from_json[shapely.get_type_id(from_json) == 3]
    assert shapely.is_valid(polygons).all()
    assert shapely.is_ccw(shapely.get_exterior_ring(polygons)).all()
    lon_min, lat_min, lon_max, lat_max = shapely.total_bounds(from_json)
    assert 123.09 < lon_min and lon_max < 123.81 and 41.59 < lat_min and lat_max < 42.06


@pytest.mark.parametrize("n", [2000])
def test_w2_density_gives_about_ten_percent_intersecting(tmp_path, n):
    folder = generate.generate_w2(tmp_path, n)
    share = json.loads((folder / "manifest.json").read_text())["share_of_polygons_intersecting"]
    assert 0.07 < share < 0.14
