#!/usr/bin/env bash
# Installs Debian's Chromium for the GraphiQL browser test (tests/test_graphiql.py).
# Idempotent: does nothing when /usr/bin/chromium already exists. Needs root (apt-get);
# without root it only explains what to do and exits 0, so `make test` carries on and the
# browser test reports the missing browser itself (it fails when CI is set, skips otherwise).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "install-browser: $CHROMIUM already present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))."
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-browser: $CHROMIUM is missing and this is not root, so it was NOT installed." >&2
  echo "install-browser: install it with:  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium" >&2
  echo "install-browser: until then the GraphiQL browser test is skipped locally and fails in CI (CI=true)." >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: $CHROMIUM is missing and apt-get is unavailable; install Chromium so that $CHROMIUM exists." >&2
  exit 0
fi

echo "install-browser: $CHROMIUM is missing; installing Debian's chromium with apt-get ..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")."
  exit 0
fi
echo "install-browser: apt-get could not install chromium (see the errors above)." >&2
case "${CI:-}" in
  "" | 0 | false) ;;
  *) exit 1 ;;  # in CI the browser test must run, so stop here with the real cause
esac
echo "install-browser: carrying on; the GraphiQL browser test will be skipped." >&2
