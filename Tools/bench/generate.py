#!/usr/bin/env python3
"""Deterministic data generator for the planatlas benchmark (issue 8).

Every dataset is a pure function of (generator version, workload, sizes, seed):
the same command writes byte-identical files on any machine with the same
numpy/pyproj versions, and the manifest records a SHA-256 of every file so two
runs can be checked to have used the same data.

Shapes are drawn in metres in EPSG:4550 (CGCS2000 / 3-degree Gauss-Kruger
CM 123E, the zone Shenyang lies in; EPSG:4549 is the CM 120E zone) around
centres drawn in lon/lat, then taken back to lon/lat and rounded to 6 decimals (about 0.1 m). The rounded decimal values are the data:
the GeoJSON text and the binary copy hold exactly the same doubles.

Datasets (one folder each under --out):
  w1-<n>-q<q>   W1 near: n features (70 % points, 20 % lines of 2-5 vertices
                and 20-300 m, 10 % polygons 20-200 m across) over
                123.10..123.80 E, 41.60..42.05 N, plus q query points.
  w2-<n>        W2 overlaps: layers A and B of n polygons each, 50-500 m
                across (log-uniform), in a square whose side grows with n so
                that about 10 % of polygons intersect the other layer.
  w3-<n>        W3 export: n polygons (8-24 vertices) with 5 properties.

Usage: generate.py {w1,w2,w3} --n N [--queries Q] [--out DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyproj
import shapely

GENERATOR_VERSION = 1
SEED = 20210817  # fixed; bump GENERATOR_VERSION if any drawing rule changes

W1_BBOX = (123.10, 41.60, 123.80, 42.05)  # lon_min, lat_min, lon_max, lat_max
W1_SHARES = {"point": 0.70, "line": 0.20, "polygon": 0.10}
W1_LINE_LENGTH_M = (20.0, 300.0)
W1_LINE_VERTICES = (2, 5)
W1_POLYGON_DIAMETER_M = (20.0, 200.0)
W2_DIAMETER_M = (50.0, 500.0)
# Square metres of region per polygon of one layer. Tuned (see README) so that
# about 10 % of all polygons intersect at least one polygon of the other layer.
W2_AREA_PER_POLYGON_M2 = 1.0e6
W3_DIAMETER_M = (20.0, 200.0)
W3_ZONES = ["R1", "R2", "B1", "B2", "M1", "W1", "S1", "G1", "A1", "U1"]

METRIC_CRS = "EPSG:4550"  # CGCS2000 / 3-degree Gauss-Kruger CM 123E, the zone Shenyang lies in
TO_METRIC = pyproj.Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
TO_4326 = pyproj.Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
KIND_CODE = {"point": 0, "line": 1, "polygon": 2}


def rng_for(*parts: object) -> np.random.Generator:
    """An independent PCG64 stream per (dataset, part), so adding a part never shifts another."""
    key = hashlib.sha256(repr((SEED, GENERATOR_VERSION) + parts).encode()).digest()
    return np.random.Generator(np.random.PCG64(int.from_bytes(key[:16], "little")))


def round6(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Round to 6 decimals through text, so the double is exactly what a JSON parser reads back."""
    text = np.char.mod("%.6f", values)
    return text, text.astype(np.float64)


def uniform(rng: np.random.Generator, low: float, high: float, size: int) -> np.ndarray:
    # Only rng.random() is used: its stream is the most stable across numpy versions.
    return low + (high - low) * rng.random(size)


def centres_in_bbox(rng: np.random.Generator, n: int, bbox) -> tuple[np.ndarray, np.ndarray]:
    lon = uniform(rng, bbox[0], bbox[2], n)
    lat = uniform(rng, bbox[1], bbox[3], n)
    return lon, lat


def star_polygons(rng, cx, cy, diameters, min_vertices, max_vertices):
    """Star-shaped rings around (cx, cy) in metres: angles jittered around a regular
    spacing (gaps stay below pi), radii 0.8-1.0 of the half diameter. Such a ring is
    simple and counter-clockwise. Returns (ring_x, ring_y, vertex_counts) with rings
    open (closing vertex added when writing)."""
    n = len(cx)
    span = max_vertices - min_vertices + 1
    counts = min_vertices + np.minimum((rng.random(n) * span).astype(np.int64), span - 1)
    total = int(counts.sum())
    owner = np.repeat(np.arange(n), counts)
    start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    index_in_ring = np.arange(total) - np.repeat(start, counts)
    step = 2 * math.pi / counts[owner]
    phase = rng.random(n) * 2 * math.pi
    angle = phase[owner] + step * (index_in_ring + 0.4 * (rng.random(total) - 0.5))
    radius = (diameters[owner] / 2) * (0.8 + 0.2 * rng.random(total))
    return cx[owner] + radius * np.cos(angle), cy[owner] + radius * np.sin(angle), counts


def lines(rng, cx, cy, lengths):
    """Open polylines of 2-5 vertices and the given total length, starting at (cx, cy),
    turning at most 60 degrees at each vertex; every segment is at least
    length / (2 * segments) long so rounding never collapses one."""
    n = len(cx)
    lo, hi = W1_LINE_VERTICES
    counts = lo + np.minimum((rng.random(n) * (hi - lo + 1)).astype(np.int64), hi - lo)
    segs = counts - 1
    xs, ys = [], []
    heading = rng.random(n) * 2 * math.pi
    for i in range(n):  # lines are 20 % of W1; a plain loop keeps the rule readable
        k = int(segs[i])
        weights = rng.random(k) + 1e-9
        share = 0.5 / k + 0.5 * weights / weights.sum()
        turns = (rng.random(k) - 0.5) * (2 * math.pi / 3)
        h = heading[i] + np.cumsum(np.concatenate(([0.0], turns[1:])))
        step_len = lengths[i] * share
        x = cx[i] + np.concatenate(([0.0], np.cumsum(step_len * np.cos(h))))
        y = cy[i] + np.concatenate(([0.0], np.cumsum(step_len * np.sin(h))))
        xs.append(x)
        ys.append(y)
    return np.concatenate(xs), np.concatenate(ys), counts


class Parts:
    """Geometries of one layer as flat lon/lat arrays (text and double) with per-feature
    vertex counts; rings are stored open and closed on output."""

    def __init__(self, kinds: np.ndarray, counts: np.ndarray, x_m: np.ndarray, y_m: np.ndarray):
        lon, lat = TO_4326.transform(x_m, y_m)
        self.kinds = kinds
        self.counts = counts
        self.lon_text, self.lon = round6(np.asarray(lon))
        self.lat_text, self.lat = round6(np.asarray(lat))
        self.starts = np.concatenate(([0], np.cumsum(counts)))

    def geometries(self) -> np.ndarray:
        out = np.empty(len(self.kinds), dtype=object)
        coords = np.column_stack([self.lon, self.lat])
        for kind, code in KIND_CODE.items():
            sel = np.nonzero(self.kinds == code)[0]
            if len(sel) == 0:
                continue
            if kind == "point":
                out[sel] = shapely.points(coords[self.starts[sel]])
                continue
            idx = np.concatenate([np.arange(self.starts[i], self.starts[i + 1]) for i in sel])
            part = np.repeat(np.arange(len(sel)), self.counts[sel])
            if kind == "line":
                out[sel] = shapely.linestrings(coords[idx], indices=part)
            else:
                closed_idx, closed_part = close_rings(idx, part, self.counts[sel])
                out[sel] = shapely.polygons(shapely.linearrings(coords[closed_idx], indices=closed_part))
        return out

    def geojson_coordinates(self, i: int) -> str:
        a, b = self.starts[i], self.starts[i + 1]
        pairs = [f"[{self.lon_text[j]},{self.lat_text[j]}]" for j in range(a, b)]
        kind = self.kinds[i]
        if kind == KIND_CODE["point"]:
            return '{"type":"Point","coordinates":' + pairs[0] + "}"
        if kind == KIND_CODE["line"]:
            return '{"type":"LineString","coordinates":[' + ",".join(pairs) + "]}"
        return '{"type":"Polygon","coordinates":[[' + ",".join(pairs + [pairs[0]]) + "]]}"


def close_rings(idx, part, counts):
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    closed_idx = np.insert(idx, np.cumsum(counts), idx[starts])
    closed_part = np.insert(part, np.cumsum(counts), np.arange(len(counts)))
    return closed_idx, closed_part


def check_polygons(geoms: np.ndarray, label: str) -> None:
    polys = geoms[shapely.get_type_id(geoms) == 3]
    bad = ~shapely.is_valid(polys)
    if bad.any():
        raise SystemExit(f"{label}: {int(bad.sum())} invalid polygons after rounding: "
                         f"{shapely.is_valid_reason(polys[bad][0])}")
    if not shapely.is_ccw(shapely.get_exterior_ring(polys)).all():
        raise SystemExit(f"{label}: a polygon exterior is not counter-clockwise")


def write_geojson(path: Path, parts: Parts, properties: list[str]) -> None:
    """RFC 7946 FeatureCollection, one feature per line, coordinates with 6 decimals."""
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        last = len(properties) - 1
        for i, props in enumerate(properties):
            sep = ",\n" if i < last else "\n"
            f.write('{"type":"Feature","id":' + str(i) + ',"properties":' + props +
                    ',"geometry":' + parts.geojson_coordinates(i) + "}" + sep)
        f.write("]}\n")


def add_layer_arrays(prefix: str, geoms: np.ndarray, kinds: np.ndarray, arrays: dict) -> None:
    wkb = shapely.to_wkb(geoms, byte_order=1)
    lengths = np.fromiter((len(b) for b in wkb), dtype=np.int64, count=len(wkb))
    arrays[prefix + "ids"] = np.arange(len(geoms), dtype=np.int64)
    arrays[prefix + "kinds"] = kinds.astype(np.int8)
    arrays[prefix + "wkb"] = np.frombuffer(b"".join(wkb), dtype=np.uint8)
    arrays[prefix + "wkb_offsets"] = np.concatenate(([0], np.cumsum(lengths)))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(folder: Path, info: dict) -> None:
    files = sorted(p for p in folder.iterdir() if p.name != "manifest.json")
    info["files"] = {p.name: {"bytes": p.stat().st_size, "sha256": sha256(p)} for p in files}
    info["generator_version"] = GENERATOR_VERSION
    info["seed"] = SEED
    (folder / "manifest.json").write_text(json.dumps(info, indent=2) + "\n")


def generate_w1(out: Path, n: int, q: int) -> Path:
    folder = out / f"w1-{n}-q{q}"
    folder.mkdir(parents=True, exist_ok=True)
    counts = {k: int(round(n * s)) for k, s in W1_SHARES.items()}
    counts["point"] = n - counts["line"] - counts["polygon"]
    kinds = np.concatenate([np.full(c, KIND_CODE[k], dtype=np.int64) for k, c in counts.items()])
    order = rng_for("w1", n, "shuffle").permutation(n)  # ids in random spatial order
    kinds = kinds[order]

    lon, lat = centres_in_bbox(rng_for("w1", n, "centres"), n, W1_BBOX)
    cx, cy = TO_METRIC.transform(lon, lat)
    cx, cy = np.asarray(cx), np.asarray(cy)
    per_feature = np.zeros(n, dtype=np.int64)
    sel_point = np.nonzero(kinds == 0)[0]
    sel_line = np.nonzero(kinds == 1)[0]
    sel_poly = np.nonzero(kinds == 2)[0]
    lx, ly, lc = lines(rng_for("w1", n, "lines"), cx[sel_line], cy[sel_line],
                       uniform(rng_for("w1", n, "line-length"), *W1_LINE_LENGTH_M, len(sel_line)))
    px, py, pc = star_polygons(rng_for("w1", n, "polygons"), cx[sel_poly], cy[sel_poly],
                               uniform(rng_for("w1", n, "polygon-size"), *W1_POLYGON_DIAMETER_M, len(sel_poly)),
                               5, 12)
    # Reassemble into id order.
    per_feature[sel_point] = 1
    per_feature[sel_line] = lc
    per_feature[sel_poly] = pc
    starts = np.concatenate(([0], np.cumsum(per_feature)))
    x = np.empty(starts[-1])
    y = np.empty(starts[-1])
    for sel, gx, gy, gc in ((sel_point, cx[sel_point], cy[sel_point], np.ones(len(sel_point), dtype=np.int64)),
                            (sel_line, lx, ly, lc), (sel_poly, px, py, pc)):
        dest = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in sel]) if len(sel) else np.empty(0, int)
        x[dest] = gx
        y[dest] = gy
    parts = Parts(kinds, per_feature, x, y)
    geoms = parts.geometries()
    check_polygons(geoms, "w1")

    kind_name = {v: k for k, v in KIND_CODE.items()}
    props = [f'{{"id":{i},"kind":"{kind_name[int(k)]}"}}' for i, k in enumerate(kinds)]
    write_geojson(folder / "features.geojson", parts, props)
    arrays: dict = {}
    add_layer_arrays("", geoms, kinds, arrays)
    np.savez(folder / "features.npz", **arrays)

    qlon, qlat = centres_in_bbox(rng_for("w1", n, q, "queries"), q, W1_BBOX)
    qlon_text, qlon = round6(qlon)
    qlat_text, qlat = round6(qlat)
    with open(folder / "queries.geojson", "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i in range(q):
            sep = ",\n" if i < q - 1 else "\n"
            f.write(f'{{"type":"Feature","id":{i},"properties":{{"id":{i}}},'
                    f'"geometry":{{"type":"Point","coordinates":[{qlon_text[i]},{qlat_text[i]}]}}}}{sep}')
        f.write("]}\n")
    np.savez(folder / "queries.npz", ids=np.arange(q, dtype=np.int64), lon=qlon, lat=qlat)
    write_manifest(folder, {
        "workload": "w1", "n_features": n, "n_queries": q, "counts": counts, "metric_crs": METRIC_CRS,
        "bbox": list(W1_BBOX), "radius_m": 500.0, "k": 10,
        "line_length_m": list(W1_LINE_LENGTH_M), "polygon_diameter_m": list(W1_POLYGON_DIAMETER_M),
    })
    return folder


def w2_layer(n: int, layer: str, side: float, x0: float, y0: float) -> tuple[Parts, np.ndarray]:
    rng = rng_for("w2", n, layer)
    cx = x0 + side * (rng.random(n) - 0.5)
    cy = y0 + side * (rng.random(n) - 0.5)
    lo, hi = W2_DIAMETER_M
    diam = lo * (hi / lo) ** rng.random(n)  # log-uniform: many small parcels, few large zones
    px, py, pc = star_polygons(rng, cx, cy, diam, 6, 16)
    parts = Parts(np.full(n, 2, dtype=np.int64), pc, px, py)
    geoms = parts.geometries()
    check_polygons(geoms, f"w2 layer {layer}")
    return parts, geoms


def generate_w2(out: Path, n: int) -> Path:
    folder = out / f"w2-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    side = math.sqrt(n * W2_AREA_PER_POLYGON_M2)
    x0, y0 = TO_METRIC.transform(123.45, 41.825)  # centred on Shenyang
    arrays: dict = {}
    layers = {}
    for layer in ("a", "b"):
        parts, geoms = w2_layer(n, layer, side, x0, y0)
        write_geojson(folder / f"layer_{layer}.geojson", parts, [f'{{"id":{i}}}' for i in range(n)])
        add_layer_arrays(f"{layer}_", geoms, parts.kinds, arrays)
        layers[layer] = geoms
    np.savez(folder / "layers.npz", **arrays)

    # Measure the overlap rate the density gives (recorded, not asserted).
    a = shapely.transform(layers["a"], lambda c: np.column_stack(TO_METRIC.transform(c[:, 0], c[:, 1])))
    b = shapely.transform(layers["b"], lambda c: np.column_stack(TO_METRIC.transform(c[:, 0], c[:, 1])))
    ia, ib = shapely.STRtree(b).query(a, predicate="intersects")
    touched = len(np.unique(ia)) + len(np.unique(ib))
    bounds = shapely.total_bounds(np.concatenate([layers["a"], layers["b"]]))
    write_manifest(folder, {
        "workload": "w2", "n_per_layer": n, "diameter_m": list(W2_DIAMETER_M),
        "diameter_distribution": "log-uniform", "region_side_m": side,
        "area_per_polygon_m2": W2_AREA_PER_POLYGON_M2, "metric_crs": METRIC_CRS, "bbox": [float(v) for v in bounds],
        "intersecting_pairs": int(len(ia)), "share_of_polygons_intersecting": touched / (2 * n),
    })
    return folder


def generate_w3(out: Path, n: int) -> Path:
    folder = out / f"w3-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    lon, lat = centres_in_bbox(rng_for("w3", n, "centres"), n, W1_BBOX)
    cx, cy = TO_METRIC.transform(lon, lat)
    rng = rng_for("w3", n, "shapes")
    diam = uniform(rng, *W3_DIAMETER_M, n)
    px, py, pc = star_polygons(rng, np.asarray(cx), np.asarray(cy), diam, 8, 24)
    parts = Parts(np.full(n, 2, dtype=np.int64), pc, px, py)
    geoms = parts.geometries()
    check_polygons(geoms, "w3")
    proj = shapely.transform(geoms, lambda c: np.column_stack(TO_METRIC.transform(c[:, 0], c[:, 1])))
    area_ha = shapely.area(proj) / 1e4
    prng = rng_for("w3", n, "properties")
    zone = (prng.random(n) * len(W3_ZONES)).astype(np.int64)
    year = 2021 + (prng.random(n) * 15).astype(np.int64)
    props = [f'{{"id":{i},"name":"地块{i:07d}","zone":"{W3_ZONES[zone[i]]}",'
             f'"area_ha":{area_ha[i]:.4f},"plan_year":{year[i]}}}' for i in range(n)]
    write_geojson(folder / "polygons.geojson", parts, props)
    # A GeoPackage copy: the fast-reading source for the second ogr2ogr variant.
    gpkg = folder / "polygons.gpkg"
    gpkg.unlink(missing_ok=True)
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(folder / "polygons.geojson"),
                    "-nln", "polygons"], check=True)
    write_manifest(folder, {"workload": "w3", "n_features": n, "properties": ["id", "name", "zone", "area_ha", "plan_year"]})
    return folder


def existing(folder: Path) -> bool:
    """A folder counts as generated when its manifest exists, names this generator version and every file matches its size."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return False
    info = json.loads(manifest.read_text())
    if info.get("generator_version") != GENERATOR_VERSION:
        return False
    return all((folder / name).exists() and (folder / name).stat().st_size == meta["bytes"]
               for name, meta in info["files"].items())


def ensure(workload: str, n: int, out: Path, queries: int = 10_000) -> Path:
    """Generate a dataset unless an identical one is already there; returns its folder."""
    name = {"w1": f"w1-{n}-q{queries}", "w2": f"w2-{n}", "w3": f"w3-{n}"}[workload]
    folder = out / name
    if existing(folder):
        return folder
    started = time.perf_counter()
    if workload == "w1":
        generate_w1(out, n, queries)
    elif workload == "w2":
        generate_w2(out, n)
    else:
        generate_w3(out, n)
    print(f"generated {folder} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", choices=["w1", "w2", "w3"])
    parser.add_argument("--n", type=int, required=True, help="features (W1), polygons per layer (W2), polygons (W3)")
    parser.add_argument("--queries", type=int, default=10_000, help="W1 query points")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data")
    args = parser.parse_args()
    if args.n <= 0 or args.queries <= 0:
        parser.error("--n and --queries must be positive")
    print(ensure(args.workload, args.n, args.out, args.queries))


if __name__ == "__main__":
    main()
