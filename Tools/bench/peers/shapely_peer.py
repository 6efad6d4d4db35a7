#!/usr/bin/env python3
"""Shapely 2 STRtree peer for W1a (radius) and W1b (k nearest).

Distances are in metres, so the features and query points are first projected to
the metric CRS (--crs, EPSG:4550) with pyproj (phase "project", reported but not part of the query time);
degrees would make `dwithin` wrong by a latitude-dependent factor.

W1a: tree.query(points, predicate="dwithin", distance=r) gives candidate pairs whose
exact distance is <= r (GEOS computes it); the harness needs the distances too, so
they are computed once more with shapely.distance, then all rows are sorted by
(query, distance, id) in one lexsort. All in Shapely's bulk (vectorised) API.

W1b: STRtree.query_nearest returns the single nearest feature (all exact ties),
not k of them. The k nearest come from a distance-bounded search that grows: query
with dwithin at a radius r0 expected to hold about 2k features for this density;
for a query with at least k hits within r, the k smallest exact distances are the
answer (no feature outside r can beat the k-th, which lies within r); queries
with fewer hits are asked again at 2r, until every query has k or the radius
covers the data.
"""
from __future__ import annotations

import math

import numpy as np
import shapely

import common


def project(phases, crs, feature_geoms, qlon, qlat):
    with phases.timed("project"):
        t = common.metric_transformer(crs)
        metric = common.to_metric(feature_geoms, t)
        qx, qy = t.transform(qlon, qlat)
        points = shapely.points(np.asarray(qx), np.asarray(qy))
    return metric, points


def w1a(args, phases):
    with phases.timed("load"):
        fids, geoms, qids, qlon, qlat = common.load_w1(args.data)
    answer = None
    for _ in range(args.repeat):
        metric, points = project(phases, args.crs, geoms, qlon, qlat)
        with phases.timed("index"):
            tree = shapely.STRtree(metric)
        with phases.timed("query"):
            qi, ti = tree.query(points, predicate="dwithin", distance=args.radius)
            dist = shapely.distance(points[qi], metric[ti])
            order = common.sort_hits(qids[qi], fids[ti], dist)
            answer = (qids[qi][order], fids[ti][order], dist[order])
    rows = common.write_w1a(args.answers, *answer)
    return rows, ""


def k_nearest(tree, metric, points, qids, fids, k, start_radius, max_radius):
    pending = np.arange(len(points))
    radius = start_radius
    out_q, out_f, out_d = [], [], []
    rounds = 0
    while len(pending):
        rounds += 1
        qi, ti = tree.query(points[pending], predicate="dwithin", distance=radius)
        dist = shapely.distance(points[pending][qi], metric[ti])
        counts = np.bincount(qi, minlength=len(pending))
        done = (counts >= k) | (radius >= max_radius)
        keep = done[qi]
        q_loc, f_loc, d = qi[keep], ti[keep], dist[keep]
        order = np.lexsort((fids[f_loc], d, q_loc))
        q_loc, f_loc, d = q_loc[order], f_loc[order], d[order]
        first_k = common.ranks_within_queries(q_loc) <= k
        out_q.append(qids[pending][q_loc[first_k]])
        out_f.append(fids[f_loc[first_k]])
        out_d.append(d[first_k])
        pending = pending[~done]
        radius *= 2
    q = np.concatenate(out_q)
    f = np.concatenate(out_f)
    d = np.concatenate(out_d)
    order = common.sort_hits(q, f, d)
    return q[order], f[order], d[order], rounds


def w1b(args, phases):
    with phases.timed("load"):
        fids, geoms, qids, qlon, qlat = common.load_w1(args.data)
    answer = None
    rounds = 0
    for _ in range(args.repeat):
        metric, points = project(phases, args.crs, geoms, qlon, qlat)
        with phases.timed("index"):
            tree = shapely.STRtree(metric)
        with phases.timed("query"):
            xmin, ymin, xmax, ymax = shapely.total_bounds(metric)
            density = len(metric) / max((xmax - xmin) * (ymax - ymin), 1.0)
            start = math.sqrt(2 * args.k / (math.pi * density))
            max_radius = math.hypot(xmax - xmin, ymax - ymin) * 2
            q, f, d, rounds = k_nearest(tree, metric, points, qids, fids, args.k, start, max_radius)
            ranks = common.ranks_within_queries(q)
            answer = (q, ranks, f, d)
    rows = common.write_w1b(args.answers, *answer)
    return rows, f"k nearest by growing dwithin radius from {start:.0f} m ({rounds} rounds)"


def main():
    args = common.parse_args("shapely", ["w1a", "w1b"])
    phases = common.Phases()
    rows, notes = {"w1a": w1a, "w1b": w1b}[args.workload](args, phases)
    common.emit("shapely", f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string})",
                args, phases, rows, notes=notes)


if __name__ == "__main__":
    main()
