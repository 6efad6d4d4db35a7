#!/usr/bin/env python3
"""Prints what GEOS (through shapely) makes of each WKB input kept by the fuzz campaigns, the
independent reference for how planatlas's WKB reader should treat them.

Run: python3 Tools/fuzz/geos-verdicts.py [file...]   (default: Tests/Fuzz/regressions/fuzz-wkb/*)
"""
import pathlib
import sys

import shapely

ROOT = pathlib.Path(__file__).resolve().parents[2]

paths = [pathlib.Path(p) for p in sys.argv[1:]] or sorted((ROOT / "Tests/Fuzz/regressions/fuzz-wkb").iterdir())
print(f"shapely {shapely.__version__}, GEOS {'.'.join(map(str, shapely.geos_version))}")
for path in paths:
    try:
        geometry = shapely.from_wkb(path.read_bytes())
        verdict = f"{geometry.wkt} (WKB {shapely.to_wkb(geometry, hex=True, flavor='iso')})"
    except Exception as error:  # GEOS refuses the bytes: its message is the verdict
        verdict = f"refused: {error}"
    print(f"{path.name}: {verdict}")
