#!/usr/bin/env python3
"""planatlas benchmark harness (issue 8): one command that generates the data,
runs planatlas and every peer on it, checks that their answers agree, and prints
times, per-query microseconds, ratios and peak memory.

Entry point: Tools/bench/run.sh (sets up the Python environment, then runs this).
The planatlas side is the `planatlas-bench` executable (interface in README.md)
and, for W4, `planatlas import` + `planatlas serve`.

Results: Tools/bench/results/latest.json and latest.md; the table in
BENCHMARKS.md between its result markers is replaced (unless --no-markdown).
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE / "peers"))
sys.path.insert(0, str(HERE))

import check  # noqa: E402
import generate  # noqa: E402
import http_load  # noqa: E402
from pgcluster import ThrowawayCluster, free_port  # noqa: E402

PEERS = {
    "w1a": ["shapely", "postgis", "spatialite"],
    "w1b": ["shapely", "postgis", "spatialite"],
    "w2": ["geopandas", "postgis", "spatialite"],
    "w3": ["ogr2ogr", "ogr2ogr-gpkg"],
    "w4": ["pygeoapi"],
}
RUNNER = {"shapely": "shapely_peer.py", "postgis": "postgis_peer.py", "spatialite": "spatialite_peer.py",
          "geopandas": "geopandas_peer.py", "ogr2ogr": "ogr2ogr_peer.py", "ogr2ogr-gpkg": "ogr2ogr_peer.py",
          "pygeoapi": "pygeoapi_peer.py"}
# Issue 8 targets: planatlas must be at least this many times better than the peer.
TARGETS = {("w1a", "shapely"): 5, ("w1a", "postgis"): 20, ("w1b", "shapely"): 2, ("w2", "geopandas"): 2,
           ("w3", "ogr2ogr"): 5, ("w3", "ogr2ogr-gpkg"): 5, ("w4", "pygeoapi"): 20}
FULL = {"w1": 1_000_000, "queries": 10_000, "w2": 100_000, "w3": 200_000, "w5": [10_000, 100_000, 1_000_000]}
QUICK = {"w1": 10_000, "queries": 1_000, "w2": 10_000, "w3": 20_000, "w5": [1_000, 10_000]}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workloads", default="w1a,w1b,w2,w3,w4", help="comma list of w1a,w1b,w2,w3,w4,w5")
    p.add_argument("--quick", action="store_true", help="small sizes (10k features, 1000 queries): a smoke run in minutes")
    p.add_argument("--scale", type=int, help="W1 features and W2 polygons per layer (default 1,000,000 and 100,000)")
    p.add_argument("--queries", type=int, help="W1 query points (default 10,000; --quick 1,000)")
    p.add_argument("--w3-features", type=int, help="W3 polygons (default 200,000; --quick 20,000)")
    p.add_argument("--w5-scales", help="comma list of sizes for W5 (default 10000,100000,1000000)")
    p.add_argument("--repeat", type=int, default=3, help="timed repetitions; medians are reported")
    p.add_argument("--peers", help="only these peers (comma list); planatlas always runs unless --skip-planatlas")
    p.add_argument("--skip-planatlas", action="store_true", help="peers only (planatlas column left empty)")
    p.add_argument("--planatlas-bin", type=Path, help="folder holding planatlas-bench and planatlas (skips the build)")
    p.add_argument("--connections", default="16,64", help="W4 wrk connection counts")
    p.add_argument("--duration", type=int, help="W4 seconds per wrk run (default 10; --quick 3)")
    p.add_argument("--crs", default="EPSG:4550", help="metric CRS for distances and areas")
    p.add_argument("--timeout", type=int, default=4 * 3600, help="seconds allowed to one tool run")
    p.add_argument("--data", type=Path, default=HERE / "data")
    p.add_argument("--results", type=Path, default=HERE / "results")
    p.add_argument("--no-markdown", action="store_true", help="do not rewrite the table in BENCHMARKS.md")
    args = p.parse_args()
    sizes = dict(QUICK if args.quick else FULL)
    if args.scale:
        sizes["w1"] = sizes["w2"] = args.scale
    if args.queries:
        sizes["queries"] = args.queries
    if args.w3_features:
        sizes["w3"] = args.w3_features
    if args.w5_scales:
        sizes["w5"] = [int(s) for s in args.w5_scales.split(",")]
    args.sizes = sizes
    args.duration = args.duration or (3 if args.quick else 10)
    args.workload_list = [w.strip() for w in args.workloads.split(",") if w.strip()]
    unknown = set(args.workload_list) - {"w1a", "w1b", "w2", "w3", "w4", "w5"}
    if unknown:
        p.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    args.peer_filter = set(args.peers.split(",")) if args.peers else None
    return args


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def loud(message: str) -> None:
    bar = "!" * 78
    say(f"\n{bar}\n{message}\n{bar}")


# --- running tools ------------------------------------------------------------------------

class Planatlas:
    """Locates (building when needed) planatlas-bench and planatlas."""

    def __init__(self, args) -> None:
        self.bench = self.cli = None
        self.problem = None
        if args.skip_planatlas:
            self.problem = "skipped (--skip-planatlas)"
            return
        bindir = args.planatlas_bin
        if bindir is None:
            bindir = self.build()
            if bindir is None:
                return
        for name in ("planatlas-bench", "planatlas"):
            if (bindir / name).exists():
                setattr(self, "bench" if name == "planatlas-bench" else "cli", bindir / name)
        if self.bench is None:
            self.problem = f"no planatlas-bench in {bindir}"

    def build(self) -> Path | None:
        say("building planatlas-bench and planatlas (swift build -c release) ...")
        for product in ("planatlas-bench", "planatlas"):
            done = subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=REPO,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
                if product == "planatlas-bench":
                    self.problem = f"build of {product} failed: {last[0]}"
                    return None
                say(f"note: build of {product} failed ({last[0]}); W4 for planatlas will be skipped")
        out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO,
                             capture_output=True, text=True, check=True)
        return Path(out.stdout.strip())


def run_tool(tool: str, workload: str, dataset: Path, args, planatlas: Planatlas, pg_url: str | None) -> dict:
    """Run one tool on one workload; returns its result JSON plus harness fields, or
    {"error": ...}."""
    answers_dir = args.data / "answers" / dataset.name
    suffix = {"w3": ".geojson", "w4": ".jsonl"}.get(workload, ".csv")
    answers = answers_dir / f"{tool}-{workload}{suffix}"
    answers.unlink(missing_ok=True)
    common_args = ["--data", str(dataset), "--answers", str(answers), "--repeat", str(args.repeat),
                   "--crs", args.crs]
    if workload == "w1a":
        common_args += ["--radius", "500"]
    if workload == "w1b":
        common_args += ["--k", "10"]
    if tool == "planatlas":
        if workload == "w4":
            return run_planatlas_w4(dataset, answers, args, planatlas)
        if planatlas.bench is None:
            return {"error": planatlas.problem}
        cmd = [str(planatlas.bench), workload] + common_args
    else:
        cmd = [sys.executable, str(HERE / "peers" / RUNNER[tool]), workload] + common_args
        if tool in ("postgis", "pygeoapi"):
            cmd += ["--pg-url", pg_url]
        if tool == "ogr2ogr-gpkg":
            cmd += ["--source", "gpkg"]
        if tool == "pygeoapi":
            cmd += ["--connections", args.connections, "--duration", str(args.duration)]
    log = args.data / "logs" / f"{dataset.name}-{tool}-{workload}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    say(f"  {tool:<13} {workload} on {dataset.name} ...")
    started = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True,
                                cwd=REPO, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {"error": f"timed out after {args.timeout} s (log {log})"}
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        return {"error": f"exit {proc.returncode}: {' | '.join(tail)} (log {log})"}
    try:
        result = json.loads(out.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": f"no JSON result on stdout (log {log})"}
    problems = schema_problems(result, workload)
    if problems:
        return {"error": "result JSON: " + "; ".join(problems)}
    result["process_wall_s"] = wall
    result["answers"] = str(answers)
    return result


def schema_problems(result: dict, workload: str) -> list[str]:
    need = {"schema": str, "tool": str, "tool_version": str, "workload": str, "phases_s": dict,
            "peak_rss_bytes": int, "result_rows": int}
    problems = [f"{k} missing or not {t.__name__}" for k, t in need.items() if not isinstance(result.get(k), t)]
    if result.get("schema") != "planatlas-bench/1":
        problems.append(f"schema {result.get('schema')!r}, expected 'planatlas-bench/1'")
    phase = {"w1a": "query", "w1b": "query", "w2": "join", "w3": "export"}.get(workload)
    if phase and not result.get("phases_s", {}).get(phase):
        problems.append(f"phases_s.{phase} missing")
    if workload == "w3" and not isinstance(result.get("output_bytes"), int):
        problems.append("output_bytes missing")
    return problems


def run_planatlas_w4(dataset: Path, answers: Path, args, planatlas: Planatlas) -> dict:
    """planatlas import + serve on a free loopback port, then the same wrk runs."""
    if planatlas.cli is None:
        return {"error": planatlas.problem or "no planatlas executable"}
    connections = [int(c) for c in args.connections.split(",")]
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="planatlas-bench-w4-")))
        db = work / "w4.sqlite"
        t0 = time.perf_counter()
        imported = subprocess.run([str(planatlas.cli), "import", str(dataset / "features.geojson"),
                                   "--layer", "w1", "--create", "--database", str(db)], capture_output=True, text=True)
        if imported.returncode != 0:
            return {"error": f"planatlas import failed: {imported.stderr.strip()[-300:]}"}
        load_s = time.perf_counter() - t0
        port = free_port()
        log = open(args.data / "logs" / f"{dataset.name}-planatlas-serve.log", "w")
        server = subprocess.Popen([str(planatlas.cli), "serve", "--host", "127.0.0.1", "--port", str(port),
                                   "--database", str(db)], stdout=log, stderr=log)
        stack.callback(lambda: (server.send_signal(signal.SIGTERM), server.wait(timeout=30)))
        base = f"http://127.0.0.1:{port}"
        try:
            http_load.wait_until_up(base + "/collections/w1", process=server)
            rows = http_load.sample_answers(base, dataset, "w1", answers)
        except Exception as error:  # noqa: BLE001 - report and go on with the other tools
            return {"error": f"planatlas serve: {error}"}
        items = [http_load.items_path("w1", b, 10) for b in http_load.bboxes(dataset)]
        endpoints = {"items": http_load.write_paths(items, work / "items.txt"),
                     "near": http_load.write_paths(http_load.near_paths(dataset, "w1", 500), work / "near.txt")}
        runs = []
        for _ in range(args.repeat):
            runs.extend(http_load.load_runs(base, server.pid, endpoints, connections, args.duration))
        peak = http_load.tree_peak_rss(server.pid)
    return {"schema": "planatlas-bench/1", "tool": "planatlas", "tool_version": "planatlas serve",
            "workload": "w4", "phases_s": {"load": [load_s]}, "peak_rss_bytes": peak, "server_peak_rss_bytes": peak,
            "result_rows": rows, "answers": str(answers), "http": runs, "threads": os.cpu_count()}


# --- derived numbers ------------------------------------------------------------------------

def median(values) -> float | None:
    values = [v for v in values or [] if v is not None]
    return statistics.median(values) if values else None


def summarize(workload: str, result: dict, dataset_info: dict) -> dict:
    """The numbers the table shows, from one tool's result."""
    phases = result.get("phases_s", {})
    cpu = result.get("cpu_s", {})
    # Memory of the whole peer: the runner plus, for client/server peers, the server
    # processes serving it (PostGIS backend; for W4 only the HTTP server tree counts).
    if workload == "w4":
        rss = result.get("server_peak_rss_bytes") or result.get("peak_rss_bytes")
    else:
        rss = (result.get("peak_rss_bytes") or 0) + (result.get("server_peak_rss_bytes") or 0)
    s: dict = {"peak_rss_bytes": rss}
    if workload in ("w1a", "w1b"):
        q = median(phases.get("query"))
        s["seconds"] = q
        s["per_query_us"] = q / dataset_info["n_queries"] * 1e6 if q is not None else None
        s["build_s"] = sum(median(phases.get(p)) or 0 for p in ("project", "index"))
        s["index_s"] = median(phases.get("index"))
        s["cpu_seconds"] = s["cpu_query_s"] = median(cpu.get("query"))
        s["index_bytes"] = result.get("index_bytes")
        s["rows"] = result.get("result_rows")
    elif workload == "w2":
        reps = len(phases.get("join", []))
        totals = [sum(phases[p][i] for p in ("project", "index", "join") if p in phases and i < len(phases[p]))
                  for i in range(reps)]
        s["seconds"] = median(totals)
        s["cpu_seconds"] = median(_per_repetition_sums(cpu, ("project", "index", "join")))
        s["join_s"] = median(phases.get("join"))
        s["build_s"] = sum(median(phases.get(p)) or 0 for p in ("project", "index"))
        s["rows"] = result.get("result_rows")
    elif workload == "w3":
        e = median(phases.get("export"))
        s["seconds"] = e
        s["mb_per_s"] = result["output_bytes"] / 1e6 / e if e else None
        s["cpu_seconds"] = c = median(cpu.get("export"))
        s["cpu_mb_per_s"] = result["output_bytes"] / 1e6 / c if c else None
        s["output_bytes"] = result["output_bytes"]
    elif workload == "w4":
        by_key: dict = {}
        for run in result.get("http", []):
            by_key.setdefault(f"{run['endpoint']}@{run['connections']}", []).append(run)
        s["http"] = {k: {"requests_per_s": median(r["requests_per_s"] for r in runs),
                         "p50_ms": median(r["latency_ms"]["p50"] for r in runs),
                         "p99_ms": median(r["latency_ms"]["p99"] for r in runs),
                         "errors": sum(sum(r["errors"].values()) for r in runs)}
                     for k, runs in by_key.items()}
    return s


def _per_repetition_sums(phases: dict, names: tuple) -> list[float]:
    """Per repetition, the sum of the named phases (those present)."""
    reps = len(phases.get(names[-1], []))
    return [sum(phases[p][i] for p in names if p in phases and i < len(phases[p])) for i in range(reps)]


def ratios(workload: str, tools: dict) -> dict:
    """How many times better planatlas is than each valid peer (> 1: planatlas wins)."""
    pa = tools.get("planatlas", {})
    if not pa.get("valid"):
        return {}
    out = {}
    for name, t in tools.items():
        if name == "planatlas" or not t.get("valid"):
            continue
        mine, theirs = pa["summary"], t["summary"]
        cpu_ratio = None
        if workload == "w3":
            r = mine["mb_per_s"] / theirs["mb_per_s"]
            if mine.get("cpu_mb_per_s") and theirs.get("cpu_mb_per_s"):
                cpu_ratio = mine["cpu_mb_per_s"] / theirs["cpu_mb_per_s"]
        elif workload == "w4":
            r = {}
            for key, h in theirs["http"].items():
                mine_h = mine["http"].get(key)
                if mine_h and h["requests_per_s"]:
                    r[key] = mine_h["requests_per_s"] / h["requests_per_s"]
            r = r.get("items@64") or r.get("items@16")
        else:
            r = theirs["seconds"] / mine["seconds"] if mine["seconds"] else None
            if mine.get("cpu_seconds") and theirs.get("cpu_seconds"):
                cpu_ratio = theirs["cpu_seconds"] / mine["cpu_seconds"]
        target = TARGETS.get((workload, name))
        out[name] = {"ratio": r, "target": target, "met": (r is not None and target is not None and r >= target),
                     "cpu_ratio": cpu_ratio,
                     "cpu_met": (cpu_ratio is not None and target is not None and cpu_ratio >= target)}
    return out


# --- one workload ----------------------------------------------------------------------------

def dataset_for(workload: str, n: int, args) -> Path:
    base = {"w1a": "w1", "w1b": "w1", "w4": "w1", "w2": "w2", "w3": "w3"}[workload]
    return generate.ensure(base, n, args.data, args.sizes["queries"])


def run_workload(workload: str, n: int, args, planatlas: Planatlas, pg_url: str) -> dict:
    dataset = dataset_for(workload, n, args)
    info = json.loads((dataset / "manifest.json").read_text())
    info.setdefault("n_queries", args.sizes["queries"])
    say(f"{workload}: {dataset.name}")
    peers = [p for p in PEERS[workload] if args.peer_filter is None or p in args.peer_filter]
    tools = {}
    for tool in ["planatlas"] + peers:
        if tool == "planatlas" and args.skip_planatlas:
            continue
        result = run_tool(tool, workload, dataset, args, planatlas, pg_url)
        if "error" in result:
            loud(f"{workload}: {tool} did not produce a result: {result['error']}")
            tools[tool] = {"error": result["error"], "valid": False}
            continue
        tools[tool] = {"result": result, "summary": summarize(workload, result, info)}
    answered = {t: Path(v["result"]["answers"]) for t, v in tools.items() if "result" in v}
    if workload == "w4":
        reference = args.data / "answers" / dataset.name / "shapely-reference-w4.jsonl"
        http_load.reference_sample(dataset, reference)
        answered["shapely (reference)"] = reference
    kw = {"radius": 500.0} if workload == "w1a" else {"k": 10} if workload == "w1b" else {}
    valid, report = check.agreement(workload, answered, **kw) if answered else ({}, [])
    for line in report:
        say(line)
    for tool, v in tools.items():
        if "result" in v:
            v["valid"] = bool(valid.get(tool))
            v["fingerprint"] = check.fingerprint(workload, answered[tool])
            if not v["valid"]:
                loud(f"{workload}: {tool} DISAGREES with the other tools: its row is marked INVALID")
    return {"dataset": dataset.name, "dataset_info": {k: v for k, v in info.items() if k != "files"},
            "tools": tools, "agreement": report or ["all answers agree"], "ratios": ratios(workload, tools)}


# --- report ------------------------------------------------------------------------------------

def fmt(value, pattern="{:.3f}", none="—") -> str:
    return none if value is None else pattern.format(value)


def ratio_cell(r: dict) -> str:
    if r.get("ratio") is None:
        return "—"
    mark = "" if r.get("target") is None else (" ✓" if r["met"] else " ✗")
    return f"{r['ratio']:.1f}×{mark}"


def cpu_ratio_cell(r: dict) -> str:
    if r.get("cpu_ratio") is None:
        return "—"
    mark = "" if r.get("target") is None else (" ✓" if r["cpu_met"] else " ✗")
    return f"{r['cpu_ratio']:.1f}×{mark}"


def mib(b) -> str:
    return fmt(b / 2**20 if b else None, "{:.0f}")


def table(workload: str, block: dict) -> list[str]:
    tools, rat = block["tools"], block["ratios"]
    lines = []
    if workload == "w2":
        lines += ["| tool | valid | total (s) | project + index (s) | join + areas (s) | CPU (s) | pairs | peak RSS (MiB) "
                  "| planatlas × faster | × (CPU) | target |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, t in tools.items():
            if "summary" not in t:
                lines.append(f"| {name} | no result | | | | | | | | | |")
                continue
            s, r = t["summary"], rat.get(name, {})
            lines.append(f"| {name} | {'yes' if t['valid'] else '**NO**'} | {fmt(s['seconds'])} | {fmt(s['build_s'])} | "
                         f"{fmt(s['join_s'])} | {fmt(s.get('cpu_seconds'))} | {s['rows']} | {mib(s['peak_rss_bytes'])} | "
                         f"{ratio_cell(r)} | {cpu_ratio_cell(r)} | {fmt(r.get('target'), '≥{}×', '')} |")
    elif workload in ("w1a", "w1b"):
        head = ("| tool | valid | time (s) | per query (µs) | CPU (s) | hits | build (s) | index (MiB) | peak RSS (MiB) "
                "| planatlas × faster | × (CPU) | target |")
        lines += [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, t in tools.items():
            if "summary" not in t:
                lines.append(f"| {name} | no result | | | | | | | | | | |")
                continue
            s = t["summary"]
            r = rat.get(name, {})
            lines.append(f"| {name} | {'yes' if t['valid'] else '**NO**'} | {fmt(s['seconds'])} | "
                         f"{fmt(s.get('per_query_us'), '{:.1f}')} | {fmt(s.get('cpu_seconds'))} | {s['rows']} | "
                         f"{fmt(s.get('build_s'))} | {mib(s.get('index_bytes'))} | {mib(s['peak_rss_bytes'])} | "
                         f"{ratio_cell(r)} | {cpu_ratio_cell(r)} | {fmt(r.get('target'), '≥{}×', '')} |")
    elif workload == "w3":
        lines += ["| tool | valid | export (s) | output (MB) | MB/s | MB per CPU s | peak RSS (MiB) "
                  "| planatlas × faster | × (CPU) | target |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, t in tools.items():
            if "summary" not in t:
                lines.append(f"| {name} | no result | | | | | | | | |")
                continue
            s, r = t["summary"], rat.get(name, {})
            lines.append(f"| {name} | {'yes' if t['valid'] else '**NO**'} | {fmt(s['seconds'])} | "
                         f"{fmt(s['output_bytes'] / 1e6, '{:.1f}')} | {fmt(s['mb_per_s'], '{:.1f}')} | "
                         f"{fmt(s.get('cpu_mb_per_s'), '{:.1f}')} | {mib(s['peak_rss_bytes'])} | "
                         f"{ratio_cell(r)} | {cpu_ratio_cell(r)} | {fmt(r.get('target'), '≥{}×', '')} |")
    elif workload == "w4":
        lines += ["| tool | valid | endpoint @ connections | requests/s | p50 (ms) | p99 (ms) | errors | server peak RSS (MiB) |",
                  "|---|---|---|---:|---:|---:|---:|---:|"]
        for name, t in tools.items():
            if "summary" not in t:
                lines.append(f"| {name} | no result | | | | | | |")
                continue
            for key, h in t["summary"]["http"].items():
                lines.append(f"| {name} | {'yes' if t['valid'] else '**NO**'} | {key} | {fmt(h['requests_per_s'], '{:.0f}')} | "
                             f"{fmt(h['p50_ms'], '{:.1f}')} | {fmt(h['p99_ms'], '{:.1f}')} | {h['errors']} | "
                             f"{mib(t['summary']['peak_rss_bytes'])} |")
        for name, r in rat.items():
            lines.append(f"\nplanatlas vs {name}: {fmt(r['ratio'], '{:.1f}×')} the requests/s (target ≥{r['target']}×)")
    return lines


def w5_table(blocks: dict) -> list[str]:
    """Per-query time against n, and the same normalised by (log2 n + mean hits)."""
    lines = ["| n | workload | tool | per query (µs) | build (s) | hits/query | µs / (log2 n + hits) |",
             "|---:|---|---|---:|---:|---:|---:|"]
    for n, per_workload in blocks.items():
        for workload, block in per_workload.items():
            for name, t in block["tools"].items():
                if "summary" not in t:
                    continue
                s = t["summary"]
                if workload == "w2":
                    lines.append(f"| {n} | w2 | {name} | — | {fmt(s['seconds'])} (total) | — | — |")
                    continue
                q = block["dataset_info"]["n_queries"]
                hits = (s["rows"] or 0) / q
                norm = s["per_query_us"] / (math.log2(int(n)) + hits) if s.get("per_query_us") else None
                lines.append(f"| {n} | {workload} | {name} | {fmt(s['per_query_us'], '{:.1f}')} | {fmt(s['build_s'])} | "
                             f"{hits:.1f} | {fmt(norm, '{:.2f}')} |")
    return lines


def machine() -> dict:
    cpu = "unknown"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                   if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = None
    try:
        mem = int(next(l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines()
                       if l.startswith("MemTotal"))) * 1024
    except (OSError, StopIteration):
        pass
    os_name = "unknown"
    try:
        os_name = next(l.split("=", 1)[1].strip('"') for l in Path("/etc/os-release").read_text().splitlines()
                       if l.startswith("PRETTY_NAME="))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_bytes": mem, "os": os_name,
            "kernel": platform.release(), "python": platform.python_version(), "load_average": os.getloadavg()}


def markdown(report: dict) -> str:
    m = report["machine"]
    out = [f"Run {report['started']} · `{report['command']}`", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_bytes'] / 2**30:.0f} GiB, {m['os']} "
           f"(kernel {m['kernel']}); load average at start {', '.join(f'{x:.1f}' for x in m['load_average'])}.",
           f"Times are medians of {report['config']['repeat']} repetitions, wall clock; \"CPU\" is user + system "
           "seconds of all the tool's threads (and, for PostGIS, its server backend), the steadier number on a "
           "shared machine. \"× faster\" compares wall time (W3: MB/s), \"× (CPU)\" CPU time.", ""]
    names = {"w1a": "W1a near: radius 500 m, all hits sorted by distance", "w1b": "W1b near: 10 nearest",
             "w2": "W2 overlaps: intersecting pairs with areas (project + index + join)",
             "w3": "W3 export: GeoJSON, 6 decimals", "w4": "W4 HTTP under wrk (loopback)"}
    for workload, block in report["workloads"].items():
        if workload == "w5":
            out += ["### W5 growth", ""] + w5_table(block) + [""]
            continue
        info = block["dataset_info"]
        size = info.get("n_features") or info.get("n_per_layer")
        out += [f"### {names[workload]} ({block['dataset']}, n = {size:,})", ""] + table(workload, block) + [""]
        if block["agreement"] != ["all answers agree"]:
            out += ["Disagreements:", "```"] + block["agreement"] + ["```", ""]
        versions = {n: t["result"]["tool_version"] for n, t in block["tools"].items() if "result" in t}
        out += [f"Versions: " + "; ".join(f"{n}: {v}" for n, v in versions.items()), ""]
    return "\n".join(out) + "\n"


def update_benchmarks_md(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    begin, end = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
    if not path.exists():
        return
    doc = path.read_text()
    if begin not in doc or end not in doc:
        say(f"note: {path} has no result markers; not updated")
        return
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(head + begin + "\n" + text + end + tail)


def print_tables(report: dict) -> None:
    print(markdown(report))


def main() -> None:
    args = parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    report = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
              "command": " ".join(["Tools/bench/run.sh"] + sys.argv[1:]),
              "machine": machine(),
              "config": {"sizes": args.sizes, "repeat": args.repeat, "crs": args.crs,
                         "connections": args.connections, "duration_s": args.duration},
              "workloads": {}}
    planatlas = Planatlas(args)
    if planatlas.problem:
        loud(f"planatlas: {planatlas.problem}; the peers run alone")
    with ExitStack() as stack:
        pg_url = os.environ.get("PLANATLAS_BENCH_PG_URL")
        needs_pg = {"w1a", "w1b", "w2", "w4", "w5"} & set(args.workload_list)
        if needs_pg and not pg_url and (args.peer_filter is None or args.peer_filter & {"postgis", "pygeoapi"}):
            say("starting a throw-away PostgreSQL + PostGIS cluster ...")
            pg_url = stack.enter_context(ThrowawayCluster()).url
        for workload in args.workload_list:
            if workload == "w5":
                continue
            n = {"w1a": args.sizes["w1"], "w1b": args.sizes["w1"], "w4": args.sizes["w1"],
                 "w2": args.sizes["w2"], "w3": args.sizes["w3"]}[workload]
            report["workloads"][workload] = run_workload(workload, n, args, planatlas, pg_url)
        if "w5" in args.workload_list:
            blocks = {}
            for n in args.sizes["w5"]:
                blocks[str(n)] = {w: run_workload(w, n, args, planatlas, pg_url) for w in ("w1a", "w1b", "w2")}
            report["workloads"]["w5"] = blocks
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    text = markdown(report)
    (args.results / "latest.md").write_text(text)
    if not args.no_markdown:
        update_benchmarks_md(text)
    print(text)
    invalid = [f"{w}:{t}" for w, b in report["workloads"].items() if w != "w5"
               for t, v in b["tools"].items() if not v.get("valid")]
    if invalid:
        loud("rows without a valid result: " + ", ".join(invalid))


if __name__ == "__main__":
    main()
