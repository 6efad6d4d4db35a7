#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it. Nothing is skipped: the PostGIS contract
# and oracle tests run against a throw-away PostgreSQL+PostGIS cluster started here and removed
# afterwards, and the run fails loudly if that cluster cannot start.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests

eval "$(Tools/postgis-test-cluster.sh start)"
trap 'Tools/postgis-test-cluster.sh stop >/dev/null 2>&1 || true' EXIT
[[ -n "${PLANATLAS_TEST_POSTGRES_URL:-}" ]] || { echo "run-tests: the PostGIS cluster gave no URL" >&2; exit 1; }
unset PLANATLAS_SKIP_POSTGIS

swift test --skip-build

# The built-in data, checked by the product itself.
.build/debug/planatlas validate GeoData

# The built binary serving real clients (GDAL, OWSLib, the viewer in headless Chromium) from an
# embedded SpatiaLite file and from the PostGIS cluster above.
Tests/EndToEnd/run.sh

# Bad input through every interface, faults (SIGKILL during writes, PostgreSQL restarted, a full
# disk) and a short load run.
Tests/Reliability/run.sh

# A bounded fuzzing campaign (60 s per target) over the GeoJSON, WKB and JSON readers.
Tools/fuzz/run.sh 60

# The benchmark harness's own judgement (its data generator and answer checker).
python3 -m pytest -q -p no:cacheprovider Tools/bench/tests
