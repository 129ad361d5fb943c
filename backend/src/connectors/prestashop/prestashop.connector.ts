/**
 * The PrestaShop connector: the connection check and the resumable read of every customer.
 * Customers are read by keyset (`filter[id]=>[lastId]`, `sort=[id_ASC]`, 100 a page): a
 * registration gets a higher id and is read when the walk gets there, a deletion shifts
 * nothing, so a resume from any page's cursor continues exactly, with no gap and no double.
 */
import { CONNECTION_CHECK_TIMEOUT_MS, connectionErrorText, type ConnectionCheckResponse, type ConnectionErrorCode, type PrestaShopCredentials } from '@cm/contracts'
import { z } from 'zod'
import { SourceError, type CustomerPage, type SourceConnector, type SourceHttpOptions } from '../connector.ts'
import { abortable, requestSignal } from '../http/source-http.ts'
import { createPrestaShopClient, type PrestaShopClient } from './prestashop.client.ts'
import { countCustomers, customersPageParams, loadLookups, PRESTASHOP_PAGE_SIZE, readCustomersPage } from './prestashop.reads.ts'

/** What a page's cursor carries: ids only, never anything the shop sent about a customer. */
const PrestaShopCursor = z.object({
  v: z.literal(1),
  /** every customer with an id ≤ lastId was handed out */
  lastId: z.number().int().nonnegative(),
  /** accounts read so far */
  read: z.number().int().nonnegative(),
  /** customers the shop counted when the read began; null when not counted */
  count: z.number().int().nonnegative().nullable(),
  /** the last page was handed out */
  done: z.boolean(),
  /** where the Webservice answered (so a resume does not probe /api again) */
  base: z.enum(['api', 'dispatcher']).nullable(),
})
export type PrestaShopCursor = z.infer<typeof PrestaShopCursor>

export function decodePrestaShopCursor(cursor: string | null): PrestaShopCursor {
  if (cursor === null) return { v: 1, lastId: 0, read: 0, count: null, done: false, base: null }
  let raw: unknown
  try {
    raw = JSON.parse(cursor)
  } catch {
    throw new Error('prestashop: the cursor is not JSON')
  }
  const parsed = PrestaShopCursor.safeParse(raw)
  if (!parsed.success) throw new Error('prestashop: the cursor is not one of this connector')
  return parsed.data
}

const encode = (c: PrestaShopCursor) => JSON.stringify(c)

export interface PrestaShopConnectorOptions {
  /** how long check() may take at most; the contract's limit by default */
  checkTimeoutMs?: number
  /** share of the check's time the customer count may use before the check answers without it */
  countShare?: number
  /** false: pages() does not count customers first (its pages then carry `total: null` until the end) */
  countOnRead?: boolean
}

export function createPrestaShopConnector(opts: PrestaShopConnectorOptions = {}): SourceConnector<PrestaShopCredentials> {
  const checkTimeoutMs = opts.checkTimeoutMs ?? CONNECTION_CHECK_TIMEOUT_MS
  const countShare = opts.countShare ?? 0.8

  async function check(creds: PrestaShopCredentials, http: SourceHttpOptions): Promise<ConnectionCheckResponse> {
    const started = performance.now()
    const deadline = requestSignal(http.signal, checkTimeoutMs)
    // the admin is waiting: one quick retry at most, the deadline caps the rest
    const quick: SourceHttpOptions = { ...http, signal: deadline.signal, retries: Math.min(http.retries, 1), maxRetryDelayMs: Math.min(http.maxRetryDelayMs, 2_000) }
    try {
      const client = createPrestaShopClient(creds, quick)
      // one customer id proves the key and its GET on customers; one address id its GET on addresses
      const first = await abortable(client.list('customers', { display: '[id]', limit: '1' }), deadline.signal)
      await abortable(client.list('addresses', { display: '[id]', limit: '1' }), deadline.signal)
      const budget = checkTimeoutMs * countShare - (performance.now() - started)
      const customerCount = first.length === 0 ? 0 : await countWithin(creds, quick, client, budget)
      return { ok: true, shopName: hostOf(creds.domain), ...(customerCount === null ? {} : { customerCount }) }
    } catch (e) {
      return failureOf(e, http.signal, deadline.timedOut())
    } finally {
      deadline.dispose()
    }
  }

  /** the count, or null when it cannot finish within `budgetMs` (a huge or slow shop) */
  async function countWithin(creds: PrestaShopCredentials, http: SourceHttpOptions, known: PrestaShopClient, budgetMs: number): Promise<number | null> {
    if (budgetMs <= 0) return null
    const limit = requestSignal(http.signal, budgetMs)
    try {
      const client = createPrestaShopClient(creds, { ...http, signal: limit.signal }, { base: known.base ?? undefined })
      return await abortable(countCustomers(client, true), limit.signal)
    } catch (e) {
      if (limit.timedOut() && !http.signal?.aborted) return null
      throw e
    } finally {
      limit.dispose()
    }
  }

  async function* pages(creds: PrestaShopCredentials, cursor: string | null, http: SourceHttpOptions): AsyncGenerator<CustomerPage> {
    let state = decodePrestaShopCursor(cursor)
    if (state.done) return
    const client = createPrestaShopClient(creds, http, { base: state.base ?? undefined })
    // a fresh read counts first, for the progress total (the first request also proves the key)
    if (cursor === null && opts.countOnRead !== false) state = { ...state, count: await countCustomers(client) }
    // lookups once per read (again on a resume: they are small)
    const lookups = await loadLookups(client)
    for (;;) {
      http.signal?.throwIfAborted()
      const rows = await client.list('customers', customersPageParams(state.lastId))
      const page = await readCustomersPage(client, rows, state.lastId, lookups)
      http.signal?.throwIfAborted()
      // the first short page is the last: there is no total to stop at
      const done = rows.length < PRESTASHOP_PAGE_SIZE
      state = { ...state, lastId: page.lastId, read: state.read + page.read, done, base: client.base }
      const total = done ? state.read : state.count === null ? null : Math.max(state.count, state.read)
      yield { customers: page.customers, read: page.read, leftOut: page.leftOut, cursor: encode(state), total }
      if (done) return
    }
  }

  return { platform: 'prestashop', check, pages }
}

export const prestashopConnector: SourceConnector<PrestaShopCredentials> = createPrestaShopConnector()

/** A failed check in the admin's words (PrestaShop's own where contracts word them); the caller's abort goes on up. */
function failureOf(e: unknown, signal: AbortSignal | undefined, timedOut: boolean): ConnectionCheckResponse {
  if (signal?.aborted) throw e
  const code: ConnectionErrorCode | null = e instanceof SourceError ? e.code : timedOut ? 'SOURCE_TIMEOUT' : null
  if (code === null) throw e
  return { ok: false, error: { code, message: connectionErrorText('prestashop', code).pl } }
}

/** The Webservice names no shop to a key without `configurations`; the host is what the admin recognises. */
const hostOf = (domain: string): string | undefined => (URL.canParse(domain) ? new URL(domain).hostname : undefined)
