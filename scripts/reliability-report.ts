/** Prints the reliability report from the records the tests wrote (backend/src/testing/reliability.ts). */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { RELIABILITY_AREAS, RELIABILITY_DIR, type ReliabilityArea, type ReliabilityRecord } from '../backend/src/testing/reliability.ts'

const records: ReliabilityRecord[] = existsSync(RELIABILITY_DIR)
  ? readdirSync(RELIABILITY_DIR)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(path.join(RELIABILITY_DIR, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReliabilityRecord))
  : []

const sum = (k: keyof ReliabilityRecord) => records.reduce((s, r) => s + (Number(r[k]) || 0), 0)
console.log('== Reliability report')
for (const area of Object.keys(RELIABILITY_AREAS) as ReliabilityArea[]) {
  const mine = records.filter((r) => r.area === area)
  const n = mine.reduce((s, r) => s + (r.count ?? 1), 0)
  console.log(`${RELIABILITY_AREAS[area].padEnd(52)} ${String(n).padStart(6)}  (${mine.length} cases)`)
}
console.log(`${'customers lost'.padEnd(52)} ${String(sum('customersLost')).padStart(6)}`)
console.log(`${'customers duplicated'.padEnd(52)} ${String(sum('customersDuplicated')).padStart(6)}`)
console.log(`${'mails sent twice'.padEnd(52)} ${String(sum('mailsSentTwice')).padStart(6)}`)
console.log(`${'credential leaks'.padEnd(52)} ${String(sum('credentialLeaks')).padStart(6)}`)
if (records.length === 0) console.log('(no reliability records: were the tests run?)')
