/**
 * The fast path over `users`, used only after probeKeyset proved the shop honours it: the
 * undocumented `filters={"user_id":{">":a,"<=":b}}` and `order[]=user_id asc` (source-apis.md §1.2).
 * Windows of ids cannot drift (a registration gets a higher id, a deletion shifts nothing), and
 * windows of 50 ids hold at most 50 users, so 24 of them ride one bulk call with no follow-up page.
 */
import { SourceError } from '../connector.ts'
import { SHOPER_BULK_MAX_OPS, SHOPER_PAGE_LIMIT, ShoperStatusError, type ShoperClient, type ShoperListRequest } from './shoper.client.ts'
import { userIds } from './shoper.page.ts'
import type { ShoperListEnvelope } from './shoper.types.ts'

const ORDER = ['user_id asc']
/** user_id is an integer key: a window this wide never holds more users than a page */
const WINDOW = SHOPER_PAGE_LIMIT

const window = (gt: number, lte?: number, limit = SHOPER_PAGE_LIMIT): ShoperListRequest => ({
  resource: 'users',
  query: { limit, page: 1, filters: { user_id: lte === undefined ? { '>': gt } : { '>': gt, '<=': lte } }, order: ORDER },
})

const numericIds = (rows: unknown[]) => userIds(rows).map(Number)

/**
 * One request that can only be answered right by a shop that applies both bounds and the order:
 * the users strictly between the first and the third of page 1 (read by page, the lowest ids) are
 * exactly the second and the third. A shop that drops the parameters sends page 1's start again;
 * a 400 is a shop that refuses them. Either way: false, and the documented path goes on.
 */
export async function probeKeyset(client: ShoperClient, firstPage: unknown[]): Promise<boolean> {
  const ids = numericIds(firstPage)
  if (ids.length < 3 || ids.some((id, i) => !Number.isInteger(id) || (i > 0 && id <= ids[i - 1]!))) return false
  const [a, b, c] = ids as [number, number, number]
  let env: ShoperListEnvelope
  try {
    env = await client.list('users', window(a, c, 3).query)
  } catch (e) {
    if (e instanceof ShoperStatusError && e.status === 400) return false
    throw e
  }
  const got = numericIds(env.list)
  return env.count === 2 && got.length === 2 && got[0] === b && got[1] === c
}

export interface KeysetStep {
  rows: unknown[]
  /** every user with user_id ≤ after has been sent */
  after: number
  /** users beyond `after` as the shop last counted them (null: unknown) */
  remaining: number | null
}

export interface KeysetOptions {
  signal?: AbortSignal
  /** operations per bulk call (1: single calls) */
  batch: number
}

/** Users with user_id > after, in id windows (bulk) or by `> last id` (single calls), to the end. */
export async function* readKeyset(client: ShoperClient, after: number, o: KeysetOptions): AsyncGenerator<KeysetStep> {
  let x = after
  for (;;) {
    o.signal?.throwIfAborted()
    const bulk = o.batch > 1 && client.bulkAvailable !== false
    if (!bulk) {
      const step = await single(client, x)
      if (step.rows.length > 0) yield step
      if (step.remaining === 0 || step.rows.length === 0) return
      x = step.after
      continue
    }
    // windows of ids, and one op that counts what lies beyond them (0: the read is complete)
    const n = Math.min(o.batch, SHOPER_BULK_MAX_OPS) - 1
    const reqs = Array.from({ length: n }, (_, k) => window(x + k * WINDOW, x + (k + 1) * WINDOW))
    reqs.push(window(x + n * WINDOW, undefined, 1))
    const envs = await client.listMany(reqs)
    const beyond = envs.pop()!.count
    let sent = 0
    for (const [k, env] of envs.entries()) {
      const lo = x + k * WINDOW
      const rows = env.count > env.list.length ? await complete(client, lo, lo + WINDOW) : env.list
      checkWindow(rows, lo, lo + WINDOW)
      sent += rows.length
      if (rows.length > 0) yield { rows, after: lo + WINDOW, remaining: null }
    }
    x += n * WINDOW
    if (beyond === 0) {
      yield { rows: [], after: x, remaining: 0 }
      return
    }
    // a gap in the ids wider than the windows: the next user by `> x` instead of empty windows
    if (sent === 0) {
      const step = await single(client, x)
      if (step.rows.length > 0) yield step
      if (step.remaining === 0 || step.rows.length === 0) return
      x = step.after
    }
  }
}

async function single(client: ShoperClient, x: number): Promise<KeysetStep> {
  const env = await client.list('users', window(x).query)
  checkWindow(env.list, x, Number.POSITIVE_INFINITY)
  const ids = numericIds(env.list)
  return { rows: env.list, after: ids.length ? Math.max(...ids) : x, remaining: Math.max(0, env.count - env.list.length) }
}

/** a window that counted more users than it sent (a shop that left rows out): asked again alone */
async function complete(client: ShoperClient, lo: number, hi: number): Promise<unknown[]> {
  const env = await client.list('users', window(lo, hi).query)
  if (env.count > env.list.length) {
    throw new SourceError('SOURCE_INCONSISTENT', `the shop counts ${env.count} users with user_id in (${lo}, ${hi}] but sends ${env.list.length} of them, twice; the fetch stopped so that none goes missing`, false)
  }
  return env.list
}

/** a shop that stopped applying the filter midway would send users outside the window */
function checkWindow(rows: unknown[], lo: number, hi: number): void {
  const ids = numericIds(rows)
  if (ids.some((id, i) => !(id > lo && id <= hi) || (i > 0 && id <= ids[i - 1]!))) {
    throw new SourceError('SOURCE_INCONSISTENT', `the shop sent users outside the user_id window (${lo}, ${hi}] it was asked for, or out of order; the fetch stopped so that none goes missing`, false)
  }
}
