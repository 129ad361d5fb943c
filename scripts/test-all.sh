#!/usr/bin/env bash
# Runs every test of the project and ends with one plain line "N passed, N failed".
# Called by `npm test` (after `npm install`) and by .ci/run.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -rf test-results/reliability
passed=0; failed=0; status=0

echo "== typecheck"
if npm run --silent typecheck; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

echo "== build the remote (the mock host's tests serve it)"
if npm run --silent build; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

echo "== unit and integration tests (vitest)"
# the PostgreSQL test runs on its own below, once, whatever the caller's environment says
env -u TEST_DATABASE_URL npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
[ $? -eq 0 ] || status=1
if [ -f test-results/vitest.json ]; then
  read -r vp vf < <(node scripts/vitest-counts.cjs test-results/vitest.json)
  passed=$((passed + vp)); failed=$((failed + vf))
else
  failed=$((failed + 1))
fi

echo "== the migration flow on PostgreSQL (production's database)"
# installs PostgreSQL if missing, starts it on 127.0.0.1 and prints the URL last; it is left running
rm -f test-results/vitest-pg.json
if DB_URL=$(set -o pipefail; bash scripts/ensure-postgres.sh | tail -1) && [[ "$DB_URL" == postgresql://* ]]; then
  TEST_DATABASE_URL=$DB_URL npx vitest run --project node e2e/flow/migration-flow.postgres.test.ts \
    --reporter=default --reporter=json --outputFile.json=test-results/vitest-pg.json
  [ $? -eq 0 ] || status=1
  if [ -f test-results/vitest-pg.json ]; then
    read -r pp pf < <(node scripts/vitest-counts.cjs test-results/vitest-pg.json)
    # a run that passed nothing (skipped, or no test found) must not look green
    if [ "$((pp + pf))" -eq 0 ]; then echo "FAILED: the PostgreSQL test ran no test"; pf=1; fi
    passed=$((passed + pp)); failed=$((failed + pf))
  else
    echo "FAILED: the PostgreSQL test wrote no report"
    failed=$((failed + 1)); status=1
  fi
else
  echo "FAILED: PostgreSQL could not be installed or started (scripts/ensure-postgres.sh; log /tmp/ensure-postgres.log), so the migration flow was not tested on it"
  failed=$((failed + 1)); status=1
fi

echo "== reliability report"
npx tsx scripts/reliability-report.ts || true

if [ -f scripts/test-e2e.sh ]; then
  echo "== end-to-end tests (Playwright, Chromium)"
  bash scripts/test-e2e.sh
  [ $? -eq 0 ] || status=1
  if [ -f test-results/e2e.json ]; then
    read -r ep ef < <(node -e 'const r=require("./test-results/e2e.json");console.log(r.stats.expected, r.stats.unexpected + r.stats.flaky)')
    passed=$((passed + ep)); failed=$((failed + ef))
  fi
fi

[ "$failed" -eq 0 ] || status=1
echo "${passed} passed, ${failed} failed"
exit $status
