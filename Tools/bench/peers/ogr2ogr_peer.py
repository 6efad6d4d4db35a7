#!/usr/bin/env python3
"""ogr2ogr peer for W3: export 200,000 polygons with 5 properties to RFC 7946
GeoJSON with 6 decimals.

  ogr2ogr -f GeoJSON OUT SRC -lco RFC7946=YES -lco COORDINATE_PRECISION=6

Two sources, reported as two tools: the generator's GeoJSON (GeoJSON to GeoJSON,
as the issue names it) and a GeoPackage copy of the same features (a store-like,
fast-reading source, closer to what planatlas exports from). The time is the whole
ogr2ogr process (it cannot be split into read and write); throughput is output
MB (10^6 bytes) per second. Peak RSS and CPU are the ogr2ogr process's own (wait4).
"""
from __future__ import annotations

import subprocess

import common


def main():
    args = common.parse_args("ogr2ogr", ["w3"], extra=lambda p: p.add_argument(
        "--source", choices=["geojson", "gpkg"], default="geojson"))
    src = args.data / ("polygons.geojson" if args.source == "geojson" else "polygons.gpkg")
    phases = common.Phases()
    peak = 0
    for _ in range(args.repeat):
        args.answers.parent.mkdir(parents=True, exist_ok=True)
        args.answers.unlink(missing_ok=True)
        wall, cpu, rss = common.run_measured(
            ["ogr2ogr", "-f", "GeoJSON", str(args.answers), str(src),
             "-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=6"])
        phases.wall.setdefault("export", []).append(wall)
        phases.cpu.setdefault("export", []).append(cpu)
        peak = max(peak, rss)
    version = subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True).stdout.strip()
    out_bytes = args.answers.stat().st_size
    common.emit("ogr2ogr" if args.source == "geojson" else "ogr2ogr-gpkg", version, args, phases,
                result_rows=common_feature_count(args.data), output_bytes=out_bytes,
                notes=f"source {src.name}; whole process timed", peak_rss_bytes_override=peak)


def common_feature_count(folder) -> int:
    import json
    return json.loads((folder / "manifest.json").read_text())["n_features"]


if __name__ == "__main__":
    main()
