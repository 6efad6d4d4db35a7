#!/usr/bin/env bash
# planatlas benchmark (issue 8): sets up the Python environment when missing, then
# runs Tools/bench/run.py with the given arguments. Examples:
#   Tools/bench/run.sh --quick                      # smoke run in minutes (10k features)
#   Tools/bench/run.sh                              # the issue's sizes (1M W1 features)
#   Tools/bench/run.sh --workloads w5 --repeat 3    # growth 10k / 100k / 1M
# System packages it needs (Debian): python3-venv, postgresql-15-postgis-3,
# libsqlite3-mod-spatialite, gdal-bin, wrk; and a Swift toolchain for planatlas.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
# Debian's python3: its sqlite3 module may load extensions (mod_spatialite).
python="${PLANATLAS_BENCH_PYTHON:-/usr/bin/python3}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi
"$venv/bin/python" - <<'PY'
import sqlite3
c = sqlite3.connect(":memory:")
if not hasattr(c, "enable_load_extension"):
    raise SystemExit("this python's sqlite3 cannot load extensions; set PLANATLAS_BENCH_PYTHON to Debian's /usr/bin/python3")
PY
exec "$venv/bin/python" "$here/run.py" "$@"
