/**
 * Reliability tests record what they tried and what survived; `scripts/reliability-report.ts`
 * prints the totals at the end of `npm test`. A record is written only after the test's own
 * assertions passed, so the report never counts a case that did not hold.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'

export const RELIABILITY_AREAS = {
  xml: 'bad XML inputs rejected cleanly',
  source: 'source faults injected and survived',
  process: 'process kills survived',
  concurrency: 'concurrent / repeated actions kept consistent',
  ssrf: 'forbidden shop addresses refused',
  credentials: 'credential checks',
  permissions: 'permission cases answered right',
  requests: 'generated requests answered with the envelope, no 500',
} as const
export type ReliabilityArea = keyof typeof RELIABILITY_AREAS

export interface ReliabilityRecord {
  area: ReliabilityArea
  /** what was tried, in a few words */
  case: string
  /** how many attempts this record stands for (property tests: many) */
  count?: number
  /** the losses the test measured (all must be 0 for the test to pass; recorded as measured) */
  customersLost?: number
  customersDuplicated?: number
  mailsSentTwice?: number
  credentialLeaks?: number
}

export const RELIABILITY_DIR = process.env.RELIABILITY_DIR ?? path.resolve(import.meta.dirname, '../../../test-results/reliability')

export function recordReliability(r: ReliabilityRecord): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true })
  appendFileSync(path.join(RELIABILITY_DIR, `${process.pid}.jsonl`), `${JSON.stringify({ count: 1, ...r })}\n`)
}
