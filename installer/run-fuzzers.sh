#!/usr/bin/env bash
# Runs every fuzz_* target of a build folder for a bounded time:
#   bash installer/run-fuzzers.sh BUILD [SECONDS_PER_TARGET]
# Without SECONDS_PER_TARGET, FUZZ_TOTAL_SECONDS (default 180) is shared evenly between the
# targets, so adding a target does not lengthen CI. Each target starts from its committed seed
# corpus and regression inputs (tests/fuzz/corpus/<name>, tests/fuzz/regressions/<name>, read
# only) and its dictionary (tests/fuzz/<name>.dict); what it finds new goes into a working
# corpus in BUILD/fuzz-corpus/<name>, never into the repository. A crash, a leak, a timeout or
# an out-of-memory fails the script and keeps the input in BUILD/fuzz-findings.
set -euo pipefail
build="$(cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz="$root/tests/fuzz"

targets=()
for target in "$build"/tests/fuzz/fuzz_*; do
  [ -f "$target" ] && [ -x "$target" ] && targets+=("$target")
done
[ "${#targets[@]}" -gt 0 ] || { echo "no fuzz targets in $build/tests/fuzz" >&2; exit 1; }
seconds="${2:-$(( ${FUZZ_TOTAL_SECONDS:-180} / ${#targets[@]} ))}"
[ "$seconds" -ge 5 ] || seconds=5
echo "-- ${#targets[@]} fuzz targets, $seconds s each"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
for target in "${targets[@]}"; do
  name="$(basename "$target")"
  name="${name#fuzz_}"
  work="$build/fuzz-corpus/$name"
  mkdir -p "$work"
  args=(-max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -max_len=65536
        -print_final_stats=1 -artifact_prefix="$logs/")
  [ -f "$fuzz/$name.dict" ] && args+=(-dict="$fuzz/$name.dict")
  corpora=("$work" "$fuzz/corpus/$name")
  [ -d "$fuzz/regressions/$name" ] && corpora+=("$fuzz/regressions/$name")
  echo "-- fuzz_$name for $seconds s"
  (cd "$logs" && ASAN_OPTIONS=detect_leaks=1 "$target" "${args[@]}" "${corpora[@]}" \
      2>"$logs/$name.log") || {
    tail -n 60 "$logs/$name.log"
    mkdir -p "$build/fuzz-findings"
    cp "$logs"/crash-* "$logs"/leak-* "$logs"/timeout-* "$logs"/oom-* "$build/fuzz-findings/" \
      2>/dev/null || true
    echo "fuzz_$name: finding (see the report above; the input is kept in $build/fuzz-findings;" \
         "once fixed, add it to tests/fuzz/regressions/$name)" >&2
    exit 1
  }
  { grep -E "stat::number_of_executed_units|stat::new_units_added" "$logs/$name.log" || true; } |
    tr '\n' ' '
  echo "working corpus: $(find "$work" -type f | wc -l) files"
done
