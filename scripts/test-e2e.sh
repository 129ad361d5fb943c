#!/usr/bin/env bash
# End-to-end tests: Debian's Chromium, the built remote, then Playwright against the mock
# host (or against E2E_BASE_URL). Writes test-results/e2e.json (Playwright's JSON reporter,
# read by scripts/test-all.sh); the exit code is Playwright's.
# Extra arguments go to `playwright test` (e.g. a spec file or --grep).
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results
# a stale report must not be counted for this run
rm -f test-results/e2e.json

# a step before the suite failed: leave a report that counts it as one failure
fail_before_suite() {
  echo "test-e2e: $1" >&2
  node -e 'require("fs").writeFileSync("test-results/e2e.json", JSON.stringify({ stats: { expected: 0, unexpected: 1, flaky: 0, skipped: 0 }, errors: [{ message: process.argv[1] }], suites: [] }))' "$1"
  exit 1
}

t0=$(date +%s)
bash scripts/ensure-chromium.sh || fail_before_suite "Chromium (/usr/bin/chromium) is not available"
t1=$(date +%s)
if [ -z "${E2E_BASE_URL:-}" ]; then
  # the mock host serves the BUILT remote (frontend/dist)
  npm run --silent build || fail_before_suite "npm run build failed"
fi
t2=$(date +%s)
npx playwright test "$@"
status=$?
t3=$(date +%s)
echo "test-e2e: chromium $((t1 - t0)) s, build $((t2 - t1)) s, suite $((t3 - t2)) s (exit $status)"
exit $status
