#!/usr/bin/env python3
"""PostGIS 3 peer (GiST index) for W1a, W1b and W2, over psycopg 3.

The data is loaded once in lon/lat (phase "load", COPY of hex EWKB); then each
repetition projects it to the metric CRS (--crs, EPSG:4550) inside the server (ST_Transform, phase
"project"), builds the GiST index and ANALYZEs (phase "index"), and runs the
workload as one set-based SQL statement whose rows are streamed back with
COPY ... TO STDOUT (phase "query"; parsing the rows in Python comes after the
clock stops). One statement for all queries is PostGIS at its best: no per-query
round trip.

  W1a  JOIN ... ON ST_DWithin(f.geom, q.geom, r), ordered by ST_Distance then id.
  W1b  CROSS JOIN LATERAL (... ORDER BY f.geom <-> q.geom LIMIT k): index-assisted
       KNN; with PostgreSQL >= 9.5 `<->` is the exact geometry distance, and the
       k rows are re-ranked by (ST_Distance, id) for the answer.
  W2   JOIN ... ON ST_Intersects(a.geom, b.geom), ST_Area(ST_Intersection(...)),
       GiST index on layer B only (as GeoPandas indexes one side).

CPU seconds are the client's plus the server backend's (from /proc); parallel
workers, when the planner starts any, are not included. peak_rss_bytes is this
client; server_peak_rss_bytes is the backend's VmHWM (it counts the shared-buffer
pages the backend touched).
"""
from __future__ import annotations

import io
import os
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import shapely

import common
from pgcluster import ThrowawayCluster

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True)
        self.pid = self.scalar("SELECT pg_backend_pid()")

    def scalar(self, sql: str):
        return self.conn.execute(sql).fetchone()[0]

    def run(self, *statements: str) -> None:
        for sql in statements:
            self.conn.execute(sql)

    def copy_in(self, table: str, columns: str, rows: str) -> None:
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
            cp.write(rows)

    def copy_out(self, sql: str) -> bytes:
        with self.conn.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT") as cp:
            return b"".join(bytes(block) for block in cp)

    def backend_cpu(self) -> float:
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except OSError:
            return 0.0  # server on another host or not readable: client CPU only

    def backend_peak_rss(self) -> int | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float:
        return time.process_time() + self.backend_cpu()


def ewkb_rows(ids, geoms, extra=None) -> str:
    hexes = shapely.to_wkb(shapely.set_srid(geoms, 4326), hex=True, include_srid=True)
    if extra is None:
        return "".join(f"{i}\t{h}\n" for i, h in zip(ids, hexes))
    return "".join(f"{i}\t{e}\t{h}\n" for i, e, h in zip(ids, extra, hexes))


def parse(raw: bytes, names: list[str]) -> pd.DataFrame:
    if not raw:
        return pd.DataFrame({n: [] for n in names})
    return pd.read_csv(io.BytesIO(raw), sep="\t", header=None, names=names)


def project_w1(db: Server, srid: int, phases) -> None:
    with phases.timed("project", db.cpu_seconds):
        db.run("DROP TABLE IF EXISTS w1, w1q",
               f"CREATE TABLE w1 AS SELECT id, ST_Transform(geom, {srid})::geometry(Geometry, {srid}) AS geom FROM w1_src",
               f"CREATE TABLE w1q AS SELECT id, ST_Transform(geom, {srid})::geometry(Point, {srid}) AS geom FROM w1q_src")
    with phases.timed("index", db.cpu_seconds):
        db.run("CREATE INDEX w1_geom ON w1 USING gist (geom)", "ANALYZE w1", "ANALYZE w1q")


def load_w1(db: Server, args, phases) -> None:
    with phases.timed("load", db.cpu_seconds):
        fids, geoms, qids, qlon, qlat = common.load_w1(args.data)
        np_kinds = np.load(args.data / "features.npz")["kinds"]
        db.run("DROP TABLE IF EXISTS w1_src, w1q_src",
               "CREATE TABLE w1_src (id integer PRIMARY KEY, kind smallint, geom geometry(Geometry, 4326))",
               "CREATE TABLE w1q_src (id integer PRIMARY KEY, geom geometry(Point, 4326))")
        db.copy_in("w1_src", "id, kind, geom", ewkb_rows(fids, geoms, np_kinds))
        db.copy_in("w1q_src", "id, geom", ewkb_rows(qids, shapely.points(qlon, qlat)))


def w1a(db: Server, args, phases):
    load_w1(db, args, phases)
    raw = b""
    for _ in range(args.repeat):
        project_w1(db, args.srid, phases)
        with phases.timed("query", db.cpu_seconds):
            raw = db.copy_out(
                f"SELECT q.id, f.id, ST_Distance(f.geom, q.geom) AS d FROM w1q q "
                f"JOIN w1 f ON ST_DWithin(f.geom, q.geom, {float(args.radius)}) ORDER BY q.id, d, f.id")
    rows = parse(raw, ["q", "f", "d"])
    return common.write_w1a(args.answers, rows.q, rows.f, rows.d), ""


def w1b(db: Server, args, phases):
    load_w1(db, args, phases)
    raw = b""
    for _ in range(args.repeat):
        project_w1(db, args.srid, phases)
        with phases.timed("query", db.cpu_seconds):
            raw = db.copy_out(
                f"SELECT q.id, n.id, n.d FROM w1q q CROSS JOIN LATERAL ("
                f"SELECT f.id, ST_Distance(f.geom, q.geom) AS d FROM w1 f "
                f"ORDER BY f.geom <-> q.geom LIMIT {int(args.k)}) n ORDER BY q.id, n.d, n.id")
    rows = parse(raw, ["q", "f", "d"])
    ranks = common.ranks_within_queries(rows.q.to_numpy())
    return common.write_w1b(args.answers, rows.q, ranks, rows.f, rows.d), "KNN <-> LIMIT k, re-ranked by (ST_Distance, id)"


def w2(db: Server, args, phases):
    with phases.timed("load", db.cpu_seconds):
        (ida, wa), (idb, wb) = common.load_w2_wkb(args.data)
        db.run("DROP TABLE IF EXISTS a_src, b_src",
               "CREATE TABLE a_src (id integer PRIMARY KEY, geom geometry(Polygon, 4326))",
               "CREATE TABLE b_src (id integer PRIMARY KEY, geom geometry(Polygon, 4326))")
        for table, ids, wkbs in (("a_src", ida, wa), ("b_src", idb, wb)):
            db.copy_in(table, "id, geom", ewkb_rows(ids, shapely.from_wkb(wkbs)))
    raw = b""
    for _ in range(args.repeat):
        with phases.timed("project", db.cpu_seconds):
            db.run("DROP TABLE IF EXISTS a, b",
                   f"CREATE TABLE a AS SELECT id, ST_Transform(geom, {args.srid})::geometry(Polygon, {args.srid}) AS geom FROM a_src",
                   f"CREATE TABLE b AS SELECT id, ST_Transform(geom, {args.srid})::geometry(Polygon, {args.srid}) AS geom FROM b_src")
        with phases.timed("index", db.cpu_seconds):
            db.run("CREATE INDEX b_geom ON b USING gist (geom)", "ANALYZE a", "ANALYZE b")
        with phases.timed("join", db.cpu_seconds):
            raw = db.copy_out("SELECT a.id, b.id, ST_Area(ST_Intersection(a.geom, b.geom)) FROM a "
                              "JOIN b ON ST_Intersects(a.geom, b.geom) ORDER BY a.id, b.id")
    rows = parse(raw, ["a", "b", "area"])
    return common.write_w2(args.answers, rows.a, rows.b, rows.area), "GiST on layer B"


def main():
    args = common.parse_args("postgis", ["w1a", "w1b", "w2"], extra=lambda p: p.add_argument(
        "--pg-url", default=os.environ.get("PLANATLAS_BENCH_PG_URL"),
        help="server to use; default: start a throw-away cluster"))
    with ExitStack() as stack:
        url = args.pg_url or stack.enter_context(ThrowawayCluster()).url
        db = Server(url)
        phases = common.Phases()
        rows, notes = {"w1a": w1a, "w1b": w1b, "w2": w2}[args.workload](db, args, phases)
        version = db.scalar("SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' "
                            "|| postgis_lib_version() || ' (GEOS ' || postgis_geos_version() || ')'")
        workers = db.scalar("SELECT current_setting('max_parallel_workers_per_gather')::int")
        server_rss = db.backend_peak_rss()
        db.conn.close()
    common.emit("postgis", version, args, phases, rows, threads=1 + workers,
                notes=notes + f"; max_parallel_workers_per_gather={workers}",
                server_peak_rss_bytes=server_rss)


if __name__ == "__main__":
    main()
