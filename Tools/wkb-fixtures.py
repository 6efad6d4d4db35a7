#!/usr/bin/env python3
"""Prints the ISO WKB (hex) that shapely/GEOS writes for the geometries used as known values in
Tests/GeoModelTests/WKBTests.swift. Run: python3 Tools/wkb-fixtures.py"""
import shapely
from shapely import wkt

CASES = [
    "POINT (123.4 41.8)",
    "POINT Z (1 2 3)",
    "POINT EMPTY",
    "LINESTRING (0 0, 1 1, 2 0)",
    "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))",
    "MULTIPOINT ((1 2), (3 4))",
    "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))",
    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))",
    "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))",
    "GEOMETRYCOLLECTION EMPTY",
    "LINESTRING Z (0 0 5, 1 1 6)",
]
for text in CASES:
    g = wkt.loads(text)
    dims = 3 if shapely.has_z(g) else 2
    for order, name in ((1, "little"), (0, "big")):
        print(f"{text} | {name} | {shapely.to_wkb(g, hex=True, byte_order=order, output_dimension=dims, flavor='iso')}")
