"""What every Python peer runner shares: the command line, data loading, phase timing,
the result JSON (the same schema planatlas-bench prints, see README.md) and the
answer files."""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

SCHEMA = "planatlas-bench/1"
DEFAULT_CRS = "EPSG:4550"  # CGCS2000 / 3-degree Gauss-Kruger CM 123E (EPSG:4549 is CM 120E)


def parse_args(tool: str, workloads: list[str], extra=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=tool, description=f"{tool} peer runner (see Tools/bench/README.md)")
    parser.add_argument("workload", choices=workloads)
    parser.add_argument("--data", type=Path, required=True, help="dataset folder made by generate.py")
    parser.add_argument("--answers", type=Path, required=True, help="where to write the answers file")
    parser.add_argument("--repeat", type=int, default=1, help="timed repetitions inside this process")
    parser.add_argument("--radius", type=float, default=500.0, help="W1a radius in metres")
    parser.add_argument("--k", type=int, default=10, help="W1b neighbour count")
    parser.add_argument("--crs", default=DEFAULT_CRS, help="metric CRS for distances and areas (EPSG:code)")
    if extra:
        extra(parser)
    args = parser.parse_args()
    if args.repeat < 1 or args.radius <= 0 or args.k < 1:
        parser.error("--repeat and --k must be at least 1 and --radius positive")
    if not args.crs.upper().startswith("EPSG:") or not args.crs[5:].isdigit():
        parser.error(f"--crs must look like EPSG:4550, got {args.crs!r}")
    args.srid = int(args.crs[5:])
    return args


class Phases:
    """Wall and CPU seconds per named phase, one sample per repetition."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    @contextmanager
    def timed(self, name: str, cpu_seconds=time.process_time):
        wall0, cpu0 = time.perf_counter(), cpu_seconds()
        yield
        self.wall.setdefault(name, []).append(time.perf_counter() - wall0)
        self.cpu.setdefault(name, []).append(cpu_seconds() - cpu0)


def vm_hwm_bytes(pid: int | str = "self") -> int | None:
    """Peak resident set of a live process (Linux VmHWM), or None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def peak_rss_bytes() -> int:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a peer started by the large
    # harness process would report the harness's peak instead of its own.
    return vm_hwm_bytes() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def emit(tool: str, version: str, args: argparse.Namespace, phases: Phases, result_rows: int,
         threads: int = 1, notes: str = "", **extra) -> None:
    manifest = json.loads((args.data / "manifest.json").read_text())
    out = {
        "schema": SCHEMA,
        "tool": tool,
        "tool_version": version,
        "workload": args.workload,
        "data": str(args.data),
        "n_features": manifest.get("n_features", manifest.get("n_per_layer")),
        "n_queries": manifest.get("n_queries"),
        "threads": threads,
        "crs": args.crs,
        "phases_s": phases.wall,
        "cpu_s": phases.cpu,
        "peak_rss_bytes": peak_rss_bytes(),
        "answers": str(args.answers),
        "result_rows": int(result_rows),
        "notes": notes,
    }
    out.update(extra)
    if out.get("peak_rss_bytes_override"):
        out["peak_rss_bytes"] = out.pop("peak_rss_bytes_override")
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


# --- data -------------------------------------------------------------------------------

def _from_wkb(blob: np.ndarray, offsets: np.ndarray):
    import shapely
    raw = blob.tobytes()
    return shapely.from_wkb(np.array([raw[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)], dtype=object))


def load_w1(folder: Path):
    """(feature ids, lon/lat geometries, query ids, query lon, query lat)."""
    f = np.load(folder / "features.npz")
    q = np.load(folder / "queries.npz")
    return f["ids"], _from_wkb(f["wkb"], f["wkb_offsets"]), q["ids"], q["lon"], q["lat"]


def load_w1_wkb(folder: Path):
    """Raw WKB per feature (for loaders that pass WKB straight to a database)."""
    f = np.load(folder / "features.npz")
    raw, off = f["wkb"].tobytes(), f["wkb_offsets"]
    q = np.load(folder / "queries.npz")
    return f["ids"], f["kinds"], [raw[off[i]:off[i + 1]] for i in range(len(off) - 1)], q["ids"], q["lon"], q["lat"]


def load_w2(folder: Path):
    """(ids A, geometries A, ids B, geometries B), lon/lat."""
    z = np.load(folder / "layers.npz")
    return (z["a_ids"], _from_wkb(z["a_wkb"], z["a_wkb_offsets"]),
            z["b_ids"], _from_wkb(z["b_wkb"], z["b_wkb_offsets"]))


def load_w2_wkb(folder: Path):
    z = np.load(folder / "layers.npz")
    out = []
    for layer in ("a", "b"):
        raw, off = z[f"{layer}_wkb"].tobytes(), z[f"{layer}_wkb_offsets"]
        out.append((z[f"{layer}_ids"], [raw[off[i]:off[i + 1]] for i in range(len(off) - 1)]))
    return out


def metric_transformer(crs: str):
    import pyproj
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def to_metric(geoms, transformer):
    """Shapely geometries from lon/lat to the metric CRS (vectorised through pyproj)."""
    import shapely
    t = transformer
    return shapely.transform(geoms, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


# --- answers (formats defined in README.md) -----------------------------------------------

def sort_hits(query_ids: np.ndarray, feature_ids: np.ndarray, distances: np.ndarray) -> np.ndarray:
    """Order by query, then exact distance, then feature id."""
    return np.lexsort((feature_ids, distances, query_ids))


def write_w1a(path: Path, query_ids, feature_ids, distances) -> int:
    return _write_csv(path, "query_id,feature_id,distance_m",
                      [np.asarray(query_ids, dtype=np.int64), np.asarray(feature_ids, dtype=np.int64)],
                      np.asarray(distances, dtype=np.float64), "%.2f")


def write_w1b(path: Path, query_ids, ranks, feature_ids, distances) -> int:
    return _write_csv(path, "query_id,rank,feature_id,distance_m",
                      [np.asarray(query_ids, dtype=np.int64), np.asarray(ranks, dtype=np.int64),
                       np.asarray(feature_ids, dtype=np.int64)],
                      np.asarray(distances, dtype=np.float64), "%.2f")


def write_w2(path: Path, ids_a, ids_b, areas) -> int:
    return _write_csv(path, "id_a,id_b,area_m2",
                      [np.asarray(ids_a, dtype=np.int64), np.asarray(ids_b, dtype=np.int64)],
                      np.asarray(areas, dtype=np.float64), "%.4f")


def _write_csv(path: Path, header: str, int_columns: list[np.ndarray], values: np.ndarray, fmt: str) -> int:
    import pandas as pd
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame({f"c{i}": c for i, c in enumerate(int_columns)})
    frame["v"] = values
    frame.columns = header.split(",")
    frame.to_csv(path, index=False, float_format=fmt, lineterminator="\n")
    return len(frame)


def ranks_within_queries(sorted_query_ids: np.ndarray) -> np.ndarray:
    """1-based rank of each row within its query, for rows already sorted by query."""
    n = len(sorted_query_ids)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    starts = np.r_[0, np.nonzero(np.diff(sorted_query_ids))[0] + 1]
    lengths = np.diff(np.r_[starts, n])
    return np.arange(n) - np.repeat(starts, lengths) + 1




def run_measured(cmd: list[str], **popen_kwargs) -> tuple[float, float, int]:
    """Run a command to completion; returns (wall s, CPU s, peak RSS bytes) of that child
    alone: CPU from wait4's rusage, peak RSS from the child's VmHWM sampled while it runs
    (wait4's ru_maxrss would include this process's own peak, carried over exec).
    Raises CalledProcessError when it fails."""
    import subprocess
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, **popen_kwargs)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, vm_hwm_bytes(proc.pid) or 0)
        time.sleep(0.01)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return wall, usage.ru_utime + usage.ru_stime, peak or usage.ru_maxrss * 1024
