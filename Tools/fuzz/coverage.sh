#!/usr/bin/env bash
# Source line coverage of the readers by a fuzz corpus: which lines of GeoModel the inputs reach.
#
#   Tools/fuzz/coverage.sh [corpus-root]
#
# corpus-root holds <target>/corpus folders, as a campaign run with FUZZ_WORK=<dir> leaves them;
# without it, the seed corpora and kept regressions in Tests/Fuzz are measured. The targets are
# built a second time, with coverage mapping instead of AddressSanitizer, in Tools/fuzz/.build-coverage,
# and each runs every input once (-runs=0). Prints, per target, llvm-cov's region, function and
# line coverage of the GeoModel files that target is about.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PACKAGE="$ROOT/Tools/fuzz"
CORPUS_ROOT="${1:-}"
TARGETS=(fuzz-geojson fuzz-wkb fuzz-json)
SCRATCH="$PACKAGE/.build-coverage"
BUILD=(swift build --package-path "$PACKAGE" --scratch-path "$SCRATCH" -c release --sanitize fuzzer
       -Xswiftc -profile-generate -Xswiftc -profile-coverage-mapping)
for target in "${TARGETS[@]}"; do "${BUILD[@]}" --product "$target"; done
BIN="$("${BUILD[@]}" --show-bin-path)"
TOOLS="$(dirname "$(readlink -f "$(command -v swift)")")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/planatlas-fuzz-coverage.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export SWIFT_BACKTRACE=enable=no
for target in "${TARGETS[@]}"; do
    inputs=()
    if [[ -n "$CORPUS_ROOT" ]]; then
        inputs+=("$CORPUS_ROOT/$target/corpus")
    else
        inputs+=("$ROOT/Tests/Fuzz/corpus/$target")
        if [[ -d "$ROOT/Tests/Fuzz/regressions/$target" ]]; then inputs+=("$ROOT/Tests/Fuzz/regressions/$target"); fi
    fi
    LLVM_PROFILE_FILE="$WORK/$target.profraw" "$BIN/$target" -runs=0 "${inputs[@]}" > "$WORK/$target.log" 2>&1
    echo "$target: $(ls "${inputs[@]}" | wc -l) inputs; $(grep -E '^#[0-9]+' "$WORK/$target.log" | tail -n 1)"
done
# The files each target is about (the same GeoModel code is in every binary).
declare -A FILES=(
    [fuzz-geojson]="GeoJSONScanner GeoJSONReader GeoJSONWriter GeoJSONOutput"
    [fuzz-wkb]="WKB"
    [fuzz-json]="GeoJSONScanner JSONValue+Parsing"
)
for target in "${TARGETS[@]}"; do
    "$TOOLS/llvm-profdata" merge -sparse "$WORK/$target.profraw" -o "$WORK/$target.profdata"
    echo "== $target"
    "$TOOLS/llvm-cov" export -summary-only "$BIN/$target" -instr-profile="$WORK/$target.profdata" \
        | python3 -c '
import json, os, sys
for entry in json.load(sys.stdin)["data"][0]["files"]:
    folder, name = os.path.split(entry["filename"])
    if folder.endswith("Sources/GeoModel") and name.removesuffix(".swift") in sys.argv[1:]:
        row = [f"{name:26}"]
        for kind in ("lines", "regions", "functions"):
            percent, count = entry["summary"][kind]["percent"], entry["summary"][kind]["count"]
            row.append(f"{kind} {percent:6.2f}% of {count:4}")
        print("   ".join(row))
' ${FILES[$target]}
done
