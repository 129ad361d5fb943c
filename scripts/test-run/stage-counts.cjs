// Prints "passed failed" for one test stage of scripts/test-all.sh, and on stderr why a stage
// counts failures its runner did not report. Usage:
//   node stage-counts.cjs vitest <tally.json> <exit code>
//   node stage-counts.cjs playwright <e2e.json> <exit code>
// Rules: a missing report, an unhandled error, a file or global setup that failed outside any
// test each count as one failure; a runner that exited non-zero with no failure counted adds
// one; a stage that ran no test counts as one failure.
const fs = require('node:fs')
const [kind, file, exitArg] = process.argv.slice(2)
const exit = Number(exitArg)
const why = []
let passed = 0
let failed = 0
if (!fs.existsSync(file)) {
  why.push(`no report at ${file} (the runner died before it wrote one)`)
  failed = 1
} else if (kind === 'vitest') {
  const t = JSON.parse(fs.readFileSync(file, 'utf8'))
  passed = t.passed
  failed = t.failed + t.fileErrors.length + t.unhandledErrors.length
  for (const f of t.failedTests) why.push(`failed: ${f}`)
  for (const f of t.fileErrors) why.push(`file failed outside its tests: ${f}`)
  for (const e of t.unhandledErrors) why.push(`unhandled error: ${e}`)
  if (t.reason === 'interrupted') {
    why.push('the run was interrupted')
    failed++
  }
} else if (kind === 'playwright') {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'))
  passed = r.stats.expected
  failed = r.stats.unexpected + r.stats.flaky
  for (const e of r.errors || []) why.push(`error outside any test: ${(e.message || '').split('\n')[0]}`)
  failed += (r.errors || []).length
} else {
  throw new Error(`unknown kind ${kind}`)
}
if (passed + failed === 0) {
  why.push('ran no test')
  failed = 1
}
if (exit !== 0 && failed === 0) {
  why.push(`the runner exited with ${exit} but reported no failure`)
  failed = 1
}
for (const w of why) console.error(`  ${kind}: ${w}`)
console.log(passed, failed)
