/**
 * Reads /customers to the end by position, safely. WooCommerce has no id filter on /customers
 * (include/exclude only), so the read is positional: `offset` over `orderby=id&order=asc`. Ids
 * ascend with registrations, so newcomers land at the end; but a customer deleted before the
 * read position shifts everyone after it one place left, and reading on at the old offset would
 * skip someone. So each request starts a few rows *before* the position (the overlap) and must
 * see an id already handed out first — the anchor. Rows up to the last id handed out are dropped.
 * No anchor (its first row is newer, or the page is empty) means read rows were deleted: the
 * window widens (×4) until one is found, at worst from offset 0.
 */
import { SourceError } from '../connector.ts'
import { WOO_MAX_PER_PAGE, type WooCommerceClient } from './woocommerce.client.ts'
import { WooRowId } from './woocommerce.types.ts'

/** ids ≤ lastId were handed out; `position` is the offset right after lastId when last read */
export interface WooWalkState {
  lastId: number
  position: number
}

export interface WooWalkStep {
  /** rows not handed out before, in id order (staff included: the caller sorts them out) */
  fresh: unknown[]
  state: WooWalkState
  /** X-WP-Total of the answer */
  total: number | null
  /** nothing after this answer (at the time it was read): a short page X-WP-Total agrees with */
  end: boolean
}

export interface WooWalkOptions {
  signal?: AbortSignal
  /** rows re-read before the position on each request (default 5) */
  overlap?: number
  perPage?: number
  /** told when deletions moved the list past the anchor and the window widened */
  onWiden?(offset: number): void
}

export const WOO_OVERLAP = 5

function idsOf(rows: unknown[]): number[] {
  const ids = rows.map((r) => {
    const id = WooRowId.safeParse(r)
    if (!id.success) throw new SourceError('SOURCE_BAD_RESPONSE', 'the shop sent a customer without a numeric id')
    return id.data.id
  })
  // positions only mean something in id order; a plugin overriding the query would break that
  if (ids.some((id, i) => i > 0 && id <= ids[i - 1]!)) throw new SourceError('SOURCE_BAD_RESPONSE', 'the shop did not sort customers by id (orderby=id)')
  return ids
}

export async function* walkCustomers(client: WooCommerceClient, start: WooWalkState, o: WooWalkOptions = {}): AsyncGenerator<WooWalkStep> {
  const overlap = o.overlap ?? WOO_OVERLAP
  const perPage = o.perPage ?? WOO_MAX_PER_PAGE
  let { lastId, position } = start
  let back = overlap
  let offset = lastId === 0 ? 0 : Math.max(0, position - back)
  /** last id of the previous answer that held nothing new (a shop ignoring offset repeats it) */
  let staleLast = 0
  for (;;) {
    o.signal?.throwIfAborted()
    // role=all: the default (customer) would lose shoppers of other roles; orderby=id: the default sorts by name
    const page = await client.listCustomers({ per_page: perPage, offset, orderby: 'id', order: 'asc', role: 'all' })
    const ids = idsOf(page.rows)
    if (offset > 0 && lastId > 0 && !(ids[0]! <= lastId)) {
      back *= 4
      offset = Math.max(0, position - back)
      o.onWiden?.(offset)
      continue
    }
    const first = ids.findIndex((id) => id > lastId)
    // a short page ends the read, unless X-WP-Total (of the same query) says more follow: a plugin
    // capping per_page; then the short pages are read on like full ones
    const end = page.rows.length < perPage && (page.total === null || offset + page.rows.length >= page.total)
    if (first < 0 && !end) {
      // a page handed out before (the window reached far back): step on, keeping an anchor
      if (ids.at(-1)! <= staleLast) throw new SourceError('SOURCE_BAD_RESPONSE', 'the shop answered the same customers for another offset (offset ignored)')
      staleLast = ids.at(-1)!
      offset += page.rows.length - overlap
      continue
    }
    const fresh = first < 0 ? [] : page.rows.slice(first)
    if (fresh.length > 0) {
      lastId = ids.at(-1)!
      position = offset + page.rows.length
    }
    yield { fresh, state: { lastId, position }, total: page.total, end }
    if (end) return
    back = overlap
    staleLast = 0
    offset = Math.max(0, position - overlap)
  }
}
