#!/usr/bin/env bash
# End to end with real clients, against the built binary, on both stores:
#   1. `planatlas serve --port 0 --database <fresh store>` starts, seeds the store from GeoData, listens;
#   2. GDAL's OAPIF driver lists the collections and reads the same feature counts as `planatlas layers`;
#      ogr2ogr copies a layer to a GeoJSON file;
#   3. OWSLib lists collections and fetches items with a bbox (test_owslib.py, pytest);
#   4. the viewer's browser test runs in headless Chromium (Tests/Browser/run.sh);
#   5. SIGTERM stops the service gracefully, with exit status 0, and no request failed with a 5xx.
# Steps 1-5 run on an embedded SpatiaLite file; 1-3 and 5 again on PostgreSQL+PostGIS: the database
# at $PLANATLAS_TEST_POSTGRES_URL (Tools/run-tests.sh sets it), else a throw-away cluster started
# here with Tools/postgis-test-cluster.sh.
#
#   swift build && Tests/EndToEnd/run.sh
# Environment: PLANATLAS_BINARY (default .build/debug/planatlas), PLANATLAS_E2E_KEEP=1 keeps the work folder.
# Any failure stops the run with a message and a non-zero exit status.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${PLANATLAS_BINARY:-$root/.build/debug/planatlas}"

fail() { echo "end-to-end: FAILED: $*" >&2; exit 1; }
step() { echo "end-to-end: $*" >&2; }

[[ -x "$binary" ]] || fail "no planatlas binary at $binary (run 'swift build' first)"
"$root/Tools/setup.sh" --test
for tool in ogrinfo ogr2ogr curl python3; do command -v "$tool" >/dev/null || fail "$tool is missing (Tools/setup.sh --test installs it)"; done

work="$(mktemp -d "${TMPDIR:-/tmp}/planatlas-e2e.XXXXXX")"
server_pid=""
own_cluster=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    if [[ -n "$own_cluster" ]]; then "$root/Tools/postgis-test-cluster.sh" stop >/dev/null 2>&1 || true; fi
    if [[ "${PLANATLAS_E2E_KEEP:-}" == 1 ]]; then echo "end-to-end: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The service as a user starts it: read-only, nothing configured but the database.
unset PLANATLAS_TOKEN PLANATLAS_TOKEN_FILE PLANATLAS_DATABASE PLANATLAS_CORS_ORIGINS PLANATLAS_PUBLIC_URL PLANATLAS_TILE_URL

# Starts `planatlas serve` on $1 (a store that may be empty); sets url and server_pid.
start_server() {
    local database="$1" log="$2"
    step "starting planatlas serve on $(sed 's|://\([^:/@]*\):[^@]*@|://\1:***@|' <<<"$database")"
    (cd "$root" && exec "$binary" serve --port 0 --database "$database" --geodata "$root/GeoData") >"$log" 2>&1 &
    server_pid=$!
    url=""
    for _ in $(seq 1 600); do
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "the server exited before listening"; }
        url="$(sed -n 's|^planatlas: serving \(http://[^/ ]*\)/.*|\1|p' "$log" | head -n 1)"
        [[ -n "$url" ]] && break
        sleep 0.2
    done
    [[ -n "$url" ]] || { cat "$log" >&2; fail "the server did not say where it listens"; }
    curl --silent --fail --max-time 30 "$url/conformance" >/dev/null || fail "$url/conformance does not answer"
    step "serving at $url"
}

# GDAL and OWSLib against the running server on $1; $2 names the store in messages.
check_clients() {
    local database="$1" name="$2" layers="$work/$2-layers.txt"
    # What the command line says the store holds: id and feature count per layer.
    "$binary" layers --database "$database" --geodata "$root/GeoData" | tail -n +3 | awk '{print $1, $NF}' >"$layers"
    [[ $(wc -l <"$layers") -ge 1 ]] || fail "$name: planatlas layers listed no layers"

    step "$name: GDAL's ogrinfo lists the collections"
    ogrinfo -ro -q "OAPIF:$url" >"$work/$name-ogrinfo.txt" 2>"$work/$name-ogrinfo.err" \
        || { cat "$work/$name-ogrinfo.err" >&2; fail "$name: ogrinfo could not open OAPIF:$url"; }
    while read -r id _; do
        grep -Eq "^[0-9]+: $id( |$)" "$work/$name-ogrinfo.txt" || { cat "$work/$name-ogrinfo.txt" >&2; fail "$name: ogrinfo does not list $id"; }
    done <"$layers"
    [[ $(grep -Ec '^[0-9]+: ' "$work/$name-ogrinfo.txt") -eq $(wc -l <"$layers") ]] || fail "$name: ogrinfo lists another number of layers"

    step "$name: GDAL's ogrinfo reads the feature count of every layer"
    while read -r id count; do
        gdal_count="$(ogrinfo -ro -so "OAPIF:$url" "$id" 2>>"$work/$name-ogrinfo.err" | sed -n 's/^Feature Count: //p')"
        [[ "$gdal_count" == "$count" ]] || fail "$name: layer $id: GDAL counts '${gdal_count}', planatlas layers says $count"
    done <"$layers"

    step "$name: GDAL's ogr2ogr copies market-relocations to GeoJSON"
    ogr2ogr -f GeoJSON "$work/$name-market-relocations.geojson" "OAPIF:$url" market-relocations 2>"$work/$name-ogr2ogr.err" \
        || { cat "$work/$name-ogr2ogr.err" >&2; fail "$name: ogr2ogr failed"; }
    copied="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$work/$name-market-relocations.geojson")"
    [[ "$copied" == 11 ]] || fail "$name: ogr2ogr copied $copied market relocations, expected 11"

    step "$name: OWSLib lists collections and fetches items with a bbox"
    PLANATLAS_URL="$url" PLANATLAS_GEODATA="$root/GeoData" python3 -m pytest -p no:cacheprovider -q "$here/test_owslib.py" \
        || fail "$name: the OWSLib tests failed"
}

# SIGTERM, then the exit status and the log of the server on $1.
stop_server() {
    local log="$1" name="$2" status=""
    step "$name: SIGTERM for a graceful stop"
    kill -TERM "$server_pid"
    for _ in $(seq 1 150); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            set +e; wait "$server_pid"; status=$?; set -e
            break
        fi
        sleep 0.2
    done
    [[ -n "$status" ]] || fail "$name: the server was still running 30 s after SIGTERM"
    server_pid=""
    [[ "$status" == 0 ]] || { tail -n 20 "$log" >&2; fail "$name: the server exited with status $status after SIGTERM"; }
    # Every request the clients made was answered without a server error.
    requests="$(grep -c 'http.status=' "$log" || true)"
    [[ "$requests" -gt 0 ]] || fail "$name: the access log is empty"
    if grep -E 'http.status=5[0-9][0-9]|unhandled error' "$log" >&2; then fail "$name: some requests were answered with a 5xx"; fi
    step "$name: passed; $requests requests served, stopped cleanly"
}

# SpatiaLite: a file that does not exist yet, as on a first `make serve`.
spatialite="$work/plan.sqlite"
start_server "$spatialite" "$work/spatialite-server.log"
check_clients "$spatialite" spatialite
step "spatialite: the viewer in headless Chromium"
PLANATLAS_URL="$url" "$root/Tests/Browser/run.sh" -q || fail "the browser tests failed"
stop_server "$work/spatialite-server.log" spatialite

# PostGIS: the scale-out store behind the same service.
if [[ -z "${PLANATLAS_TEST_POSTGRES_URL:-}" ]]; then
    export PLANATLAS_PG_DIR="${PLANATLAS_PG_DIR:-${TMPDIR:-/tmp}/planatlas-e2e-postgis}"
    eval "$("$root/Tools/postgis-test-cluster.sh" start)"
    own_cluster=1
fi
[[ -n "${PLANATLAS_TEST_POSTGRES_URL:-}" ]] || fail "no PostGIS database: Tools/postgis-test-cluster.sh gave no URL"
start_server "$PLANATLAS_TEST_POSTGRES_URL" "$work/postgis-server.log"
check_clients "$PLANATLAS_TEST_POSTGRES_URL" postgis
stop_server "$work/postgis-server.log" postgis
step "all passed"
