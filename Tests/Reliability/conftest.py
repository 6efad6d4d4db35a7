import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from planatlas_server import BINARY, Server  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`planatlas serve` on a fresh SpatiaLite file seeded from GeoData, with a write token read from a file."""
    if not BINARY.exists():
        pytest.fail(f"no planatlas binary at {BINARY} (run 'swift build' first)")
    work = tmp_path_factory.mktemp("reliability")
    running = Server(work / "plan.sqlite", work / "server.log", token_file=True).start()
    yield running
    status = running.stop()
    assert status == 0, f"the server exited with {status} after SIGTERM"
