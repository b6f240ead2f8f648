#!/usr/bin/env bash
# The paywall's end-to-end tests drive Debian's Chromium headless (playwright-core, no browser download).
# Installs it with apt-get when it is missing and this user may; otherwise says how to get it.
set -euo pipefail
CHROMIUM="${OPEN402_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if command -v apt-get >/dev/null && [ "$(id -u)" = "0" ]; then
  echo "Chromium is missing: installing Debian's chromium package for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends chromium >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium >/dev/null; }
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "ERROR: no Chromium at $CHROMIUM; the paywall's browser tests need it." >&2
echo "  Install Debian's package (apt-get install chromium) or set OPEN402_CHROMIUM to a Chromium binary." >&2
exit 1
