#!/usr/bin/env python3
"""SpatiaLite peer (SQL over its R*Tree spatial index) for W1a, W1b and W2.

Runs in Python's sqlite3 with mod_spatialite loaded (Debian's python3 allows
extension loading; run.sh builds the venv from it). Shapely is deliberately not
imported: its wheel's GEOS and the system GEOS that mod_spatialite links would
share one process (seen: GEOS calls answered by the wrong library). The database is a file in a
temporary folder with journaling and syncing off and a 1 GB page cache, so after
the load it is served from memory.

Each repetition starts from a new database: "load", then "project" (ST_Transform into a new table in the metric CRS),
"index" (CreateSpatialIndex), "query". Queries are prepared statements run once per
query point from Python (the in-process way SpatiaLite is used), each going through
the SpatialIndex virtual table:
  W1a  ROWID IN (SpatialIndex search_frame = BuildCircleMbr(x, y, r))
       AND ST_Distance(geom, point) <= r, ordered by distance then id.
  W1b  the KNN virtual table (VirtualKNN, SpatiaLite 5.0), max_items = k, re-ranked
       by (distance, id).
  W2   one statement: for each A, ROWID IN (SpatialIndex search_frame = a.geom) AND
       ST_Intersects, with ST_Area(ST_Intersection(...)).
"""
from __future__ import annotations

import shutil
import sqlite3
import struct
import tempfile
from pathlib import Path

import numpy as np

import common


def open_db(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / "bench.sqlite", isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension("mod_spatialite")
    conn.enable_load_extension(False)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -1000000", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("SELECT InitSpatialMetadata(1)")
    return conn


def geo_table(conn, name: str, srid: int, kind: str, rows, extra_columns: str = "") -> None:
    conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY{extra_columns})")
    conn.execute(f"SELECT AddGeometryColumn('{name}', 'geom', {srid}, '{kind}', 'XY')")
    if rows is not None:
        conn.execute("BEGIN")
        marks = "?, " * (1 + extra_columns.count(",")) + f"GeomFromWKB(?, {srid})"
        conn.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
        conn.execute("COMMIT")


def project_table(conn, src: str, dst: str, srid: int, kind: str) -> None:
    geo_table(conn, dst, srid, kind, None)
    conn.execute("BEGIN")
    conn.execute(f"INSERT INTO {dst} (id, geom) SELECT id, ST_Transform(geom, {srid}) FROM {src}")
    conn.execute("COMMIT")


def load_w1(conn, args, phases):
    with phases.timed("load"):
        fids, kinds, wkbs, qids, qlon, qlat = common.load_w1_wkb(args.data)
        geo_table(conn, "w1_src", 4326, "GEOMETRY", zip(fids.tolist(), kinds.tolist(), wkbs), ", kind INTEGER")
        qwkb = [struct.pack("<BIdd", 1, 1, x, y) for x, y in zip(qlon.tolist(), qlat.tolist())]
        geo_table(conn, "w1q_src", 4326, "POINT", zip(qids.tolist(), qwkb))
    with phases.timed("project"):
        project_table(conn, "w1_src", "w1", args.srid, "GEOMETRY")
        queries = conn.execute(
            f"SELECT id, ST_X(g), ST_Y(g) FROM (SELECT id, ST_Transform(geom, {args.srid}) AS g FROM w1q_src) ORDER BY id"
        ).fetchall()
    with phases.timed("index"):
        conn.execute("SELECT CreateSpatialIndex('w1', 'geom')")
    return queries


def w1a(conn, args, phases):
    queries = load_w1(conn, args, phases)
    sql = (f"SELECT id, ST_Distance(geom, MakePoint(?1, ?2, {args.srid})) AS d FROM w1 "
           f"WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'w1' "
           f"AND f_geometry_column = 'geom' AND search_frame = BuildCircleMbr(?1, ?2, ?3)) "
           f"AND d <= ?3 ORDER BY d, id")
    with phases.timed("query"):
        rows = [(qid, fid, d) for qid, x, y in queries for fid, d in conn.execute(sql, (x, y, args.radius))]
    q, f, d = (np.array(c) for c in zip(*rows)) if rows else (np.empty(0),) * 3
    return lambda: common.write_w1a(args.answers, q, f, d)


def w1b(conn, args, phases):
    queries = load_w1(conn, args, phases)
    sql = (f"SELECT fid, distance FROM KNN WHERE f_table_name = 'w1' AND f_geometry_column = 'geom' "
           f"AND ref_geometry = MakePoint(?, ?, {args.srid}) AND max_items = {int(args.k)}")
    with phases.timed("query"):
        rows = []
        for qid, x, y in queries:
            hits = sorted(conn.execute(sql, (x, y)).fetchall(), key=lambda h: (h[1], h[0]))
            rows.extend((qid, rank, fid, d) for rank, (fid, d) in enumerate(hits, 1))
    q, rank, f, d = (np.array(c) for c in zip(*rows))
    return lambda: common.write_w1b(args.answers, q, rank, f, d)


def w2(conn, args, phases):
    with phases.timed("load"):
        (ida, wa), (idb, wb) = common.load_w2_wkb(args.data)
        geo_table(conn, "a_src", 4326, "POLYGON", zip(ida.tolist(), wa))
        geo_table(conn, "b_src", 4326, "POLYGON", zip(idb.tolist(), wb))
    with phases.timed("project"):
        project_table(conn, "a_src", "a", args.srid, "POLYGON")
        project_table(conn, "b_src", "b", args.srid, "POLYGON")
    with phases.timed("index"):
        conn.execute("SELECT CreateSpatialIndex('b', 'geom')")
    with phases.timed("join"):
        rows = conn.execute(
            "SELECT a.id, b.id, ST_Area(ST_Intersection(a.geom, b.geom)) FROM a, b "
            "WHERE b.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'b' "
            "AND f_geometry_column = 'geom' AND search_frame = a.geom) "
            "AND ST_Intersects(a.geom, b.geom) ORDER BY a.id, b.id").fetchall()
    ia, ib, area = (np.array(c) for c in zip(*rows))
    return lambda: common.write_w2(args.answers, ia, ib, area)


NOTES = {"w1a": "", "w1b": "KNN virtual table (VirtualKNN)", "w2": "SpatialIndex on layer B"}


def main():
    args = common.parse_args("spatialite", ["w1a", "w1b", "w2"])
    phases = common.Phases()
    write_answers = version = None
    for _ in range(args.repeat):
        # A fresh database per repetition: VirtualKNN 5.0.1 slows down 20x on a second
        # indexed table in one connection (seen here), and a fresh start is fair to all.
        folder = Path(tempfile.mkdtemp(prefix="planatlas-bench-spatialite-"))
        try:
            conn = open_db(folder)
            write_answers = {"w1a": w1a, "w1b": w1b, "w2": w2}[args.workload](conn, args, phases)
            version = conn.execute("SELECT 'SpatiaLite ' || spatialite_version() || ', SQLite ' || sqlite_version() "
                                   "|| ' (GEOS ' || geos_version() || ', PROJ ' || proj_version() || ')'").fetchone()[0]
            conn.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    common.emit("spatialite", version, args, phases, write_answers(), notes=NOTES[args.workload])


if __name__ == "__main__":
    main()
