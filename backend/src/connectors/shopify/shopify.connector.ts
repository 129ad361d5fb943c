/**
 * The Shopify connector: the connection check and the resumable read of every customer through
 * the GraphQL Admin API, 90 customers a page by id (sortKey: ID) after the last page's endCursor.
 * A registration gets a higher id and is read when the walk gets there; a deletion shifts
 * nothing; a resume from any page's cursor continues exactly where that page ended.
 */
import { CONNECTION_CHECK_TIMEOUT_MS, connectionErrorText, type ConnectionCheckResponse, type ConnectionErrorCode, type ShopifyCredentials } from '@cm/contracts'
import { z } from 'zod'
import { SourceError, type CustomerPage, type SourceConnector, type SourceHttpOptions } from '../connector.ts'
import { abortable, requestSignal } from '../http/source-http.ts'
import { createShopifyClient } from './shopify.client.ts'
import { mapShopifyCustomer, type ShopifyMapOptions } from './shopify.mapper.ts'
import { CHECK_COST, CHECK_QUERY, SHOPIFY_PAGE_SIZE } from './shopify.query.ts'
import { countCustomers, readCustomersPage } from './shopify.reads.ts'

/** Where the read stands: a GraphQL cursor and counters, never anything the shop said about a customer. */
const ShopifyCursor = z.object({
  v: z.literal(1),
  /** endCursor of the last page handed out; null before the first */
  after: z.string().nullable(),
  /** every customer with an id ≤ lastId was handed out */
  lastId: z.number().int().nonnegative(),
  /** accounts read so far */
  read: z.number().int().nonnegative(),
  /** customersCount when the read began; null when not counted or only a lower bound */
  count: z.number().int().nonnegative().nullable(),
  /** the last page was handed out: a resume yields nothing */
  done: z.boolean(),
})
export type ShopifyCursor = z.infer<typeof ShopifyCursor>

export function decodeShopifyCursor(cursor: string | null): ShopifyCursor {
  if (cursor === null) return { v: 1, after: null, lastId: 0, read: 0, count: null, done: false }
  let raw: unknown
  try {
    raw = JSON.parse(cursor)
  } catch {
    throw new Error('shopify: the cursor is not JSON')
  }
  const parsed = ShopifyCursor.safeParse(raw)
  if (!parsed.success) throw new Error('shopify: the cursor is not one of this connector')
  return parsed.data
}

export interface ShopifyConnectorOptions extends ShopifyMapOptions {
  /** how long check() may take at most; the contract's limit by default */
  checkTimeoutMs?: number
  /** customers a page asks for (SHOPIFY_PAGE_SIZE by default, the most a 1 000-point query holds) */
  pageSize?: number
  /** false: no customersCount first (pages then carry `total: null` until the last) */
  countOnRead?: boolean
}

export function createShopifyConnector(opts: ShopifyConnectorOptions = {}): SourceConnector<ShopifyCredentials> {
  const checkTimeoutMs = opts.checkTimeoutMs ?? CONNECTION_CHECK_TIMEOUT_MS
  const pageSize = opts.pageSize ?? SHOPIFY_PAGE_SIZE

  async function check(creds: ShopifyCredentials, http: SourceHttpOptions): Promise<ConnectionCheckResponse> {
    const deadline = requestSignal(http.signal, checkTimeoutMs)
    // the admin is waiting: one quick retry at most, the deadline caps the rest
    const quick: SourceHttpOptions = { ...http, signal: deadline.signal, retries: Math.min(http.retries, 1), maxRetryDelayMs: Math.min(http.maxRetryDelayMs, 2_000) }
    try {
      const client = createShopifyClient(creds, quick)
      const { data } = await abortable(client.query(CHECK_QUERY, {}, { cost: CHECK_COST, what: 'the connection check' }), deadline.signal)
      const shop = data.shop as { name?: unknown } | null | undefined
      const count = data.customersCount as { count?: unknown } | null | undefined
      const shopName = typeof shop?.name === 'string' && shop.name.trim() ? shop.name.trim() : hostOf(creds.domain)
      return { ok: true, ...(shopName ? { shopName } : {}), ...(typeof count?.count === 'number' ? { customerCount: count.count } : {}) }
    } catch (e) {
      return failureOf(e, http.signal, deadline.timedOut())
    } finally {
      deadline.dispose()
    }
  }

  async function* pages(creds: ShopifyCredentials, cursor: string | null, http: SourceHttpOptions): AsyncGenerator<CustomerPage> {
    let state = decodeShopifyCursor(cursor)
    if (state.done) return
    const client = createShopifyClient(creds, http)
    // a fresh read counts first, for the progress total (the first query also proves the token and scope)
    if (cursor === null && opts.countOnRead !== false) state = { ...state, count: await countCustomers(client) }
    let first = pageSize
    for (;;) {
      http.signal?.throwIfAborted()
      const page = await readCustomersPage(client, state.after, state.lastId, first)
      http.signal?.throwIfAborted()
      first = page.first
      // a shop that ignores `after` would hand out the same page forever
      if (page.hasNextPage && page.endCursor === state.after) throw client.transport.fail('SOURCE_INCONSISTENT', 'Shopify answered the same cursor again (after ignored)')
      const customers = page.customers.map(({ node, addresses }) => mapShopifyCustomer(node, addresses, opts)).flatMap((r) => (r.kind === 'customer' ? [r.customer] : []))
      const done = !page.hasNextPage
      state = { ...state, after: page.endCursor ?? state.after, lastId: page.lastId, read: state.read + page.read, done }
      const total = done ? state.read : state.count === null ? null : Math.max(state.count, state.read)
      yield { customers, read: page.read, leftOut: page.leftOut, cursor: JSON.stringify(state), total }
      if (done) return
    }
  }

  return { platform: 'shopify', check, pages }
}

export const shopifyConnector: SourceConnector<ShopifyCredentials> = createShopifyConnector()

/** A failed check in the admin's words (Shopify's own where contracts word them); the caller's abort goes on up. */
function failureOf(e: unknown, signal: AbortSignal | undefined, timedOut: boolean): ConnectionCheckResponse {
  if (signal?.aborted) throw e
  const code: ConnectionErrorCode | null = e instanceof SourceError ? e.code : timedOut ? 'SOURCE_TIMEOUT' : null
  if (code === null) throw e
  return { ok: false, error: { code, message: connectionErrorText('shopify', code).pl } }
}

const hostOf = (domain: string): string | undefined => (URL.canParse(domain) ? new URL(domain).hostname : undefined)
