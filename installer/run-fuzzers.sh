#!/usr/bin/env bash
# Runs every fuzz_* target in a build folder for a bounded time, starting from the committed
# seed corpus (copied, so the repository is not modified). A crash fails the script.
set -euo pipefail
build="$(cd "$1" && pwd)"
seconds="${2:-30}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in "$build"/tests/fuzz/fuzz_*; do
  [ -f "$target" ] && [ -x "$target" ] || continue
  name="$(basename "$target")"
  corpus="$work/${name#fuzz_}"
  mkdir -p "$corpus"
  cp -r "$root/tests/fuzz/corpus/${name#fuzz_}/." "$corpus/"
  # Optional per target: a dictionary (<name>.dict) and a shorter time (<name>.seconds).
  extra=() && t="$seconds" && base="$root/tests/fuzz/${name#fuzz_}"
  [ -f "$base.dict" ] && extra+=(-dict="$base.dict")
  [ -f "$base.seconds" ] && t=$(( $(cat "$base.seconds") < seconds ? $(cat "$base.seconds") : seconds ))
  echo "-- $name for $t s"
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1 "$target" -max_total_time="$t" -rss_limit_mb=4096 \
      -max_len=65536 -print_final_stats=1 "${extra[@]}" "$corpus" 2>"$work/$name.log") || {
    tail -n 60 "$work/$name.log"
    mkdir -p "$build/fuzz-findings"
    cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$build/fuzz-findings/" 2>/dev/null || true
    echo "$name: crash (see the report above; the input is kept in $build/fuzz-findings)" >&2
    exit 1
  }
  grep -E "stat::number_of_executed_units|Done " "$work/$name.log" | tail -n 2
done
