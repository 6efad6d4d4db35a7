#!/usr/bin/env bash
# A bounded libFuzzer campaign over planatlas's readers, as CI runs it.
#
#   Tools/fuzz/run.sh [seconds-per-target] [target...]     (default: 60 s, every target)
#
# Builds the fuzz package (Tools/fuzz, release, with libFuzzer and AddressSanitizer), then runs
# each target in turn for the given time from its seed corpus (Tests/Fuzz/corpus/<target>, copied
# to a temporary directory so that the repository is not modified) and its kept crashers
# (Tests/Fuzz/regressions/<target>, read only). Exits non-zero if any target crashes, leaks,
# times out (one input over 10 s) or runs out of memory (2 GB), printing each failing input's
# path and base64; the temporary directory is then kept for inspection (FUZZ_WORK=<dir> keeps it
# always, with the grown corpora).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PACKAGE="$ROOT/Tools/fuzz"
SECONDS_PER_TARGET="${1:-60}"
shift || true

# Each target, and the dictionaries its mutations draw on (libFuzzer takes one -dict, so they are
# concatenated). The HTTP query-parameter parser's target joins them once it exists:
# `[fuzz-query]="query.dict"` here, fuzz-query in ALL_TARGETS (see Tools/fuzz/Package.swift).
declare -A DICTIONARIES=(
    [fuzz-geojson]="json.dict geojson.dict"
    [fuzz-wkb]="wkb.dict"
    [fuzz-json]="json.dict"
)
ALL_TARGETS=(fuzz-geojson fuzz-wkb fuzz-json)
if (( $# > 0 )); then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
for target in "${TARGETS[@]}"; do
    [[ -n "${DICTIONARIES[$target]+set}" ]] || { echo "run.sh: unknown target $target (known: ${ALL_TARGETS[*]})" >&2; exit 2; }
done

# `--sanitize fuzzer` tells SwiftPM to link libFuzzer's `main` (without it, SwiftPM points `main`
# at `<module>_main`, which a -parse-as-library target does not have). SwiftPM passes each
# --sanitize as its own -sanitize= flag and the Swift 6.3 driver keeps only the last, so the
# combined flag goes to every module, GeoModel and its dependencies included, via -Xswiftc.
BUILD=(swift build --package-path "$PACKAGE" -c release --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address)
build_started=$(date +%s)
for target in "${TARGETS[@]}"; do
    # One product per invocation: building the whole graph would compile every dependency of
    # the main package with the sanitizers for nothing.
    "${BUILD[@]}" --product "$target"
done
BIN="$("${BUILD[@]}" --show-bin-path)"
echo "build: $(( $(date +%s) - build_started )) s"

# FUZZ_WORK=<dir> keeps the grown corpora, logs and any failing inputs there afterwards.
if [[ -n "${FUZZ_WORK:-}" ]]; then WORK="$FUZZ_WORK"; mkdir -p "$WORK"; else WORK="$(mktemp -d "${TMPDIR:-/tmp}/planatlas-fuzz.XXXXXX")"; fi
# The Swift runtime's crash backtracer reads memory in ways that ASan reports as a second,
# unrelated crash; libFuzzer and ASan print the stack themselves.
export SWIFT_BACKTRACE=enable=no

failed=()
summary=()
for target in "${TARGETS[@]}"; do
    corpus="$WORK/$target/corpus"
    artifacts="$WORK/$target/artifacts/"
    mkdir -p "$corpus" "$artifacts"
    cp -R "$ROOT/Tests/Fuzz/corpus/$target/." "$corpus/"
    seeds=("$corpus")
    if [[ -d "$ROOT/Tests/Fuzz/regressions/$target" ]]; then seeds+=("$ROOT/Tests/Fuzz/regressions/$target"); fi
    dictionary="$WORK/$target/$target.dict"
    for name in ${DICTIONARIES[$target]}; do cat "$PACKAGE/dictionaries/$name"; done > "$dictionary"

    echo "== $target: $SECONDS_PER_TARGET s"
    status=0
    "$BIN/$target" "${seeds[@]}" \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
        -dict="$dictionary" -artifact_prefix="$artifacts" -print_final_stats=1 \
        > "$WORK/$target/log" 2>&1 || status=$?

    # The last status line (#runs DONE cov: ft: corp: exec/s: rss:) and the final statistics.
    done_line="$(grep -E '^#[0-9]+' "$WORK/$target/log" | tail -n 1 || true)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/$target/log")"
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$target/log")"
    echo "$done_line"
    summary+=("$(printf '%-14s %10s runs %8s exec/s  %s' "$target" "${runs:-?}" "${rate:-?}" \
        "$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' <<< "$done_line" || true)")")

    if grep -q 'Is the code instrumented for coverage' "$WORK/$target/log"; then
        echo "!! $target: libFuzzer sees no coverage; the build lost its -sanitize=fuzzer instrumentation"
        status=1
    fi
    found=("$artifacts"*)
    if (( status != 0 )) || [[ -e "${found[0]}" ]]; then
        failed+=("$target")
        echo "!! $target failed (exit $status); log: $WORK/$target/log"
        grep -E 'ERROR: |Fatal error|SUMMARY: ' "$WORK/$target/log" | head -n 5 || true
        for input in "${found[@]}"; do
            [[ -e "$input" ]] || continue
            echo "   input: $input"
            echo "   base64: $(base64 -w0 "$input")"
        done
    fi
done

echo
echo "== summary ($SECONDS_PER_TARGET s per target)"
printf '%s\n' "${summary[@]}"
if (( ${#failed[@]} > 0 )); then
    echo "FAILED: ${failed[*]} (inputs and logs kept in $WORK)"
    exit 1
fi
if [[ -z "${FUZZ_WORK:-}" ]]; then rm -rf "$WORK"; fi
echo "no crashes, leaks, timeouts or out-of-memory inputs"
