"""Starts and stops `planatlas serve` the way Tests/EndToEnd/run.sh does: port 0, the address read
from the first log line, the access log kept on stderr (merged into one log file) for the checks."""
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("PLANATLAS_BINARY", ROOT / ".build/debug/planatlas"))
TOKEN = "reliability-token-3f1c"
SERVING = re.compile(r"^planatlas: serving (http://[^/ ]*)/", re.M)


class Server:
    def __init__(self, database, log_path, token=TOKEN, extra_env=None, token_file=False):
        """`token_file`: hand the token over as `--token-file` (a 0600 file beside the log), not PLANATLAS_TOKEN."""
        self.database = str(database)
        self.log_path = Path(log_path)
        self.token = token
        self.token_file = token_file
        self.extra_env = extra_env or {}
        self.process = None
        self.url = None
        self.log_offset = 0

    def start(self, timeout=120):
        try:
            return self._start(timeout)
        except BaseException:
            self.kill()  # never leave a half-started server behind
            raise

    def _start(self, timeout):
        env = {k: v for k, v in os.environ.items()
               if k not in ("PLANATLAS_TOKEN", "PLANATLAS_TOKEN_FILE", "PLANATLAS_DATABASE", "PLANATLAS_CORS_ORIGINS",
                            "PLANATLAS_PUBLIC_URL")}
        arguments = []
        if self.token and self.token_file:
            path = self.log_path.parent / "token"
            path.write_text(self.token + "\n")
            path.chmod(0o600)
            arguments = ["--token-file", str(path)]
        elif self.token:
            env["PLANATLAS_TOKEN"] = self.token
        env.update(self.extra_env)
        # The log is kept across restarts: the address is read from what this run writes.
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--port", "0", "--database", self.database, "--geodata", str(ROOT / "GeoData"), *arguments],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            match = SERVING.search(self.log()[self.log_offset:])
            if match:
                self.url = match.group(1)
                self.wait_ready(deadline)
                return self
            time.sleep(0.2)
        raise RuntimeError(f"the server did not say where it listens:\n{self.log()[-3000:]}")

    def wait_ready(self, deadline):
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/conformance", timeout=10) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.url}/conformance does not answer")

    @property
    def host_port(self):
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        return host, int(port)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def server_errors(self):
        """Access-log lines (and last-resort error lines) that report a 5xx or an unhandled error."""
        return [line for line in self.log().splitlines()
                if re.search(r"http\.status=5\d\d|unhandled error", line)]

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self, timeout=30):
        """SIGTERM, and the exit status (the graceful stop must exit 0)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError("the server was still running 30 s after SIGTERM")
