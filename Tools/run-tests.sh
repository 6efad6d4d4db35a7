#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it. Starts a throw-away PostgreSQL+PostGIS
# cluster for the store contract tests and removes it afterwards; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build
