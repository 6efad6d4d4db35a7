"""The bad-input corpus through HTTP: every hostile or malformed request gets its own 4xx as an
RFC 9457 problem, nothing is answered with a 5xx, and afterwards the service still serves the same
data. Run against a fresh SpatiaLite store with a write token (conftest.py starts the server).

    swift build && python3 -m pytest -q Tests/Reliability/test_bad_input.py
"""
import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

from planatlas_server import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
GEOJSON = {"Content-Type": "application/geo+json"}
WRITE = {**AUTH, **GEOJSON}
POINTS = "/collections/market-relocations/items"
POLYGONS = "/collections/historic-districts/items"
LINES = "/collections/metro-lines/items"
# Every JSON-producing request asks for JSON, so errors come as problem+json, not HTML pages.
ACCEPT = {"Accept": "application/json"}


def request(server, method, path, body=None, headers=None, timeout=60):
    """One request on its own connection; the path goes on the wire exactly as given."""
    host, port = server.host_port
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        sent = {**ACCEPT, **(headers or {})}
        if isinstance(body, str):
            body = body.encode()
        if body is not None and "Content-Length" not in sent:
            sent["Content-Length"] = str(len(body))
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders()
        if body is not None:
            connection.send(body)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def point_feature(fid="rel-probe", lon=123.45, lat=41.79, **extra):
    feature = {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]},
               "properties": {"name": "探针", "name_en": "probe"}}
    feature.update(extra)
    return feature


def polygon_feature(ring, fid="rel-polygon"):
    return {"type": "Feature", "id": fid, "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"name": "探针", "name_en": "probe"}}


def line_feature(coordinates, fid="rel-line"):
    return {"type": "Feature", "id": fid, "geometry": {"type": "LineString", "coordinates": coordinates},
            "properties": {"name": "探针", "name_en": "probe"}}


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


BOWTIE = [[123.40, 41.70], [123.50, 41.80], [123.50, 41.70], [123.40, 41.80], [123.40, 41.70]]
SQUARE = [[123.40, 41.70], [123.50, 41.70], [123.50, 41.80], [123.40, 41.80], [123.40, 41.70]]
DEEP_ARRAYS = "[" * 100_000 + "]" * 100_000
DEEP_OBJECTS = '{"a":' * 100_000 + "1" + "}" * 100_000
# A LineString of 900,000 vertices: over the 16 MiB body limit.
HUGE_LINE = line_feature([[123.4 + i * 1e-8, 41.7 + i * 1e-8] for i in range(900_000)])
assert len(json.dumps(HUGE_LINE)) > 16 * 1024 * 1024
# The service's vertex limit (VertexLimit.standard), and geometries at it and one vertex over it.
VERTEX_LIMIT = 100_000


def zigzag(vertices, lon=123.3):
    return [[lon + i * 1e-6, 41.7 + (i % 2) * 1e-6] for i in range(vertices)]


LINE_AT_LIMIT = line_feature(zigzag(VERTEX_LIMIT), fid="rel-long-line")
LINE_OVER_LIMIT = line_feature(zigzag(VERTEX_LIMIT + 1))
assert len(dumps(LINE_OVER_LIMIT)) < 16 * 1024 * 1024  # refused for its vertices, not its bytes


@dataclass
class Case:
    name: str
    method: str
    path: str
    status: int
    body: object = None
    headers: dict = field(default_factory=dict)
    kind: str | None = None           # the problem type's last segment
    mentions: str | None = None       # text the detail must name (the bad value)


CASES = [
    # Malformed JSON bodies.
    Case("truncated JSON", "POST", POINTS, 400, '{"type": "Feature", "geometry": ', WRITE, "malformed-body"),
    Case("empty body", "POST", POINTS, 400, "", WRITE, "malformed-body"),
    Case("not JSON at all", "POST", POINTS, 400, "DROP TABLE features;", WRITE, "malformed-body"),
    Case("trailing garbage", "POST", POINTS, 400, dumps(point_feature()) + "}{", WRITE, "malformed-body"),
    Case("invalid UTF-8", "POST", POINTS, 400, b'{"type":"Feature","id":"\xff\xfe","geometry":null,"properties":{}}',
         WRITE, "malformed-body"),
    Case("a JSON array, not a Feature", "POST", POINTS, 400, "[1,2,3]", WRITE, "malformed-body"),
    Case("a FeatureCollection, not a Feature", "POST", POINTS, 400,
         dumps({"type": "FeatureCollection", "features": [point_feature()]}), WRITE, "malformed-body"),
    Case("100,000 nested arrays", "POST", POINTS, 400, DEEP_ARRAYS, WRITE, "malformed-body", "array"),
    Case("100,000 nested objects", "POST", POINTS, 400, DEEP_OBJECTS, WRITE, "malformed-body", "nest"),
    Case("100,000 nested arrays in coordinates", "POST", POINTS, 400,
         '{"type":"Feature","id":"x","properties":{},"geometry":{"type":"Point","coordinates":' + DEEP_ARRAYS + "}}",
         WRITE, "malformed-body", "nest"),
    Case("properties nested 1,000 deep", "POST", POINTS, 400,
         '{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[123.4,41.7]},"properties":'
         + '{"a":' * 1000 + "1" + "}" * 1001, WRITE, "malformed-body", "nest"),
    # Numbers that are not numbers.
    Case("NaN literal", "POST", POINTS, 400, '{"type":"Feature","id":"x","properties":{},'
         '"geometry":{"type":"Point","coordinates":[NaN,41.7]}}', WRITE, "malformed-body"),
    Case("Infinity literal", "POST", POINTS, 400, '{"type":"Feature","id":"x","properties":{},'
         '"geometry":{"type":"Point","coordinates":[Infinity,41.7]}}', WRITE, "malformed-body"),
    Case("-Infinity literal", "POST", POINTS, 400, '{"type":"Feature","id":"x","properties":{},'
         '"geometry":{"type":"Point","coordinates":[123.4,-Infinity]}}', WRITE, "malformed-body"),
    Case("a number overflowing to infinity", "POST", POINTS, 400, '{"type":"Feature","id":"x","properties":{},'
         '"geometry":{"type":"Point","coordinates":[1e400,41.7]}}', WRITE),
    Case("a string coordinate", "POST", POINTS, 400, dumps(point_feature(lon="123.4")), WRITE, "malformed-body"),
    Case("longitude out of range", "POST", POINTS, 400, dumps(point_feature(lon=200.0)), WRITE, "malformed-body", "200"),
    Case("latitude out of range", "POST", POINTS, 400, dumps(point_feature(lat=-91.5)), WRITE, "malformed-body", "-91.5"),
    # Geometry GEOS refuses, with its reason.
    Case("self-intersecting polygon", "POST", POLYGONS, 422, dumps(polygon_feature(BOWTIE)), WRITE,
         "invalid-geometry", "Self-intersection"),
    Case("unclosed ring", "POST", POLYGONS, 400, dumps(polygon_feature(SQUARE[:-1])), WRITE, "malformed-body", "clos"),
    Case("ring of three positions", "POST", POLYGONS, 400,
         dumps(polygon_feature([SQUARE[0], SQUARE[1], SQUARE[0]])), WRITE, "malformed-body"),
    Case("one-position LineString", "POST", LINES, 400, dumps(line_feature([[123.4, 41.7]])), WRITE, "malformed-body"),
    Case("mixed dimensions in a LineString", "POST", LINES, 400,
         dumps(line_feature([[123.40, 41.70], [123.41, 41.71, 12.0], [123.42, 41.72]])), WRITE, "malformed-body"),
    Case("a one-number position", "POST", POINTS, 400, '{"type":"Feature","id":"x","properties":{},'
         '"geometry":{"type":"Point","coordinates":[123.4]}}', WRITE, "malformed-body"),
    Case("unknown geometry type", "POST", POINTS, 400, '{"type":"Feature","id":"x","properties":{},'
         '"geometry":{"type":"Circle","coordinates":[123.4,41.7]}}', WRITE, "malformed-body", "Circle"),
    Case("polygon into a point layer", "POST", POINTS, 422, dumps(polygon_feature(SQUARE)), WRITE, "invalid-geometry"),
    # Coordinates that read as WGS84 too: only the crs member tells them apart.
    Case("a non-WGS84 crs member", "POST", POINTS, 400,
         dumps(point_feature(crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}})),
         WRITE, "malformed-body", "4549"),
    Case("a Web Mercator crs member", "POST", POINTS, 400,
         dumps(point_feature(crs={"type": "name", "properties": {"name": "EPSG:3857"}})), WRITE, "malformed-body", "3857"),
    # Oversized input and vertex counts.
    Case("body over the limit", "POST", LINES, 413, dumps(HUGE_LINE), WRITE, "content-too-large"),
    Case("declared length over the limit", "POST", POINTS, 413, None,
         {**WRITE, "Content-Length": str(64 * 1024 * 1024)}, "content-too-large"),
    Case("a line one vertex over the vertex limit", "POST", LINES, 413, dumps(LINE_OVER_LIMIT), WRITE,
         "content-too-large", "100001 vertices"),
    Case("a replacement one vertex over the vertex limit", "PUT", LINES + "/rel-line", 413, dumps(LINE_OVER_LIMIT),
         {**WRITE, "If-Match": "*"}, "content-too-large", "100001 vertices"),
    Case("a MultiPoint of 100,001 points", "POST", POINTS, 413,
         dumps({**point_feature(), "geometry": {"type": "MultiPoint", "coordinates": zigzag(VERTEX_LIMIT + 1)}}), WRITE,
         "content-too-large", "100001 vertices"),
    Case("an /overlaps candidate one vertex over the vertex limit", "POST", "/overlaps?buffer=10", 413,
         dumps(LINE_OVER_LIMIT["geometry"]), GEOJSON, "content-too-large", "100001 vertices"),
    Case("an /overlaps body of two lines over the vertex limit in all", "POST", "/overlaps?buffer=10", 413,
         dumps({"type": "FeatureCollection", "features": [line_feature(zigzag(60_000)), line_feature(zigzag(60_000))]}),
         GEOJSON, "content-too-large", "request body has 120000 vertices"),
    # Media types.
    Case("text/plain body", "POST", POINTS, 415, dumps(point_feature()), {**AUTH, "Content-Type": "text/plain"},
         "unsupported-media-type"),
    Case("XML body", "POST", POINTS, 415, "<Feature/>", {**AUTH, "Content-Type": "application/xml"},
         "unsupported-media-type"),
    Case("form body", "POST", POINTS, 415, "a=b", {**AUTH, "Content-Type": "application/x-www-form-urlencoded"},
         "unsupported-media-type"),
    Case("no content type", "POST", POINTS, 415, dumps(point_feature()), AUTH, "unsupported-media-type"),
    # Writes without the token, or with the wrong one.
    Case("write without a token", "POST", POINTS, 401, dumps(point_feature()), GEOJSON, "unauthorized"),
    Case("write with the wrong token", "POST", POINTS, 401, dumps(point_feature()),
         {**GEOJSON, "Authorization": "Bearer not-the-token"}, "unauthorized"),
    Case("write with the token as Basic", "POST", POINTS, 401, dumps(point_feature()),
         {**GEOJSON, "Authorization": f"Basic {TOKEN}"}, "unauthorized"),
    Case("write with a token prefix", "POST", POINTS, 401, dumps(point_feature()),
         {**GEOJSON, "Authorization": f"Bearer {TOKEN[:-1]}"}, "unauthorized"),
    Case("delete without a token", "DELETE", POINTS + "/anything", 401, None, {}, "unauthorized"),
    Case("replace without a token", "PUT", POINTS + "/anything", 401, dumps(point_feature()), GEOJSON, "unauthorized"),
    # Unknown and out-of-range parameters.
    Case("unknown parameter on /collections", "GET", "/collections?frobnicate=1", 400, kind="unknown-parameter",
         mentions="frobnicate"),
    Case("unknown parameter on /near", "GET", "/near?lon=123.45&lat=41.79&radius=100&frobnicate=1", 400,
         kind="unknown-parameter", mentions="frobnicate"),
    Case("limit 0", "GET", POINTS + "?limit=0", 400, kind="invalid-parameter", mentions="limit"),
    Case("limit negative", "GET", POINTS + "?limit=-5", 400, kind="invalid-parameter", mentions="-5"),
    Case("limit huge", "GET", POINTS + "?limit=99999999999999999999", 400, kind="invalid-parameter", mentions="limit"),
    Case("limit not a number", "GET", POINTS + "?limit=ten", 400, kind="invalid-parameter", mentions="ten"),
    Case("offset negative", "GET", POINTS + "?offset=-1", 400, kind="invalid-parameter", mentions="offset"),
    Case("bbox of three numbers", "GET", POINTS + "?bbox=1,2,3", 400, kind="invalid-parameter", mentions="bbox"),
    Case("bbox out of range", "GET", POINTS + "?bbox=-200,0,200,10", 400, kind="invalid-parameter", mentions="bbox"),
    Case("bbox with NaN", "GET", POINTS + "?bbox=nan,41,124,42", 400, kind="invalid-parameter", mentions="bbox"),
    Case("bbox with inf", "GET", POINTS + "?bbox=123,41,inf,42", 400, kind="invalid-parameter", mentions="bbox"),
    Case("bbox south above north", "GET", POINTS + "?bbox=123,43,124,41", 400, kind="invalid-parameter", mentions="bbox"),
    Case("radius negative", "GET", "/near?lon=123.45&lat=41.79&radius=-1", 400, kind="invalid-parameter", mentions="radius"),
    Case("radius over the limit", "GET", "/near?lon=123.45&lat=41.79&radius=50001", 400, kind="invalid-parameter",
         mentions="50001"),
    Case("radius NaN", "GET", "/near?lon=123.45&lat=41.79&radius=NaN", 400, kind="invalid-parameter", mentions="radius"),
    Case("radius Infinity", "GET", "/near?lon=123.45&lat=41.79&radius=Infinity", 400, kind="invalid-parameter",
         mentions="radius"),
    Case("radius in hex", "GET", "/near?lon=123.45&lat=41.79&radius=0x10", 400, kind="invalid-parameter", mentions="radius"),
    Case("k zero", "GET", "/near?lon=123.45&lat=41.79&k=0", 400, kind="invalid-parameter", mentions="k"),
    Case("k over the limit", "GET", "/near?lon=123.45&lat=41.79&k=1001", 400, kind="invalid-parameter", mentions="1001"),
    Case("k fractional", "GET", "/near?lon=123.45&lat=41.79&k=1.5", 400, kind="invalid-parameter", mentions="k"),
    Case("radius and k together", "GET", "/near?lon=123.45&lat=41.79&k=3&radius=100", 400, kind="invalid-parameter"),
    Case("neither radius nor k", "GET", "/near?lon=123.45&lat=41.79", 400, kind="invalid-parameter"),
    Case("longitude not a number", "GET", "/near?lon=east&lat=41.79&radius=10", 400, kind="invalid-parameter",
         mentions="east"),
    Case("latitude beyond the pole", "GET", "/near?lon=123.45&lat=91&radius=10", 400, kind="invalid-parameter",
         mentions="lat"),
    Case("repeated parameter", "GET", "/near?lon=123.45&lon=1&lat=41.79&radius=10", 400, kind="invalid-parameter",
         mentions="lon"),
    Case("overlaps with one layer", "GET", "/overlaps?layers=historic-districts", 400, kind="invalid-parameter",
         mentions="layers"),
    Case("overlaps buffer negative", "GET", "/overlaps?layers=historic-districts,districts&buffer=-1", 400,
         kind="invalid-parameter", mentions="buffer"),
    Case("overlaps buffer over the limit", "GET", "/overlaps?layers=metro-lines,districts&buffer=5001", 400,
         kind="invalid-parameter", mentions="5001"),
    # SQL metacharacters: refused or not found, never interpreted.
    Case("quote in a collection id", "GET", "/collections/" + quote("x' OR '1'='1") + "/items", 404, kind="not-found"),
    Case("comment in a collection id", "GET", "/collections/" + quote("metro-lines'--") + "/items", 404, kind="not-found"),
    Case("quote in a feature id", "GET", POINTS + "/" + quote("' OR 1=1 --"), 404, kind="not-found"),
    Case("UNION in a feature id", "GET", POINTS + "/" + quote("x' UNION SELECT sql FROM sqlite_master --"), 404,
         kind="not-found"),
    Case("quote in layers of /near", "GET", "/near?lon=123.45&lat=41.79&radius=10&layers=" + quote("x';DROP TABLE features;--"),
         400, kind="invalid-parameter", mentions="layers"),
    Case("quote in layers of /overlaps", "GET", "/overlaps?layers=" + quote("districts,x' OR 1=1--"), 400,
         kind="invalid-parameter", mentions="layers"),
    Case("semicolon in a parameter name", "GET", POINTS + "?" + quote("status;DROP TABLE x") + "=planned", 400),
    # Path traversal in the static trees (raw paths, not normalised by the client).
    Case("viewer ../", "GET", "/viewer/../../../../etc/passwd", 404),
    Case("viewer %2e%2e", "GET", "/viewer/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 404),
    Case("viewer ..%2f", "GET", "/viewer/..%2f..%2f..%2f..%2fetc%2fpasswd", 404),
    Case("viewer into the sources", "GET", "/viewer/%2e%2e/Application.swift", 404),
    Case("viewer absolute path", "GET", "/viewer//etc/passwd", 404),
    Case("viewer NUL byte", "GET", "/viewer/index.html%00.js", 404),
    Case("viewer backslashes", "GET", "/viewer/..%5c..%5c..%5cetc%5cpasswd", 404),
    Case("vendor ../", "GET", "/vendor/leaflet/../../../../etc/passwd", 404),
    Case("vendor %2e%2e", "GET", "/vendor/leaflet/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 404),
    Case("vendor double-encoded", "GET", "/vendor/leaflet/%252e%252e/%252e%252e/etc/passwd", 404),
]


def delete(server, path):
    """DELETE with the If-Match the service requires (the ETag from GET)."""
    status, headers, body = request(server, "GET", path)
    assert status == 200, body[:300]
    return request(server, "DELETE", path, headers={**AUTH, "If-Match": headers["etag"]})


def problem_kind(body):
    return json.loads(body)["type"].rsplit(":", 1)[-1]


@pytest.fixture(scope="module")
def baseline(server):
    """Feature counts of every collection before the corpus runs."""
    return collection_counts(server)


def collection_counts(server):
    status, _, body = request(server, "GET", "/collections")
    assert status == 200
    counts = {}
    for collection in json.loads(body)["collections"]:
        status, _, page = request(server, "GET", f"/collections/{collection['id']}/items?limit=1")
        assert status == 200
        counts[collection["id"]] = json.loads(page)["numberMatched"]
    return counts


def test_baseline_is_recorded_before_the_corpus(baseline):
    assert baseline["market-relocations"] == 11


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_request_gets_its_own_problem(server, baseline, case):
    status, headers, body = request(server, case.method, case.path, case.body, case.headers)
    detail = body[:300]
    assert status == case.status, f"{case.name}: {status} {detail!r}"
    assert b"root:" not in body, "a file outside the static trees was served"
    if status == 404 and headers.get("content-type", "").startswith("text/html"):
        return  # a static path answered with the HTML not-found page
    assert headers.get("content-type", "").startswith("application/problem+json"), headers
    problem = json.loads(body)
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert problem["type"].startswith("urn:planatlas:problem:")
    if case.kind:
        assert problem_kind(body) == case.kind, problem
    if case.mentions:
        assert case.mentions.lower() in (problem["detail"] + str(problem.get("parameter", ""))).lower(), problem


def test_sql_metacharacters_in_an_id_are_stored_verbatim(server, baseline):
    fid = "x'); DROP TABLE features; --\"%_*"
    status, headers, body = request(server, "POST", POINTS, dumps(point_feature(fid)), WRITE)
    assert status == 201, body
    location = "/collections/market-relocations/items/" + quote(fid, safe="")
    status, headers, body = request(server, "GET", location)
    assert status == 200, body
    assert json.loads(body)["id"] == fid
    # A LIKE wildcard in a property filter matches only itself.
    status, _, body = request(server, "GET", POINTS + "?name_en=" + quote("%"))
    assert status == 200 and json.loads(body)["numberMatched"] == 0, body
    status, _, body = request(server, "GET", POINTS + "?name_en=" + quote("' OR '1'='1"))
    assert status == 200 and json.loads(body)["numberMatched"] == 0, body
    status, _, body = delete(server, location)
    assert status == 204, body
    assert collection_counts(server) == baseline


def test_a_geometry_at_the_vertex_limit_is_stored_and_read_back_whole(server, baseline):
    status, _, body = request(server, "POST", LINES, dumps(LINE_AT_LIMIT), WRITE, timeout=300)
    assert status == 201, body[:300]
    status, _, body = request(server, "GET", LINES + "/rel-long-line", timeout=300)
    assert status == 200
    assert len(json.loads(body)["geometry"]["coordinates"]) == VERTEX_LIMIT
    status, _, _ = delete(server, LINES + "/rel-long-line")
    assert status == 204
    assert collection_counts(server) == baseline


def test_a_merge_patch_taking_a_feature_over_the_vertex_limit_is_refused(server, baseline):
    status, _, body = request(server, "GET", LINES + "?limit=1")
    path = LINES + "/" + quote(str(json.loads(body)["features"][0]["id"]), safe="")
    status, headers, before = request(server, "GET", path)
    patch = dumps({"geometry": LINE_OVER_LIMIT["geometry"]})
    status, _, body = request(server, "PATCH", path, patch,
                              {**AUTH, "Content-Type": "application/merge-patch+json", "If-Match": headers["etag"]})
    assert status == 413, body[:300]
    problem = json.loads(body)
    assert problem["parameter"] == "body.geometry" and "100001 vertices" in problem["detail"], problem
    assert request(server, "GET", path)[2] == before


def test_a_merge_patch_nested_100000_deep_is_refused(server, baseline):
    status, _, body = request(server, "GET", POINTS + "?limit=1")
    path = POINTS + "/" + quote(str(json.loads(body)["features"][0]["id"]), safe="")
    status, headers, before = request(server, "GET", path)
    status, _, body = request(server, "PATCH", path, DEEP_OBJECTS,
                              {**AUTH, "Content-Type": "application/merge-patch+json", "If-Match": headers["etag"]})
    assert status == 400 and "nest" in json.loads(body)["detail"], body[:300]
    assert request(server, "GET", path)[2] == before


def dribble(server, payload, seconds_per_byte, stop, answer):
    """Sends `payload` one byte at a time; records the status line the server answers with."""
    with socket.create_connection(server.host_port, timeout=30) as sock:
        try:
            for byte in payload:
                if stop.is_set():
                    return
                sock.sendall(bytes([byte]))
                time.sleep(seconds_per_byte)
            answer.append(sock.recv(64))
        except OSError as error:  # the server may close a client that is too slow
            answer.append(repr(error).encode())


def test_clients_dribbling_bytes_do_not_block_others(server, baseline):
    head = b"GET /collections HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n"  # 5.6 s at 10 bytes/s
    body = dumps(point_feature("rel-slow")).encode()
    post = (b"POST " + POINTS.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/geo+json\r\n"
            b"Authorization: Bearer wrong\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    stop = threading.Event()
    answers = [[] for _ in range(8)]
    slow = [threading.Thread(target=dribble, args=(server, head if i % 2 == 0 else post[:60], 0.1, stop, answers[i]))
            for i in range(8)]
    for thread in slow:
        thread.start()
    try:
        # While eight clients trickle, ordinary requests are answered (bounded: each must finish in 10 s).
        served = 0
        deadline = time.monotonic() + 60
        while any(thread.is_alive() for thread in slow[0::2]) and time.monotonic() < deadline:
            served += 1
            status, _, _ = request(server, "GET", "/collections", timeout=10)
            assert status == 200
            status, _, _ = request(server, "GET", "/near?lon=123.45&lat=41.79&radius=500", timeout=10)
            assert status == 200
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=30)
    assert served >= 5
    # The complete slow GETs were answered in the end.
    for i in range(0, 8, 2):
        assert answers[i] and answers[i][0].startswith(b"HTTP/1.1 200"), answers[i]


def test_a_client_that_never_finishes_its_headers_is_not_served_and_does_no_harm(server, baseline):
    sockets = [socket.create_connection(server.host_port, timeout=10) for _ in range(50)]
    try:
        for sock in sockets:
            sock.sendall(b"GET /collections HTTP/1.1\r\nHost: x\r\n")
        status, _, _ = request(server, "GET", "/collections", timeout=10)
        assert status == 200
    finally:
        for sock in sockets:
            sock.close()


def test_after_the_corpus_the_service_is_healthy_and_answered_no_5xx(server, baseline):
    assert collection_counts(server) == baseline
    status, _, _ = request(server, "GET", "/near?lon=123.4507&lat=41.7962&radius=1000")
    assert status == 200
    assert server.process.poll() is None, "the server died"
    assert server.server_errors() == []
    assert TOKEN not in server.log(), "the token reached the log"
