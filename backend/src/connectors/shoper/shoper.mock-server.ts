/**
 * A faithful stand-in for a Shoper shop's REST API (auth, customer lists, leaky bucket),
 * with a fault plan that can be changed while it runs. In-process via `fetch(req)`, or over
 * real HTTP via startShoperMock. Choices where Shoper is not documented: see README.md.
 */
import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve, type HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { maxOf, partitionPoint } from '../mock-kit/key-order.ts'
import { applyListQuery, idOrderOf, MockQueryError, userIdBound, type ListResult } from './shoper.mock-query.ts'
import { screenListParams, UndocumentedParamError, type ShoperListParamsMode } from './shoper.mock-surface.ts'
import type { ShoperDataset } from './shoper.types.ts'

export interface ShoperFaults {
  /** every n-th request answers 500 */
  status500Every?: number
  /** every n-th request answers `serverErrorStatus` (JSON `server_error`; a 503 also carries Retry-After) */
  serverErrorEvery?: number
  /** the status of `serverErrorEvery`: 500 (default), 502 or 503 */
  serverErrorStatus?: 500 | 502 | 503
  /** every n-th request answers 429 (besides the bucket's own) */
  status429Every?: number
  /** the Retry-After of `status429Every` and of a 503, in seconds (default 1) */
  retryAfterSeconds?: number
  /** Retry-After as an HTTP date instead of seconds */
  retryAfterHttpDate?: boolean
  /** 429s (the bucket's and `status429Every`'s) carry no Retry-After at all */
  retryAfterMissing?: boolean
  /** every answer waits this long (real time) */
  delayMs?: number
  /** every n-th request answers only after `slowMs` (real time): set it beyond the client's request timeout */
  slowEvery?: number
  /** how long `slowEvery` holds its answer (default 30 s) */
  slowMs?: number
  /** every n-th successful resource answer carries broken JSON */
  invalidJsonEvery?: number
  /** every n-th request answers a proxy's 502 HTML page */
  htmlErrorEvery?: number
  /** every n-th request loses its connection (over HTTP: socket destroyed; in-process: TypeError) */
  resetEvery?: number
  /** a token dies after this many resource requests */
  expireTokenAfterRequests?: number
  /**
   * users pages read by keyset (`user_id > X`) start with this many users at or below X again,
   * as a shop whose paging shifted would send them (the page keeps its `limit`: as many of its own go)
   */
  repeatUsers?: number
  /**
   * users pages read by keyset silently leave out this many users from their middle (filled up
   * from behind, as a shifted offset would), while `count` still includes them
   */
  skipUsers?: number
  /** `skipUsers` on this many pages only (default: every page); counted from the last setFaults */
  skipUsersPages?: number
  /** before answering each users walk request (`user_id > X`, no upper bound), add this many new users (ids above all) */
  addUsersPerPage?: number
  /** …and delete this many users not read yet (ids above the furthest X asked so far, from the middle), with their addresses */
  deleteUsersPerPage?: number
  /** …and delete this many users already read (ids at or below X; by page: before the page's offset) */
  deleteReadUsersPerPage?: number
}

/** How a bulk call fills the bucket; Shoper does not document it. */
export type ShoperBulkCharge = 'request' | 'operation'

export interface ShoperMockOptions {
  login: string
  password: string
  data: ShoperDataset
  bucket?: { limit: number; leakPerSecond: number }
  tokenTtlSeconds?: number
  faults?: ShoperFaults
  /** false: the user exists but has no WebAPI access */
  apiAccess?: boolean
  /** ms since epoch; drives the bucket, token expiry and Date headers */
  clock?: () => number
  /** what the shop does with undocumented list parameters (filters on user_id, order…); refuse (400) by default: stricter than a real shop */
  listParams?: ShoperListParamsMode
  /** false: POST /webapi/rest/bulk answers 404 as on a shop without it */
  bulk?: boolean
  /** one bucket drop per bulk HTTP request (default) or one per operation in it */
  bulkCharge?: ShoperBulkCharge
}

export interface ShoperMockState {
  requests: number
  authCalls: number
  throttled: number
  /** requests answered with an injected fault (reset, 429 of status429Every, 5xx, HTML, broken JSON, slow) */
  faulted: number
  /** users sent again on a later page (repeatUsers) */
  repeated: number
  /** users left out of a page while counted (skipUsers) */
  skipped: number
  /** users added / deleted while the shop was read */
  added: number
  deleted: number
  /** bucket drops charged (admitted requests; a bulk charged per operation counts each) */
  drops: number
  /** bulk HTTP requests admitted, and the operations they carried */
  bulkCalls: number
  bulkOps: number
  /** list requests (single or in a bulk) that carried a parameter the mode ignored or refused */
  undocumented: number
}

export interface ShoperMock {
  fetch(req: Request): Promise<Response>
  state: ShoperMockState
  setFaults(f: ShoperFaults): void
  /** every access token handed out dies now (as at expiry or revocation) */
  expireTokens(): void
  data: ShoperDataset
}

type Row = Record<string, unknown>
type Env = { Bindings: Partial<HttpBindings> }

const RESOURCES: Record<string, { key: keyof ShoperDataset; id: string }> = {
  users: { key: 'users', id: 'user_id' },
  'user-addresses': { key: 'addresses', id: 'address_book_id' },
  subscribers: { key: 'subscribers', id: 'subscriber_id' },
  'user-groups': { key: 'userGroups', id: 'group_id' },
  languages: { key: 'languages', id: 'lang_id' },
}

/** Shoper's own answer to a path or object it does not know */
const NOT_FOUND = { error: 'invalid_request', error_description: 'Resource not found' }
/** Shoper's documented cap on the operations of one bulk call */
export const SHOPER_BULK_MAX_OPS = 25

const HTML_404 = '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>'
const HTML_502 = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>'

/** the in-process handler with the node bindings, for startShoperMock */
const handlers = new WeakMap<ShoperMock, (req: Request, env?: Partial<HttpBindings>) => Promise<Response>>()

export function createShoperMock(opts: ShoperMockOptions): ShoperMock {
  const clock = opts.clock ?? Date.now
  const bucketLimit = opts.bucket?.limit ?? 10
  const leak = opts.bucket?.leakPerSecond ?? 2
  const ttl = opts.tokenTtlSeconds ?? 2_592_000
  const state: ShoperMockState = {
    requests: 0, authCalls: 0, throttled: 0, faulted: 0, repeated: 0, skipped: 0, added: 0, deleted: 0,
    drops: 0, bulkCalls: 0, bulkOps: 0, undocumented: 0,
  }
  const listMode = opts.listParams ?? 'refuse'
  const bulkCharge = opts.bulkCharge ?? 'request'
  let faults: ShoperFaults = { ...opts.faults }
  /** pages that got `skipUsers` since the last setFaults */
  let skippedPages = 0
  /** the furthest walk position asked so far, and the highest user_id a walk read sent (users above it are unread) */
  let lastWalk = -1
  let frontier = 0
  const tokens = new Map<string, { expiresAt: number; uses: number }>()
  const bucket = { level: 0, at: clock() }

  const err = (error: string, description: string) => ({ error, error_description: description })

  const app = new Hono<Env>()
    .post('/webapi/rest/auth', async (c) => {
      state.authCalls++
      const [login, password] = await credentialsOf(c.req.raw)
      if (login === undefined) return c.json(err('invalid_request', 'Missing client credentials'), 400)
      if (login !== opts.login || password !== opts.password) {
        return c.json(err('auth_failure', 'Invalid user credentials'), 401)
      }
      if (opts.apiAccess === false) return c.json(err('auth_webapi_access_denied', 'WebAPI access denied for this user'), 401)
      const token = randomBytes(20).toString('hex')
      tokens.set(token, { expiresAt: clock() + ttl * 1000, uses: 0 })
      return c.json({ access_token: token, expires_in: ttl, token_type: 'bearer' })
    })
    .use('/webapi/rest/*', async (c, next) => {
      const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')
      const t = m?.[1] ? tokens.get(m[1]) : undefined
      if (!m?.[1] || !t) return c.json(err('unauthorized_client', 'Invalid access token'), 401)
      const limit = faults.expireTokenAfterRequests
      if (t.expiresAt <= clock() || (limit !== undefined && limit > 0 && t.uses >= limit)) {
        tokens.delete(m[1])
        return c.json(err('unauthorized_client', 'Access token expired'), 401)
      }
      t.uses++
      await next()
    })
    .post('/webapi/rest/bulk', async (c) => {
      if (opts.bulk === false) return c.json(NOT_FOUND, 404)
      const ops = parseBulk(await c.req.text())
      if (!ops) return c.json(err('invalid_request', `A bulk call carries a JSON array of 1-${SHOPER_BULK_MAX_OPS} operations`), 400)
      state.bulkCalls++
      state.bulkOps += ops.length
      const items = ops.map((op) => {
        const m = /^\/webapi\/rest\/([a-z-]+)(?:\/(\d+))?$/.exec(op.path)
        if (op.method !== 'GET') return { id: op.id, code: 405, body: err('invalid_request', 'Method not supported in this mock') }
        if (!m) return { id: op.id, code: 404, body: NOT_FOUND }
        const a = answer(m[1]!, m[2], bulkParams(op.params))
        return { id: op.id, code: a.status, body: a.body }
      })
      return c.json({ errors: items.some((i) => i.code !== 200), items })
    })
    .get('/webapi/rest/:resource/:id{[0-9]+}', (c) => {
      const a = answer(c.req.param('resource'), c.req.param('id'), new URL(c.req.url).searchParams)
      return c.json(a.body as object, a.status as 200)
    })
    .get('/webapi/rest/:resource', (c) => {
      const a = answer(c.req.param('resource'), undefined, new URL(c.req.url).searchParams)
      return c.json(a.body as object, a.status as 200)
    })
    .all('/webapi/rest/*', (c) => c.json(err('invalid_request', 'Method not supported'), 405))
    .notFound((c) => c.html(HTML_404, 404))

  /** one GET, as a single call or as an operation of a bulk call */
  function answer(resource: string, id: string | undefined, raw: URLSearchParams): { status: number; body: unknown } {
    const r = RESOURCES[resource]
    if (!r) return { status: 404, body: NOT_FOUND }
    if (id !== undefined) {
      const row = findById(rowsOf(r.key), r.id, id)
      return row ? { status: 200, body: row } : { status: 404, body: NOT_FOUND }
    }
    try {
      const params = screenListParams(resource, raw, listMode)
      if (params !== raw && params.toString() !== raw.toString()) state.undocumented++
      return { status: 200, body: r.key === 'users' ? listUsers(params) : applyListQuery(rowsOf(r.key), params, r.id) }
    } catch (e) {
      if (e instanceof MockQueryError) {
        if (e instanceof UndocumentedParamError) state.undocumented++
        return { status: 400, body: err('invalid_request', e.message) }
      }
      throw e
    }
  }

  function rowsOf(key: keyof ShoperDataset): Row[] {
    return mock.data[key] as unknown as Row[]
  }

  /**
   * users lists, with the data faults of a walk: a keyset read (`filters={"user_id":{">":X}}`, no
   * upper bound) or a page read (`page=N`, no user_id filter), where X is the last id before the page
   */
  function listUsers(params: URLSearchParams): ListResult {
    const f = faults
    const walk = walkPosition(params)
    // the shop changes as the read advances: once per page further than any asked before (a
    // connector re-reading an earlier page to repair drift does not change the case under test)
    if (walk !== undefined && walk > lastWalk) {
      lastWalk = walk
      mutate(walk, f)
    }
    // data faults hit walk reads and keyset windows; counts (limit 1) and other filters stay clean
    const gt = Number(params.get('limit') ?? 10) > 1 ? (userIdBound(params).gt ?? walk) : undefined
    const rows = rowsOf('users')
    const out = answerUsers(rows, params, gt, f)
    if (walk !== undefined) frontier = Math.max(frontier, ...out.list.map((u) => Number(u.user_id)))
    return out
  }

  function answerUsers(rows: Row[], params: URLSearchParams, gt: number | undefined, f: ShoperFaults): ListResult {
    const full = applyListQuery(rows, params, 'user_id')
    if (gt === undefined) return full
    let out = full
    const skip = f.skipUsers ?? 0
    if (skip > 0 && (f.skipUsersPages === undefined || skippedPages < f.skipUsersPages) && full.list.length >= skip + 2) {
      skippedPages++
      const from = Math.floor((full.list.length - skip) / 2)
      const gone = new Set(full.list.slice(from, from + skip).map((u) => String(u.user_id)))
      const rest = applyListQuery(
        rows.filter((u) => !gone.has(String(u.user_id))),
        params,
        'user_id',
      )
      state.skipped += gone.size
      out = { ...rest, count: full.count, pages: full.pages }
    }
    const repeat = f.repeatUsers ?? 0
    if (repeat > 0 && gt > 0 && out.list.length > 0) {
      const earlier = rows
        .filter((u) => Number(u.user_id) <= gt)
        .sort((a, b) => Number(a.user_id) - Number(b.user_id))
        .slice(-repeat)
      const limit = Number(params.get('limit') ?? out.list.length)
      state.repeated += earlier.length
      out = { ...out, list: [...earlier, ...out.list].slice(0, Math.max(limit, earlier.length + 1)) }
    }
    return out
  }

  /** the last user_id before a walk read's page (0 on the first), or undefined when it is no walk read */
  function walkPosition(params: URLSearchParams): number | undefined {
    const bound = userIdBound(params)
    if (bound.gt !== undefined) return bound.lte === undefined ? bound.gt : undefined
    if (params.has('filters') || Number(params.get('limit') ?? 10) <= 1) return undefined
    const limit = Number(params.get('limit') ?? 10)
    const offset = (Number(params.get('page') ?? 1) - 1) * limit
    if (offset <= 0) return 0
    const users = rowsOf('users')
    const order = idOrderOf('user_id')
    const ordered = order.of(users)
    if (ordered) {
      const last = ordered.rows[Math.min(offset, ordered.rows.length) - 1]
      return last === undefined ? 0 : order.key(last)
    }
    const ids = users.map((u) => Number(u.user_id)).sort((a, b) => a - b)
    return ids[Math.min(offset, ids.length) - 1] ?? 0
  }

  /** the total changes while the shop is read: users added at the end, users not read yet deleted */
  function mutate(gt: number, f: ShoperFaults): void {
    const data = mock.data
    const remove = (pool: ShoperDataset['users']) => {
      if (pool.length === 0) return false
      const victim = pool[Math.floor(pool.length / 2)]!
      data.users.splice(data.users.indexOf(victim), 1)
      data.addresses = data.addresses.filter((a) => a.user_id !== victim.user_id)
      state.deleted++
      return true
    }
    for (let i = 0; i < (f.deleteUsersPerPage ?? 0); i++) if (!remove(data.users.filter((u) => Number(u.user_id) > Math.max(gt, frontier)))) break
    for (let i = 0; i < (f.deleteReadUsersPerPage ?? 0); i++) if (!remove(data.users.filter((u) => Number(u.user_id) <= gt))) break
    for (let i = 0; i < (f.addUsersPerPage ?? 0); i++) {
      const template = data.users.find((u) => u.registered === '1')
      if (!template) break
      const id = maxOf(data.users, (u) => Number(u.user_id)) + 1
      data.users.push({ ...template, user_id: String(id), email: `dodany.${id}@example.com`, date_add: new Date(clock()).toISOString().slice(0, 19).replace('T', ' ') })
      state.added++
    }
  }

  /**
   * leaky bucket: true when a call of `cost` drops fits; the level is what X-SHOP-API-CALLS shows.
   * A bulk charged per operation needs room for min(cost, limit) and may then overfill the bucket
   * (25 operations never fit a bucket of 10), which the following calls wait out.
   */
  function admit(cost: number): boolean {
    const now = clock()
    bucket.level = Math.max(0, bucket.level - ((now - bucket.at) / 1000) * leak)
    bucket.at = now
    if (bucket.level + Math.min(cost, bucketLimit) > bucketLimit + 1e-9) return false
    bucket.level += cost
    state.drops += cost
    return true
  }

  /** the drops a request costs: a bulk charged per operation costs its operations */
  async function costOf(req: Request): Promise<number> {
    if (req.method !== 'POST' || !new URL(req.url).pathname.endsWith('/webapi/rest/bulk')) return 1
    if (bulkCharge === 'request' || opts.bulk === false) return 1
    return parseBulk(await req.clone().text())?.length ?? 1
  }

  function retryAfter(seconds: number): string {
    return faults.retryAfterHttpDate ? new Date(clock() + seconds * 1000).toUTCString() : String(seconds)
  }

  function throttled(seconds: number): Response {
    state.throttled++
    const headers: Record<string, string> = faults.retryAfterMissing ? {} : { 'Retry-After': retryAfter(Math.max(1, seconds)) }
    return Response.json(err('temporarily_unavailable', 'Too many requests'), { status: 429, headers })
  }

  function serverError(status: 500 | 502 | 503): Response {
    const headers: Record<string, string> = status === 503 ? { 'Retry-After': retryAfter(faults.retryAfterSeconds ?? 1) } : {}
    const [code, text] = status === 503 ? ['temporarily_unavailable', 'Service unavailable'] : status === 502 ? ['server_error', 'Bad gateway'] : ['server_error', 'Internal server error']
    return Response.json(err(code, text), { status, headers })
  }

  async function handle(req: Request, env?: Partial<HttpBindings>): Promise<Response> {
    const n = ++state.requests
    const f = faults
    const every = (k: number | undefined) => k !== undefined && k > 0 && n % k === 0
    if (f.delayMs) await realDelay(f.delayMs, req.signal)
    if (every(f.slowEvery)) {
      state.faulted++
      await realDelay(f.slowMs ?? 30_000, req.signal)
    }
    if (every(f.resetEvery)) {
      state.faulted++
      const socket = env?.incoming?.socket
      if (!socket) throw new TypeError('fetch failed')
      socket.destroy()
      return new Response(null, { status: 500 })
    }
    const isAuth = new URL(req.url).pathname.endsWith('/webapi/rest/auth')
    const cost = await costOf(req)
    let res: Response
    if (!admit(cost)) res = throttled(Math.ceil((bucket.level + Math.min(cost, bucketLimit) - bucketLimit) / leak))
    else if (every(f.status429Every)) {
      state.faulted++
      res = throttled(f.retryAfterSeconds ?? 1)
    } else if (every(f.status500Every)) {
      state.faulted++
      res = serverError(500)
    } else if (every(f.serverErrorEvery)) {
      state.faulted++
      res = serverError(f.serverErrorStatus ?? 500)
    } else if (every(f.htmlErrorEvery)) {
      state.faulted++
      res = new Response(HTML_502, { status: 502, headers: { 'content-type': 'text/html' } })
    } else {
      res = await app.fetch(req, env ?? {})
      if (!isAuth && res.status === 200 && every(f.invalidJsonEvery)) {
        state.faulted++
        const text = await res.text()
        res = new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: 200, headers: res.headers })
      }
    }
    const headers = new Headers(res.headers)
    headers.set('X-SHOP-API-LIMIT', String(bucketLimit))
    headers.set('X-SHOP-API-BANDWIDTH', String(leak))
    headers.set('X-SHOP-API-CALLS', String(Math.ceil(bucket.level - 1e-9)))
    headers.set('Date', new Date(clock()).toUTCString())
    return new Response(res.body, { status: res.status, headers })
  }

  const mock: ShoperMock = {
    fetch: (req) => handle(req),
    state,
    setFaults: (f) => {
      faults = { ...f }
      skippedPages = 0
    },
    expireTokens: () => tokens.clear(),
    data: opts.data,
  }
  handlers.set(mock, handle)
  return mock
}

/** the first row (in the array's order) whose id reads `id`: a binary search in the id order when there is one */
function findById(rows: Row[], idField: string, id: string): Row | undefined {
  const order = idOrderOf(idField)
  const ordered = order.of(rows)
  if (!ordered || !/^\d+$/.test(id)) return rows.find((x) => String(x[idField]) === id)
  const k = Number(id)
  for (let i = partitionPoint(ordered.rows, (x) => order.key(x) < k); i < ordered.rows.length && order.key(ordered.rows[i]!) === k; i++) {
    if (String(ordered.rows[i]![idField]) === id) return ordered.rows[i]
  }
  return undefined
}

interface BulkOp {
  id: string
  path: string
  method: string
  params: Record<string, unknown>
}

/** `[{"id","path":"/webapi/rest/users","method":"GET","params":{…}}, …]` (1–25 of them), or null */
function parseBulk(text: string): BulkOp[] | null {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return null
  }
  if (!Array.isArray(v) || v.length < 1 || v.length > SHOPER_BULK_MAX_OPS) return null
  const ops: BulkOp[] = []
  for (const o of v as unknown[]) {
    if (!o || typeof o !== 'object') return null
    const r = o as Record<string, unknown>
    if (typeof r.path !== 'string' || typeof r.method !== 'string') return null
    const params = r.params && typeof r.params === 'object' && !Array.isArray(r.params) ? (r.params as Record<string, unknown>) : {}
    ops.push({ id: String(r.id ?? ops.length), path: r.path, method: r.method.toUpperCase(), params })
  }
  return ops
}

/** a bulk operation's params as a query string: objects (filters) as JSON, arrays (order) as `key[]` */
function bulkParams(params: Record<string, unknown>): URLSearchParams {
  const out = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const x of v) out.append(k.endsWith('[]') ? k : `${k}[]`, String(x))
    else if (v && typeof v === 'object') out.append(k, JSON.stringify(v))
    else if (v !== undefined && v !== null) out.append(k, String(v))
  }
  return out
}

/** Basic header, or client_id/client_secret as form body or query (older and newer Shoper libs). */
async function credentialsOf(req: Request): Promise<[string | undefined, string | undefined]> {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '')
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const i = decoded.indexOf(':')
    return i < 0 ? [decoded, ''] : [decoded.slice(0, i), decoded.slice(i + 1)]
  }
  const query = new URL(req.url).searchParams
  let form = new URLSearchParams()
  if ((req.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
    form = new URLSearchParams(await req.text())
  }
  const id = form.get('client_id') ?? query.get('client_id')
  const secret = form.get('client_secret') ?? query.get('client_secret')
  return id === null ? [undefined, undefined] : [id, secret ?? '']
}

function realDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal.reason)
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

export interface RunningShoperMock {
  url: string
  close(): Promise<void>
  mock: ShoperMock
}

export function startShoperMock(opts: ShoperMockOptions & { port: number; hostname?: string }): Promise<RunningShoperMock> {
  const mock = createShoperMock(opts)
  const handle = handlers.get(mock)!
  const hostname = opts.hostname ?? '127.0.0.1'
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: (req, env) => handle(req, env as HttpBindings), port: opts.port, hostname },
      (info: AddressInfo) => {
        const host = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname.includes(':') ? `[${hostname}]` : hostname
        resolve({
          url: `http://${host}:${info.port}`,
          mock,
          close: () =>
            new Promise<void>((done) => {
              const s = server as Server
              s.close(() => done())
              s.closeAllConnections?.()
            }),
        })
      },
    )
    server.once('error', reject)
  })
}
