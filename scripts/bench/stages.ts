/**
 * The product's stages driven over its HTTP API as an admin clicks them, each timed twice: by the
 * product's own timestamps where it keeps them (GenerationDetails startedAt/finishedAt,
 * Verification.finishedAt) and by the wall clock, from the click to the status or counts change
 * the poll first sees. Polling is adaptive (≈10 % of the host's time at most: the import's count
 * query grows with the buffer) so the bench does not slow down what it measures.
 */
import { performance } from 'node:perf_hooks'
import { ImportCustomersResponse, ImportDetails, NotifyResponse } from '@cm/contracts'
import type { PanelClient } from '../../e2e/flow/panel-client.ts'

/** a change of anything in `key` resets the stall clock; no change for this long is an error */
const STALL_MS = 10 * 60_000

async function pollDetails(
  client: PanelClient,
  id: string,
  done: (d: ImportDetails) => boolean,
  key: (d: ImportDetails) => string,
  onTick?: (d: ImportDetails) => void,
): Promise<ImportDetails> {
  let lastKey = ''
  let changedAt = Date.now()
  for (;;) {
    const t = performance.now()
    const d = await client.call('GET', `/imports/${id}`, ImportDetails)
    const took = performance.now() - t
    onTick?.(d)
    if (done(d)) return d
    const k = key(d)
    if (k !== lastKey) {
      lastKey = k
      changedAt = Date.now()
    } else if (Date.now() - changedAt > STALL_MS) throw new Error(`no progress for ${STALL_MS / 60_000} min: ${JSON.stringify({ status: d.status, progress: d.progress, counts: d.counts })}`)
    await new Promise((r) => setTimeout(r, Math.min(2_000, Math.max(50, took * 10))))
  }
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN)
/** wall-clock ms since the epoch of a performance.now() reading (the host runs on the same clock) */
const epochOf = (perfMs: number) => performance.timeOrigin + perfMs

export interface FetchOutcome {
  importId: string
  details: ImportDetails
  wallSeconds: number
  /** finishedAt − startedAt of the product's generation details */
  productSeconds: number | null
}

export async function runFetch(client: PanelClient, credentials: Record<string, string>, log: (s: string) => void): Promise<FetchOutcome> {
  const t0 = performance.now()
  const created = await client.call('POST', '/imports', ImportDetails, { credentials, shopIds: ['1'] })
  let shown = 0
  const d = await pollDetails(
    client,
    created.id,
    (x) => x.status !== 'awaiting_xml',
    (x) => `${x.progress.fetched}:${x.generation.requests}`,
    (x) => {
      if (Date.now() - shown > 10_000) {
        shown = Date.now()
        log(`  fetching: ${x.progress.fetched}/${x.progress.total ?? '?'}`)
      }
    },
  )
  const wallSeconds = (performance.now() - t0) / 1000
  if (d.status !== 'awaiting_verification') throw new Error(`the fetch ended in ${d.status}: ${JSON.stringify(d.generation.lastError)}`)
  const p = (ms(d.generation.finishedAt) - ms(d.generation.startedAt)) / 1000
  return { importId: created.id, details: d, wallSeconds, productSeconds: Number.isFinite(p) ? p : null }
}

export interface VerifyOutcome {
  details: ImportDetails
  wallSeconds: number
  /** Verification.finishedAt (the worker's end of parsing, before the last batch is stored) − the click */
  productSeconds: number | null
}

export async function runVerify(client: PanelClient, id: string): Promise<VerifyOutcome> {
  const t0 = performance.now()
  await client.call('POST', `/imports/${id}/verify`, ImportDetails)
  // the product shows no progress while verifying: no stall check (a million customers take minutes)
  let tick = 0
  const d = await pollDetails(client, id, (x) => x.status !== 'verifying', () => String(tick++))
  const wallSeconds = (performance.now() - t0) / 1000
  if (d.status !== 'buffered' && d.status !== 'completed') throw new Error(`the verification ended in ${d.status}: ${JSON.stringify(d.verification?.errors.slice(0, 3))}`)
  const p = (ms(d.verification?.finishedAt) - epochOf(t0)) / 1000
  return { details: d, wallSeconds, productSeconds: Number.isFinite(p) ? p : null }
}

export interface ImportOutcome {
  details: ImportDetails
  queued: number
  wallSeconds: number
}

/** "Importuj wszystkich": until nothing is pending (claimed rows count as pending); `running()` tells the list sampler */
export async function runImportAll(client: PanelClient, id: string, whileRunning: (running: () => boolean) => Promise<void>): Promise<ImportOutcome> {
  const t0 = performance.now()
  const r = await client.call('POST', `/imports/${id}/buffer/import`, ImportCustomersResponse, { all: true })
  let running = true
  const sampler = whileRunning(() => running)
  // on an error below the sampler is left behind: its failure must not surface as unhandled
  sampler.catch(() => {})
  try {
    const d = await pollDetails(client, id, (x) => x.counts.pending === 0, (x) => JSON.stringify(x.counts))
    const wallSeconds = (performance.now() - t0) / 1000
    running = false
    await sampler
    return { details: d, queued: r.queued, wallSeconds }
  } finally {
    running = false
  }
}

export interface NotifyOutcome {
  details: ImportDetails
  queued: number
  wallSeconds: number
  /** false: ended because `notified` stopped moving short of everyone imported (failed sends) */
  complete: boolean
}

/**
 * "Poinformuj wszystkich": the product says neither when notify-all ends nor how many sends
 * failed (only counts.notified), so it ends when everyone imported is notified, or when the count
 * has not moved for SETTLE_MS (then the end is the last time it moved).
 */
const SETTLE_MS = 10_000
export async function runNotifyAll(client: PanelClient, id: string, imported: number): Promise<NotifyOutcome> {
  const t0 = performance.now()
  const r = await client.call('POST', `/imports/${id}/imported/notify`, NotifyResponse, { all: true })
  let last = -1
  let movedAt = performance.now()
  const d = await pollDetails(
    client,
    id,
    (x) => x.counts.notified >= imported || performance.now() - movedAt > SETTLE_MS,
    (x) => String(x.counts.notified),
    (x) => {
      if (x.counts.notified !== last) {
        last = x.counts.notified
        movedAt = performance.now()
      }
    },
  )
  const complete = d.counts.notified >= imported
  const end = complete ? performance.now() : movedAt
  return { details: d, queued: r.queued, wallSeconds: (end - t0) / 1000, complete }
}
