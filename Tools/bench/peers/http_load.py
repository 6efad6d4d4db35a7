"""W4 helpers shared by every HTTP server under test: request paths, the answer
sample for agreement, the wrk run, and process memory/CPU from /proc.

W4 requests (loopback only):
  items  /collections/w1/items?bbox=<1 km square around a W1 query point>&limit=10
  near   /near?lon=<query point>&lat=...&radius=500&layers=w1 (planatlas only:
         pygeoapi has no such endpoint)
wrk runs with one thread (the machine has two cores, shared with the server) for a
bounded duration at each connection count.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE.parent / "wrk" / "paths.lua"
BBOX_HALF_DEG = (0.006, 0.0045)  # about 500 m each way at 41.8 N
SAMPLE_BBOXES = 20


def bboxes(data: Path, count: int = 1000) -> list[tuple[float, float, float, float]]:
    q = np.load(data / "queries.npz")
    dx, dy = BBOX_HALF_DEG
    return [(round(x - dx, 6), round(y - dy, 6), round(x + dx, 6), round(y + dy, 6))
            for x, y in zip(q["lon"][:count].tolist(), q["lat"][:count].tolist())]


def items_path(collection: str, bbox, limit: int, extra: str = "") -> str:
    return f"/collections/{collection}/items?bbox={','.join(f'{v:.6f}' for v in bbox)}&limit={limit}{extra}"


def near_paths(data: Path, layer: str, radius: float, count: int = 1000) -> list[str]:
    q = np.load(data / "queries.npz")
    return [f"/near?lon={x:.6f}&lat={y:.6f}&radius={radius:g}&layers={layer}"
            for x, y in zip(q["lon"][:count].tolist(), q["lat"][:count].tolist())]


def write_paths(paths: list[str], file: Path) -> Path:
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("\n".join(paths) + "\n")
    return file


def get_json(url: str, timeout: float = 60.0):
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json, application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def wait_until_up(url: str, seconds: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            get_json(url, timeout=5)
            return
        except Exception as error:  # noqa: BLE001 - any failure means "not yet"
            last = error
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s: {last}")


def sample_answers(base_url: str, data: Path, collection: str, answers: Path, extra: str = "") -> int:
    """The ids inside the first SAMPLE_BBOXES boxes, fetched without a practical limit:
    one JSON line per box, ids sorted. Compared across servers before any timing."""
    answers.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with open(answers, "w") as out:
        for bbox in bboxes(data, SAMPLE_BBOXES):
            doc = get_json(base_url + items_path(collection, bbox, 10000, extra))
            ids = sorted(int(f["id"] if "id" in f else f["properties"]["id"]) for f in doc["features"])
            total += len(ids)
            out.write(json.dumps({"bbox": list(bbox), "ids": ids}) + "\n")
    return total


def run_wrk(base_url: str, paths_file: Path, connections: int, duration_s: int) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration_s}s", "--timeout", "10s", "--latency",
           "-s", str(WRK_SCRIPT), base_url, "--", str(paths_file)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=duration_s + 60).stdout
    line = next(l for l in reversed(out.splitlines()) if l.startswith("{"))
    result = json.loads(line)
    result["connections"] = connections
    return result


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/<pid>/task/*/children)."""
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return seen


def tree_peak_rss(pid: int) -> int:
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def tree_cpu_seconds(pid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            pass
    return total


def load_runs(base_url: str, pid: int, endpoints: dict[str, Path], connections: list[int], duration_s: int) -> list[dict]:
    """wrk for each endpoint and connection count, with the server tree's CPU seconds."""
    runs = []
    for name, paths_file in endpoints.items():
        for c in connections:
            cpu0 = tree_cpu_seconds(pid)
            result = run_wrk(base_url, paths_file, c, duration_s)
            result["server_cpu_s"] = tree_cpu_seconds(pid) - cpu0
            result["endpoint"] = name
            runs.append(result)
    return runs


def reference_sample(data: Path, answers: Path) -> int:
    """The same sample computed directly with Shapely (exact intersects with each box),
    a third voice for the W4 agreement check."""
    import shapely
    import common
    fids, geoms, *_ = common.load_w1(data)
    tree = shapely.STRtree(geoms)
    total = 0
    answers.parent.mkdir(parents=True, exist_ok=True)
    with open(answers, "w") as out:
        for bbox in bboxes(data, SAMPLE_BBOXES):
            hits = tree.query(shapely.box(*bbox), predicate="intersects")
            ids = sorted(int(i) for i in fids[hits])
            total += len(ids)
            out.write(json.dumps({"bbox": list(bbox), "ids": ids}) + "\n")
    return total
