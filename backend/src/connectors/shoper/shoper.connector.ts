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
    // keyset, not page numbers: inserts and deletes during the walk shift nothing, and a resume is exact
    const after = (lastId: number) => client.list('users', keyset(lastId))

    http.signal?.throwIfAborted()
    let env = await after(state.lastId)
    for (;;) {
      http.signal?.throwIfAborted()
      // users sent again (at or below lastId, or twice on one page) are dropped: none is written twice
      const fresh = freshRows(env.list, state.lastId)
      if (fresh.ids.size === 0) {
        if (env.list.length > fresh.rows.length) throw new SourceError('SOURCE_BAD_RESPONSE', 'the shop ignored the user_id filter', false)
        if (fresh.rows.length > 0) throw new SourceError('SOURCE_BAD_RESPONSE', 'a users page without a readable user_id', false)
        if (env.count > 0) throw inconsistent(`the shop counts ${env.count} more users after user ${state.lastId} but sent none of them`)
        break
      }
      const lastId = Math.max(...fresh.ids)
      // one page ahead, before this one is handed out: its count says how many users follow this page
      const next = env.count > fresh.rows.length ? await after(lastId) : null
      // users in (state.lastId, lastId] the shop counted: more than it sent means some were left out
      // (or users after this page were deleted meanwhile: completeRange tells the two apart)
      const counted = env.count - (next?.count ?? 0)
      const rows = counted > fresh.rows.length ? await completeRange(client, state.lastId, lastId, fresh) : fresh.rows
      const page = await readUsersPage(client, rows, state.lastId, lookups)
      // the total is the shop's count at this moment: users added or deleted meanwhile move it
      const total = state.read + Math.max(env.count, rows.length)
      state = { ...state, lastId, read: state.read + rows.length, matched: state.matched + page.matchedSubscribers }
      yield { customers: page.customers, read: rows.length, leftOut: page.leftOut, cursor: encode(state), total }
      if (!next) break
      env = next
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

/** how many times a users range the shop sent short is read again before the fetch fails */
export const RANGE_REREADS = 3

const keyset = (after: number, upTo?: number) => ({
  filters: { user_id: upTo === undefined ? { '>': after } : { '>': after, '<=': upTo } },
  order: ['user_id asc'],
  limit: SHOPER_PAGE_LIMIT,
  page: 1,
})

const inconsistent = (detail: string) => new SourceError('SOURCE_INCONSISTENT', detail, false)

function userIdOf(row: unknown): number | null {
  if (!row || typeof row !== 'object') return null
  const raw = (row as Record<string, unknown>).user_id
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  return /^\d+$/.test(s) ? Number(s) : null
}

interface FreshRows {
  /** in the shop's order; rows without a readable user_id stay (the page counts them as invalid) */
  rows: unknown[]
  ids: Set<number>
}

/** the rows with after < user_id ≤ upTo, each id once */
function freshRows(list: unknown[], after: number, upTo = Infinity): FreshRows {
  const rows: unknown[] = []
  const ids = new Set<number>()
  for (const row of list) {
    const id = userIdOf(row)
    if (id === null) rows.push(row)
    else if (id > after && id <= upTo && !ids.has(id)) {
      ids.add(id)
      rows.push(row)
    }
  }
  return { rows, ids }
}

/**
 * The shop counted more users in (after, upTo] than its page carried: read that range again
 * (keyset within it) and add whom it left out. A range still short after RANGE_REREADS reads
 * fails the fetch before the page is written, so its checkpoint stays at the page before.
 */
async function completeRange(client: ShoperClient, after: number, upTo: number, fresh: FreshRows): Promise<unknown[]> {
  const have = new Map<number, unknown>()
  const unreadable: unknown[] = []
  for (const row of fresh.rows) {
    const id = userIdOf(row)
    if (id === null) unreadable.push(row)
    else have.set(id, row)
  }
  const result = () => [...[...have.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row), ...unreadable]
  // a count first (limit 1): users after the page deleted meanwhile also look like a gap, and are none
  let expected = (await client.list('users', { ...keyset(after, upTo), limit: 1 })).count
  if (expected <= have.size) return result()
  for (let attempt = 1; attempt <= RANGE_REREADS; attempt++) {
    let at = after
    for (;;) {
      const env = await client.list('users', keyset(at, upTo))
      if (at === after) expected = env.count
      const got = freshRows(env.list, at, upTo)
      for (const row of got.rows) {
        const id = userIdOf(row)
        if (id !== null && !have.has(id)) have.set(id, row)
      }
      if (got.ids.size === 0) break
      at = Math.max(...got.ids)
      if (env.count <= got.rows.length || at >= upTo) break
    }
    if (have.size >= expected) return result()
  }
  throw inconsistent(
    `the shop counts ${expected} users with user_id ${after + 1}–${upTo} but sent only ${have.size} of them (${RANGE_REREADS} reads); ` +
      'the fetch stopped before that page so that no customer goes missing',
  )
}

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
