#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets to Tests/Fuzz/corpus/<target>/.

Seeds are small, so that the fuzzer mutates them quickly: GeoData's features cut to a few
positions, every geometry type and EMPTY form, 3D, deep nesting, number edge cases, and invalid
documents of every kind the readers name in their errors. WKB seeds are written by shapely/GEOS
(an independent codec), invalid WKB is built by hand.

Run from anywhere: python3 Tools/fuzz/make-corpus.py (deletes and rewrites the three folders).
"""
import json
import pathlib
import shutil
import struct

import shapely
from shapely import wkt

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "Tests" / "Fuzz" / "corpus"


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    (CORPUS / target / name).write_bytes(data)


# MARK: GeoJSON


def cut_line(line, keep=5):
    return line[:keep]


def cut_ring(ring, keep=4):
    # Keeps the ring closed and valid in size: the first `keep` positions, then the first again.
    if len(ring) <= keep + 1:
        return ring
    return ring[:keep] + [ring[0]]


def cut_polygon(rings):
    return [cut_ring(r) for r in rings[:2]]


def cut_geometry(geometry):
    if geometry is None:
        return None
    kind, coords = geometry["type"], geometry.get("coordinates")
    if kind == "LineString":
        coords = cut_line(coords)
    elif kind == "MultiPoint":
        coords = coords[:4]
    elif kind == "Polygon":
        coords = cut_polygon(coords)
    elif kind == "MultiLineString":
        coords = [cut_line(line) for line in coords[:2]]
    elif kind == "MultiPolygon":
        coords = [cut_polygon(p) for p in coords[:2]]
    elif kind == "GeometryCollection":
        return {"type": kind, "geometries": [cut_geometry(g) for g in geometry["geometries"][:3]]}
    return {"type": kind, "coordinates": coords}


def cut_properties(properties):
    cut = {}
    for key, value in list(properties.items())[:8]:
        if isinstance(value, str) and len(value) > 40:
            value = value[:40]
        cut[key] = value
    return cut


def geodata_seeds():
    """One small FeatureCollection per layer: its first feature of each geometry type."""
    for index, path in enumerate(sorted((ROOT / "GeoData").glob("*.geojson"))):
        document = json.loads(path.read_text(encoding="utf-8"))
        features, seen = [], set()
        for feature in document["features"]:
            kind = feature["geometry"]["type"] if feature["geometry"] else None
            if kind in seen:
                continue
            seen.add(kind)
            features.append({**feature, "geometry": cut_geometry(feature["geometry"]),
                             "properties": cut_properties(feature["properties"])})
        small = {"type": "FeatureCollection", "name": document.get("name", path.stem), "features": features}
        # Alternate pretty and compact text, so both spacings are in the corpus.
        text = json.dumps(small, ensure_ascii=False, indent=1 if index % 2 == 0 else None,
                          separators=None if index % 2 == 0 else (",", ":"))
        write("fuzz-geojson", f"geodata-{path.stem}.geojson", text)


def feature(geometry, properties="{}", extra=""):
    return '{"type":"Feature"%s,"geometry":%s,"properties":%s}' % (extra, geometry, properties)


def collection(*features):
    return '{"type":"FeatureCollection","features":[%s]}' % ",".join(features)


SQUARE = "[[0,0],[1,0],[1,1],[0,1],[0,0]]"
HOLE = "[[0.2,0.2],[0.2,0.4],[0.4,0.4],[0.2,0.2]]"

GEOJSON_VALID = {
    "point": '{"type":"Point","coordinates":[123.4,41.8]}',
    "point-z": '{"type":"Point","coordinates":[123.4,41.8,55.5]}',
    "point-empty": '{"type":"Point","coordinates":[]}',
    "linestring": '{"type":"LineString","coordinates":[[123.1,41.7],[123.2,41.8],[123.3,41.75]]}',
    "linestring-empty": '{"type":"LineString","coordinates":[]}',
    "polygon-hole": '{"type":"Polygon","coordinates":[%s,%s]}' % (SQUARE, HOLE),
    "polygon-clockwise": '{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]}',
    "polygon-empty": '{"type":"Polygon","coordinates":[]}',
    "multipoint": '{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}',
    "multipoint-z": '{"type":"MultiPoint","coordinates":[[1,2,3],[3,4,5]]}',
    "multilinestring": '{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[],[[2,2],[3,3]]]}',
    "multipolygon": '{"type":"MultiPolygon","coordinates":[[%s,%s],[],[%s]]}' % (SQUARE, HOLE, SQUARE),
    "multipolygon-z": '{"type":"MultiPolygon","coordinates":[[[[0,0,1],[1,0,1],[1,1,1],[0,0,1]]]]}',
    "geometrycollection": '{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},'
                          '{"type":"Point","coordinates":[1,2,3]},{"type":"GeometryCollection","geometries":[]}]}',
    "geometrycollection-nested": '{"type":"GeometryCollection","geometries":[' * 3
                                 + '{"type":"LineString","coordinates":[[0,0],[1,1]]}' + "]}" * 3,
    # Every EMPTY form inside a collection inside a FeatureCollection: EMPTY parts are shallower
    # than their type's nesting, which matters at the depth limit.
    "collection-of-empties": collection(feature('{"type":"GeometryCollection","geometries":[%s]}' % ",".join(
        '{"type":"%s","coordinates":%s}' % pair for pair in [
            ("Point", "[]"), ("LineString", "[]"), ("Polygon", "[]"), ("MultiPoint", "[]"),
            ("MultiLineString", "[]"), ("MultiLineString", "[[]]"), ("MultiPolygon", "[]"), ("MultiPolygon", "[[]]")]))),
    "feature-string-id": feature('{"type":"Point","coordinates":[1,2]}', '{"name":"十三号街站","n":1}',
                                 ',"id":"metro-station-1"'),
    "feature-number-id": feature("null", "null", ',"id":-9223372036854775808'),
    "feature-null-id": feature('{"type":"Point","coordinates":[1,2]}', "{}", ',"id":null'),
    "feature-type-last": '{"properties":{"a":1},"geometry":{"coordinates":[1,2],"type":"Point"},"type":"Feature"}',
    "feature-foreign-members": '{"type":"Feature","title":{"nested":[1,{"x":null}]},"geometry":null,'
                               '"properties":{},"bbox":[0,0,1,1]}',
    "collection-empty": collection(),
    "collection-crs84": '{"type":"FeatureCollection","crs":{"type":"name","properties":'
                        '{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}',
    "collection-bbox-3d": '{"type":"FeatureCollection","bbox":[0,0,0,1,1,1],"features":[%s]}'
                          % feature('{"type":"Point","coordinates":[1,1,1]}'),
    "collection-features-first": '{"features":[%s],"type":"FeatureCollection","name":"x"}'
                                 % feature('{"type":"MultiPoint","coordinates":[]}'),
    "byte-order-mark": "\ufeff" + '{"type":"Point","coordinates":[1,2]}',
    "whitespace": ' \t\r\n{ "type" : "Point" ,\n\t"coordinates" : [ 1 , 2 ] }\r\n ',
    "escapes": feature("null", r'{"s":"\"\\\/\b\f\n\r\t\u0000\u00e9\ud83d\ude00","\u0074ype":"key escaped"}'),
    "numbers-coordinates": '{"type":"MultiPoint","coordinates":[[-0,0.0],[180,90],[-180,-90],'
                           '[1e2,1E-2],[0.1e1,-12.5e-1],[123.45678901234567,41.000000000000001]]}',
    "numbers-properties": feature("null", '{"i":9223372036854775807,"j":-9223372036854775808,'
                                          '"big":9223372036854775808,"huge":123456789012345678901234567890,'
                                          '"max":1.7976931348623157e308,"tiny":5e-324,"under":1e-400,'
                                          '"frac":0.30000000000000004,"neg0":-0.0,"exp":1E+2}'),
    "deep-properties": feature("null", '{"d":' + "[" * 55 + "]" * 55 + "}"),
}

GEOJSON_INVALID = {
    "empty": "",
    "not-object": "[1,2]",
    "truncated": '{"type":"Point","coordinates":[1,',
    "trailing-data": '{"type":"Point","coordinates":[1,2]} x',
    "trailing-comma": '{"type":"Point","coordinates":[1,2,],}',
    "nan": '{"type":"Point","coordinates":[NaN,1]}',
    "infinity": feature("null", '{"v":-Infinity}'),
    "leading-zero": '{"type":"Point","coordinates":[01,2]}',
    "plus-sign": '{"type":"Point","coordinates":[+1,2]}',
    "bare-fraction": '{"type":"Point","coordinates":[.5,1.]}',
    "exponent-overflow": '{"type":"Point","coordinates":[1e999,2]}',
    "ring-not-closed": '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}',
    "ring-too-short": '{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}',
    "linestring-one-position": '{"type":"LineString","coordinates":[[0,0]]}',
    "mixed-dimensions": '{"type":"LineString","coordinates":[[0,0],[1,1,1]]}',
    "position-four-numbers": '{"type":"Point","coordinates":[1,2,3,4]}',
    "wrong-nesting": '{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}',
    "out-of-range": '{"type":"Point","coordinates":[200,95]}',
    "unknown-type": '{"type":"Polygn","coordinates":[]}',
    "missing-type": '{"coordinates":[1,2]}',
    "missing-properties": '{"type":"Feature","geometry":null}',
    "duplicate-member": '{"type":"Point","coordinates":[1,2],"coordinates":[3,4]}',
    "duplicate-property": feature("null", '{"a":1,"a":2}'),
    "id-fraction": feature("null", "{}", ',"id":1.5'),
    "crs-projected": '{"type":"FeatureCollection","crs":{"type":"name","properties":'
                     '{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[]}',
    "bbox-wrong-count": '{"type":"Point","bbox":[0,0,1],"coordinates":[1,2]}',
    "lone-surrogate": feature("null", r'{"s":"\udc00"}'),
    "bad-escape": feature("null", r'{"s":"\x41"}'),
    "control-character": feature("null", '{"s":"a\x01b"}'),
    "deep-nesting": feature("null", '{"d":' + "[" * 1000 + "]" * 1000 + "}"),
    "deep-geometrycollection": '{"type":"GeometryCollection","geometries":[' * 40 + "]}" * 40,
}


def geojson_seeds():
    for name, text in GEOJSON_VALID.items():
        write("fuzz-geojson", f"valid-{name}.geojson", text)
    for name, text in GEOJSON_INVALID.items():
        write("fuzz-geojson", f"invalid-{name}.geojson", text)
    write("fuzz-geojson", "invalid-utf8.geojson",
          feature("null", '{"s":"').encode() + b"\xc3\x28\xed\xa0\x80" + b'"}}')


# MARK: JSON


def json_seeds():
    layers = json.loads((ROOT / "GeoData" / "layers.json").read_text(encoding="utf-8"))
    small = {key: (value[:2] if isinstance(value, list) else value) for key, value in layers.items()}
    write("fuzz-json", "geodata-layers.json", json.dumps(small, ensure_ascii=False, indent=2))
    rules = json.loads((ROOT / "GeoData" / "conflict-rules.json").read_text(encoding="utf-8"))
    write("fuzz-json", "geodata-conflict-rules.json",
          json.dumps({**rules, "rules": rules["rules"][:2]}, ensure_ascii=False, separators=(",", ":")))
    write("fuzz-json", "style-districts.json", (ROOT / "Styles" / "districts.json").read_bytes())
    values = {
        "null": "null", "true": "true", "false": "false", "zero": "0", "negative-zero": "-0",
        "integer-max": "9223372036854775807", "integer-min": "-9223372036854775808",
        "integer-overflow": "9223372036854775808", "long-digits": "123456789012345678901234567890.5e-3",
        "double-max": "1.7976931348623157e308", "double-subnormal": "4.9e-324", "underflow": "1e-400",
        "exponents": "[1e0,1E+1,1e-1,0.5e00,-2.5E-0]", "string-escapes": r'"\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00"',
        "string-unicode": '"沈阳 ÿ 😀"', "array-mixed": '[1,-1.5,"a",true,false,null,[],{}]',
        "object-nested": '{"a":{"b":{"c":[1,{"d":null}]}},"e":""}', "empty-array": "[]", "empty-object": "{}",
        "whitespace": " \t\r\n[ 1 ,\n 2 ] \n", "byte-order-mark": "\ufeff{}",
        "depth-64": "[" * 64 + "]" * 64,
    }
    invalid = {
        "empty": "", "depth-65": "[" * 65 + "]" * 65, "depth-1000": "[" * 1000,
        "trailing-comma": "[1,]", "missing-colon": '{"a" 1}', "single-quotes": "{'a':1}",
        "unquoted-key": "{a:1}", "nan": "NaN", "infinity": "[-Infinity]", "leading-zero": "012",
        "exponent-overflow": "1e309", "bare-minus": "-", "truncated-string": '"abc', "truncated-escape": '"\\u12',
        "lone-surrogate": r'"\ud800"', "reversed-surrogates": r'"\udc00\ud800"', "duplicate-key": '{"a":1,"a":1}',
        "two-values": "1 2", "comment": "[1 /* c */]", "literal-typo": "nul",
    }
    for name, text in values.items():
        write("fuzz-json", f"valid-{name}.json", text)
    for name, text in invalid.items():
        write("fuzz-json", f"invalid-{name}.json", text)
    write("fuzz-json", "invalid-utf8-overlong.json", b'"\xc0\xaf"')
    write("fuzz-json", "invalid-utf8-truncated.json", b'"\xe6\xb2"')


# MARK: WKB

WKB_GEOMETRIES = {
    "point": "POINT (123.4 41.8)",
    "point-z": "POINT Z (1 2 3)",
    "point-empty": "POINT EMPTY",
    "linestring": "LINESTRING (0 0, 1 1, 2 0)",
    "linestring-z": "LINESTRING Z (0 0 5, 1 1 6)",
    "linestring-empty": "LINESTRING EMPTY",
    "polygon-hole": "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))",
    "polygon-empty": "POLYGON EMPTY",
    "multipoint": "MULTIPOINT ((1 2), (3 4))",
    "multipoint-z": "MULTIPOINT Z ((1 2 3), (3 4 5))",
    "multilinestring": "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))",
    "multipolygon": "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), (5.2 5.1, 5.8 5.1, 5.8 5.7, 5.2 5.1)))",
    "multipolygon-z": "MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)))",
    "geometrycollection": "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1), POLYGON EMPTY)",
    "geometrycollection-nested": "GEOMETRYCOLLECTION (GEOMETRYCOLLECTION (POINT (1 2)), GEOMETRYCOLLECTION EMPTY)",
    "geometrycollection-z": "GEOMETRYCOLLECTION Z (POINT Z (1 2 3), LINESTRING Z (0 0 0, 1 1 1))",
    "geometrycollection-empty": "GEOMETRYCOLLECTION EMPTY",
}


def wkb_seeds():
    for name, text in WKB_GEOMETRIES.items():
        geometry = wkt.loads(text)
        dimensions = 3 if shapely.has_z(geometry) else 2
        for order, suffix in ((1, "le"), (0, "be")):
            data = shapely.to_wkb(geometry, byte_order=order, output_dimension=dimensions, flavor="iso")
            write("fuzz-wkb", f"valid-{name}-{suffix}.wkb", data)
    # A district's outline cut small, from GeoData.
    districts = json.loads((ROOT / "GeoData" / "districts.geojson").read_text(encoding="utf-8"))
    outline = shapely.geometry.shape(cut_geometry(districts["features"][0]["geometry"]))
    write("fuzz-wkb", "geodata-district.wkb", shapely.to_wkb(outline, byte_order=1, flavor="iso"))

    point = shapely.to_wkb(wkt.loads("POINT (1 2)"), byte_order=1, flavor="iso")
    invalid = {
        "empty": b"",
        "byte-order-7": b"\x07\x01\x00\x00\x00",
        "type-zero": b"\x01\x00\x00\x00\x00",
        "type-8": b"\x01\x08\x00\x00\x00",
        "ewkb-srid": shapely.to_wkb(shapely.set_srid(wkt.loads("POINT (1 2)"), 4326), byte_order=1,
                                    include_srid=True, flavor="extended"),
        "point-m": b"\x01" + struct.pack("<I", 2001) + struct.pack("<ddd", 1, 2, 3),
        "point-zm": b"\x01" + struct.pack("<I", 3001) + struct.pack("<dddd", 1, 2, 3, 4),
        "truncated-point": point[:-3],
        "trailing-byte": point + b"\x00",
        "count-huge": b"\x01\x02\x00\x00\x00\xff\xff\xff\xff",
        "multipoint-linestring-member": b"\x01\x04\x00\x00\x00\x01\x00\x00\x00"
                                        + shapely.to_wkb(wkt.loads("LINESTRING (0 0, 1 1)"), byte_order=1, flavor="iso"),
        "multipoint-empty-member": b"\x01\x04\x00\x00\x00\x01\x00\x00\x00"
                                   + b"\x01\x01\x00\x00\x00" + struct.pack("<dd", float("nan"), float("nan")),
        "collection-mixed-dimensions": b"\x01\xef\x03\x00\x00\x01\x00\x00\x00" + point,
        "collection-nested-40": b"\x01\x07\x00\x00\x00\x01\x00\x00\x00" * 40 + b"\x01\x07\x00\x00\x00\x00\x00\x00\x00",
        "polygon-hole-without-exterior": b"\x01\x03\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00"
                                         + struct.pack("<I", 4) + struct.pack("<8d", 0, 0, 1, 0, 1, 1, 0, 0),
    }
    for name, data in invalid.items():
        write("fuzz-wkb", f"invalid-{name}.wkb", data)


def main():
    for target in ("fuzz-geojson", "fuzz-json", "fuzz-wkb"):
        shutil.rmtree(CORPUS / target, ignore_errors=True)
        (CORPUS / target).mkdir(parents=True)
    geodata_seeds()
    geojson_seeds()
    json_seeds()
    wkb_seeds()
    for target in ("fuzz-geojson", "fuzz-json", "fuzz-wkb"):
        files = list((CORPUS / target).iterdir())
        print(f"{target}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
