"""The bad-input corpus through the command line: every bad value ends the command with exit status
2 (usage) or 1 (error) and a message naming the value, and `planatlas import` is all or nothing:
after every refused file the store holds exactly what it held before.

    swift build && python3 -m pytest -q Tests/Reliability/test_cli_bad_input.py
"""
import json
import math
import subprocess
from dataclasses import dataclass

import pytest

from planatlas_server import BINARY, ROOT

BOWTIE = [[123.40, 41.70], [123.50, 41.80], [123.50, 41.70], [123.40, 41.80], [123.40, 41.70]]
SQUARE = [[123.40, 41.70], [123.50, 41.70], [123.50, 41.80], [123.40, 41.80], [123.40, 41.70]]


def run(database, *args, timeout=120):
    return subprocess.run([str(BINARY), *args, "--database", str(database), "--geodata", str(ROOT / "GeoData")],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def layer_counts(database):
    listing = run(database, "layers")
    assert listing.returncode == 0, listing.stderr
    counts = {}
    for line in listing.stdout.splitlines()[2:]:
        words = line.split()
        if words and words[-1].isdigit():
            counts[words[0]] = int(words[-1])
    return counts


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "plan.sqlite"
    counts = layer_counts(path)  # seeds the store
    assert counts["market-relocations"] == 11
    return path


@dataclass
class Case:
    name: str
    args: list
    status: int
    mentions: str


AT = ["--lon", "123.45", "--lat", "41.79"]
CASES = [
    # Values the argument parser refuses: usage errors, exit status 2.
    Case("longitude not a number", ["near", "--lon", "east", "--lat", "41.79", "--radius", "10"], 2, "east"),
    Case("k overflowing Int", ["near", *AT, "--k", "99999999999999999999"], 2, "99999999999999999999"),
    Case("radius and k together", ["near", *AT, "--k", "3", "--radius", "10"], 2, "radius"),
    Case("neither radius nor k", ["near", *AT], 2, "radius"),
    Case("overlaps with one layer", ["overlaps", "--layers", "districts"], 2, "districts"),
    Case("export to an unknown CRS", ["export", "--layer", "metro-lines", "--crs", "EPSG:999999"], 2, "EPSG:999999"),
    Case("SQL in a CRS", ["export", "--layer", "metro-lines", "--crs", "EPSG:4326'; DROP TABLE features;--"], 2,
         "DROP TABLE"),
    Case("export with a three-number bbox", ["export", "--layer", "metro-lines", "--bbox", "1,2,3"], 2, "1,2,3"),
    Case("import with a vertex limit of zero", ["import", "GeoData/metro-lines.geojson", "--layer", "metro-lines",
                                                "--max-vertices", "0"], 2, "--max-vertices"),
    # Values the planning layer refuses (out of range, unknown): errors, exit status 1.
    Case("longitude out of range", ["near", "--lon", "200", "--lat", "41.79", "--radius", "10"], 1, "200"),
    Case("latitude beyond the pole", ["near", "--lon", "123.45", "--lat=-91", "--radius", "10"], 1, "-91"),
    Case("radius negative", ["near", *AT, "--radius=-5"], 1, "-5"),
    Case("radius NaN", ["near", *AT, "--radius", "nan"], 1, "nan"),
    Case("radius infinite", ["near", *AT, "--radius", "inf"], 1, "inf"),
    Case("radius over the limit", ["near", *AT, "--radius", "50001"], 1, "50001"),
    Case("k zero", ["near", *AT, "--k", "0"], 1, "got 0"),
    Case("k over the limit", ["near", *AT, "--k", "1001"], 1, "1001"),
    Case("SQL in a layer id", ["near", *AT, "--radius", "10", "--layer", "x'; DROP TABLE features;--"], 1, "DROP TABLE"),
    Case("missing query file", ["near", "--queries", "/nonexistent/q.csv", "--radius", "10"], 1, "/nonexistent/q.csv"),
    Case("overlaps buffer negative", ["overlaps", "--layers", "districts,historic-districts", "--buffer=-1"], 1, "-1"),
    Case("overlaps buffer over the limit", ["overlaps", "--layers", "metro-lines,districts", "--buffer", "5001"], 1, "5001"),
    Case("SQL in an overlaps layer", ["overlaps", "--layers", "districts,x' OR 1=1--"], 1, "x' OR 1=1--"),
    Case("export a traversal layer id", ["export", "--layer", "../../etc/passwd"], 1, "../../etc/passwd"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_command_line_value_is_named_with_its_exit_status(database, case):
    result = run(database, *case.args)
    assert result.returncode == case.status, (result.returncode, result.stderr[-500:])
    assert case.mentions.lower() in result.stderr.lower(), result.stderr[-500:]
    assert "Fatal error" not in result.stderr and "Stack dump" not in result.stderr


def feature(fid, geometry):
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": {"name": "探针", "name_en": "probe"}}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


GOOD = feature("rel-import-good", {"type": "Polygon", "coordinates": [SQUARE]})
IMPORTS = [
    ("truncated JSON", '{"type":"FeatureCollection","features":[', "historic-districts", "features"),
    ("empty file", "", "historic-districts", "plan.geojson"),
    ("100,000 nested arrays", "[" * 100_000 + "]" * 100_000, "historic-districts", "array"),
    ("100,000 nested arrays in coordinates", '{"type":"FeatureCollection","features":[{"type":"Feature","id":"d",'
     '"properties":{},"geometry":{"type":"Point","coordinates":' + "[" * 100_000 + "]" * 100_000 + "}}]}",
     "historic-districts", "nest"),
    ("100,000 nested objects", '{"a":' * 100_000 + "1" + "}" * 100_000, "historic-districts", "nest"),
    ("NaN literal", collection(GOOD).replace("123.4,", "NaN,", 1).replace("123.40,", "NaN,", 1),
     "historic-districts", "nan"),
    ("Infinity literal", collection(GOOD).replace("41.7]", "Infinity]", 1), "historic-districts", "infinity"),
    ("a good feature then a self-intersecting one",
     collection(GOOD, feature("rel-import-bowtie", {"type": "Polygon", "coordinates": [BOWTIE]})),
     "historic-districts", "rel-import-bowtie"),
    ("a good feature then an unclosed ring",
     collection(GOOD, feature("rel-import-open", {"type": "Polygon", "coordinates": [SQUARE[:-1]]})),
     "historic-districts", "features[1]"),
    ("a good feature then one without an id",
     collection(GOOD, {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}, "properties": {}}),
     "historic-districts", "features[1].id"),
    ("a good feature then a point in a polygon layer",
     collection(GOOD, feature("rel-import-point", {"type": "Point", "coordinates": [123.4, 41.7]})),
     "historic-districts", "rel-import-point"),
    ("mixed dimensions",
     collection(feature("rel-import-mixed", {"type": "LineString", "coordinates": [[123.4, 41.7], [123.5, 41.8, 3.0]]})),
     "metro-lines", "features[0]"),
    ("a non-WGS84 crs member",
     json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
                 "features": [feature("rel-import-merc", {"type": "Point", "coordinates": [13740000.0, 5120000.0]})]}),
     "market-relocations", "3857"),
    ("an id that exists already", collection(feature("rel-import-new", {"type": "Point", "coordinates": [123.4, 41.7]}),
                                             {**feature(None, {"type": "Point", "coordinates": [123.4, 41.7]}),
                                              "id": "__EXISTING__"}),
     "market-relocations", "__EXISTING__"),
    ("an unknown layer", collection(GOOD), "x'; DROP TABLE features;--", "DROP TABLE"),
    ("a good feature then one over the vertex limit",
     collection(GOOD, feature("rel-import-long", {"type": "Polygon", "coordinates": [
         [[123.40 + 0.1 * math.cos(2 * math.pi * i / 100_001), 41.70 + 0.1 * math.sin(2 * math.pi * i / 100_001)]
          for i in range(100_001)] + [[123.50, 41.70]]]})),
     "historic-districts", "features[1].geometry: the geometry has 100002 vertices"),
]


@pytest.mark.parametrize("name,text,layer,mentions", IMPORTS, ids=[i[0] for i in IMPORTS])
def test_refused_import_changes_nothing(database, tmp_path, name, text, layer, mentions):
    before = layer_counts(database)
    if "__EXISTING__" in text:
        exported = run(database, "export", "--layer", "market-relocations")
        existing = json.loads(exported.stdout)["features"][0]["id"]
        text, mentions = text.replace("__EXISTING__", existing), existing
    source = tmp_path / "plan.geojson"
    source.write_text(text)
    result = run(database, "import", str(source), "--layer", layer)
    assert result.returncode == 1, (result.returncode, result.stdout[-300:], result.stderr[-500:])
    assert mentions.lower() in result.stderr.lower(), result.stderr[-500:]
    assert layer_counts(database) == before


TOKEN_FILES = [
    ("readable by others", "serve-token-7c1d\n", 0o644, "is open to its group or others (mode 0644)"),
    ("readable by the group", "serve-token-7c1d\n", 0o640, "is open to its group or others (mode 0640)"),
    ("empty", "", 0o600, "is empty"),
    ("two lines", "serve-token-7c1d\nserve-token-7c1d\n", 0o600, "has more than one line"),
]


@pytest.mark.parametrize("name,text,mode,mentions", TOKEN_FILES, ids=[t[0] for t in TOKEN_FILES])
def test_serve_refuses_a_bad_token_file_before_it_starts_and_never_shows_the_token(database, tmp_path, name, text, mode,
                                                                                   mentions):
    token = tmp_path / "token"
    token.write_text(text)
    token.chmod(mode)
    result = run(database, "serve", "--port", "0", "--token-file", str(token), timeout=60)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert f"token file '{token}' {mentions}" in result.stderr, result.stderr[-500:]
    assert "serve-token-7c1d" not in result.stdout + result.stderr


def test_validate_names_a_missing_path():
    result = subprocess.run([str(BINARY), "validate", "/nonexistent/GeoData"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "/nonexistent/GeoData" in result.stderr, result.stderr


def test_import_of_a_missing_file_or_a_folder_names_it(database, tmp_path):
    for path in ["/nonexistent/plan.geojson", str(tmp_path)]:
        result = run(database, "import", path, "--layer", "historic-districts")
        assert result.returncode == 1 and path in result.stderr, result.stderr


def test_the_store_is_intact_after_the_corpus(database):
    check = subprocess.run(["sqlite3", str(database), "PRAGMA integrity_check;"], capture_output=True, text=True)
    assert check.stdout.strip() == "ok", check.stdout + check.stderr
    assert layer_counts(database)["market-relocations"] == 11
