#!/usr/bin/env bash
# Installs everything RouterLab needs to build, run and test on Debian 12.
# Idempotent: packages already present are left as they are.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (or through sudo)" >&2
  exit 1
fi

packages=(
  build-essential cmake ninja-build pkg-config git lld
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev qt6-tools-dev
  libgl-dev libxkbcommon-dev
  libeigen3-dev libsqlite3-dev libcurl4-openssl-dev
  clang libclang-rt-dev clang-format
  xvfb xauth fonts-dejavu-core
  curl
  dpkg-dev file desktop-file-utils appstream
)
# The `cluster` test starts a one-node Slurm of its own (daemons run only during the test).
# Only for CI or on request: on a desktop these packages would enable system services.
if [ "${CI:-}" = true ] || [ "${ROUTERLAB_CLUSTER_TEST:-}" = 1 ]; then
  packages+=(slurm-wlm munge)
fi

# The openai_client test runs the official OpenAI client library on Node.js (18 or later).
# A Node.js already installed is kept: one from elsewhere may bundle its own npm, which
# Debian's npm package would conflict with.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps.sh: all packages present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
