/**
 * The Shoper connector: connection check and the resumable, memory-bounded read of every
 * customer on the documented API alone: users by `page`, joined to addresses and subscribers
 * staged in a scratch table on disk; page drift repaired (shoper.pager.ts).
 */
import { randomUUID } from 'node:crypto'
import { CONNECTION_CHECK_TIMEOUT_MS, CONNECTION_ERROR_MESSAGES, type ConnectionCheckResponse, type ConnectionErrorCode, type ShoperCredentials } from '@cm/contracts'
import { z } from 'zod'
import { SourceError, type CustomerPage, type SourceConnector, type SourceHttpOptions, type SourceWork } from '../connector.ts'
import { createShoperClient, SHOPER_BULK_MAX_OPS, SHOPER_PAGE_LIMIT, type ShoperClient } from './shoper.client.ts'
import { abortable, requestSignal } from '../http/source-http.ts'
import { buildShoperLookups, type ShoperLookups } from './shoper.mapper.ts'
import { readUsersPage, userIds } from './shoper.page.ts'
import { type PagerOptions, type PagerState } from './shoper.pager.ts'
import { readKeyset } from './shoper.keyset.ts'
import { usersWalk } from './shoper.users-walk.ts'
import { openShoperScratch, type ShoperScratch } from './shoper.scratch.ts'
import { stageAll, topUp } from './shoper.stage.ts'
import { ShoperLanguage, ShoperUserGroup } from './shoper.types.ts'

/** What a page's cursor carries: where the users read stands, and the counters the last page needs. */
const ShoperCursor = z.object({
  v: z.literal(2),
  /** the scratch table this read fills; another one (or none) is rebuilt on resume */
  run: z.string().min(1),
  /** users read by page: pass, last page consumed, `count` then */
  pass: z.number().int().positive(),
  page: z.number().int().nonnegative(),
  count: z.number().int().nonnegative().nullable(),
  /** pages handed out so far; users marked in the scratch under a later seq were never checkpointed */
  seq: z.number().int().nonnegative(),
  /** users read so far (customers + left out) */
  read: z.number().int().nonnegative(),
  /** the final (newsletter-only) page was produced */
  done: z.boolean(),
  /** keyset: the shop proved it honours user_id windows (probeKeyset); users ≤ `after` were read */
  mode: z.enum(['pages', 'keyset']).default('pages'),
  after: z.number().int().nonnegative().default(0),
})
export type ShoperCursor = z.infer<typeof ShoperCursor>

export function decodeShoperCursor(cursor: string | null): ShoperCursor {
  if (cursor === null) return { v: 2, run: randomUUID(), pass: 1, page: 0, count: null, seq: 0, read: 0, done: false, mode: 'pages', after: 0 }
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
  /** false: single calls only, never POST /webapi/rest/bulk */
  bulk?: boolean
  /** told whenever a list's `count` moved between two pages (drift) */
  onDrift?: PagerOptions['onDrift']
  /** false: never probe for the keyset path, always read users by page */
  keyset?: boolean
  /** told which path the users read takes (once per read) */
  onPath?(path: 'pages' | 'keyset'): void
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

  async function* pages(creds: ShoperCredentials, cursor: string | null, http: SourceHttpOptions, work?: SourceWork): AsyncGenerator<CustomerPage> {
    let state = decodeShoperCursor(cursor)
    if (state.done) return
    const client = createShoperClient(creds, http)
    const scratch = openShoperScratch(work?.dir)
    let finished = false
    try {
      const pager: Omit<PagerOptions, 'kept'> = { signal: http.signal, batch: opts.bulk === false ? 1 : SHOPER_BULK_MAX_OPS, onDrift: opts.onDrift }
      const fresh = scratch.owner() !== state.run
      if (fresh) scratch.reset(state.run)
      else scratch.rollbackTo(state.seq)
      const lookups = await loadLookups(client)
      http.signal?.throwIfAborted()
      // resumed without our scratch: the users handed out before are marked again, not handed out twice
      if (fresh && cursor !== null) await remarkSeen(client, scratch, state)
      const walk = usersWalk(client, state, { ...pager, kept: () => scratch.seenCount(), idOf: (r) => userIds([r])[0] ?? null }, opts)
      // the users count before staging: users beyond it registered during the fetch (see topUp)
      const first = await walk.next()
      await stageAll(client, scratch, pager)
      let toppedUpAt = first.done ? 0 : (first.value.state.count ?? 0)
      let toppedUpFor = scratch.maxAddressUserId()
      for (let step = first; !step.done; step = await walk.next()) {
        http.signal?.throwIfAborted()
        const s = { ...state, ...step.value.state }
        // more users than before staging, and this page is where new ones land: their addresses and
        // newsletter rows are newer than the scratch; read the lists' tails again (once per rise)
        // (or a user newer than every address staged: a registration the count did not show, as a
        // deletion cancelled it out)
        const maxId = Math.max(0, ...userIds(step.value.rows).map(Number).filter(Number.isFinite))
        if (((s.count ?? 0) > toppedUpAt && s.page * SHOPER_PAGE_LIMIT > toppedUpAt) || maxId > toppedUpFor) {
          await topUp(client, scratch, pager)
          toppedUpAt = Math.max(toppedUpAt, s.count ?? 0)
          toppedUpFor = Math.max(maxId, scratch.maxAddressUserId())
        }
        // nothing to hand out (an empty shop's first page): no page, the next cursor covers it
        if (step.value.rows.length === 0) {
          state = { ...s, seq: state.seq, read: state.read }
          continue
        }
        const seq = state.seq + 1
        const page = readUsersPage(step.value.rows, scratch, seq, lookups)
        state = { ...s, seq, read: state.read + page.read }
        const total = Math.max(s.count ?? 0, state.read + (step.value.remaining ?? 0))
        yield { customers: page.customers, read: page.read, leftOut: page.leftOut, cursor: encode(state), total }
      }
      http.signal?.throwIfAborted()
      // active subscribers with no user behind them: only their number is known, and only now
      const newsletterOnly = scratch.newsletterOnly()
      // progress counts accounts (what the admin sees as "N of M"); these are only reported as left out
      state = { ...state, done: true }
      yield { customers: [], read: 0, leftOut: { newsletter_only: newsletterOnly }, cursor: encode(state), total: state.read }
      finished = true
    } finally {
      scratch.close({ remove: finished })
    }
  }

  return { platform: 'shoper', check, pages }
}

export const shoperConnector: SourceConnector<ShoperCredentials> = createShoperConnector()

/**
 * The scratch of an interrupted read is gone (another host, a cleaned folder): the users pages
 * already handed out are read again and marked, so none of them is handed out twice.
 */
async function remarkSeen(client: ShoperClient, scratch: ShoperScratch, state: PagerState & { seq: number; mode: 'pages' | 'keyset'; after: number }): Promise<void> {
  if (state.mode === 'keyset') {
    for await (const step of readKeyset(client, 0, { batch: SHOPER_BULK_MAX_OPS })) {
      const rows = step.rows.flatMap((r) => {
        const u = r as { user_id?: unknown; email?: unknown }
        return u.user_id === undefined || Number(u.user_id) > state.after ? [] : [{ id: String(u.user_id), email: typeof u.email === 'string' ? u.email : '' }]
      })
      scratch.markSeen(rows, state.seq)
      if (step.after >= state.after) return
    }
    return
  }
  const upTo = state.pass > 1 ? Number.MAX_SAFE_INTEGER : state.page
  for (let page = 1; page <= upTo; page += SHOPER_BULK_MAX_OPS) {
    const last = Math.min(upTo, page + SHOPER_BULK_MAX_OPS - 1)
    const envs = await client.listMany(Array.from({ length: last - page + 1 }, (_, k) => ({ resource: 'users' as const, query: { limit: SHOPER_PAGE_LIMIT, page: page + k } })))
    const rows = envs.flatMap((e) => e.list)
    scratch.markSeen(
      rows.flatMap((r) => {
        const u = r as { user_id?: unknown; email?: unknown }
        return u.user_id === undefined ? [] : [{ id: String(u.user_id), email: typeof u.email === 'string' ? u.email : '' }]
      }),
      state.seq,
    )
    if (envs.some((e) => e.list.length < SHOPER_PAGE_LIMIT)) return
  }
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
