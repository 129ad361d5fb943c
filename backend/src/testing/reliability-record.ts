/**
 * What one reliability case leaves behind: one JSON line per case that ran, passed or failed,
 * with the figures the test measured. Written by `reliability.ts` (inside vitest), read by
 * `scripts/reliability-report.ts` (outside it), so nothing here imports vitest.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
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

/** losses counted from the database, the outbox, the files, the logs; absent when not measured */
export const LOSS_FIELDS = {
  customersLost: 'customers lost',
  customersDuplicated: 'customers duplicated',
  mailsSentTwice: 'mails sent twice',
  credentialLeaks: 'credential leaks',
} as const
export type LossField = keyof typeof LOSS_FIELDS
export type Losses = Partial<Record<LossField, number>>

export interface ReliabilityRecord extends Losses {
  area: ReliabilityArea
  /** what was tried, in a few words */
  case: string
  /** the test file, relative to the repository root */
  file?: string
  passed: boolean
  /** the first error of a failed case */
  error?: string
  /** inputs used by several cases (the same files, two verifiers) are counted once: max per key */
  inputKey?: string
  /** inputs this case tried, and how many of them the product refused */
  tried?: number
  rejected?: number
  /** figures worth reading next to the case (peak memory, counts) */
  detail?: string
}

export const RELIABILITY_DIR = process.env.RELIABILITY_DIR ?? path.resolve(import.meta.dirname, '../../../test-results/reliability')

export function writeReliabilityRecord(record: ReliabilityRecord, dir = RELIABILITY_DIR): void {
  mkdirSync(dir, { recursive: true })
  appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify(record)}\n`)
}

export function readReliabilityRecords(dir = RELIABILITY_DIR): ReliabilityRecord[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReliabilityRecord))
}
