/**
 * Prints the reliability report from the records the tests wrote (backend/src/testing/reliability.ts):
 * per area the cases passed and failed and the inputs tried and rejected, the losses the tests
 * measured, and every failed case by name. Exits 1 when a case failed, when a listed file wrote no
 * record (it died before its tests ran), or when there is no record at all.
 */
import { pathToFileURL } from 'node:url'
import {
  LOSS_FIELDS,
  RELIABILITY_AREAS,
  readReliabilityRecords,
  type LossField,
  type ReliabilityArea,
  type ReliabilityRecord,
} from '../backend/src/testing/reliability-record.ts'
import { RELIABILITY_FILES } from './test-run/reliability-files.ts'

/** inputs counted once: records sharing an inputKey count as their largest figure */
function inputs(records: ReliabilityRecord[], field: 'tried' | 'rejected'): number {
  const byKey = new Map<string, number>()
  let total = 0
  for (const r of records) {
    const n = r[field] ?? 0
    if (r.inputKey) byKey.set(r.inputKey, Math.max(byKey.get(r.inputKey) ?? 0, n))
    else total += n
  }
  return [...byKey.values()].reduce((s, n) => s + n, total)
}

const figures = (r: ReliabilityRecord) =>
  [
    r.tried !== undefined ? `tried ${r.tried}` : '',
    r.rejected !== undefined ? `rejected ${r.rejected}` : '',
    ...(Object.keys(LOSS_FIELDS) as LossField[]).filter((k) => r[k] !== undefined).map((k) => `${LOSS_FIELDS[k]} ${r[k]}`),
    r.detail ?? '',
  ]
    .filter(Boolean)
    .join(', ')

const row = (label: string, ...cells: Array<string | number>) => `${label.padEnd(52)}${cells.map((c) => String(c).padStart(9)).join('')}`

export function reliabilityReport(records: ReliabilityRecord[], expectedFiles: readonly string[]): { text: string; ok: boolean } {
  const failed = records.filter((r) => !r.passed)
  const files = new Set(records.map((r) => r.file).filter(Boolean))
  const silent = expectedFiles.filter((f) => !files.has(f))
  const out = [`== Reliability report: ${records.length} cases from ${files.size} files, ${records.length - failed.length} passed, ${failed.length} failed`]
  out.push(row('', 'passed', 'failed', 'inputs', 'rejected'))
  for (const area of Object.keys(RELIABILITY_AREAS) as ReliabilityArea[]) {
    const mine = records.filter((r) => r.area === area)
    const bad = mine.filter((r) => !r.passed).length
    const rejected = mine.some((r) => r.rejected !== undefined) ? inputs(mine, 'rejected') : '-'
    out.push(row(RELIABILITY_AREAS[area], mine.length - bad, bad, inputs(mine, 'tried'), rejected))
  }
  out.push(row('losses counted by the tests', 'total', 'cases'))
  for (const [k, label] of Object.entries(LOSS_FIELDS) as Array<[LossField, string]>) {
    const measured = records.filter((r) => r[k] !== undefined)
    out.push(row(label, measured.reduce((s, r) => s + r[k]!, 0), measured.length))
  }
  if (failed.length) {
    out.push(`FAILED (${failed.length}):`)
    for (const r of failed) {
      out.push(`  ✗ [${r.area}] ${r.case}${r.file ? `  (${r.file})` : ''}`)
      out.push(`      ${r.error ?? 'no error message'}`)
      const f = figures(r)
      if (f) out.push(`      measured: ${f}`)
    }
  }
  if (silent.length) out.push(`files that wrote no record (did they run?):`, ...silent.map((f) => `  ✗ ${f}`))
  // one run writes each case once: more means records of several runs are mixed and add up
  const seen = new Set<string>()
  const repeated = records.filter((r) => seen.size === seen.add(`${r.file}\n${r.case}`).size).length
  if (repeated) out.push(`note: ${repeated} records repeat a case of the same file: records of more than one run? (empty test-results/reliability first)`)
  if (records.length === 0) out.push('(no reliability records: were the tests run?)')
  return { text: out.join('\n'), ok: records.length > 0 && failed.length === 0 && silent.length === 0 }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { text, ok } = reliabilityReport(readReliabilityRecords(), RELIABILITY_FILES)
  console.log(text)
  process.exitCode = ok ? 0 : 1
}
