#!/usr/bin/env python3
"""GeoPandas peer for W2: every intersecting pair of layers A and B with its
intersection area, end to end.

Phases per repetition (the W2 total is their sum, as the issue asks for "index,
predicate and areas"):
  project  GeoDataFrame.to_crs(metric CRS) of both layers (pyproj);
  index    layer B's spatial index (GeoSeries.sindex, an STRtree), built eagerly;
  join     geopandas.sjoin(a, b, predicate="intersects") and the areas of the
           pairwise intersections (GeoSeries.intersection with align=False, .area).
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

import common


def w2(args, phases):
    with phases.timed("load"):
        ida, ga, idb, gb = common.load_w2(args.data)
        a = gpd.GeoDataFrame({"id_a": ida}, geometry=ga, crs="EPSG:4326")
        b = gpd.GeoDataFrame({"id_b": idb}, geometry=gb, crs="EPSG:4326")
    answer = None
    for _ in range(args.repeat):
        with phases.timed("project"):
            am = a.to_crs(args.crs)
            bm = b.to_crs(args.crs)
        with phases.timed("index"):
            bm.sindex  # noqa: B018 - builds the STRtree now, so "join" does not include it
        with phases.timed("join"):
            joined = gpd.sjoin(am, bm, how="inner", predicate="intersects")
            left = am.geometry.loc[joined.index]
            right = bm.geometry.loc[joined["index_right"].to_numpy()]
            areas = left.intersection(right, align=False).area.to_numpy()
            answer = (joined["id_a"].to_numpy(), joined["id_b"].to_numpy(), areas)
    ia, ib, areas = answer
    order = np.lexsort((ib, ia))
    return common.write_w2(args.answers, ia[order], ib[order], areas[order])


def main():
    args = common.parse_args("geopandas", ["w2"])
    phases = common.Phases()
    rows = w2(args, phases)
    common.emit("geopandas", f"geopandas {gpd.__version__}, shapely {shapely.__version__} "
                f"(GEOS {shapely.geos_version_string})", args, phases, rows,
                notes="sjoin(predicate='intersects') + intersection().area, index on layer B")


if __name__ == "__main__":
    main()
