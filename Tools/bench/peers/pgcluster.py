"""A throw-away PostgreSQL + PostGIS cluster on a free loopback port.

Used when PLANATLAS_BENCH_PG_URL is not set. The cluster lives in a fresh temporary
folder, listens on 127.0.0.1 only, trusts local connections (nothing else can reach
it), and is stopped and deleted on exit. initdb refuses to run as root, so as root
the server runs as the `postgres` system user through runuser.

Settings are the stock ones except: durability off (fsync, synchronous_commit,
full_page_writes: the data is regenerated, and the load is faster), and memory
sized so the benchmark data stays cached (shared_buffers 1 GB, work_mem 64 MB,
maintenance_work_mem 512 MB). The planner, parallel query and JIT keep their
defaults.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "'1GB'",
    "work_mem": "'64MB'",
    "maintenance_work_mem": "'512MB'",
    "max_wal_size": "'4GB'",
    "logging_collector": "off",
}


def pg_bindir() -> Path:
    """The newest installed server that has the PostGIS extension."""
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        version = Path(bindir).parent.name
        if Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return Path(bindir)
    raise RuntimeError("no PostgreSQL server with PostGIS found (apt-get install postgresql-15-postgis-3)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCluster:
    def __init__(self) -> None:
        self.bindir = pg_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="planatlas-bench-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/bench"

    def _run(self, *cmd: str) -> None:
        full = (["runuser", "-u", "postgres", "--"] if self.as_root else []) + list(cmd)
        subprocess.run(full, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self) -> "ThrowawayCluster":
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        with open(self.data / "postgresql.conf", "a") as conf:
            for key, value in {**SETTINGS, "port": str(self.port),
                               "unix_socket_directories": f"'{self.root}'"}.items():
                conf.write(f"{key} = {value}\n")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start")
        self._run(str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "bench")
        self._run(str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "bench",
                  "-q", "-c", "CREATE EXTENSION postgis")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


if __name__ == "__main__":
    import time
    with ThrowawayCluster() as c:
        print(c.url)
        if os.environ.get("HOLD"):
            time.sleep(float(os.environ["HOLD"]))
