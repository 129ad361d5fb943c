/**
 * Reads a Shoper list completely by `page` and `limit=50` alone (the documented surface), in
 * bulk batches, and repairs page drift: records added or deleted during the read shift the pages.
 *  - `count` falls between two answers: records before the reading position were deleted, so the
 *    next page started later than it should; the page(s) before are read again right away and
 *    whatever they hold now comes along (the caller drops what it already has).
 *  - `count` rises: new records; more pages are read (a shift to the right only repeats records).
 *  - at the end, fewer distinct records kept than `count`: records were left out (by a shift that
 *    cancelled out in `count`, or a shop that drops rows); the whole list is read again, up to
 *    MAX_PASSES times, then SOURCE_INCONSISTENT.
 */
import { SourceError } from '../connector.ts'
import { SHOPER_BULK_MAX_OPS, SHOPER_PAGE_LIMIT, type ShoperClient, type ShoperResource } from './shoper.client.ts'

/** full reads of a list before the fetch gives up on a shop whose list keeps changing */
export const MAX_PASSES = 3

/** where a read stands: pass (1-based), the last page consumed, the `count` then (null: none yet) */
export interface PagerState {
  pass: number
  page: number
  count: number | null
}

export interface PagerStep {
  /** the page's rows, preceded by rows recovered from re-read earlier pages */
  rows: unknown[]
  state: PagerState
}

export const PAGER_START: PagerState = { pass: 1, page: 0, count: null }

export interface PagerOptions {
  /** distinct records the caller holds so far (the end check) */
  kept(): number
  signal?: AbortSignal
  /** pages per bulk batch (1: no bulk) */
  batch?: number
  /** how `count` moved during the read (or a page boundary shifted: from = to), for tests and logs */
  onDrift?(e: { resource: ShoperResource; page: number; from: number; to: number }): void
  /** a row's own id: with it, a bulk batch also checks that the last row before it is still in place */
  idOf?(row: unknown): string | null
}

const pageQuery = (resource: ShoperResource, page: number) => ({ resource, query: { limit: SHOPER_PAGE_LIMIT, page } })
const pagesFor = (count: number) => Math.max(1, Math.ceil(count / SHOPER_PAGE_LIMIT))

export async function* readPages(client: ShoperClient, resource: ShoperResource, start: PagerState, o: PagerOptions): AsyncGenerator<PagerStep> {
  let { pass, page, count } = start
  /** the id of the last row of the page consumed last (null: unknown, or that page was short) */
  let lastId: string | null = null
  const batch = Math.max(1, Math.min(o.batch ?? SHOPER_BULK_MAX_OPS, SHOPER_BULK_MAX_OPS))
  for (;;) {
    let pages = count === null ? 1 : pagesFor(count)
    while (page < pages) {
      o.signal?.throwIfAborted()
      // the first page alone when the size is unknown; then batches up to the last page known
      const from = page + 1
      // a shop without bulk: one page per request, each handed out before the next is asked, so
      // the caller checkpoints (and hears of usuń źródło) after every request, not every 25
      const per = client.bulkAvailable === false ? 1 : batch
      // the boundary check below takes one operation of the call: 24 pages + it fill one bulk call
      const checks = per > 1 && page > 0 && lastId !== null && o.idOf !== undefined
      const to = count === null ? from : Math.min(pages, page + (checks ? per - 1 : per))
      const requests = Array.from({ length: to - from + 1 }, (_, k) => pageQuery(resource, from + k))
      // a batch in one bulk call is one moment of the shop; between two calls records may have moved
      // without changing `count` (one added, one deleted): the row at the last position read before
      // is asked again with the batch (limit=1, page=position), and must be the one we got there
      const boundary = checks && requests.length > 1
      if (boundary) requests.push({ resource, query: { limit: 1, page: page * SHOPER_PAGE_LIMIT } })
      const envs = await client.listMany(requests)
      const probe = boundary ? envs.pop() : undefined
      if (probe && o.idOf && o.idOf(probe.list[0]) !== lastId) {
        o.onDrift?.({ resource, page: from, from: count ?? 0, to: count ?? 0 })
        envs[0]!.list.unshift(...(await reread(client, resource, page, SHOPER_PAGE_LIMIT)))
      }
      for (const [k, env] of envs.entries()) {
        const p = from + k
        const rows = [...env.list]
        const tail = env.list.at(-1)
        lastId = env.list.length === SHOPER_PAGE_LIMIT && o.idOf && tail !== undefined ? o.idOf(tail) : null
        if (count !== null && env.count !== count) {
          o.onDrift?.({ resource, page: p, from: count, to: env.count })
          if (env.count < count && p > 1) rows.unshift(...(await reread(client, resource, p - 1, count - env.count)))
        }
        count = env.count
        pages = pagesFor(count)
        page = p
        yield { rows, state: { pass, page, count } }
        if (page >= pages) break
      }
    }
    if (count !== null && o.kept() >= count) return
    // passes count per run: a resumed read gets its own MAX_PASSES
    if (++pass >= start.pass + MAX_PASSES) {
      throw new SourceError(
        'SOURCE_INCONSISTENT',
        `the shop counts ${count} ${resource} but ${MAX_PASSES} complete reads by page found only ${o.kept()} of them; the fetch stopped so that none goes missing`,
        false,
      )
    }
    page = 0
    lastId = null
  }
}

/** the `gone` records deleted before the reading position moved this many rows back onto earlier pages */
async function reread(client: ShoperClient, resource: ShoperResource, last: number, gone: number): Promise<unknown[]> {
  const back = Math.min(last, Math.ceil(gone / SHOPER_PAGE_LIMIT))
  const envs = await client.listMany(Array.from({ length: back }, (_, k) => pageQuery(resource, last - back + 1 + k)))
  return envs.flatMap((e) => e.list)
}
