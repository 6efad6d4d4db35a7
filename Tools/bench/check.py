#!/usr/bin/env python3
"""Answer agreement: canonical answers, fingerprints and tolerant comparison.

Canonical answers (README.md, "Answers"):
  W1a  per query, the features within the radius with their distance in metres in
       the metric CRS (EPSG:4550) rounded to 0.01, ordered by (distance, feature id).
  W1b  per query, the k nearest features with distances; ties at the k-th place are
       broken by the smaller feature id.
  W2   the set of (id_a, id_b) pairs whose geometries intersect, with the area of the
       intersection in square metres (EPSG:4550).
  W4   the ids of the features intersecting each of 20 sample boxes (bbox queries
       without a practical limit), equal as sets.
  W3   the features of the exported GeoJSON, ordered by id: the 5 properties (id
       as a property or as the feature's id member) and every coordinate at 6
       decimals; the file must also be RFC 7946 (CCW exteriors, closed rings) with
       no coordinate longer than 6 decimals.

Two tools agree when their answers are equal within what floating point and two
different GEOS/PROJ versions can honestly change:
  - distances within DIST_TOL (0.011 m: both sides round to 0.01 m);
  - W1a: a feature whose distance is within DIST_TOL of the radius may be in or out;
  - W1b: features whose distance is within DIST_TOL of the k-th distance are a tie
    band: either tool may have picked any of them;
  - W2: areas within 0.1 % (or AREA_ABS_TOL m2 for slivers); pairs whose area is
    below AREA_ABS_TOL on the side that has them (touching or grazing polygons)
    may be present or absent.
A fingerprint (SHA-256 of the canonical text) is printed for every answer file;
equal fingerprints mean identical answers, unequal ones send the two files through
the tolerant comparison, which names the first differences.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

DIST_TOL = 0.011
AREA_REL_TOL = 1e-3
AREA_ABS_TOL = 1e-2


@dataclass
class Verdict:
    agree: bool
    differences: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.agree = False
        if len(self.differences) < 8:
            self.differences.append(message)


def read_answers(workload: str, path: Path) -> pd.DataFrame:
    columns = {
        "w1a": ["query_id", "feature_id", "distance_m"],
        "w1b": ["query_id", "rank", "feature_id", "distance_m"],
        "w2": ["id_a", "id_b", "area_m2"],
    }[workload]
    frame = pd.read_csv(path)
    if list(frame.columns) != columns:
        raise ValueError(f"{path}: header {list(frame.columns)}, expected {columns}")
    return frame


def fingerprint(workload: str, path: Path) -> str:
    h = hashlib.sha256()
    if workload == "w4":
        h.update(Path(path).read_bytes())
        return h.hexdigest()[:16]
    if workload == "w3":
        for row in w3_canonical(path):
            h.update(row.encode())
        return h.hexdigest()[:16]
    frame = read_answers(workload, path)
    if workload == "w1a":
        frame = frame.assign(d=np.round(frame.distance_m * 100).astype(np.int64))
        frame = frame.sort_values(["query_id", "d", "feature_id"])[["query_id", "feature_id", "d"]]
    elif workload == "w1b":
        frame = frame.assign(d=np.round(frame.distance_m * 100).astype(np.int64))
        frame = frame.sort_values(["query_id", "d", "feature_id"])[["query_id", "feature_id", "d"]]
    else:
        frame = frame.assign(a=np.round(frame.area_m2, 1)).sort_values(["id_a", "id_b"])[["id_a", "id_b", "a"]]
    h.update(frame.to_csv(index=False).encode())
    return h.hexdigest()[:16]


def compare(workload: str, left: Path, right: Path, radius: float = 500.0, k: int = 10) -> Verdict:
    if workload == "w1a":
        return compare_w1a(read_answers("w1a", left), read_answers("w1a", right), radius)
    if workload == "w1b":
        return compare_w1b(read_answers("w1b", left), read_answers("w1b", right), k)
    if workload == "w2":
        return compare_w2(read_answers("w2", left), read_answers("w2", right))
    if workload == "w3":
        return compare_w3(left, right)
    if workload == "w4":
        return compare_w4(left, right)
    raise ValueError(workload)


def _check_sorted(frame: pd.DataFrame, value: str, verdict: Verdict, side: str) -> None:
    q = frame.query_id.to_numpy()
    d = frame[value].to_numpy()
    same_query = q[1:] == q[:-1]
    if (q[1:] < q[:-1]).any():
        verdict.fail(f"{side}: rows are not ordered by query_id")
    bad = same_query & (d[1:] < d[:-1] - 1e-9)
    if bad.any():
        i = int(np.nonzero(bad)[0][0])
        verdict.fail(f"{side}: query {q[i]} is not ordered by distance ({d[i]} then {d[i + 1]})")


def _merge(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return a.merge(b, on=keys, how="outer", suffixes=("_l", "_r"), indicator=True)


def compare_w1a(a: pd.DataFrame, b: pd.DataFrame, radius: float) -> Verdict:
    verdict = Verdict(True)
    _check_sorted(a, "distance_m", verdict, "left")
    _check_sorted(b, "distance_m", verdict, "right")
    for side, frame in (("left", a), ("right", b)):
        if (frame.distance_m > radius + DIST_TOL).any():
            verdict.fail(f"{side}: a hit lies beyond the radius")
        if frame.duplicated(["query_id", "feature_id"]).any():
            verdict.fail(f"{side}: a feature is listed twice for one query")
    m = _merge(a, b, ["query_id", "feature_id"])
    only = m[m._merge != "both"]
    near_edge = np.fmax(only.distance_m_l.fillna(-1), only.distance_m_r.fillna(-1)) >= radius - DIST_TOL
    for _, row in only[~near_edge].head(5).iterrows():
        side = "left" if row._merge == "left_only" else "right"
        d = row.distance_m_l if side == "left" else row.distance_m_r
        verdict.fail(f"query {row.query_id}: feature {row.feature_id} at {d} m only in {side}")
    if (~near_edge).sum() > 5:
        verdict.fail(f"... {int((~near_edge).sum())} hits in one answer only")
    _compare_distances(m[m._merge == "both"], verdict, ["query_id", "feature_id"])
    return verdict


def _compare_distances(both: pd.DataFrame, verdict: Verdict, keys: list[str]) -> None:
    delta = (both.distance_m_l - both.distance_m_r).abs()
    bad = both[delta > DIST_TOL]
    for _, row in bad.head(5).iterrows():
        where = ", ".join(f"{k} {row[k]}" for k in keys)
        verdict.fail(f"{where}: distance {row.distance_m_l} vs {row.distance_m_r}")


def compare_w1b(a: pd.DataFrame, b: pd.DataFrame, k: int) -> Verdict:
    verdict = Verdict(True)
    _check_sorted(a, "distance_m", verdict, "left")
    _check_sorted(b, "distance_m", verdict, "right")
    counts_a = a.groupby("query_id").size()
    counts_b = b.groupby("query_id").size()
    if not counts_a.equals(counts_b):
        diff = counts_a.sub(counts_b, fill_value=0)
        q = diff[diff != 0].index[0]
        verdict.fail(f"query {q}: {counts_a.get(q, 0)} vs {counts_b.get(q, 0)} neighbours")
    if (counts_a > k).any() or (counts_b > k).any():
        verdict.fail(f"more than k={k} neighbours for a query")
    kth = pd.DataFrame({"kth_l": a.groupby("query_id").distance_m.max(),
                        "kth_r": b.groupby("query_id").distance_m.max()})
    bad_kth = kth[(kth.kth_l - kth.kth_r).abs() > DIST_TOL]
    for q, row in bad_kth.head(5).iterrows():
        verdict.fail(f"query {q}: k-th distance {row.kth_l} vs {row.kth_r}")
    band = kth.min(axis=1) - DIST_TOL
    m = _merge(a.drop(columns="rank"), b.drop(columns="rank"), ["query_id", "feature_id"])
    only = m[m._merge != "both"]
    d = np.fmax(only.distance_m_l.fillna(-1), only.distance_m_r.fillna(-1))
    outside_band = d.to_numpy() < band.reindex(only.query_id).to_numpy()
    for _, row in only[outside_band].head(5).iterrows():
        side = "left" if row._merge == "left_only" else "right"
        verdict.fail(f"query {row.query_id}: feature {row.feature_id} only in {side}, closer than the k-th")
    _compare_distances(m[m._merge == "both"], verdict, ["query_id", "feature_id"])
    return verdict


def compare_w2(a: pd.DataFrame, b: pd.DataFrame) -> Verdict:
    verdict = Verdict(True)
    for side, frame in (("left", a), ("right", b)):
        if frame.duplicated(["id_a", "id_b"]).any():
            verdict.fail(f"{side}: a pair is listed twice")
    m = _merge(a, b, ["id_a", "id_b"])
    only = m[m._merge != "both"]
    area = np.fmax(only.area_m2_l.fillna(0), only.area_m2_r.fillna(0))
    real = only[area >= AREA_ABS_TOL]
    for _, row in real.head(5).iterrows():
        side = "left" if row._merge == "left_only" else "right"
        verdict.fail(f"pair ({row.id_a}, {row.id_b}) with area {np.nanmax([row.area_m2_l, row.area_m2_r])} m2 only in {side}")
    if len(real) > 5:
        verdict.fail(f"... {len(real)} pairs in one answer only")
    both = m[m._merge == "both"]
    tol = np.maximum(AREA_REL_TOL * np.fmax(both.area_m2_l, both.area_m2_r), AREA_ABS_TOL)
    bad = both[(both.area_m2_l - both.area_m2_r).abs() > tol]
    for _, row in bad.head(5).iterrows():
        verdict.fail(f"pair ({row.id_a}, {row.id_b}): area {row.area_m2_l} vs {row.area_m2_r} m2")
    return verdict


# --- W3 -------------------------------------------------------------------------------------

def w3_canonical(path: Path) -> list[str]:
    """One line per feature, ordered by the id property: properties (area_ha to 4 decimals)
    and every coordinate printed with 6 decimals."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = []
    for feature in doc["features"]:
        p = feature["properties"]
        # The id property may travel as the feature's "id" member instead (GDAL folds
        # an integer properties.id into the feature id); either carries it.
        fid = p["id"] if "id" in p else feature["id"]
        props = [int(fid), str(p["name"]), str(p["zone"]), f'{float(p["area_ha"]):.4f}', int(p["plan_year"])]
        geometry = feature["geometry"]
        rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [c for poly in geometry["coordinates"] for c in poly]
        coords = ";".join(" ".join(f"{x:.6f},{y:.6f}" for x, y in ring) for ring in rings)
        rows.append((props[0], json.dumps(props, ensure_ascii=False) + "|" + geometry["type"] + "|" + coords + "\n"))
    rows.sort()
    return [r for _, r in rows]


def w3_format_problems(path: Path) -> list[str]:
    """RFC 7946 points the export must meet beyond the data: a FeatureCollection, no more
    than 6 decimals, counter-clockwise exterior rings, closed rings."""
    import re
    text = Path(path).read_text(encoding="utf-8")
    problems = []
    long_decimals = re.search(r"\[\s*-?\d+\.\d{7,}", text)
    if long_decimals:
        problems.append(f"coordinate with more than 6 decimals: {long_decimals.group(0)}")
    doc = json.loads(text)
    if doc.get("type") != "FeatureCollection":
        problems.append("not a FeatureCollection")
    for feature in doc.get("features", [])[:100000]:
        g = feature["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            for i, ring in enumerate(poly):
                if ring[0] != ring[-1]:
                    problems.append(f"feature {feature.get('id')}: ring not closed")
                area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
                if (area2 > 0) != (i == 0):
                    problems.append(f"feature {feature.get('id')}: ring {i} has the wrong orientation")
        if len(problems) > 5:
            break
    return problems


def compare_w3(left: Path, right: Path) -> Verdict:
    verdict = Verdict(True)
    a, b = w3_canonical(left), w3_canonical(right)
    if len(a) != len(b):
        verdict.fail(f"{len(a)} vs {len(b)} features")
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            verdict.fail(f"feature #{i} differs:\n    {x[:160]}\n    {y[:160]}")
            break
    for side, path in (("left", left), ("right", right)):
        for problem in w3_format_problems(path):
            verdict.fail(f"{side}: {problem}")
    return verdict


def compare_w4(left: Path, right: Path) -> Verdict:
    """The id sets inside the sample boxes (one JSON line per box) must be equal."""
    verdict = Verdict(True)
    a = [json.loads(l) for l in Path(left).read_text().splitlines()]
    b = [json.loads(l) for l in Path(right).read_text().splitlines()]
    if len(a) != len(b):
        verdict.fail(f"{len(a)} vs {len(b)} sample boxes")
    for x, y in zip(a, b):
        if x["bbox"] != y["bbox"]:
            verdict.fail(f"boxes differ: {x['bbox']} vs {y['bbox']}")
        elif x["ids"] != y["ids"]:
            only_l = sorted(set(x["ids"]) - set(y["ids"]))[:5]
            only_r = sorted(set(y["ids"]) - set(x["ids"]))[:5]
            verdict.fail(f"bbox {x['bbox']}: only left {only_l}, only right {only_r}")
    return verdict


def agreement(workload: str, answers: dict[str, Path], **kwargs) -> tuple[dict[str, bool], list[str]]:
    """Compare every pair of tools. A tool is valid when it agrees with at least one other
    tool and with at least half of the others (so with two tools both must agree, and
    with three the odd one out is invalid); every disagreement is reported."""
    names = sorted(answers)
    agree = {n: 0 for n in names}
    report = []
    for i, x in enumerate(names):
        for y in names[i + 1:]:
            v = compare(workload, answers[x], answers[y], **kwargs)
            if v.agree:
                agree[x] += 1
                agree[y] += 1
            else:
                report.append(f"DISAGREE {workload}: {x} vs {y}")
                report.extend("    " + d for d in v.differences)
    others = len(names) - 1
    valid = {n: others == 0 or (agree[n] >= 1 and agree[n] * 2 >= others) for n in names}
    return valid, report


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="compare two answer files")
    parser.add_argument("workload", choices=["w1a", "w1b", "w2", "w3", "w4"])
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    parser.add_argument("--radius", type=float, default=500.0)
    parser.add_argument("--k", type=int, default=10)
    a = parser.parse_args()
    kw = {"radius": a.radius, "k": a.k} if a.workload in ("w1a", "w1b") else {}
    v = compare(a.workload, a.left, a.right, **kw)
    print("agree" if v.agree else "DISAGREE", *v.differences, sep="\n")
    print(fingerprint(a.workload, a.left), fingerprint(a.workload, a.right))
    raise SystemExit(0 if v.agree else 1)
