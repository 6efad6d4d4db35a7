# The two commands a newcomer needs (see README.md); everything else is a step of these.
.PHONY: serve test build

# Installs the libraries when missing, builds, seeds the embedded SpatiaLite file from GeoData on
# first use, and serves http://127.0.0.1:8080
serve:
	Tools/setup.sh
	swift run -c release planatlas serve

# Installs what the tests drive for real (PostgreSQL+PostGIS, GDAL, Chromium, Python clients)
# when missing, then runs every test: unit, store contract on both stores, CLI and HTTP end to end.
test:
	Tools/setup.sh --test
	Tools/run-tests.sh

build:
	Tools/setup.sh
	swift build
