#!/usr/bin/env bash
# A throw-away PostgreSQL 15 + PostGIS 3 cluster for the PostGIS contract tests.
#
#   Tools/postgis-test-cluster.sh start   # create and start it; prints the export line
#   Tools/postgis-test-cluster.sh url     # print the connection URL of the running cluster
#   Tools/postgis-test-cluster.sh stop    # stop it and delete its files
#
# `start` is idempotent: when the cluster already runs it only prints the line again. The
# cluster lives in $PLANATLAS_PG_DIR (default: ${TMPDIR:-/tmp}/planatlas-postgis-test), listens
# on 127.0.0.1 only, on a free port, and holds a database planatlas_test with the postgis
# extension, owned by the password-authenticated role planatlas. The URL is also written to
# $PLANATLAS_PG_DIR/url. Typical use:
#
#   eval "$(Tools/postgis-test-cluster.sh start)" && swift test; Tools/postgis-test-cluster.sh stop
#
# Needs postgresql-15 and postgresql-15-postgis-3 (Debian); as root it installs them when missing.
# initdb refuses to run as root, so as root the server runs as the `postgres` system user that the
# Debian package creates.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${PLANATLAS_PG_DIR:-${TMPDIR:-/tmp}/planatlas-postgis-test}
ROLE=planatlas
PASSWORD=planatlas
DATABASE=planatlas_test

fail() {
    echo "postgis-test-cluster: $*" >&2
    if [[ -f "$DIR/server.log" ]]; then
        echo "---- last lines of $DIR/server.log ----" >&2
        tail -n 20 "$DIR/server.log" >&2
    fi
    exit 1
}

# Runs a command as the cluster's owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() {
    [[ -f "$DIR/data/PG_VERSION" ]] && as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

free_port() {
    # Ask the kernel for a free loopback port; fall back to probing a range.
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local port
    for port in $(seq 25432 25532); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    fail "no free port in 25432-25532"
}

print_url() {
    [[ -f "$DIR/url" ]] || fail "no cluster in $DIR (run: $0 start)"
    echo "export PLANATLAS_TEST_POSTGRES_URL='$(cat "$DIR/url")'"
}

# Installs PostgreSQL 15 and PostGIS 3 from Debian when they are missing and we may (root).
ensure_installed() {
    if [[ -x "$PG_BIN/initdb" && -f /usr/share/postgresql/15/extension/postgis.control ]]; then
        return
    fi
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "postgis-test-cluster: installing postgresql-15 and postgresql-15-postgis-3" >&2
        apt-get update -qq >&2 || fail "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >&2 \
            || fail "apt-get install postgresql-15 postgresql-15-postgis-3 failed"
    fi
    [[ -x "$PG_BIN/initdb" ]] || fail "$PG_BIN/initdb not found: apt-get install postgresql-15 postgresql-15-postgis-3"
    [[ -f /usr/share/postgresql/15/extension/postgis.control ]] \
        || fail "PostGIS is not installed: apt-get install postgresql-15-postgis-3"
}

start() {
    ensure_installed
    if is_running && [[ -f "$DIR/url" ]]; then
        print_url
        return
    fi
    # A half-made or stopped cluster from an earlier run: start over.
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || fail "running as root needs the 'postgres' user to own the cluster"
        chown postgres: "$DIR"
    fi
    local port
    port=$(free_port)
    as_owner "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; fail "initdb failed"; }
    # Throw-away data: skip fsync for speed. Unix socket in the cluster directory, not /var/run.
    as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || fail "the server did not start on port $port"
    local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$port" -U postgres)
    as_owner "${psql[@]}" -d postgres -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" \
        -c "CREATE DATABASE $DATABASE OWNER $ROLE" >/dev/null || fail "cannot create role or database"
    as_owner "${psql[@]}" -d "$DATABASE" -c "CREATE EXTENSION postgis" >/dev/null || fail "CREATE EXTENSION postgis failed"
    echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$port/$DATABASE" >"$DIR/url"
    print_url
}

stop() {
    if [[ -f "$DIR/data/PG_VERSION" ]]; then
        as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
    echo "postgis-test-cluster: stopped and removed $DIR" >&2
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) print_url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
