#!/usr/bin/env python3
"""pygeoapi peer for W4: OGC API - Features items with bbox under wrk.

pygeoapi runs under gunicorn with 2 sync workers on a free loopback port, serving
W1's features through its PostgreSQL provider (its fastest feature provider: the
bbox becomes ST_Intersects against a GiST-indexed table). The table is loaded in
lon/lat (EPSG:4326) before the server starts. Its SQLite provider was not used:
it filters bbox with Intersects over the whole table, without the R*Tree.

Output: the common result JSON with an "http" list (one entry per endpoint and
connection count: requests/s, latency p50/p90/p99 in ms, errors, server CPU) and
peak_rss_bytes = the summed VmHWM of the gunicorn master and workers (the
database server's memory is not included).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import common
import http_load
from pgcluster import ThrowawayCluster, free_port

CONFIG = """\
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: en-US
  cors: false
  pretty_print: false
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: 'http://127.0.0.1/tiles/{{z}}/{{x}}/{{y}}.png', attribution: none}}
logging:
  level: ERROR
metadata:
  identification:
    title: planatlas benchmark peer
    description: W1 features for W4
    keywords: [benchmark]
    keywords_type: theme
    terms_of_service: none
    url: http://127.0.0.1/
  license: {{name: CC0, url: http://127.0.0.1/license}}
  provider: {{name: benchmark, url: http://127.0.0.1/}}
  contact: {{name: benchmark}}
resources:
  w1:
    type: collection
    title: W1
    description: W1 features
    keywords: [w1]
    extents:
      spatial:
        bbox: [123.1, 41.6, 123.8, 42.05]
        crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: 127.0.0.1, port: {pg_port}, dbname: {pg_db}, user: {pg_user}, password: ''}}
        id_field: id
        table: w1_api
        geom_field: geom
"""


def load_table(url: str, data: Path) -> None:
    import numpy as np
    import psycopg
    import shapely
    fids, geoms, *_ = common.load_w1(data)
    kinds = np.load(data / "features.npz")["kinds"]
    names = np.array(["point", "line", "polygon"])[kinds]
    hexes = shapely.to_wkb(shapely.set_srid(geoms, 4326), hex=True, include_srid=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS w1_api")
        conn.execute("CREATE TABLE w1_api (id integer PRIMARY KEY, kind text, geom geometry(Geometry, 4326))")
        with conn.cursor() as cur, cur.copy("COPY w1_api (id, kind, geom) FROM STDIN") as cp:
            cp.write("".join(f"{i}\t{k}\t{h}\n" for i, k, h in zip(fids, names, hexes)))
        conn.execute("CREATE INDEX w1_api_geom ON w1_api USING gist (geom)")
        conn.execute("ANALYZE w1_api")


def main():
    def extra(p):
        p.add_argument("--pg-url", default=os.environ.get("PLANATLAS_BENCH_PG_URL"))
        p.add_argument("--connections", default="16,64")
        p.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    args = common.parse_args("pygeoapi", ["w4"], extra=extra)
    connections = [int(c) for c in args.connections.split(",")]
    phases = common.Phases()
    with ExitStack() as stack:
        url = args.pg_url or stack.enter_context(ThrowawayCluster()).url
        with phases.timed("load"):
            load_table(url, args.data)
        from urllib.parse import urlparse
        pg = urlparse(url)
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="planatlas-bench-pygeoapi-")))
        port = free_port()
        config = work / "pygeoapi.yml"
        config.write_text(CONFIG.format(port=port, pg_port=pg.port, pg_db=pg.path.lstrip("/"),
                                        pg_user=pg.username or "postgres"))
        openapi = work / "openapi.yml"
        bindir = Path(sys.executable).parent
        env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        subprocess.run([str(bindir / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        server = subprocess.Popen([str(bindir / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "--log-level", "warning", "pygeoapi.flask_app:APP"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=open(work / "gunicorn.log", "w"))
        stack.callback(lambda: (server.send_signal(signal.SIGTERM), server.wait(timeout=30)))
        base = f"http://127.0.0.1:{port}"
        http_load.wait_until_up(base + "/collections/w1?f=json", process=server)
        rows = http_load.sample_answers(base, args.data, "w1", args.answers, extra="&f=json")
        paths = [http_load.items_path("w1", b, 10, "&f=json") for b in http_load.bboxes(args.data)]
        paths_file = http_load.write_paths(paths, work / "items.txt")
        runs = []
        for _ in range(args.repeat):
            runs.extend(http_load.load_runs(base, server.pid, {"items": paths_file}, connections, args.duration))
        peak = http_load.tree_peak_rss(server.pid)
    import pygeoapi
    common.emit("pygeoapi", f"pygeoapi {pygeoapi.__version__} (gunicorn, 2 sync workers, PostgreSQL provider)",
                args, phases, rows, threads=2, http=runs, server_peak_rss_bytes=peak,
                notes="wrk -t1 on loopback; /near has no pygeoapi equivalent")


if __name__ == "__main__":
    main()
