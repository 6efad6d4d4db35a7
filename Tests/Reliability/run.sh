#!/usr/bin/env bash
# The bounded reliability runs, as CI runs them after `swift build`: the bad-input corpus over HTTP
# and the CLI, the fault runs (SIGKILL during writes on SpatiaLite and PostGIS, PostgreSQL restarted
# under load, a full disk under the SpatiaLite file: needs root for a tmpfs mount) and a short load
# run on each store; then the RELIABILITY.md table. Starts its own PostgreSQL+PostGIS cluster (the
# PostgreSQL restart must not hit anyone else's) in $PLANATLAS_RELIABILITY_PG_DIR (default
# /tmp/planatlas-reliability-postgis).
#
#   swift build && Tests/Reliability/run.sh
# Environment: PLANATLAS_BINARY, PLANATLAS_LOAD_SECONDS (default 10 here), PLANATLAS_RELIABILITY_PYTEST_ARGS
# (extra pytest arguments, e.g. a --deselect while a known failure is being fixed). Exits non-zero on any failure.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
fail() { echo "reliability: FAILED: $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/planatlas-reliability.XXXXXX")"
# Its own cluster always: the PostgreSQL restart must not hit the one the other tests use.
export PLANATLAS_PG_DIR="${PLANATLAS_RELIABILITY_PG_DIR:-${TMPDIR:-/tmp}/planatlas-reliability-postgis}"
cleanup() {
    "$root/Tools/postgis-test-cluster.sh" stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
unset PLANATLAS_TEST_POSTGRES_URL
eval "$("$root/Tools/postgis-test-cluster.sh" start)" || fail "the PostGIS cluster did not start"
[[ -n "${PLANATLAS_TEST_POSTGRES_URL:-}" ]] || fail "the PostGIS cluster gave no URL"

status=0
for suite in test_bad_input.py test_cli_bad_input.py test_faults.py; do
    echo "reliability: $suite" >&2
    (cd "$here" && python3 -m pytest -p no:cacheprovider -q ${PLANATLAS_RELIABILITY_PYTEST_ARGS:-} "--junitxml=$work/${suite%.py}.xml" "$suite") || status=1
done
for store in spatialite postgis; do
    echo "reliability: load.sh on $store" >&2
    database=""
    [[ $store == postgis ]] && database="$PLANATLAS_TEST_POSTGRES_URL"
    PLANATLAS_LOAD_DATABASE="$database" PLANATLAS_LOAD_SECONDS="${PLANATLAS_LOAD_SECONDS:-10}" "$here/load.sh" \
        | tee "$work/load-$store.txt" || status=1
done
python3 "$here/summarize.py" "$work" || status=1
[[ $status == 0 ]] || fail "see the failures above"
echo "reliability: all held" >&2
