#!/usr/bin/env bash
# Load: wrk on loopback against `planatlas serve` with a write token, on a fresh SpatiaLite file or
# on PostgreSQL/PostGIS, mixing item pages, near, overlaps and authorized writes (load.lua). Fails
# when any request was answered with a 5xx, a socket failed, or the server's resident memory ends
# above the bound.
#
#   swift build && Tests/Reliability/load.sh            # 64 connections, 60 s, SpatiaLite
#   PLANATLAS_LOAD_DATABASE=postgres://... Tests/Reliability/load.sh   # the same on PostGIS
#   PLANATLAS_LOAD_SECONDS=10 Tests/Reliability/load.sh  # the bounded CI run
# Environment: PLANATLAS_BINARY, PLANATLAS_LOAD_DATABASE (a postgres:// URL; default a fresh
# SpatiaLite file), PLANATLAS_LOAD_CONNECTIONS (64), PLANATLAS_LOAD_SECONDS (60),
# PLANATLAS_LOAD_MAX_RSS_MB (1024). Prints one line:
# LOAD ... store=spatialite|postgis rss_before_mb=... rss_after_mb=... rss_peak_mb=...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${PLANATLAS_BINARY:-$root/.build/debug/planatlas}"
connections="${PLANATLAS_LOAD_CONNECTIONS:-64}"
seconds="${PLANATLAS_LOAD_SECONDS:-60}"
max_rss_mb="${PLANATLAS_LOAD_MAX_RSS_MB:-1024}"

fail() { echo "load: FAILED: $*" >&2; exit 1; }
[[ -x "$binary" ]] || fail "no planatlas binary at $binary (run 'swift build' first)"
command -v wrk >/dev/null || fail "wrk is missing (apt-get install wrk)"

work="$(mktemp -d "${TMPDIR:-/tmp}/planatlas-load.XXXXXX")"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

database="${PLANATLAS_LOAD_DATABASE:-$work/plan.sqlite}"
store=spatialite
[[ "$database" == postgres://* || "$database" == postgresql://* ]] && store=postgis
unset PLANATLAS_TOKEN_FILE  # the token below is the one load.lua sends
export PLANATLAS_TOKEN="load-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
# New ids every run: a PostGIS database keeps the points earlier runs wrote.
export PLANATLAS_LOAD_RUN="$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
(cd "$root" && exec "$binary" serve --port 0 --database "$database" --geodata "$root/GeoData") >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 600); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server exited before listening"; }
    url="$(sed -n 's|^planatlas: serving \(http://[^/ ]*\)/.*|\1|p' "$work/server.log" | head -n 1)"
    [[ -n "$url" ]] && break
    sleep 0.2
done
[[ -n "$url" ]] || fail "the server did not say where it listens"
# Resident memory now (VmRSS) and at its highest since the server started (VmHWM), in MB.
rss_mb() { awk -v field="${1:-VmRSS}:" '$1 == field {printf "%d", $2 / 1024}' "/proc/$server_pid/status"; }

# Warm-up: the first near and overlap queries build the in-memory snapshots.
curl --silent --fail --max-time 60 "$url/near?lon=123.45&lat=41.79&radius=100" >/dev/null || fail "near does not answer"
curl --silent --fail --max-time 120 "$url/overlaps?layers=historic-districts,districts" >/dev/null || fail "overlaps does not answer"
rss_before="$(rss_mb)"

wrk --threads 2 --connections "$connections" --duration "${seconds}s" --timeout 30s --latency \
    --script "$here/load.lua" "$url" >"$work/wrk.txt" 2>&1 || { cat "$work/wrk.txt" >&2; fail "wrk failed"; }
rss_after="$(rss_mb)"
rss_peak="$(rss_mb VmHWM)"
summary="$(grep '^LOAD ' "$work/wrk.txt")" || { cat "$work/wrk.txt" >&2; fail "wrk printed no summary"; }
echo "$summary connections=$connections store=$store rss_before_mb=$rss_before rss_after_mb=$rss_after rss_peak_mb=$rss_peak"

kill -TERM "$server_pid"; wait "$server_pid" || fail "the server exited with status $? after SIGTERM"
server_pid=""
grep -q 'fivexx=0$' <<<"$summary" || fail "some requests were answered with a 5xx"
grep -q 'socket_errors=0 ' <<<"$summary" || fail "some requests failed at the socket"
grep -q 'non2xx=0 ' <<<"$summary" || fail "some requests were not answered with a 2xx"
if grep -E 'http.status=5[0-9][0-9]|unhandled error' "$work/server.log" >&2; then fail "the access log shows a 5xx"; fi
[[ "$rss_after" -le "$max_rss_mb" ]] || fail "resident memory grew to $rss_after MB (bound $max_rss_mb MB)"
echo "load: passed" >&2
