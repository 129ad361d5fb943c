/**
 * The recorder in a real vitest: a child run of reliability.fixture.spec.ts (one case passes, one
 * fails after measuring a loss, two share their inputs) writes one record per case, the failed
 * one with its error and its figures.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readReliabilityRecords, type ReliabilityRecord } from './reliability-record.ts'
import { makeTempDir, removeTempDir } from './temp-dir.ts'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const FIXTURE = 'backend/src/testing/reliability.fixture.spec.ts'
const dir = makeTempDir('reliability-recorder-')
afterAll(() => removeTempDir(dir))

/** vitest's own config holds the suite's projects; the child runs the fixture alone, without one */
const CHILD = `
import { startVitest } from 'vitest/node'
const v = await startVitest('test', [${JSON.stringify(FIXTURE)}], { config: false, watch: false, include: [${JSON.stringify(FIXTURE)}] })
await v?.close()
`

let records: ReliabilityRecord[] = []
let childStatus: number | null = null
beforeAll(() => {
  // the parent's worker variables would make the child think it is a worker itself
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')))
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    env: { ...env, RELIABILITY_FIXTURE: '1', RELIABILITY_DIR: dir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  childStatus = child.status
  records = readReliabilityRecords(dir)
  if (records.length === 0) throw new Error(`the fixture run wrote no record (exit ${child.status}):\n${child.stdout}\n${child.stderr}`)
}, 90_000)

describe('reliabilityCase', () => {
  it('the fixture run failed, as it should', () => {
    expect(childStatus).toBe(1)
  })

  it('writes one record per case, passed or failed, with the test file', () => {
    expect(records.map((r) => [r.case, r.passed])).toEqual([
      ['fixture: the shared files, one verifier', true],
      ['fixture: the shared files, another verifier', true],
      ['fixture: two clicks lose customers', false],
    ])
    expect(new Set(records.map((r) => r.file))).toEqual(new Set([FIXTURE]))
  })

  it('a failed case keeps its error, the figures measured before the assertion and those counted at its end', () => {
    const failed = records.find((r) => !r.passed)!
    expect(failed).toMatchObject({ area: 'concurrency', tried: 2, customersLost: 3, customersDuplicated: 0, mailsSentTwice: 1 })
    expect(failed.error).toMatch(/customers lost: expected 3 to be \+?0/)
  })

  it('a figure the test did not measure is absent, not 0', () => {
    const failed = records.find((r) => !r.passed)!
    expect('credentialLeaks' in failed).toBe(false)
    expect(records.every((r) => !('customersLost' in r) || r.area === 'concurrency')).toBe(true)
  })

  it('cases sharing inputs carry the same inputKey', () => {
    expect(records.filter((r) => r.inputKey === 'fixture-files').map((r) => [r.tried, r.rejected])).toEqual([
      [10, 10],
      [10, 9],
    ])
  })
})
