#!/usr/bin/env bash
# Runs the viewer's browser test in headless Chromium against a server the caller started:
#   planatlas serve &            # or: make serve
#   PLANATLAS_URL=http://127.0.0.1:8080 Tests/Browser/run.sh [pytest args]
# Screenshots land in build/screenshots/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PLANATLAS_URL="${PLANATLAS_URL:-http://127.0.0.1:8080}"

"$root/Tools/setup.sh" --test

if ! python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/collections", timeout=10)' "$PLANATLAS_URL" 2>/dev/null; then
  echo "run.sh: no planatlas server answers at $PLANATLAS_URL/collections; start one first (planatlas serve)" >&2
  exit 2
fi

cd "$root"
exec python3 -m pytest -p no:cacheprovider "$here" "$@"
