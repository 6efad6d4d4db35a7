"""Prints the RELIABILITY.md table from the JUnit files of run.sh's pytest runs and load.sh's lines
(load-spatialite.txt, load-postgis.txt).

    python3 summarize.py WORKDIR
"""
import re
import sys
import xml.etree.ElementTree as ET
from collections import OrderedDict
from pathlib import Path

AREAS = OrderedDict([
    ("test_bad_input.py", "Bad input over HTTP (corpus, SQL metacharacters, traversal, slow clients, health after)"),
    ("test_cli_bad_input.py", "Bad input through the CLI and `planatlas import` (exit status, message, all-or-nothing)"),
    ("test_faults.py", "Faults (SIGKILL during writes on both stores, PostgreSQL restart, full disk)"),
])


def main(work):
    rows, failed_any = [], False
    for junit in sorted(Path(work).glob("*.xml")):
        for case in ET.parse(junit).getroot().iter("testcase"):
            source = case.get("classname", "").split(".")[-1] + ".py"
            outcome = "failed" if case.find("failure") is not None or case.find("error") is not None else (
                "skipped" if case.find("skipped") is not None else "passed")
            rows.append((source, outcome))
    print("| What was tried | Command | Cases | Held | Failed |")
    print("|---|---|---|---|---|")
    for source, area in AREAS.items():
        outcomes = [o for s, o in rows if s == source]
        failed = sum(o != "passed" for o in outcomes)
        failed_any |= failed > 0 or not outcomes
        print(f"| {area} | `pytest Tests/Reliability/{source}` | {len(outcomes)} | {len(outcomes) - failed} | {failed} |")
    for store in ("spatialite", "postgis"):
        load = Path(work, f"load-{store}.txt")
        line = load.read_text().strip() if load.exists() else ""
        name = {"spatialite": "SpatiaLite", "postgis": "PostGIS"}[store]
        command = "Tests/Reliability/load.sh" if store == "spatialite" else \
            "PLANATLAS_LOAD_DATABASE=postgres://… Tests/Reliability/load.sh"
        if not line:
            failed_any = True
            print(f"| Load on {name} | `{command}` | 0 | - | did not run |")
            continue
        values = dict(re.findall(r"(\w+)=([\d.]+)", line))
        held = values.get("fivexx") == "0" and values.get("socket_errors") == "0" and values.get("non2xx") == "0"
        failed_any |= not held
        print(f"| Load on {name}: wrk, {values.get('connections')} connections, {values.get('seconds')} s, mixed "
              f"reads/near/overlaps/writes: {values.get('requests')} requests, {values.get('rps')} req/s, "
              f"p99 {values.get('p99_ms')} ms, RSS {values.get('rss_before_mb')} → {values.get('rss_after_mb')} MB "
              f"(peak {values.get('rss_peak_mb')}) | `{command}` | {values.get('requests')} "
              f"| {'no 5xx, no socket error' if held else '-'} | {values.get('fivexx')} 5xx, {values.get('non2xx')} non-2xx |")
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
