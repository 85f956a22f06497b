#!/usr/bin/env bash
# Runs every fuzz_* target of a build folder for a bounded time:
#   bash installer/run-fuzzers.sh BUILD [SECONDS_PER_TARGET]
# Without SECONDS_PER_TARGET, FUZZ_TOTAL_SECONDS (default 180) of fuzzing is shared evenly
# between the targets, so adding a target does not lengthen CI; JOBS targets (default 2) run at
# a time, one per core. Each target starts from its committed seed corpus and regression inputs
# (tests/fuzz/corpus/<name>, tests/fuzz/regressions/<name>, read only) and its dictionary
# (tests/fuzz/<name>.dict); what it finds new goes into a working corpus in
# BUILD/fuzz-corpus/<name>, never into the repository. A crash, a leak, a timeout or an
# out-of-memory fails the script and keeps the input in BUILD/fuzz-findings.
set -euo pipefail
build="$(cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz="$root/tests/fuzz"
jobs="${JOBS:-2}"

targets=()
for target in "$build"/tests/fuzz/fuzz_*; do
  [ -f "$target" ] && [ -x "$target" ] && targets+=("$target")
done
[ "${#targets[@]}" -gt 0 ] || { echo "no fuzz targets in $build/tests/fuzz" >&2; exit 1; }
seconds="${2:-$(( ${FUZZ_TOTAL_SECONDS:-180} / ${#targets[@]} ))}"
[ "$seconds" -ge 5 ] || seconds=5
echo "-- ${#targets[@]} fuzz targets, $seconds s each, $jobs at a time"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

# Fuzzes one target in a folder of its own (libFuzzer writes its findings into the current
# folder); prints its summary, or the end of its log and where the input was kept.
fuzz_target() { # target
  local name work
  name="$(basename "$1")"
  name="${name#fuzz_}"
  work="$build/fuzz-corpus/$name"
  mkdir -p "$work" "$logs/$name"
  local args=(-max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -max_len=65536
              -print_final_stats=1 -artifact_prefix="$logs/$name/")
  [ -f "$fuzz/$name.dict" ] && args+=(-dict="$fuzz/$name.dict")
  local corpora=("$work" "$fuzz/corpus/$name")
  [ -d "$fuzz/regressions/$name" ] && corpora+=("$fuzz/regressions/$name")
  echo "-- fuzz_$name for $seconds s"
  (cd "$logs/$name" && ASAN_OPTIONS=detect_leaks=1 "$1" "${args[@]}" "${corpora[@]}" \
      2>"$logs/$name.log") || {
    tail -n 60 "$logs/$name.log"
    mkdir -p "$build/fuzz-findings"
    cp "$logs/$name"/crash-* "$logs/$name"/leak-* "$logs/$name"/timeout-* "$logs/$name"/oom-* \
      "$build/fuzz-findings/" 2>/dev/null || true
    echo "fuzz_$name: finding (see the report above; the input is kept in $build/fuzz-findings;" \
         "once fixed, add it to tests/fuzz/regressions/$name)"
    return 1
  }
  { grep -E "stat::number_of_executed_units|stat::new_units_added" "$logs/$name.log" || true; } |
    tr '\n' ' '
  echo "working corpus: $(find "$work" -type f | wc -l) files"
}

failed=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz_target "$target" >"$logs/$(basename "$target").out" 2>&1 &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
# The summaries in the targets' order, whichever finished first.
for target in "${targets[@]}"; do
  cat "$logs/$(basename "$target").out"
done
[ "$failed" -eq 0 ] || { echo "run-fuzzers.sh: a fuzz target found an input (above)" >&2; exit 1; }
