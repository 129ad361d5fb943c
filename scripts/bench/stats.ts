/**
 * Pure helpers of the bench: arguments, percentiles, rates and ratios, the result's JSON shape
 * and the human lines. No I/O here, so scripts/bench/stats.test.ts can pin them.
 */

export const PLATFORMS = ['shoper', 'woocommerce', 'prestashop', 'shopify', 'magento2'] as const
export type BenchPlatform = (typeof PLATFORMS)[number]

export interface BenchArgs {
  customers: number
  database: 'sqlite' | 'postgres'
  platform: BenchPlatform
  keep: boolean
  only: string | null
}

export function parseArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = { customers: 100_000, database: 'sqlite', platform: 'shoper', keep: false, only: null }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    // `--name value` and `--name=value` both work
    const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined) throw new Error(`${name} needs a value`)
      return v
    }
    if (name === '--customers') {
      const n = Number(value().replace(/_/g, ''))
      if (!Number.isInteger(n) || n < 1) throw new Error(`--customers must be a positive integer`)
      out.customers = n
    } else if (name === '--database') {
      const v = value()
      if (v !== 'sqlite' && v !== 'postgres') throw new Error(`--database must be sqlite or postgres, got ${v}`)
      out.database = v
    } else if (name === '--platform') {
      const v = value()
      const p = PLATFORMS.find((x) => x === v)
      if (!p) throw new Error(`--platform must be one of ${PLATFORMS.join(', ')}, got ${v}`)
      out.platform = p
    } else if (name === '--keep') out.keep = true
    else if (name === '--only') out.only = value()
    else throw new Error(`unknown argument ${a} (known: --customers N, --database sqlite|postgres, --platform ${PLATFORMS.join('|')}, --keep, --only shoper-throttled)`)
  }
  return out
}

/** nearest-rank percentile (p in 0..100) of unsorted samples; 0 for none */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export const perSecond = (count: number, seconds: number) => (seconds > 0 ? count / seconds : 0)

/** a stage's rate over its bare limit's rate; 0 when either is unknown */
export const ratioOf = (rate: number, bareRate: number) => (rate > 0 && bareRate > 0 ? rate / bareRate : 0)

export const round = (n: number, digits = 2) => {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

export const MB = 1024 * 1024

export interface StageFigures {
  seconds: number
  perSecond: number
  ratio: number
  [extra: string]: unknown
}

export const STAGE_NAMES = ['fetch', 'verify', 'buffer', 'import', 'notify'] as const
export type StageName = (typeof STAGE_NAMES)[number]

export interface BenchResult {
  customers: number
  database: 'sqlite' | 'postgresql'
  peakRssMB: number
  stages: Record<StageName, StageFigures>
  lists: { p50ms: number; p95ms: number; requests: number; [extra: string]: unknown }
  remote: { initialGzipKB: number; lazyGzipKB: number; [extra: string]: unknown }
  [extra: string]: unknown
}

/** a stage's figures: its own count and seconds against the bare limit's count and seconds */
export function stageFigures(count: number, seconds: number, bare: { count: number; seconds: number } | null, extra: Record<string, unknown> = {}): StageFigures {
  const rate = perSecond(count, seconds)
  const bareRate = bare ? perSecond(bare.count, bare.seconds) : 0
  return {
    seconds: round(seconds, 3),
    perSecond: round(rate, 1),
    ratio: round(ratioOf(rate, bareRate), 3),
    count,
    ...(bare ? { bare: { seconds: round(bare.seconds, 3), perSecond: round(bareRate, 1), count: bare.count } } : {}),
    ...extra,
  }
}

/** the required keys of the last line, so a change that drops one fails the unit test */
export function checkResultShape(r: unknown): string[] {
  const problems: string[] = []
  const o = r as Record<string, unknown>
  const num = (v: unknown, at: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${at} is not a finite number`)
  }
  if (!o || typeof o !== 'object') return ['not an object']
  num(o.customers, 'customers')
  if (o.database !== 'sqlite' && o.database !== 'postgresql') problems.push('database is not sqlite|postgresql')
  num(o.peakRssMB, 'peakRssMB')
  const stages = o.stages as Record<string, Record<string, unknown>> | undefined
  for (const s of STAGE_NAMES) {
    const st = stages?.[s]
    if (!st) {
      problems.push(`stages.${s} missing`)
      continue
    }
    for (const k of ['seconds', 'perSecond', 'ratio']) num(st[k], `stages.${s}.${k}`)
  }
  const lists = o.lists as Record<string, unknown> | undefined
  for (const k of ['p50ms', 'p95ms', 'requests']) num(lists?.[k], `lists.${k}`)
  const remote = o.remote as Record<string, unknown> | undefined
  for (const k of ['initialGzipKB', 'lazyGzipKB']) num(remote?.[k], `remote.${k}`)
  return problems
}

const fmtRate = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1))

/** one human line per stage: seconds, rate, the bare rate and the ratio */
export function stageLine(name: string, unit: string, s: StageFigures): string {
  const bare = s.bare as { seconds: number; perSecond: number } | undefined
  const mbps = typeof s.mbPerSecond === 'number' ? `, ${s.mbPerSecond.toFixed(1)} MB/s` : ''
  const bareMbps = typeof s.bareMbPerSecond === 'number' ? `, ${s.bareMbPerSecond.toFixed(1)} MB/s` : ''
  const rss = typeof s.hostPeakRssMB === 'number' ? `; host peak RSS so far ${s.hostPeakRssMB} MB` : ''
  const head = `${name.padEnd(7)} ${s.seconds.toFixed(2).padStart(8)} s  ${fmtRate(s.perSecond).padStart(9)} ${unit}/s${mbps}`
  const tail = bare ? ` | bare ${bare.seconds.toFixed(2)} s, ${fmtRate(bare.perSecond)} ${unit}/s${bareMbps} | ratio ${s.ratio.toFixed(3)}` : ' | no bare limit'
  return head + tail + rss
}
