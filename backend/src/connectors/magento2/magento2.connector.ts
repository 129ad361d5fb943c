/**
 * The Magento 2 connector: the connection check and the resumable read of every customer.
 * Customers are read by keyset (entity_id > lastId, ascending, 100 a page, always page 1): a
 * registration gets a higher id and is read when the walk gets there, a deletion shifts
 * nothing, so a resume from any page's cursor continues exactly, with no gap and no double.
 * Each answer's total_count is the number still to read: the read stops on it.
 */
import { CONNECTION_CHECK_TIMEOUT_MS, connectionErrorText, type ConnectionCheckResponse, type ConnectionErrorCode, type Magento2Credentials } from '@cm/contracts'
import { z } from 'zod'
import { SourceError, type CustomerPage, type SourceConnector, type SourceHttpOptions } from '../connector.ts'
import { abortable, requestSignal } from '../http/source-http.ts'
import type { SignerOptions } from './magento2.auth.ts'
import { createMagentoClient } from './magento2.client.ts'
import { countParams, customersPageParams, loadLookups, MAGENTO_PAGE_SIZE, readCustomersPage } from './magento2.reads.ts'

/** What a page's cursor carries: ids and counters only, never anything the shop sent about a customer. */
const Magento2Cursor = z.object({
  v: z.literal(1),
  platform: z.literal('magento2'),
  /** every customer with entity_id ≤ lastId was handed out */
  lastId: z.number().int().nonnegative(),
  /** accounts read so far */
  read: z.number().int().nonnegative(),
  /** the last page was handed out */
  done: z.boolean(),
  /** where Magento answered (`/rest` or `/index.php/rest`), so a resume does not probe again */
  base: z.enum(['rest', 'index.php']).nullable(),
})
export type Magento2Cursor = z.infer<typeof Magento2Cursor>

export function decodeMagento2Cursor(cursor: string | null): Magento2Cursor {
  if (cursor === null) return { v: 1, platform: 'magento2', lastId: 0, read: 0, done: false, base: null }
  let raw: unknown
  try {
    raw = JSON.parse(cursor)
  } catch {
    throw new Error('magento2: the cursor is not JSON')
  }
  const parsed = Magento2Cursor.safeParse(raw)
  if (!parsed.success) throw new Error('magento2: the cursor is not one of this connector')
  return parsed.data
}

const encode = (c: Magento2Cursor) => JSON.stringify(c)

export interface Magento2ConnectorOptions {
  /** how long check() may take at most; the contract's limit by default */
  checkTimeoutMs?: number
  /** customers per page (tests); MAGENTO_PAGE_SIZE by default */
  pageSize?: number
  /** the signer's clock and nonces (tests) */
  signer?: SignerOptions
}

export function createMagento2Connector(opts: Magento2ConnectorOptions = {}): SourceConnector<Magento2Credentials> {
  const checkTimeoutMs = opts.checkTimeoutMs ?? CONNECTION_CHECK_TIMEOUT_MS
  const pageSize = opts.pageSize ?? MAGENTO_PAGE_SIZE

  async function check(creds: Magento2Credentials, http: SourceHttpOptions): Promise<ConnectionCheckResponse> {
    const deadline = requestSignal(http.signal, checkTimeoutMs)
    // the admin is waiting: one quick retry at most, the deadline caps the rest
    const quick: SourceHttpOptions = { ...http, signal: deadline.signal, retries: Math.min(http.retries, 1), maxRetryDelayMs: Math.min(http.maxRetryDelayMs, 2_000) }
    try {
      const client = createMagentoClient(creds, quick, { signer: opts.signer })
      // one signed search proves all four values and Magento_Customer::customer; its total_count is the count
      const answer = await abortable(client.search('/customers/search', countParams(), 'the customers'), deadline.signal)
      return { ok: true, shopName: hostOf(creds.domain), customerCount: answer.total_count }
    } catch (e) {
      return failureOf(e, http.signal, deadline.timedOut())
    } finally {
      deadline.dispose()
    }
  }

  async function* pages(creds: Magento2Credentials, cursor: string | null, http: SourceHttpOptions): AsyncGenerator<CustomerPage> {
    let state = decodeMagento2Cursor(cursor)
    if (state.done) return
    const client = createMagentoClient(creds, http, { signer: opts.signer, base: state.base ?? undefined })
    // lookups once per read (again on a resume: they are small)
    const lookups = await loadLookups(client)
    for (;;) {
      http.signal?.throwIfAborted()
      const answer = await client.search('/customers/search', customersPageParams(state.lastId, pageSize), 'the customers')
      const page = readCustomersPage(answer.items, state.lastId, lookups)
      http.signal?.throwIfAborted()
      // total_count counts the customers above lastId: what this page holds and what follows
      const remaining = Math.max(0, answer.total_count - answer.items.length)
      if (answer.items.length === 0 && answer.total_count > 0) {
        throw new SourceError('SOURCE_INCONSISTENT', `the shop counts ${answer.total_count} customers after id ${state.lastId} but sent none`)
      }
      const done = remaining === 0
      state = { ...state, lastId: page.lastId, read: state.read + page.read, done, base: client.base }
      yield { customers: page.customers, read: page.read, leftOut: page.leftOut, cursor: encode(state), total: state.read + remaining }
      if (done) return
    }
  }

  return { platform: 'magento2', check, pages }
}

export const magento2Connector: SourceConnector<Magento2Credentials> = createMagento2Connector()

/** A failed check in the admin's words (Magento's own where contracts word them); the caller's abort goes on up. */
function failureOf(e: unknown, signal: AbortSignal | undefined, timedOut: boolean): ConnectionCheckResponse {
  if (signal?.aborted) throw e
  const code: ConnectionErrorCode | null = e instanceof SourceError ? e.code : timedOut ? 'SOURCE_TIMEOUT' : null
  if (code === null) throw e
  return { ok: false, error: { code, message: connectionErrorText('magento2', code).pl } }
}

/** storeConfigs carry no shop name (only codes and URLs): the host is what the admin recognises. */
const hostOf = (domain: string): string | undefined => (URL.canParse(domain) ? new URL(domain).hostname : undefined)
