#!/usr/bin/env python3
"""Writes the expected GeoJSONWriter output for the golden-file tests, independently of our Swift code.

For each Tests/GeoModelTests/Fixtures/geojson/<name>.geojson this writes <name>.expected.geojson:
the same features as GeoJSONWriter's documented contract says they come out:
  - coordinates rounded to 7 decimals (Python's round(): exact on the binary value, ties to even),
    whole numbers without a fraction, no negative zero;
  - right-hand rule: exterior rings counterclockwise, holes clockwise, decided by shapely's
    LinearRing.is_ccw (GEOS), reversing rings where needed;
  - "properties": null becomes {}; "crs" and other foreign members of features are dropped;
  - the collection keeps the foreign members listed in KEEP_MEMBERS (the test passes them on).
The golden test compares with sorted keys; properties keep their input order so that the
read-back test can compare values, whose properties are ordered.

Run: python3 Tools/geojson-fixtures/make_expected.py   (needs shapely 2)
"""
import json
import pathlib

from shapely.geometry import LinearRing

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "GeoModelTests" / "Fixtures" / "geojson"
KEEP_MEMBERS = {"every-geometry": {"name": "every-geometry"}, "winding-and-precision": {}}
PRECISION = 7


def number(value):
    rounded = round(value, PRECISION)
    if rounded == 0:
        return 0
    if rounded == int(rounded) and abs(rounded) < 2**53:
        return int(rounded)
    return rounded


def position(values):
    return [number(v) for v in values]


def ring(coords, exterior):
    if len(coords) >= 4 and LinearRing(coords).is_ccw != exterior:
        coords = list(reversed(coords))
    return [position(p) for p in coords]


def polygon(rings):
    return [ring(r, i == 0) for i, r in enumerate(rings)]


def geometry(g):
    if g is None:
        return None
    t = g["type"]
    if t == "GeometryCollection":
        return {"type": t, "geometries": [geometry(m) for m in g["geometries"]]}
    c = g["coordinates"]
    if t == "Point":
        out = position(c)
    elif t in ("LineString", "MultiPoint"):
        out = [position(p) for p in c]
    elif t == "MultiLineString":
        out = [[position(p) for p in line] for line in c]
    elif t == "Polygon":
        out = polygon(c)
    elif t == "MultiPolygon":
        out = [polygon(p) for p in c]
    else:
        raise ValueError(t)
    return {"type": t, "coordinates": out}


def feature(f):
    out = {"type": "Feature", "geometry": geometry(f["geometry"]), "properties": f["properties"] or {}}
    if "id" in f:
        out["id"] = f["id"]
    return out


for name, members in KEEP_MEMBERS.items():
    source = json.loads((FIXTURES / f"{name}.geojson").read_text(encoding="utf-8"))
    expected = {"type": "FeatureCollection", **members, "features": [feature(f) for f in source["features"]]}
    text = json.dumps(expected, ensure_ascii=False, indent=1)  # properties keep their order
    (FIXTURES / f"{name}.expected.geojson").write_text(text + "\n", encoding="utf-8")
    print("wrote", FIXTURES / f"{name}.expected.geojson")
