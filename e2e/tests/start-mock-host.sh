#!/usr/bin/env bash
# The mock host for the Playwright suite (playwright.config.ts → webServer): a fresh
# temporary DATA_DIR for each run, removed again when the host stops.
set -u
cd "$(dirname "$0")/../.."
DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cm-e2e-XXXXXX")
export DATA_DIR
echo "mock host data: $DATA_DIR"
node --import tsx e2e/mock-host/main.ts &
pid=$!
stop() {
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
}
trap 'stop; rm -rf "$DATA_DIR"; exit 143' TERM INT
wait "$pid"
status=$?
rm -rf "$DATA_DIR"
exit $status
