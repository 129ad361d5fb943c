import { describe, expect, it } from 'vitest'
import { staticImports } from './remote.ts'
import { checkResultShape, parseArgs, percentile, ratioOf, stageFigures, STAGE_NAMES, type BenchResult } from './stats.ts'

describe('bench helpers', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    expect(percentile(xs, 50)).toBe(5)
    expect(percentile(xs, 95)).toBe(10)
    expect(percentile(xs, 0)).toBe(1)
    expect(percentile([], 50)).toBe(0)
    expect(percentile([42], 95)).toBe(42)
    expect(xs[0]).toBe(5) // not sorted in place
  })

  it('divides a stage rate by its bare rate, 0 when either is unknown', () => {
    expect(ratioOf(50, 200)).toBe(0.25)
    expect(ratioOf(0, 200)).toBe(0)
    expect(ratioOf(50, 0)).toBe(0)
    const s = stageFigures(1_000, 4, { count: 1_000, seconds: 1 }, { wallSeconds: 4.2 })
    expect(s).toMatchObject({ seconds: 4, perSecond: 250, ratio: 0.25, count: 1_000, wallSeconds: 4.2, bare: { seconds: 1, perSecond: 1_000 } })
    expect(stageFigures(10, 1, null).ratio).toBe(0)
  })

  it('reads the arguments, with defaults and both spellings', () => {
    expect(parseArgs([])).toEqual({ customers: 100_000, database: 'sqlite', platform: 'shoper', keep: false, only: null })
    expect(parseArgs(['--customers', '2000', '--database=postgres', '--platform', 'prestashop', '--keep'])).toEqual({ customers: 2_000, database: 'postgres', platform: 'prestashop', keep: true, only: null })
    expect(parseArgs(['--customers=1_000_000']).customers).toBe(1_000_000)
    expect(parseArgs(['--only', 'shoper-throttled']).only).toBe('shoper-throttled')
    expect(() => parseArgs(['--customers', '0'])).toThrow()
    expect(() => parseArgs(['--database', 'mysql'])).toThrow()
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument/)
  })

  it('checks the last line has the issue shape', () => {
    const stage = { seconds: 1, perSecond: 1, ratio: 1 }
    const ok: BenchResult = {
      customers: 1_000_000,
      database: 'sqlite',
      peakRssMB: 0,
      stages: Object.fromEntries(STAGE_NAMES.map((n) => [n, { ...stage }])) as BenchResult['stages'],
      lists: { p50ms: 0, p95ms: 0, requests: 0 },
      remote: { initialGzipKB: 0, lazyGzipKB: 0 },
    }
    expect(checkResultShape(JSON.parse(JSON.stringify(ok)))).toEqual([])
    const bad = JSON.parse(JSON.stringify(ok)) as Record<string, Record<string, unknown>>
    delete bad.stages!.notify
    bad.lists!.p95ms = null
    expect(checkResultShape(bad)).toEqual(['stages.notify missing', 'lists.p95ms is not a finite number'])
    expect(Object.keys(ok)).toEqual(['customers', 'database', 'peakRssMB', 'stages', 'lists', 'remote'])
  })

  it('finds the static imports of a built chunk, not the dynamic ones', () => {
    const code = 'import{t as e}from"./assets/dist-A.js";import"./b.js";\nexport{x}from"../c.js";const l=()=>import(`./assets/lazy.js`);import("./lazy2.js")'
    expect(staticImports(code)).toEqual(['./assets/dist-A.js', './b.js', '../c.js'])
  })
})
