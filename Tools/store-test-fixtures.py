#!/usr/bin/env python3
"""Known values for Tests/FeatureStoreTests, computed independently of planatlas:
geodesic distances and destination points with pyproj (GeographicLib, WGS84) and GEOS validity
reasons with shapely. Run: python3 Tools/store-test-fixtures.py"""
from pyproj import Geod
import shapely
from shapely import wkt

geod = Geod(ellps="WGS84")

print("# near query: centre and points (lon, lat) -> geodesic distance in metres")
centre = (123.4500, 41.8000)
points = [(123.4500, 41.8000), (123.4560, 41.8000), (123.4500, 41.8050), (123.4400, 41.7950),
          (123.4700, 41.8100), (123.5000, 41.8000), (123.4500, 41.7000)]
print(f"centre {centre}")
for lon, lat in points:
    _, _, d = geod.inv(centre[0], centre[1], lon, lat)
    print(f"({lon:.4f}, {lat:.4f}) {d:.3f}")

print("# a line and a polygon: distance from the centre to their nearest point (shapely + pyproj on a dense")
print("# sampling of the segment, so that the answer does not depend on either store's method)")
line = wkt.loads("LINESTRING (123.4600 41.7900, 123.4600 41.8100)")
best = min((geod.inv(centre[0], centre[1], *line.interpolate(i / 20000, normalized=True).coords[0])[2], i)
           for i in range(20001))
print(f"line {best[0]:.3f}")
slanted = wkt.loads("LINESTRING (123.4400 41.8060, 123.4700 41.8150)")
best = min(geod.inv(centre[0], centre[1], *slanted.interpolate(i / 200000, normalized=True).coords[0])[2]
           for i in range(200001))
print(f"slanted line {best:.3f}")

print("# search-box destination points: centre, radius, then (lon, lat) at bearings 0..345 step 15")
for lon0, lat0, r in [(123.45, 41.8, 500.0), (123.45, 41.8, 50000.0), (10.0, 80.0, 100000.0),
                      (0.0, 0.0, 1000.0), (-70.0, -60.0, 20000.0)]:
    pts = [geod.fwd(lon0, lat0, az, r)[:2] for az in range(0, 360, 15)]
    print(f"box {lon0} {lat0} {r} " + " ".join(f"{x:.9f},{y:.9f}" for x, y in pts))

print("# GEOS validity reasons (shapely", shapely.__version__, "GEOS", shapely.geos_version_string + ")")
for text in ["POLYGON ((123.40 41.80, 123.41 41.81, 123.41 41.80, 123.40 41.81, 123.40 41.80))",
             "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 21 20, 21 21, 20 20))"]:
    g = wkt.loads(text)
    print(f"{text} -> {shapely.is_valid_reason(g)} | make_valid: {shapely.make_valid(g).geom_type} "
          f"parts={len(getattr(shapely.make_valid(g), 'geoms', [None]))}")
