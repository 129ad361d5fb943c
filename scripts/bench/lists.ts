/**
 * List latency while "import all" runs: one request at a time (as one admin paging), spread over
 * the buffer list (state filter, error-code filter, search) and the imported list (search), each
 * on a random page: the first, or a keyset cursor an earlier answer of that kind handed out.
 * MIN_REQUESTS back to back; if the import still runs then, one more every LATER_GAP_MS until it
 * ends (the later, fuller buffer gets sampled without the lists eating the import's time). When
 * the import ends first, the rest run on the idle host and are counted apart (`underLoad`).
 * Seeded, so two runs ask the same things.
 */
import { performance } from 'node:perf_hooks'
import { CITIES, prng, SURNAMES } from '../../backend/src/connectors/demo/demo-pools.ts'
import type { PanelClient } from '../../e2e/flow/panel-client.ts'
import { percentile, round } from './stats.ts'

export const MIN_REQUESTS = 200
const LATER_GAP_MS = 2_000

interface Kind {
  name: string
  path: (pick: <T>(xs: readonly T[]) => T) => string
}

const lower = (s: string) => s.toLowerCase()
const TERMS = [...SURNAMES.map(([m]) => lower(m).slice(0, 6)), ...CITIES.map(([c]) => lower(c)), 'example.net', 'firma']

const KINDS: Kind[] = [
  { name: 'buffer state=pending', path: () => 'buffer?state=pending' },
  { name: 'buffer state=failed', path: () => 'buffer?state=failed' },
  { name: 'buffer errorCode', path: (pick) => `buffer?errorCode=${pick(['POSTCODE_INVALID', 'PHONE_INVALID', 'EMAIL_DUPLICATE_IN_FILE,EMAIL_TAKEN', 'FIRSTNAME_MISSING,LASTNAME_MISSING'])}` },
  { name: 'buffer search', path: (pick) => `buffer?q=${encodeURIComponent(pick(TERMS))}` },
  { name: 'imported search', path: (pick) => `imported?q=${encodeURIComponent(pick(TERMS))}` },
]

export interface ListFigures {
  p50ms: number
  p95ms: number
  requests: number
  /** requests answered while the import ran */
  underLoad: number
  p50UnderLoadMs: number
  p95UnderLoadMs: number
  maxMs: number
  /** p50 / p95 per kind */
  byKind: Record<string, { requests: number; p50ms: number; p95ms: number }>
  /** answers other than 200 (the bench fails on any) */
  errors: number
}

export async function sampleLists(client: PanelClient, importId: string, running: () => boolean): Promise<ListFigures> {
  const rnd = prng(20_260_101)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  // cursors per concrete query (a cursor belongs to its filter)
  const cursors = new Map<string, string[]>()
  const samples: Array<{ kind: string; ms: number; loaded: boolean }> = []
  let errors = 0
  while (samples.length < MIN_REQUESTS || running()) {
    if (samples.length >= MIN_REQUESTS) {
      await new Promise((r) => setTimeout(r, LATER_GAP_MS))
      if (!running()) break
    }
    const kind = pick(KINDS)
    const base = `/imports/${importId}/${kind.path(pick)}&limit=50`
    const known = cursors.get(base) ?? []
    const cursor = known.length > 0 && rnd() < 0.7 ? pick(known) : null
    const loaded = running()
    const t = performance.now()
    const r = await client.raw('GET', `${client.api}${base}${cursor ? `&cursor=${cursor}` : ''}`)
    const took = performance.now() - t
    if (r.status !== 200) {
      errors++
      if (errors > 20) throw new Error(`the list answered ${r.status}: ${r.text.slice(0, 200)}`)
      continue
    }
    samples.push({ kind: kind.name, ms: took, loaded })
    const next = (JSON.parse(r.text) as { nextCursor: string | null }).nextCursor
    if (next && !known.includes(next)) cursors.set(base, [...known, next])
  }
  const all = samples.map((s) => s.ms)
  const loaded = samples.filter((s) => s.loaded).map((s) => s.ms)
  const byKind: ListFigures['byKind'] = {}
  for (const k of KINDS) {
    const xs = samples.filter((s) => s.kind === k.name).map((s) => s.ms)
    byKind[k.name] = { requests: xs.length, p50ms: round(percentile(xs, 50), 1), p95ms: round(percentile(xs, 95), 1) }
  }
  return {
    p50ms: round(percentile(all, 50), 1),
    p95ms: round(percentile(all, 95), 1),
    requests: samples.length,
    underLoad: loaded.length,
    p50UnderLoadMs: round(percentile(loaded, 50), 1),
    p95UnderLoadMs: round(percentile(loaded, 95), 1),
    maxMs: round(Math.max(0, ...all), 1),
    byKind,
    errors,
  }
}
