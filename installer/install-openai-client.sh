#!/usr/bin/env bash
# Installs the official OpenAI client library (npm package `openai`, at the version pinned in
# tests/openai_client/package-lock.json) for the `openai_client` test; `setup.sh test` runs it.
# Idempotent and offline-safe: when node_modules already holds what the lock file pins,
# nothing is fetched; otherwise `npm ci` installs exactly the lock file (from npm's cache when
# it can). Without Node.js or the network the test skips, except under CI=true, where this
# script fails at once.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/openai_client" && pwd)"
# A copy of the lock file npm ci installed from, kept inside node_modules (which npm ci
# replaces whole, so a stale copy cannot outlive the install it describes).
stamp="$dir/node_modules/.installed-package-lock.json"

give_up() {
  if [ "${CI:-}" = true ]; then
    echo "install-openai-client.sh: $1 (CI=true: the openai_client test needs it)" >&2
    exit 1
  fi
  echo "install-openai-client.sh: $1; the openai_client test will skip" >&2
  exit 0
}

command -v node >/dev/null 2>&1 || give_up "Node.js (node) is not installed"
command -v npm >/dev/null 2>&1 || give_up "npm is not installed"

if cmp -s "$dir/package-lock.json" "$stamp" &&
   (cd "$dir" && npm ls --all --offline >/dev/null 2>&1); then
  echo "install-openai-client.sh: the pinned openai package is already installed"
  exit 0
fi

echo "install-openai-client.sh: npm ci in $dir"
if ! (cd "$dir" && npm ci --prefer-offline --ignore-scripts --no-audit --no-fund); then
  give_up "npm ci failed in $dir"
fi
(cd "$dir" && npm ls --all --offline >/dev/null) || give_up "npm ls finds the installed packages wrong"
cp "$dir/package-lock.json" "$stamp"
echo "install-openai-client.sh: installed openai" \
  "$(node -p "require('$dir/node_modules/openai/package.json').version")"
