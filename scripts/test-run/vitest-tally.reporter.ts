/**
 * A vitest reporter that writes what really ran to $VITEST_TALLY_FILE: tests passed, failed and
 * skipped, files that failed outside any test (an import error, a hook), and unhandled errors —
 * vitest's JSON report says `success: true` beside an unhandled rejection, this one does not.
 * scripts/test-run/stage-counts.cjs turns it into the counts of the closing line.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node'

export interface VitestTally {
  passed: number
  failed: number
  skipped: number
  /** files that failed with no failed test inside (import error, hook timeout) */
  fileErrors: string[]
  unhandledErrors: string[]
  failedTests: string[]
  reason: TestRunEndReason
}

export default class VitestTallyReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const file = process.env.VITEST_TALLY_FILE
    if (!file) return
    const tally: VitestTally = { passed: 0, failed: 0, skipped: 0, fileErrors: [], unhandledErrors: [], failedTests: [], reason }
    for (const m of modules) {
      let failedInside = false
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'passed') tally.passed++
        else if (state === 'failed') {
          tally.failed++
          failedInside = true
          tally.failedTests.push(`${m.moduleId}: ${t.fullName}`)
        } else tally.skipped++
      }
      // a beforeAll that threw fails its suite, not a test: name the error either way
      const errors = [...m.errors(), ...[...m.children.allSuites()].flatMap((s) => s.errors())]
      if (!failedInside && (m.state() === 'failed' || errors.length > 0)) {
        tally.fileErrors.push(`${m.moduleId}: ${[...new Set(errors.map((e) => e.message))].join('; ') || 'failed outside its tests'}`)
      }
    }
    for (const e of unhandled) tally.unhandledErrors.push(`${e.name ?? 'Error'}: ${e.message}`)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify(tally, null, 2))
  }
}
