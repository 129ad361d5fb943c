#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the Playwright suite.
# Idempotent and quiet: does nothing when it is there. Never `npx playwright install`:
# the suite drives the system Chromium (playwright.config.ts: launchOptions.executablePath).
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=$(command -v sudo || true)
  if [ -z "$SUDO" ]; then
    echo "ensure-chromium: $CHROMIUM is missing and this is not root (no sudo): install it with 'apt-get install -y chromium'" >&2
    exit 1
  fi
else
  SUDO=""
fi
echo "ensure-chromium: installing Debian's chromium (apt-get)…"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed in $(( $(date +%s) - start )) s"
