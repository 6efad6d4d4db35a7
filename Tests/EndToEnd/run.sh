#!/usr/bin/env bash
# End to end with real clients, against the built binary:
#   1. `planatlas serve --port 0 --database <fresh file>` starts, seeds the file from GeoData, listens;
#   2. GDAL's OAPIF driver lists the collections and reads the same feature counts as `planatlas layers`;
#      ogr2ogr copies a layer to a GeoJSON file;
#   3. OWSLib lists collections and fetches items with a bbox (test_owslib.py, pytest);
#   4. the viewer's browser test runs in headless Chromium (Tests/Browser/run.sh);
#   5. SIGTERM stops the service gracefully, with exit status 0, and no request failed with a 5xx.
#
#   swift build && Tests/EndToEnd/run.sh        (Tools/run-tests.sh runs it after the unit tests)
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
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    if [[ "${PLANATLAS_E2E_KEEP:-}" == 1 ]]; then echo "end-to-end: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The service as a user starts it, read-only, on a database that does not exist yet.
unset PLANATLAS_TOKEN PLANATLAS_DATABASE PLANATLAS_CORS_ORIGINS PLANATLAS_PUBLIC_URL PLANATLAS_TILE_URL
database="$work/plan.sqlite"
step "starting $binary serve on $database"
(cd "$root" && exec "$binary" serve --port 0 --database "$database" --geodata "$root/GeoData") >"$work/server.log" 2>&1 &
server_pid=$!

url=""
for _ in $(seq 1 600); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server exited before listening"; }
    url="$(sed -n 's|^planatlas: serving \(http://[^/ ]*\)/.*|\1|p' "$work/server.log" | head -n 1)"
    [[ -n "$url" ]] && break
    sleep 0.2
done
[[ -n "$url" ]] || { cat "$work/server.log" >&2; fail "the server did not say where it listens"; }
curl --silent --fail --max-time 30 "$url/conformance" >/dev/null || fail "$url/conformance does not answer"
step "serving at $url"

# What the command line says the store holds: id and feature count per layer.
"$binary" layers --database "$database" --geodata "$root/GeoData" | tail -n +3 | awk '{print $1, $NF}' >"$work/layers.txt"
[[ $(wc -l <"$work/layers.txt") -ge 1 ]] || fail "planatlas layers listed no layers"

step "GDAL: ogrinfo lists the collections"
ogrinfo -ro -q "OAPIF:$url" >"$work/ogrinfo.txt" 2>"$work/ogrinfo.err" || { cat "$work/ogrinfo.err" >&2; fail "ogrinfo could not open OAPIF:$url"; }
while read -r id count; do
    grep -Eq "^[0-9]+: $id( |$)" "$work/ogrinfo.txt" || { cat "$work/ogrinfo.txt" >&2; fail "ogrinfo does not list $id"; }
done <"$work/layers.txt"
[[ $(grep -Ec '^[0-9]+: ' "$work/ogrinfo.txt") -eq $(wc -l <"$work/layers.txt") ]] || fail "ogrinfo lists another number of layers"

step "GDAL: ogrinfo reads the feature count of every layer"
while read -r id count; do
    gdal_count="$(ogrinfo -ro -so "OAPIF:$url" "$id" 2>>"$work/ogrinfo.err" | sed -n 's/^Feature Count: //p')"
    [[ "$gdal_count" == "$count" ]] || fail "layer $id: GDAL counts '${gdal_count}', planatlas layers says $count"
done <"$work/layers.txt"

step "GDAL: ogr2ogr copies market-relocations to GeoJSON"
ogr2ogr -f GeoJSON "$work/market-relocations.geojson" "OAPIF:$url" market-relocations 2>"$work/ogr2ogr.err" \
    || { cat "$work/ogr2ogr.err" >&2; fail "ogr2ogr failed"; }
copied="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$work/market-relocations.geojson")"
[[ "$copied" == 11 ]] || fail "ogr2ogr copied $copied market relocations, expected 11"

step "OWSLib: collections and items with a bbox"
PLANATLAS_URL="$url" PLANATLAS_GEODATA="$root/GeoData" python3 -m pytest -p no:cacheprovider -q "$here/test_owslib.py" \
    || fail "the OWSLib tests failed"

step "Browser: the viewer in headless Chromium"
PLANATLAS_URL="$url" "$root/Tests/Browser/run.sh" -q || fail "the browser tests failed"

step "SIGTERM: graceful stop"
kill -TERM "$server_pid"
status=""
for _ in $(seq 1 150); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        set +e; wait "$server_pid"; status=$?; set -e
        break
    fi
    sleep 0.2
done
[[ -n "$status" ]] || fail "the server was still running 30 s after SIGTERM"
server_pid=""
[[ "$status" == 0 ]] || { tail -n 20 "$work/server.log" >&2; fail "the server exited with status $status after SIGTERM"; }

# Every request the clients made was answered without a server error.
requests="$(grep -c 'http.status=' "$work/server.log" || true)"
[[ "$requests" -gt 0 ]] || fail "the access log is empty"
if grep -E 'http.status=5[0-9][0-9]|unhandled error' "$work/server.log" >&2; then
    fail "the server answered some requests with a 5xx"
fi
step "passed: $requests requests served, stopped cleanly"
