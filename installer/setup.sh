#!/usr/bin/env bash
# The two ways into RouterLab on a fresh Debian 12 machine (as root):
#   bash installer/setup.sh run    install what is needed, build, start the workbench on sample_data
#   bash installer/setup.sh test   install what is needed, build, run the whole test suite
# `test` also builds and runs the suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# runs every libFuzzer target for a bounded time (180 s shared between them, two at a time,
# FUZZ_TOTAL_SECONDS; FUZZ_SECONDS sets the time per target instead), and
# builds the .deb and .tar.gz and runs what they install (installer/check-package.sh).
set -euo pipefail

mode="${1:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${JOBS:-2}"

usage() {
  echo "usage: bash installer/setup.sh run|test" >&2
  exit 2
}
[ "$mode" = run ] || [ "$mode" = test ] || usage

begun=$(date +%s)
# A step's heading, with the seconds since setup.sh started: where CI's time goes.
step() { printf '\n== %s (at %d s)\n' "$*" "$(( $(date +%s) - begun ))"; }

# The real-data checks skip (and say so) without ../shared/data; CI must not pass that way.
# The CMake configure checks again, for builds that do not come through here.
shared_data="$(cd "$root/.." && pwd)/shared/data"
if [ "$mode" = test ] && [ "${CI:-}" = true ]; then
  for folder in routerbench routellm; do
    if [ ! -d "$shared_data/$folder" ]; then
      echo "setup.sh test: CI=true but $shared_data/$folder is absent: the real-data tests" \
           "need the routing records beside the project (outside CI they skip)." >&2
      exit 1
    fi
  done
fi

step "Installing Debian packages"
bash "$root/installer/install-deps.sh"
if [ "$mode" = test ]; then
  step "Installing the official OpenAI client library (npm, for the openai_client test)"
  bash "$root/installer/install-openai-client.sh"
fi

# Unity builds (batches of eight source files compiled as one) take about a third off each
# build here: the precompiled header is loaded, and Eigen's and Qt's templates instantiated,
# once per batch instead of once per file.
configure_and_build() { # build-dir, extra cmake args...
  local dir="$1"
  shift
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_UNITY_BUILD=ON "$@"
  cmake --build "$dir" -j "$jobs"
}

if [ "$mode" = run ]; then
  step "Building"
  configure_and_build "$root/build" -DCMAKE_BUILD_TYPE=Release
  step "Starting RouterLab on sample_data"
  if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "$root/build/bin/routerlab"
  fi
  echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): starting under Xvfb." \
       "Run this from a desktop session to see the window."
  exec xvfb-run -a "$root/build/bin/routerlab"
fi

started=$(date +%s)
export QT_QPA_PLATFORM=offscreen

step "Fuzzing the readers (clang, libFuzzer; the time is bounded in run-fuzzers.sh)"
# Line tables only (-g1): a fuzzer's crash report needs no more than file:line either.
# Not in unity batches: the fuzz build is core and small fuzzers, and clang took 228 s over
# core's heaviest batches against 202 s file by file.
configure_and_build "$root/build-fuzz" -DROUTERLAB_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_UNITY_BUILD=OFF
JOBS="$jobs" bash "$root/installer/run-fuzzers.sh" "$root/build-fuzz" ${FUZZ_SECONDS:+"$FUZZ_SECONDS"}

step "Building and testing under AddressSanitizer + UndefinedBehaviorSanitizer"
# -O1 keeps assertions (no NDEBUG) while Eigen-heavy tests run in minutes, not a quarter hour.
# Line tables (-g1) are all a sanitizer report needs for its file:line frames, and they build
# and link faster than full debug information.
# The benchmarks are left out: they are never run here, only built (in the release build).
configure_and_build "$root/build-asan" -DROUTERLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1" -DROUTERLAB_BENCHMARKS=OFF
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp:print_suppressions=0" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs" --timeout 900 -LE cluster

step "Building and testing (release build)"
# Line tables only, as above: the packages are stripped anyway (installer/packaging.cmake).
configure_and_build "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
ctest --test-dir "$root/build" --output-on-failure -j "$jobs" --timeout 900

step "Packaging (the .deb and .tar.gz, unpacked and run)"
JOBS="$jobs" bash "$root/installer/check-package.sh" "$root/build"
echo "setup.sh test: finished in $(( $(date +%s) - started )) s"
