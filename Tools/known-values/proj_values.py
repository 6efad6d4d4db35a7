#!/usr/bin/env python3
"""Known values for planatlas's projection and geodesy tests, computed independently of our Swift code.

Run:  python3 Tools/known-values/proj_values.py > Tools/known-values/proj_values.txt

Sources:
  * pyproj (its own bundled PROJ build and proj.db) for CRS transforms and geodesics (pyproj.Geod, Karney's method).
  * coord-convert 0.2.1 from PyPI (`pip install coord-convert==0.2.1`) for the GCJ-02 forward formula
    (Krasovsky ellipsoid a = 6378245, f = 1/298.3). Its inverse stops at 1e-6 degrees, so the precise inverse below
    is a fixed-point iteration written here over coord-convert's forward function.
The Swift tests paste these numbers as constants; the printed text is recorded in proj_values.txt beside this file.
"""
import math

import pyproj
from pyproj import Geod, Transformer
from coord_convert import transform as gcj

MUKDEN_PALACE = (123.4507, 41.7962)
TAOXIAN_AIRPORT = (123.4830, 41.6398)


def show(label, *values):
    print(label, " ".join(repr(float(v)) for v in values))


def to_lonlat(code):
    return Transformer.from_crs(code, "EPSG:4326", always_xy=True)


def from_lonlat(code):
    return Transformer.from_crs("EPSG:4326", code, always_xy=True)


print(f"# pyproj {pyproj.__version__}, PROJ {pyproj.proj_version_str}; coord-convert 0.2.1")
print("# label value...   (lon/lat in degrees, projected x/y in metres, east/north order)")

print("\n## Mukden Palace (123.4507 E, 41.7962 N) from EPSG:4326 (lon/lat) into each CRS")
for code in ["EPSG:4490", "EPSG:4549", "EPSG:4550", "EPSG:32651", "EPSG:3857"]:
    x, y = from_lonlat(code).transform(*MUKDEN_PALACE)
    show(f"mukden_in_{code.replace(':', '_')}", x, y)

print("\n## Name and axis facts of the Gauss-Kruger CRSs (from proj.db)")
for code in ["EPSG:4549", "EPSG:4550"]:
    crs = pyproj.CRS(code)
    origin = {param.name: param.value for param in crs.coordinate_operation.params}["Longitude of natural origin"]
    print(f"name_{code.replace(':', '_')}", repr(crs.name), "central meridian =", origin)

wgs84 = Geod(ellps="WGS84")
grs80 = Geod(ellps="GRS80")  # CGCS2000's ellipsoid

print("\n## 1 km x 1 km squares in the Gauss-Kruger CRSs: south-west corner on the kilometre grid below the Mukden Palace")
for code in ["EPSG:4549", "EPSG:4550"]:
    x, y = from_lonlat(code).transform(*MUKDEN_PALACE)
    x0, y0 = math.floor(x / 1000) * 1000, math.floor(y / 1000) * 1000
    corners = [(x0, y0), (x0 + 1000, y0), (x0 + 1000, y0 + 1000), (x0, y0 + 1000)]  # counter-clockwise
    planar = 0.5 * sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(corners, corners[1:] + corners[:1]))
    back = to_lonlat(code)
    lonlat = [back.transform(cx, cy) for cx, cy in corners]
    tag = code.replace(":", "_")
    show(f"square_{tag}_sw_corner", x0, y0)
    show(f"square_{tag}_planar_area", planar)
    for i, (lon, lat) in enumerate(lonlat):
        show(f"square_{tag}_corner{i}_lonlat", lon, lat)
    lons, lats = zip(*lonlat)
    area, perimeter = wgs84.polygon_area_perimeter(lons, lats)
    show(f"square_{tag}_geodesic_area_wgs84", area, perimeter)
    area, perimeter = grs80.polygon_area_perimeter(lons, lats)
    show(f"square_{tag}_geodesic_area_grs80", area, perimeter)

print("\n## The metric frame (EPSG:4550) across its zone and beyond it, by PROJ's exact Transverse Mercator")
# Poder/Engsager, named explicitly (planatlas computes this pair with algo=auto); the registry's operation
# must give the same numbers.
EXACT_TMERC = ("+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
               "+step +proj=tmerc +lat_0=0 +lon_0=123 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +algo=poder_engsager")
exact = Transformer.from_pipeline(EXACT_TMERC)
registry = from_lonlat("EPSG:4550")
for lon in [119.5, 120.0, 121.2, 123.0, 123.45, 124.6, 126.0, 126.5]:
    for lat in [38.7, 41.8, 43.6]:
        x, y = exact.transform(lon, lat)
        rx, ry = registry.transform(lon, lat)
        assert abs(x - rx) < 1e-9 and abs(y - ry) < 1e-9, (lon, lat, x - rx, y - ry)
        show(f"metric_frame_exact_{lon}_{lat}", lon, lat, x, y)

print("\n## Geodesic inverse, Mukden Palace -> Taoxian airport (WGS84 and GRS80 ellipsoids)")
az12, az21, dist = wgs84.inv(*MUKDEN_PALACE, *TAOXIAN_AIRPORT)
# pyproj's back azimuth az21 points from the end back to the start; the forward azimuth at the end is az21 +- 180.
show("inverse_wgs84_distance_az12_az21", dist, az12, az21)
az12, az21, dist = grs80.inv(*MUKDEN_PALACE, *TAOXIAN_AIRPORT)
show("inverse_grs80_distance_az12_az21", dist, az12, az21)

print("\n## Geodesic direct: 10 km from the Mukden Palace at azimuth 30 degrees (WGS84)")
lon, lat, back = wgs84.fwd(*MUKDEN_PALACE, 30.0, 10000.0)
show("direct_wgs84_lon_lat_backaz", lon, lat, back)

print("\n## Geodesic direct: 5 km due north and due south of the Mukden Palace (WGS84), the latitude edges of a 5 km search box")
north_lon, north_lat, _ = wgs84.fwd(*MUKDEN_PALACE, 0.0, 5000.0)
south_lon, south_lat, _ = wgs84.fwd(*MUKDEN_PALACE, 180.0, 5000.0)
show("direct_wgs84_5km_north_south_lat", north_lat, south_lat)

print("\n## Geodesic area of a lon/lat polygon with a hole, and length of a line (WGS84)")
outer = [(123.40, 41.77), (123.50, 41.77), (123.50, 41.83), (123.40, 41.83)]
hole = [(123.44, 41.79), (123.46, 41.79), (123.46, 41.80), (123.44, 41.80)]
outer_area, _ = wgs84.polygon_area_perimeter(*zip(*outer))
hole_area, _ = wgs84.polygon_area_perimeter(*zip(*hole))
show("polygon_outer_area", outer_area)
show("polygon_hole_area", hole_area)
show("polygon_with_hole_area", abs(outer_area) - abs(hole_area))
line = [MUKDEN_PALACE, (123.43, 41.75), (123.47, 41.70), TAOXIAN_AIRPORT]
show("line_length", wgs84.line_length(*zip(*line)))

print("\n## GCJ-02 forward (coord-convert wgs2gcj); the last ones lie outside China's box and pass through")
gcj_points = {
    "mukden_palace": MUKDEN_PALACE,
    "taoxian_airport": TAOXIAN_AIRPORT,
    "beijing_tiananmen": (116.3975, 39.9087),
    "shanghai_peoples_square": (121.4737, 31.2304),
    "urumqi": (87.6168, 43.8256),
    "haikou": (110.3312, 20.0311),
    "harbin": (126.5350, 45.8038),
    "tokyo_outside": (139.6917, 35.6895),
    "london_outside": (-0.1276, 51.5072),
    "sydney_outside": (151.2093, -33.8688),
}
for name, (lon, lat) in gcj_points.items():
    show(f"gcj02_forward_{name}", lon, lat, *gcj.wgs2gcj(lon, lat))


def gcj_to_wgs_precise(glon, glat):
    wlon, wlat = glon, glat
    for _ in range(50):
        flon, flat = gcj.wgs2gcj(wlon, wlat)
        dlon, dlat = flon - glon, flat - glat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-12 and abs(dlat) < 1e-12:
            break
    return wlon, wlat


print("\n## GCJ-02 inverse: a GCJ-02 position (as read off a Chinese web map) -> WGS84")
for name, (glon, glat) in {"gcj_mukden_palace": (123.457, 41.7985), "gcj_taoxian_airport": (123.4895, 41.6420)}.items():
    show(f"gcj02_inverse_{name}", glon, glat, *gcj_to_wgs_precise(glon, glat))
