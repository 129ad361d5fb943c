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
import { applyListQuery, MockQueryError, userIdBound, type ListResult } from './shoper.mock-query.ts'
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
  /** …and delete this many users not read yet (ids above X, from the middle), with their addresses */
  deleteUsersPerPage?: number
}

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
}

export interface ShoperMock {
  fetch(req: Request): Promise<Response>
  state: ShoperMockState
  setFaults(f: ShoperFaults): void
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

const HTML_404 = '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>'
const HTML_502 = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>'

/** the in-process handler with the node bindings, for startShoperMock */
const handlers = new WeakMap<ShoperMock, (req: Request, env?: Partial<HttpBindings>) => Promise<Response>>()

export function createShoperMock(opts: ShoperMockOptions): ShoperMock {
  const clock = opts.clock ?? Date.now
  const bucketLimit = opts.bucket?.limit ?? 10
  const leak = opts.bucket?.leakPerSecond ?? 2
  const ttl = opts.tokenTtlSeconds ?? 2_592_000
  const state: ShoperMockState = { requests: 0, authCalls: 0, throttled: 0, faulted: 0, repeated: 0, skipped: 0, added: 0, deleted: 0 }
  let faults: ShoperFaults = { ...opts.faults }
  /** pages that got `skipUsers` since the last setFaults */
  let skippedPages = 0
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
    .get('/webapi/rest/:resource/:id{[0-9]+}', (c) => {
      const r = RESOURCES[c.req.param('resource')]
      if (!r) return c.json(err('invalid_request', 'Unknown resource'), 404)
      const row = rowsOf(r.key).find((x) => String(x[r.id]) === c.req.param('id'))
      return row ? c.json(row) : c.json(err('not_found', 'Object not found'), 404)
    })
    .get('/webapi/rest/:resource', (c) => {
      const r = RESOURCES[c.req.param('resource')]
      if (!r) return c.json(err('invalid_request', 'Unknown resource'), 404)
      try {
        const params = new URL(c.req.url).searchParams
        return c.json(r.key === 'users' ? listUsers(params) : applyListQuery(rowsOf(r.key), params, r.id))
      } catch (e) {
        if (e instanceof MockQueryError) return c.json(err('invalid_request', e.message), 400)
        throw e
      }
    })
    .all('/webapi/rest/*', (c) => c.json(err('invalid_request', 'Method not supported'), 405))
    .notFound((c) => c.html(HTML_404, 404))

  function rowsOf(key: keyof ShoperDataset): Row[] {
    return mock.data[key] as unknown as Row[]
  }

  /** users lists, with the data faults of a keyset read (`filters={"user_id":{">":X}}`) */
  function listUsers(params: URLSearchParams): ListResult {
    const f = faults
    const bound = userIdBound(params)
    if (bound.gt !== undefined && bound.lte === undefined) mutateUnread(bound.gt, f)
    const rows = rowsOf('users')
    const full = applyListQuery(rows, params, 'user_id')
    if (bound.gt === undefined) return full
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
    if (repeat > 0 && bound.gt > 0 && out.list.length > 0) {
      const gt = bound.gt
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

  /** the total changes while the shop is read: users added at the end, users not read yet deleted */
  function mutateUnread(gt: number, f: ShoperFaults): void {
    const data = mock.data
    for (let i = 0; i < (f.deleteUsersPerPage ?? 0); i++) {
      const unread = data.users.filter((u) => Number(u.user_id) > gt)
      if (unread.length === 0) break
      const victim = unread[Math.floor(unread.length / 2)]!
      data.users.splice(data.users.indexOf(victim), 1)
      data.addresses = data.addresses.filter((a) => a.user_id !== victim.user_id)
      state.deleted++
    }
    for (let i = 0; i < (f.addUsersPerPage ?? 0); i++) {
      const template = data.users.find((u) => u.registered === '1')
      if (!template) break
      const id = Math.max(0, ...data.users.map((u) => Number(u.user_id))) + 1
      data.users.push({ ...template, user_id: String(id), email: `dodany.${id}@example.com`, date_add: new Date(clock()).toISOString().slice(0, 19).replace('T', ' ') })
      state.added++
    }
  }

  /** leaky bucket: true when the call fits; the level is what X-SHOP-API-CALLS shows */
  function admit(): boolean {
    const now = clock()
    bucket.level = Math.max(0, bucket.level - ((now - bucket.at) / 1000) * leak)
    bucket.at = now
    if (bucket.level + 1 > bucketLimit + 1e-9) return false
    bucket.level += 1
    return true
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
    let res: Response
    if (!admit()) res = throttled(Math.ceil((bucket.level + 1 - bucketLimit) / leak))
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
    data: opts.data,
  }
  handlers.set(mock, handle)
  return mock
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
