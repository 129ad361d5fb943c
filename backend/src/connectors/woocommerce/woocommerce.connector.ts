/**
 * The WooCommerce connector: the connection check and the resumable read of every account
 * (role=all) through the overlap walk of woocommerce.walk.ts, one page of 100 in memory at a time.
 * Staff accounts (administrator, shop_manager) are read and counted, never handed out.
 */
import { CONNECTION_CHECK_TIMEOUT_MS, connectionErrorText, type ConnectionCheckResponse, type SkipReason, type WooCommerceCredentials } from '@cm/contracts'
import { z } from 'zod'
import { SourceError, type CustomerPage, type SourceConnector, type SourceHttpOptions } from '../connector.ts'
import { abortable, requestSignal } from '../http/source-http.ts'
import { createWooCommerceClient } from './woocommerce.client.ts'
import { mapWooCustomer } from './woocommerce.mapper.ts'
import { WooCustomer } from './woocommerce.types.ts'
import { walkCustomers, type WooWalkOptions } from './woocommerce.walk.ts'

/** Where the read stands: ids ≤ lastId handed out, `position` the offset after them, `read` accounts so far. */
const WooCursor = z.object({
  v: z.literal(1),
  lastId: z.number().int().nonnegative(),
  position: z.number().int().nonnegative(),
  read: z.number().int().nonnegative(),
  /** the last page was handed out: a resume yields nothing */
  done: z.boolean(),
})
export type WooCursor = z.infer<typeof WooCursor>

export function decodeWooCursor(cursor: string | null): WooCursor {
  if (cursor === null) return { v: 1, lastId: 0, position: 0, read: 0, done: false }
  let raw: unknown
  try {
    raw = JSON.parse(cursor)
  } catch {
    throw new Error('woocommerce: the cursor is not JSON')
  }
  const parsed = WooCursor.safeParse(raw)
  if (!parsed.success) throw new Error('woocommerce: the cursor is not one of this connector')
  return parsed.data
}

export interface WooCommerceConnectorOptions {
  /** how long check() may take at most; the contract's limit by default */
  checkTimeoutMs?: number
  /** the walk's overlap and a hook told when deletions made it look further back */
  overlap?: number
  onWiden?: WooWalkOptions['onWiden']
}

/** fresh rows → customers and what was left out (staff; rows no parser could read) */
function mapRows(rows: unknown[]): Pick<CustomerPage, 'customers' | 'leftOut'> {
  const out: Pick<CustomerPage, 'customers' | 'leftOut'> = { customers: [], leftOut: {} }
  const leave = (reason: SkipReason) => (out.leftOut[reason] = (out.leftOut[reason] ?? 0) + 1)
  for (const row of rows) {
    const parsed = WooCustomer.safeParse(row)
    if (!parsed.success) {
      leave('invalid_record')
      continue
    }
    const mapped = mapWooCustomer(parsed.data)
    if (mapped.kind === 'customer') out.customers.push(mapped.customer)
    else leave(mapped.reason)
  }
  return out
}

export function createWooCommerceConnector(opts: WooCommerceConnectorOptions = {}): SourceConnector<WooCommerceCredentials> {
  const checkTimeoutMs = opts.checkTimeoutMs ?? CONNECTION_CHECK_TIMEOUT_MS

  async function check(creds: WooCommerceCredentials, http: SourceHttpOptions): Promise<ConnectionCheckResponse> {
    const deadline = requestSignal(http.signal, checkTimeoutMs)
    // the admin is waiting: at most one quick retry, and the deadline over everything
    const client = createWooCommerceClient(creds, { ...http, signal: deadline.signal, retries: Math.min(http.retries, 1), maxRetryDelayMs: Math.min(http.maxRetryDelayMs, 2_000) })
    try {
      const first = await abortable(client.listCustomers({ per_page: 1, role: 'all' }), deadline.signal)
      // WooCommerce has no cheap shop-name call the key may read; the host is what the admin typed
      return { ok: true, shopName: URL.canParse(creds.domain) ? new URL(creds.domain).hostname : undefined, customerCount: first.total ?? first.rows.length }
    } catch (e) {
      if (http.signal?.aborted) throw e
      const code = e instanceof SourceError ? e.code : deadline.timedOut() ? 'SOURCE_TIMEOUT' : null
      if (code === null) throw e
      return { ok: false, error: { code, message: connectionErrorText('woocommerce', code).pl } }
    } finally {
      deadline.dispose()
    }
  }

  async function* pages(creds: WooCommerceCredentials, cursor: string | null, http: SourceHttpOptions): AsyncGenerator<CustomerPage> {
    let at = decodeWooCursor(cursor)
    if (at.done) return
    const client = createWooCommerceClient(creds, http)
    for await (const step of walkCustomers(client, at, { signal: http.signal, overlap: opts.overlap, onWiden: opts.onWiden })) {
      const { customers, leftOut } = mapRows(step.fresh)
      at = { v: 1, ...step.state, read: at.read + step.fresh.length, done: step.end }
      // accounts read so far plus those after the position now: moves with the shop, ends at `read`
      const total = step.total === null ? null : at.read + Math.max(0, step.total - step.state.position)
      yield { customers, read: step.fresh.length, leftOut, cursor: JSON.stringify(at), total }
    }
  }

  return { platform: 'woocommerce', check, pages }
}

export const woocommerceConnector: SourceConnector<WooCommerceCredentials> = createWooCommerceConnector()
