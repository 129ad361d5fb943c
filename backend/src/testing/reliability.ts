/**
 * A reliability case, opened at the start of a test body, writes one record when the test ends,
 * passed or failed. The test feeds it what it measured before it asserts, so a failing case is
 * recorded with the figures that made it fail. `scripts/reliability-report.ts` prints the totals.
 *
 *   const rc = reliabilityCase('xml', 'a truncated file')
 *   const result = await verify(file)
 *   rc.tried(1)
 *   if (!result.ok) rc.rejected(1)
 *   expect(result.ok).toBe(false)
 *
 * Test files that open cases are listed in scripts/test-run/reliability-files.ts.
 */
import { onTestFinished } from 'vitest'
import { LOSS_FIELDS, writeReliabilityRecord, type Losses, type ReliabilityArea, type ReliabilityRecord } from './reliability-record.ts'

export { RELIABILITY_AREAS, RELIABILITY_DIR, type ReliabilityArea, type ReliabilityRecord } from './reliability-record.ts'

export interface ReliabilityCase {
  /** inputs tried (requests sent, files verified, calls made) */
  tried(n?: number): void
  /** inputs the product refused, counted from its answers */
  rejected(n?: number): void
  /** losses counted by the test; a figure not passed stays unmeasured (never written as 0) */
  measure(losses: Losses): void
  /**
   * losses counted when the test ends, passed or failed, just before the record is written: for a
   * long scenario whose assertions are spread through it (read the database, not a host that may be gone)
   */
  atEnd(count: () => Losses | Promise<Losses>): void
  /** figures to print next to the case, e.g. peak memory */
  note(detail: string): void
}

/** the first lines of an error: enough to name the failure in a report */
const short = (message: string) => message.split('\n').slice(0, 3).join(' ').slice(0, 400)

export function reliabilityCase(area: ReliabilityArea, name: string, opts: { inputKey?: string } = {}): ReliabilityCase {
  const record: Omit<ReliabilityRecord, 'passed'> = { area, case: name, ...(opts.inputKey ? { inputKey: opts.inputKey } : {}) }
  const count = (n: number, what: string) => {
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`reliability ${what} must be a whole number ≥ 0, got ${n}`)
    return n
  }
  // registered first, it runs last (onTestFinished hooks run as a stack): it sees the final state,
  // a failure of an atEnd count included
  onTestFinished((ctx) => {
    const result = ctx.task.result
    const passed = result?.state === 'pass'
    const error = result?.errors?.[0]
    writeReliabilityRecord({
      ...record,
      file: ctx.task.file.name,
      passed,
      ...(passed ? {} : { error: short(error?.message ?? `ended as ${result?.state ?? 'unknown'}`) }),
    })
  })
  const rc: ReliabilityCase = {
    tried: (n = 1) => void (record.tried = (record.tried ?? 0) + count(n, 'tried')),
    rejected: (n = 1) => void (record.rejected = (record.rejected ?? 0) + count(n, 'rejected')),
    measure: (losses) => {
      for (const [k, v] of Object.entries(losses)) {
        if (!(k in LOSS_FIELDS)) throw new TypeError(`unknown loss figure ${k}`)
        if (v !== undefined) record[k as keyof Losses] = count(v, k)
      }
    },
    // registered after the writer, so it runs before it
    atEnd: (fn) => onTestFinished(async () => rc.measure(await fn())),
    note: (detail) => void (record.detail = detail),
  }
  return rc
}
