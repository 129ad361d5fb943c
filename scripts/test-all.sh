#!/usr/bin/env bash
# Runs every test of the project and ends with one plain line "N passed, N failed".
# Called by `npm test` (after `npm install`) and by .ci/run.
#
# What counts (scripts/test-run/stage-counts.cjs): every failed test, every file or global setup
# that failed outside a test, every unhandled error, a stage whose runner exited non-zero with no
# failure reported (1), a stage that ran no test (1), a report that is missing (1).
# The run leaves the machine as it found it: its temp files live in one folder of the system temp
# dir (TMPDIR for everything below), leftovers there, new entries in the system temp dir and new
# files in the checkout outside test-results/ are listed and fail the run; PostgreSQL is a
# throwaway embedded server (scripts/test-run/with-postgres.ts), removed after its tests.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results
# stale reports must never be counted for this run
rm -rf test-results/reliability test-results/*.tally.json test-results/e2e.json test-results/vitest*.json
passed=0; failed=0; status=0

# ---- the machine as we found it
SYS_TMP=${TMPDIR:-/tmp}; SYS_TMP=${SYS_TMP%/}
RUN_TMP=$(mktemp -d "$SYS_TMP/cm-npm-test.XXXXXX")
chmod 711 "$RUN_TMP" # the embedded PostgreSQL runs as its own user and must reach its folder
# CM_TMP_IGNORE (a regex, unset by default): names other programs sharing this machine create in
# the system temp folder while the tests run (e.g. a developer's shell tooling); never a test's
snapshot_tmp() { ls -A "$SYS_TMP" | grep -vx "$(basename "$RUN_TMP")" | { if [ -n "${CM_TMP_IGNORE:-}" ]; then grep -vE "$CM_TMP_IGNORE"; else cat; fi; } | sort; }
snapshot_checkout() {
  # new files only (?? untracked, !! ignored): an edit of a tracked file during a run is the developer's
  git status --porcelain=v1 --ignored --untracked-files=normal 2>/dev/null | grep -E '^(\?\?|!!) ' \
    | grep -vE '^.. (test-results/|node_modules/|[^ ]*/node_modules/|frontend/dist/)' | sort
}
snapshot_tmp >test-results/.tmp-before.txt
snapshot_checkout >test-results/.checkout-before.txt
export TMPDIR=$RUN_TMP

# add one stage's counts: count <kind: vitest|playwright> <report file> <runner exit code>
count() {
  local out p f
  out=$(node scripts/test-run/stage-counts.cjs "$1" "$2" "$3") || out="0 1"
  read -r p f <<<"$out"
  echo "-- $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" -eq 0 ] || status=1
}
# a check without tests of its own: 1 passed or 1 failed
check() {
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
}
TALLY=--reporter=./scripts/test-run/vitest-tally.reporter.ts

echo "== typecheck"
check npm run --silent typecheck

echo "== build the remote (the mock host's tests serve it)"
check npm run --silent build

echo "== unit and integration tests (vitest, SQLite)"
# the PostgreSQL legs run below, once, on their own server
env -u TEST_DATABASE_URL -u DATABASE_URL VITEST_TALLY_FILE=test-results/vitest.tally.json \
  npx vitest run --reporter=default "$TALLY"
count vitest test-results/vitest.tally.json $?

echo "== the PostgreSQL legs (*.postgres.test.ts; embedded PostgreSQL unless TEST_DATABASE_URL/DATABASE_URL)"
VITEST_TALLY_FILE=test-results/vitest-pg.tally.json npx tsx scripts/test-run/with-postgres.ts -- \
  npx vitest run --project node postgres.test --reporter=default "$TALLY"
count vitest test-results/vitest-pg.tally.json $?

echo "== reliability report"
check npx tsx scripts/reliability-report.ts

if [ -f scripts/test-e2e.sh ]; then
  echo "== end-to-end tests (Playwright, Chromium)"
  bash scripts/test-e2e.sh
  count playwright test-results/e2e.json $?
fi

echo "== leftovers (temp folder, checkout)"
# tool caches (tsx's and Playwright's transpile caches) are not a test's files
leftovers=$(cd "$RUN_TMP" && ls -A | grep -vE '^(tsx|playwright-transform-cache)-[0-9]+$' || true)
rm -rf "$RUN_TMP"
export TMPDIR=$SYS_TMP
new_tmp=$(snapshot_tmp | comm -13 test-results/.tmp-before.txt -)
new_checkout=$(snapshot_checkout | comm -13 test-results/.checkout-before.txt -)
leaks=0
[ -z "$leftovers" ] || { echo "left in the run's temp folder:"; echo "$leftovers" | sed 's/^/  /'; leaks=1; }
[ -z "$new_tmp" ] || { echo "new in $SYS_TMP:"; echo "$new_tmp" | sed 's/^/  /'; leaks=1; }
[ -z "$new_checkout" ] || { echo "new in the checkout (outside test-results/):"; echo "$new_checkout" | sed 's/^/  /'; leaks=1; }
if [ "$leaks" -eq 0 ]; then echo "-- nothing left behind"; fi
check test "$leaks" -eq 0

[ "$failed" -eq 0 ] || status=1
echo "${passed} passed, ${failed} failed"
exit $status
