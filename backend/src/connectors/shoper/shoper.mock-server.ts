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
import { applyListQuery, MockQueryError } from './shoper.mock-query.ts'
import type { ShoperDataset } from './shoper.types.ts'

export interface ShoperFaults {
  /** every n-th request answers 500 */
  status500Every?: number
  /** every n-th request answers 429 (besides the bucket's own) */
  status429Every?: number
  /** Retry-After as an HTTP date instead of seconds */
  retryAfterHttpDate?: boolean
  /** every answer waits this long (real time) */
  delayMs?: number
  /** every n-th successful resource answer carries broken JSON */
  invalidJsonEvery?: number
  /** every n-th request answers a proxy's 502 HTML page */
  htmlErrorEvery?: number
  /** every n-th request loses its connection (over HTTP: socket destroyed; in-process: TypeError) */
  resetEvery?: number
  /** a token dies after this many resource requests */
  expireTokenAfterRequests?: number
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
  const state: ShoperMockState = { requests: 0, authCalls: 0, throttled: 0 }
  let faults: ShoperFaults = { ...opts.faults }
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
        return c.json(applyListQuery(rowsOf(r.key), new URL(c.req.url).searchParams, r.id))
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
    return Response.json(err('temporarily_unavailable', 'Too many requests'), {
      status: 429,
      headers: { 'Retry-After': retryAfter(Math.max(1, seconds)) },
    })
  }

  async function handle(req: Request, env?: Partial<HttpBindings>): Promise<Response> {
    const n = ++state.requests
    const f = faults
    const every = (k: number | undefined) => k !== undefined && k > 0 && n % k === 0
    if (f.delayMs) await realDelay(f.delayMs, req.signal)
    if (every(f.resetEvery)) {
      const socket = env?.incoming?.socket
      if (!socket) throw new TypeError('fetch failed')
      socket.destroy()
      return new Response(null, { status: 500 })
    }
    const isAuth = new URL(req.url).pathname.endsWith('/webapi/rest/auth')
    let res: Response
    if (!admit()) res = throttled(Math.ceil((bucket.level + 1 - bucketLimit) / leak))
    else if (every(f.status429Every)) res = throttled(1)
    else if (every(f.status500Every)) res = Response.json(err('server_error', 'Internal server error'), { status: 500 })
    else if (every(f.htmlErrorEvery)) res = new Response(HTML_502, { status: 502, headers: { 'content-type': 'text/html' } })
    else {
      res = await app.fetch(req, env ?? {})
      if (!isAuth && res.status === 200 && every(f.invalidJsonEvery)) {
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
