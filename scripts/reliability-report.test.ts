/** The reliability report: what it counts, what it names, and its exit code. */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ReliabilityRecord } from '../backend/src/testing/reliability-record.ts'
import { makeTempDir, removeTempDir } from '../backend/src/testing/temp-dir.ts'
import { reliabilityReport } from './reliability-report.ts'
import { RELIABILITY_FILES } from './test-run/reliability-files.ts'

const W3C = { area: 'xml', inputKey: 'w3c', file: 'x.test.ts', passed: true } as const
const records: ReliabilityRecord[] = [
  { ...W3C, case: 'W3C files, customer verifier', tried: 1326, rejected: 1326 },
  { ...W3C, case: 'W3C files, syntax layer', tried: 1326, rejected: 1312 },
  { area: 'xml', case: 'random damage', file: 'x.test.ts', passed: true, tried: 1000, rejected: 640 },
  { area: 'concurrency', case: 'two clicks', file: 'y.test.ts', passed: false, error: 'expected 3 to be 0', tried: 2, customersLost: 3, customersDuplicated: 0 },
  { area: 'credentials', case: 'search', file: 'y.test.ts', passed: true, credentialLeaks: 0 },
]
const lineOf = (text: string, label: string) => text.split('\n').find((l) => l.startsWith(label))!.slice(label.length).trim().split(/\s+/)

describe('reliabilityReport', () => {
  const { text, ok } = reliabilityReport(records, ['x.test.ts', 'y.test.ts'])

  it('fails and names the failed case with its error and figures', () => {
    expect(ok).toBe(false)
    expect(text).toContain('1 failed')
    expect(text).toMatch(/✗ \[concurrency\] two clicks {2}\(y\.test\.ts\)\n {6}expected 3 to be 0\n {6}measured: tried 2, customers lost 3, customers duplicated 0/)
  })

  it('counts inputs sharing an inputKey once, at their largest figure', () => {
    // 1326 once + 1000; rejected 1326 once + 640
    expect(lineOf(text, 'bad XML inputs rejected cleanly')).toEqual(['3', '0', '2326', '1966'])
    expect(lineOf(text, 'concurrent / repeated actions kept consistent')).toEqual(['0', '1', '2', '-'])
  })

  it('sums the losses measured, with how many cases measured each', () => {
    expect(lineOf(text, 'customers lost')).toEqual(['3', '1'])
    expect(lineOf(text, 'customers duplicated')).toEqual(['0', '1'])
    expect(lineOf(text, 'mails sent twice')).toEqual(['0', '0'])
    expect(lineOf(text, 'credential leaks')).toEqual(['0', '1'])
  })

  it('passes when every case passed and every listed file wrote a record', () => {
    expect(reliabilityReport(records.filter((r) => r.passed), ['x.test.ts', 'y.test.ts']).ok).toBe(true)
  })

  it('notes records that repeat a case (several runs mixed)', () => {
    expect(text).not.toContain('repeat a case')
    expect(reliabilityReport([...records, records[2]!], ['x.test.ts', 'y.test.ts']).text).toContain('note: 1 records repeat a case of the same file')
  })

  it('fails on a listed file without a record, and on no record at all', () => {
    const silent = reliabilityReport(records.filter((r) => r.passed), ['x.test.ts', 'y.test.ts', 'z.test.ts'])
    expect(silent.ok).toBe(false)
    expect(silent.text).toContain('✗ z.test.ts')
    expect(reliabilityReport([], []).ok).toBe(false)
  })
})

describe('scripts/reliability-report.ts', () => {
  const dir = makeTempDir('reliability-report-')
  afterAll(() => removeTempDir(dir))
  const run = (recs: ReliabilityRecord[]) => {
    writeFileSync(path.join(dir, '1.jsonl'), recs.map((r) => JSON.stringify(r)).join('\n'))
    try {
      return { code: 0, out: execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'reliability-report.ts')], { env: { ...process.env, RELIABILITY_DIR: dir }, encoding: 'utf8' }) }
    } catch (e) {
      const err = e as { status: number; stdout: string }
      return { code: err.status, out: err.stdout }
    }
  }
  const everyFile = RELIABILITY_FILES.map((file): ReliabilityRecord => ({ area: 'xml', case: `ran ${file}`, file, passed: true, tried: 1 }))

  it('exits 1 and names the failed case', () => {
    const r = run([...everyFile, { ...records[3]!, file: RELIABILITY_FILES[0] }])
    expect(r.code).toBe(1)
    expect(r.out).toContain('✗ [concurrency] two clicks')
  })

  it('exits 0 when every listed file wrote records and every case passed', () => {
    const r = run(everyFile)
    expect(r.out).toContain(`${everyFile.length} passed, 0 failed`)
    expect(r.code).toBe(0)
  })
})
