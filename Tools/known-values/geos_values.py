#!/usr/bin/env python3
"""Known values for Tests/GeoEngineTests/GEOS*.swift, computed independently with Shapely 2
(which bundles its own GEOS build, not the system libgeos the Swift code links).

Run: python3 Tools/known-values/geos_values.py
The printed Swift constants are pasted into Tests/GeoEngineTests/GEOSKnownValues.swift.
"""
import math
import warnings

import shapely
from shapely import ops, wkt

SHAPES = {
    "square": "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))",
    "touching": "POLYGON ((4 0, 8 0, 8 4, 4 4, 4 0))",
    "inner": "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))",
    "overlapping": "POLYGON ((2 2, 6 2, 6 6, 2 6, 2 2))",
    "far": "POLYGON ((10 10, 11 10, 11 11, 10 11, 10 10))",
    "crossingLine": "LINESTRING (-1 2, 5 2)",
    "boundaryPoint": "POINT (4 2)",
    "innerPoint": "POINT (1.5 1.5)",
}
PREDICATES = ["intersects", "disjoint", "contains", "within", "covers", "covered_by",
              "touches", "crosses", "overlaps", "equals"]


def swift_double(x):
    return repr(float(x))


def main():
    print(f"// Shapely {shapely.__version__}, GEOS {shapely.geos_version_string}")
    g = {name: wkt.loads(text) for name, text in SHAPES.items()}

    print("static let shapes: [String: String] = [")
    for name, text in SHAPES.items():
        print(f'    "{name}": "{text}",')
    print("]")
    print("// Predicates in the order " + ", ".join(PREDICATES) + "; 1 = true.")
    print("static let predicateMatrix: [String: String] = [")
    for a in SHAPES:
        for b in SHAPES:
            bits = "".join("1" if getattr(shapely, p)(g[a], g[b]) else "0" for p in PREDICATES)
            print(f'    "{a} {b}": "{bits}",')
    print("]")

    sq, ov, tc, far = g["square"], g["overlapping"], g["touching"], g["far"]
    print(f"static let touchingIntersectionArea = {swift_double(sq.intersection(tc).area)}")
    print(f"static let overlapIntersectionArea = {swift_double(sq.intersection(ov).area)}")
    print(f"static let overlapUnionArea = {swift_double(sq.union(ov).area)}")
    print(f"static let overlapDifferenceArea = {swift_double(sq.difference(ov).area)}")
    print(f"static let overlapSymmetricDifferenceArea = {swift_double(sq.symmetric_difference(ov).area)}")
    print(f"static let squareToFarDistance = {swift_double(sq.distance(far))}")
    p1, p2 = ops.nearest_points(sq, far)
    print(f"static let squareToFarNearest = (({swift_double(p1.x)}, {swift_double(p1.y)}), ({swift_double(p2.x)}, {swift_double(p2.y)}))")
    print(f"static let squareFarWithin8_4 = {str(shapely.dwithin(sq, far, 8.4)).lower()}")
    print(f"static let squareFarWithin8_5 = {str(shapely.dwithin(sq, far, 8.5)).lower()}")

    # Cases that GEOS before 3.12.1 got wrong for prepared geometries (GEOS issues 958, 960).
    inner_line = wkt.loads("LINESTRING (30 30, 70 70)")
    big_square = wkt.loads("POLYGON ((0 100, 100 100, 100 0, 0 0, 0 100))")
    shapely.prepare(inner_line)
    print(f"static let lineInsidePolygonDistance = {swift_double(shapely.distance(inner_line, big_square))}")
    print(f"static let lineInsidePolygonWithin1 = {str(shapely.dwithin(inner_line, big_square, 1)).lower()}")
    sub_line = wkt.loads("LINESTRING (2 2, 3 3, 4 4, 5 5, 6 6, 7 7)")
    long_line = wkt.loads("LINESTRING (0 0, 1 1, 2 2, 3 3, 4 4, 5 5, 6 6, 7 7, 8 8, 9 9)")
    shapely.prepare(sub_line)
    print(f"static let subLineWithin1 = {str(shapely.dwithin(sub_line, long_line, 1)).lower()}")

    origin = shapely.Point(0, 0)
    print(f"static let unitCircleArea32 = {swift_double(origin.buffer(1, quad_segs=32).area)}")
    print(f"static let radius10CircleArea32 = {swift_double(origin.buffer(10, quad_segs=32).area)}")
    line = wkt.loads("LINESTRING (0 0, 10 0)")
    print(f"static let lineBufferRound8Area = {swift_double(line.buffer(1, quad_segs=8).area)}")
    print(f"static let lineBufferFlatArea = {swift_double(line.buffer(1, cap_style='flat').area)}")
    print(f"static let lineBufferSquareArea = {swift_double(line.buffer(1, cap_style='square').area)}")
    print(f"static let lineBufferLeftSideArea = {swift_double(line.buffer(1, single_sided=True).area)}")
    print(f"static let squareBufferMitreArea = {swift_double(sq.buffer(1, join_style='mitre').area)}")
    print(f"static let squareBufferBevelArea = {swift_double(sq.buffer(1, join_style='bevel').area)}")
    print(f"static let squareBufferRound8Area = {swift_double(sq.buffer(1, quad_segs=8).area)}")
    print(f"static let squareShrunkBy1Area = {swift_double(sq.buffer(-1).area)}")

    bowtie = wkt.loads("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))")
    fixed = shapely.make_valid(bowtie)
    print(f'static let bowtieReason = "{shapely.is_valid_reason(bowtie)}"')
    print(f'static let bowtieMadeValidType = "{fixed.geom_type}"')
    print(f"static let bowtieMadeValidParts = {len(fixed.geoms)}")
    print(f"static let bowtieMadeValidArea = {swift_double(fixed.area)}")
    hole_outside = wkt.loads("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 21 20, 21 21, 20 21, 20 20))")
    print(f'static let holeOutsideReason = "{shapely.is_valid_reason(hole_outside)}"')
    with warnings.catch_warnings():  # Shapely warns about the NaN we put there on purpose
        warnings.simplefilter("ignore")
        nan_polygon = shapely.polygons([[0, 0], [math.nan, 0], [1, 1], [0, 1], [0, 0]])
        infinite_polygon = shapely.polygons([[0, 0], [math.inf, 0], [1, 1], [0, 1], [0, 0]])
    print(f'static let nanReason = "{shapely.is_valid_reason(nan_polygon)}"')
    print(f'static let infinityReason = "{shapely.is_valid_reason(infinite_polygon)}"')

    ell = wkt.loads("POLYGON ((0 0, 4 0, 4 1, 1 1, 1 4, 0 4, 0 0))")
    c = ell.centroid
    print(f"static let ellArea = {swift_double(ell.area)}")
    print(f"static let ellCentroid = ({swift_double(c.x)}, {swift_double(c.y)})")
    s = ell.point_on_surface()
    print(f"static let ellPointOnSurface = ({swift_double(s.x)}, {swift_double(s.y)})")
    b = ell.envelope.bounds
    print(f"static let ellEnvelope = ({', '.join(swift_double(v) for v in b)})  // minX, minY, maxX, maxY")

    path = wkt.loads("LINESTRING (0 0, 3 4, 3 10)")
    print(f"static let pathLength = {swift_double(path.length)}")
    noisy = wkt.loads("LINESTRING (0 0, 1 0.1, 2 -0.1, 3 0.05, 4 0, 5 3, 6 0)")
    simple = noisy.simplify(0.2, preserve_topology=True)
    print("static let noisyLineSimplified: [(Double, Double)] = ["
          + ", ".join(f"({swift_double(x)}, {swift_double(y)})" for x, y in simple.coords) + "]")


if __name__ == "__main__":
    main()
