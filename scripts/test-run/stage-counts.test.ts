/** The counting rules of the closing line "N passed, N failed" (scripts/test-all.sh). */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeTempDir } from '../../backend/src/testing/temp-dir.ts'

const dir = makeTempDir('stage-counts-')
afterAll(() => removeTempDir(dir))
const SCRIPT = path.join(import.meta.dirname, 'stage-counts.cjs')

function counts(kind: 'vitest' | 'playwright', report: unknown, exit = 0): { passed: number; failed: number } {
  const file = path.join(dir, `${kind}-${Math.random().toString(36).slice(2)}.json`)
  if (report !== undefined) writeFileSync(file, JSON.stringify(report))
  const [passed, failed] = execFileSync('node', [SCRIPT, kind, file, String(exit)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split(' ').map(Number)
  return { passed: passed!, failed: failed! }
}
const tally = (t: Partial<Record<string, unknown>>) => ({ passed: 0, failed: 0, skipped: 0, fileErrors: [], unhandledErrors: [], failedTests: [], reason: 'passed', ...t })
const pw = (stats: Partial<Record<string, number>>, errors: unknown[] = []) => ({ stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0, ...stats }, errors })

describe('vitest stage', () => {
  it('counts passed and failed tests as reported', () => {
    expect(counts('vitest', tally({ passed: 10, failed: 2, reason: 'failed' }), 1)).toEqual({ passed: 10, failed: 2 })
  })
  it('an unhandled error is a failure even when every test passed', () => {
    expect(counts('vitest', tally({ passed: 10, unhandledErrors: ['Error: boom'] }), 1)).toEqual({ passed: 10, failed: 1 })
  })
  it('a file that failed outside its tests is a failure', () => {
    expect(counts('vitest', tally({ passed: 3, fileErrors: ['a.test.ts: connect ECONNREFUSED'] }), 1)).toEqual({ passed: 3, failed: 1 })
  })
  it('a runner that exited non-zero with nothing failed counts one failure', () => {
    expect(counts('vitest', tally({ passed: 5 }), 1)).toEqual({ passed: 5, failed: 1 })
  })
  it('a stage that ran no test counts one failure', () => {
    expect(counts('vitest', tally({ skipped: 4 }), 0)).toEqual({ passed: 0, failed: 1 })
  })
  it('a missing report counts one failure', () => {
    expect(counts('vitest', undefined, 1)).toEqual({ passed: 0, failed: 1 })
  })
})

describe('playwright stage', () => {
  it('counts expected, unexpected and flaky', () => {
    expect(counts('playwright', pw({ expected: 14, unexpected: 1, flaky: 1 }), 1)).toEqual({ passed: 14, failed: 2 })
  })
  it('a global setup that threw (errors[], no test run) is a failure', () => {
    expect(counts('playwright', pw({}, [{ message: 'Error: global setup broke' }]), 1)).toEqual({ passed: 0, failed: 1 })
  })
})
