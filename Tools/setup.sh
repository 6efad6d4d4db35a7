#!/usr/bin/env bash
# Installs what planatlas needs on a fresh Debian 12 machine, and nothing when all is there.
#   Tools/setup.sh          libraries to build and run the service (GEOS, PROJ, SpatiaLite, Leaflet)
#   Tools/setup.sh --test   also what the test suite drives for real: PostgreSQL 15 + PostGIS 3,
#                           GDAL's command-line tools, Chromium, and the Python test clients
set -euo pipefail

runtime_packages=(pkg-config libgeos-dev libproj-dev proj-data libspatialite-dev libsqlite3-mod-spatialite
                  libsqlite3-dev sqlite3 libjs-leaflet)
test_packages=(postgresql-15 postgresql-15-postgis-3 gdal-bin chromium chromium-driver fonts-wqy-microhei python3-pip curl wrk)
python_test_modules=(pytest:pytest selenium:selenium owslib:OWSLib shapely:shapely pyproj:pyproj numpy:numpy pandas:pandas
                     openapi_spec_validator:openapi-spec-validator)

wanted=("${runtime_packages[@]}")
[[ "${1:-}" == "--test" ]] && wanted+=("${test_packages[@]}")

missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" == "--test" ]]; then
    pip_missing=()
    for entry in "${python_test_modules[@]}"; do
        python3 -c "import ${entry%%:*}" 2>/dev/null || pip_missing+=("${entry#*:}")
    done
    if ((${#pip_missing[@]})); then
        echo "setup: pip installing ${pip_missing[*]}"
        python3 -m pip install --quiet --disable-pip-version-check "${pip_missing[@]}"
    fi
fi
