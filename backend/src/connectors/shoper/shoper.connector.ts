/**
 * The Shoper connector: connection check and the resumable, memory-bounded walk over users
 * (keyset on user_id), each page joined with its addresses and subscribers.
 */
import { CONNECTION_CHECK_TIMEOUT_MS, CONNECTION_ERROR_MESSAGES, type ConnectionCheckResponse, type ConnectionErrorCode, type ShoperCredentials } from '@cm/contracts'
import { z } from 'zod'
import { SourceError, type CustomerPage, type SourceConnector, type SourceHttpOptions } from '../connector.ts'
import { createShoperClient, SHOPER_PAGE_LIMIT, type ShoperClient } from './shoper.client.ts'
import { abortable, requestSignal } from './shoper.http.ts'
import { buildShoperLookups, type ShoperLookups } from './shoper.mapper.ts'
import { readUsersPage } from './shoper.page.ts'
import { ShoperLanguage, ShoperUserGroup } from './shoper.types.ts'

/** What a page's cursor carries: where to go on, and the counters the last page needs. */
const ShoperCursor = z.object({
  v: z.literal(1),
  /** highest user_id already read */
  lastId: z.number().int().nonnegative(),
  /** users read so far (customers + left out) */
  read: z.number().int().nonnegative(),
  /** active subscribers already matched to a user */
  matched: z.number().int().nonnegative(),
  /** the final (newsletter-only) page was produced */
  done: z.boolean(),
})
export type ShoperCursor = z.infer<typeof ShoperCursor>

export function decodeShoperCursor(cursor: string | null): ShoperCursor {
  if (cursor === null) return { v: 1, lastId: 0, read: 0, matched: 0, done: false }
  let raw: unknown
  try {
    raw = JSON.parse(cursor)
  } catch {
    throw new Error('shoper: the cursor is not JSON')
  }
  const parsed = ShoperCursor.safeParse(raw)
  if (!parsed.success) throw new Error('shoper: the cursor is not one of this connector')
  return parsed.data
}

const encode = (c: ShoperCursor) => JSON.stringify(c)

export interface ShoperConnectorOptions {
  /** how long check() may take at most; the contract's limit by default */
  checkTimeoutMs?: number
}

export function createShoperConnector(opts: ShoperConnectorOptions = {}): SourceConnector<ShoperCredentials> {
  const checkTimeoutMs = opts.checkTimeoutMs ?? CONNECTION_CHECK_TIMEOUT_MS

  async function check(creds: ShoperCredentials, http: SourceHttpOptions): Promise<ConnectionCheckResponse> {
    const deadline = requestSignal(http.signal, checkTimeoutMs)
    // the admin is waiting: one quick retry at most, the deadline caps the rest
    const quick: SourceHttpOptions = {
      ...http,
      signal: deadline.signal,
      retries: Math.min(http.retries, 1),
      maxRetryDelayMs: Math.min(http.maxRetryDelayMs, 2_000),
    }
    try {
      const client = createShoperClient(creds, quick)
      const users = await abortable(
        (async () => {
          await client.authenticate()
          return client.list('users', { limit: 1 })
        })(),
        deadline.signal,
      )
      return { ok: true, shopName: hostOf(creds.domain), customerCount: users.count }
    } catch (e) {
      if (http.signal?.aborted) throw e
      if (e instanceof SourceError) return failure(e.code)
      if (deadline.timedOut()) return failure('SOURCE_TIMEOUT')
      throw e
    } finally {
      deadline.dispose()
    }
  }

  async function* pages(creds: ShoperCredentials, cursor: string | null, http: SourceHttpOptions): AsyncGenerator<CustomerPage> {
    let state = decodeShoperCursor(cursor)
    if (state.done) return
    const client = createShoperClient(creds, http)
    const lookups = await loadLookups(client)

    for (;;) {
      http.signal?.throwIfAborted()
      // keyset, not page numbers: inserts and deletes during the walk shift nothing, and a resume is exact
      const env = await client.list('users', {
        filters: { user_id: { '>': state.lastId } },
        order: ['user_id asc'],
        limit: SHOPER_PAGE_LIMIT,
        page: 1,
      })
      if (env.list.length === 0) break
      const page = await readUsersPage(client, env.list, state.lastId, lookups)
      const total = state.read + env.count
      state = { ...state, lastId: page.lastId, read: state.read + env.list.length, matched: state.matched + page.matchedSubscribers }
      yield { customers: page.customers, read: env.list.length, leftOut: page.leftOut, cursor: encode(state), total }
      if (env.count <= env.list.length) break
    }

    http.signal?.throwIfAborted()
    // subscribers with no user behind them: only their number is known, and only now
    const active = await client.list('subscribers', { filters: { active: '1' }, limit: 1 })
    const newsletterOnly = Math.max(0, active.count - state.matched)
    // progress counts accounts (what the admin sees as "N of M"); these are only reported as left out
    state = { ...state, done: true }
    yield { customers: [], read: 0, leftOut: { newsletter_only: newsletterOnly }, cursor: encode(state), total: state.read }
  }

  return { platform: 'shoper', check, pages }
}

export const shoperConnector: SourceConnector<ShoperCredentials> = createShoperConnector()

function failure(code: ConnectionErrorCode): ConnectionCheckResponse {
  return { ok: false, error: { code, message: CONNECTION_ERROR_MESSAGES[code].pl } }
}

/** Shoper has no cheap shop-name endpoint; the host name is what the admin recognises. */
function hostOf(domain: string): string | undefined {
  try {
    return new URL(domain).hostname
  } catch {
    return undefined
  }
}

/** Languages and groups are small; a user without rights to them still gets its customers. */
async function loadLookups(client: ShoperClient): Promise<ShoperLookups> {
  const optional = async (p: Promise<unknown[]>) => {
    try {
      return await p
    } catch (e) {
      if (e instanceof SourceError && e.code === 'SOURCE_API_ACCESS_DENIED') return []
      throw e
    }
  }
  const languages = await optional(client.listAll('languages'))
  const groups = await optional(client.listAll('user-groups'))
  return buildShoperLookups(
    languages.flatMap((l) => ShoperLanguage.safeParse(l).data ?? []),
    groups.flatMap((g) => ShoperUserGroup.safeParse(g).data ?? []),
  )
}
