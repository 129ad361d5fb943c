// Reads vitest's JSON report and prints "passed failed". A file that failed outside any test
// (a hook timing out, an import error) counts as one failure, so it can never hide.
const r = require(require('node:path').resolve(process.argv[2]))
let failed = r.numFailedTests + (r.numRuntimeErrors || 0)
for (const f of r.testResults || []) {
  const failedInside = (f.assertionResults || []).some((a) => a.status === 'failed')
  if (f.status === 'failed' && !failedInside) failed++
}
console.log(r.numPassedTests, failed)
