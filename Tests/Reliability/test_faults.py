"""Faults: the service killed during writes, PostgreSQL restarted under load, and a full disk under
the SpatiaLite file. After each, an integrity check and a look at every acknowledged write show
that nothing committed was lost.

    swift build && eval "$(PLANATLAS_PG_DIR=/tmp/pg-rel Tools/postgis-test-cluster.sh start)" \
        && PLANATLAS_PG_DIR=/tmp/pg-rel python3 -m pytest -q Tests/Reliability/test_faults.py
"""
import json
import os
import shlex
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from planatlas_server import TOKEN, Server
from test_bad_input import AUTH, WRITE, dumps, line_feature, point_feature, request

POINTS = "/collections/market-relocations/items"
LINES = "/collections/metro-lines/items"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def postgres_url():
    url = os.environ.get("PLANATLAS_TEST_POSTGRES_URL")
    if not url:
        pytest.fail("PLANATLAS_TEST_POSTGRES_URL is not set: start a cluster with Tools/postgis-test-cluster.sh "
                    "(Tests/Reliability/run.sh does)")
    return url


def count(server, layer="market-relocations"):
    status, _, body = request(server, "GET", f"/collections/{layer}/items?limit=1", timeout=30)
    assert status == 200, body
    return json.loads(body)["numberMatched"]


class WriteBurst:
    """Threads POSTing new point features; remembers which ids the server acknowledged (201)."""

    def __init__(self, server, threads=4, prefix="burst"):
        # Unique per run: a PostGIS database outlives one test run.
        self.server, self.prefix = server, f"{prefix}-{os.getpid()}-{time.monotonic_ns()}"
        self.acknowledged, self.attempted, self.statuses = [], [], []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.writer, args=(n,)) for n in range(threads)]

    def writer(self, n):
        i = 0
        while not self.stop.is_set():
            fid = f"{self.prefix}-{n}-{i}"
            i += 1
            with self.lock:
                self.attempted.append(fid)
            try:
                status, _, _ = request(self.server, "POST", POINTS,
                                       dumps(point_feature(fid, lon=123.3 + (i % 100) * 1e-3, lat=41.7)), WRITE, timeout=30)
            except OSError:
                continue  # the server is gone or restarting
            with self.lock:
                self.statuses.append(status)
                if status == 201:
                    self.acknowledged.append(fid)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def kill_during_writes(database, log):
    server = Server(database, log).start()
    before = count(server)
    with WriteBurst(server) as burst:
        assert wait_for(lambda: len(burst.acknowledged) >= 40, 120), f"only {len(burst.acknowledged)} writes in 120 s"
        server.kill()
    assert burst.acknowledged
    restarted = Server(database, log).start()
    try:
        after = count(restarted)
        missing = [fid for fid in burst.acknowledged
                   if request(restarted, "GET", f"{POINTS}/{fid}", timeout=30)[0] != 200]
        assert missing == [], f"{len(missing)} acknowledged writes were lost: {missing[:5]}"
        # In flight at the kill: written or not, never half; nothing else appeared.
        assert before + len(burst.acknowledged) <= after <= before + len(burst.attempted)
        assert all(status == 201 for status in burst.statuses)
    finally:
        assert restarted.stop() == 0
    assert restarted.server_errors() == []
    return len(burst.acknowledged)


def test_sigkill_during_writes_on_spatialite_loses_no_acknowledged_write(tmp_path):
    database = tmp_path / "plan.sqlite"
    acknowledged = kill_during_writes(database, tmp_path / "server.log")
    check = subprocess.run(["sqlite3", str(database), "PRAGMA integrity_check;"], capture_output=True, text=True)
    assert check.stdout.strip() == "ok", check.stdout + check.stderr
    print(f"spatialite: {acknowledged} acknowledged writes, all present after SIGKILL; integrity_check ok")


def test_sigkill_during_writes_on_postgis_loses_no_acknowledged_write(tmp_path):
    acknowledged = kill_during_writes(postgres_url(), tmp_path / "server.log")
    print(f"postgis: {acknowledged} acknowledged writes, all present after SIGKILL")


def cluster_data():
    data = Path(os.environ.get("PLANATLAS_PG_DIR", "/tmp/planatlas-postgis-test")) / "data"
    assert (data / "PG_VERSION").exists(), f"no cluster data directory at {data} (set PLANATLAS_PG_DIR)"
    return data


def pg_ctl(*args):
    owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    subprocess.run([*owner, str(PG_BIN / "pg_ctl"), "-D", str(cluster_data()), *args], check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def restart_postgresql(down_seconds):
    """Stops the cluster, waits, and starts it again with the options it ran with (postmaster.opts)."""
    data = cluster_data()
    options = shlex.split((data / "postmaster.opts").read_text())[1:]
    if "-D" in options:
        at = options.index("-D")
        del options[at:at + 2]
    pg_ctl("-m", "fast", "-w", "stop")
    time.sleep(down_seconds)  # requests keep coming while the database is away
    pg_ctl("-w", "-t", "60", "-l", str(data.parent / "server.log"), "-o", shlex.join(options), "start")


def test_postgresql_restart_under_load_fails_cleanly_and_recovers_without_a_service_restart(tmp_path):
    server = Server(postgres_url(), tmp_path / "server.log").start()
    statuses, stop, lock = [], threading.Event(), threading.Lock()
    bad = []

    def reader():
        while not stop.is_set():
            for path in ["/collections/historic-districts/items?limit=5", f"{POINTS}?limit=3", "/collections"]:
                try:
                    status, headers, body = request(server, "GET", path, timeout=30)
                except OSError as error:
                    with lock:
                        bad.append(f"{path}: connection failed: {error}")
                    continue
                with lock:
                    statuses.append(status)
                    if status not in (200, 503):
                        bad.append(f"{path}: {status} {body[:200]!r}")
                    elif status == 503 and not headers.get("content-type", "").startswith("application/problem+json"):
                        bad.append(f"{path}: 503 without a problem")

    try:
        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        with WriteBurst(server, threads=2, prefix="pgrestart") as burst:
            assert wait_for(lambda: len(statuses) > 50, 60)
            restart_postgresql(down_seconds=3)
            # The service reconnects by itself: reads succeed again within a bounded time.
            assert wait_for(lambda: request(server, "GET", f"{POINTS}?limit=1", timeout=30)[0] == 200, 60), \
                "the service did not recover after PostgreSQL came back"
            recovered_at = len(burst.acknowledged)
            assert wait_for(lambda: len(burst.acknowledged) > recovered_at + 5, 60), "writes did not resume"
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert bad == [], bad[:10] + [line for line in server.server_errors() if "unhandled" in line][:5]
        assert 503 in statuses or 503 in burst.statuses, "no request met the database while it was down"
        assert set(burst.statuses) <= {201, 503}, sorted(set(burst.statuses))
        missing = [fid for fid in burst.acknowledged if request(server, "GET", f"{POINTS}/{fid}", timeout=30)[0] != 200]
        assert missing == []
    finally:
        stop.set()
        for line in server.log().splitlines():
            if "unhandled" in line or "service problem" in line:
                print(line[:600])
        assert server.stop() == 0
    assert [line for line in server.server_errors() if "http.status=503" not in line] == []


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of a few MiB to hold the SpatiaLite file (needs root to mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs for the full-disk test (needs root): {result.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_under_spatialite_gives_a_clean_error_and_keeps_earlier_data(tmp_path, small_disk):
    seeded = tmp_path / "seeded.sqlite"
    Server(seeded, tmp_path / "seed.log").start().stop()
    size = seeded.stat().st_size
    subprocess.run(["mount", "-o", f"remount,size={size + 3 * 1024 * 1024}", str(small_disk)], check=True)
    database = small_disk / "plan.sqlite"
    shutil.copy(seeded, database)
    server = Server(database, tmp_path / "server.log").start()
    try:
        before = count(server, "metro-lines")
        stored, refused = [], None
        for i in range(200):  # each line is about 130 KB of coordinates; 3 MiB fill up well before 200
            fid = f"fill-{i}"
            feature = line_feature([[123.3 + j * 1e-5, 41.7 + (j % 2) * 1e-5] for j in range(5000)], fid=fid)
            status, headers, body = request(server, "POST", LINES, dumps(feature), WRITE, timeout=120)
            if status == 201:
                stored.append(fid)
                continue
            refused = (status, headers, body)
            break
        assert refused is not None, "the disk never filled"
        status, headers, body = refused
        assert status == 507, body[:300]
        assert headers["content-type"].startswith("application/problem+json")
        assert "full" in json.loads(body)["detail"].lower()
        # Reads still work and everything acknowledged is there.
        assert count(server, "metro-lines") == before + len(stored)
        assert all(request(server, "GET", f"{LINES}/{fid}", timeout=60)[0] == 200 for fid in stored)
        # Space comes back: writes work again without a restart.
        subprocess.run(["mount", "-o", f"remount,size={size + 64 * 1024 * 1024}", str(small_disk)], check=True)
        status, _, body = request(server, "POST", POINTS, dumps(point_feature("after-disk-full")), WRITE)
        assert status == 201, body[:300]
    finally:
        assert server.stop() == 0
    check = subprocess.run(["sqlite3", str(database), "PRAGMA integrity_check;"], capture_output=True, text=True)
    assert check.stdout.strip() == "ok", check.stdout + check.stderr
    assert [line for line in server.server_errors() if "http.status=507" not in line] == []
