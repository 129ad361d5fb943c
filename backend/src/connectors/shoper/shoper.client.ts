/**
 * Shoper REST client: Basic → bearer auth with one re-auth on 401, leaky-bucket pacing,
 * 429 waits, retries with capped backoff, and Shoper's answers mapped to SourceError codes.
 * Every call goes through `http.fetch` (the engine's guarded fetch), never the global one.
 */
import { SourceError, type SourceHttpOptions } from '../connector.ts'
import { createSourceTransport, type Exchange } from '../http/source-transport.ts'
import { ShoperAuthResponse, ShoperBulkResponse, ShoperErrorBody, ShoperListEnvelope } from './shoper.types.ts'

export interface ShoperClientCredentials {
  domain: string
  login: string
  password: string
}

export type ShoperResource = 'users' | 'user-addresses' | 'subscribers' | 'user-groups' | 'languages'

/** one list GET, alone or as an operation of a bulk call */
export interface ShoperListRequest {
  resource: ShoperResource
  query: ShoperListQuery
}

/** A resource call the shop answered with a non-200 status it gave a reason for (400: a parameter it refuses). */
export class ShoperStatusError extends SourceError {
  constructor(
    code: ConstructorParameters<typeof SourceError>[0],
    message: string,
    readonly status: number,
  ) {
    super(code, message, false)
  }
}

export interface ShoperListQuery {
  /** 1–50; Shoper refuses anything else */
  limit?: number
  /** 1-based */
  page?: number
  /** Shoper's `filters` JSON, e.g. {"user_id":{">":100}} */
  filters?: Record<string, unknown>
  /** e.g. ["user_id asc"] */
  order?: string[]
}

export interface ShoperClient {
  /** POST /webapi/rest/auth; the other calls do it lazily */
  authenticate(): Promise<void>
  list(resource: ShoperResource, query?: ShoperListQuery): Promise<ShoperListEnvelope>
  /** every item over all pages (for small or already filtered sets only) */
  listAll(resource: ShoperResource, query?: Omit<ShoperListQuery, 'page' | 'limit'>): Promise<unknown[]>
  /**
   * Several lists in as few bucket drops as the shop allows: bulk calls of ≤ 25 operations while
   * the shop takes them, single calls otherwise (and for an operation the bulk answered with an error).
   */
  listMany(requests: readonly ShoperListRequest[]): Promise<ShoperListEnvelope[]>
  /** false once the shop refused a bulk call (or before any was tried: undefined) */
  readonly bulkAvailable: boolean | undefined
}

export const SHOPER_PAGE_LIMIT = 50
/** re-authenticate this long before the token's announced expiry */
const TOKEN_MARGIN_MS = 60_000

export function createShoperClient(creds: ShoperClientCredentials, http: SourceHttpOptions): ShoperClient {
  const base = `${creds.domain.replace(/\/+$/, '')}/webapi/rest`
  const basic = Buffer.from(`${creds.login}:${creds.password}`, 'utf8').toString('base64')
  const t = createSourceTransport(http, [creds.password, basic])
  const { fail, nap, withRetries } = t
  let token: { value: string; expiresAt: number } | null = null
  /** the bucket as the last answer reported it; `at`/`slept` mark when, in real and in slept time */
  let bucketSeen: { calls: number; limit: number; bandwidth: number; at: number; slept: number } | null = null
  /** drops a bulk call costs, learnt from the first one (Shoper does not document it) */
  let bulkCharge: 'request' | 'operation' = 'request'
  let bulkAvailable: boolean | undefined

  /** the bucket's fill now, estimated from the last answer and the time since */
  function levelNow(): number {
    const b = bucketSeen
    if (!b) return 0
    // an injected sleep owns the clock (tests on fake time): real time passing there leaks nothing
    const elapsed = http.sleep ? t.sleptMs - b.slept : performance.now() - b.at
    return Math.max(0, b.calls - (elapsed / 1000) * b.bandwidth)
  }

  /** X-SHOP-API-*: hold the next call until it fits the bucket with one drop to spare. */
  async function pause(cost: number): Promise<void> {
    const b = bucketSeen
    if (!b) return
    const need = Math.min(cost, b.limit - 1) + 1
    const wait = Math.ceil(((levelNow() + need - b.limit) * 1000) / b.bandwidth)
    if (wait <= 0) return
    t.emit({ type: 'rate_limit_wait', ms: wait })
    await nap(wait)
  }

  function notePacing(h: Headers): void {
    const limit = Number(h.get('x-shop-api-limit'))
    const bandwidth = Number(h.get('x-shop-api-bandwidth'))
    const calls = Number(h.get('x-shop-api-calls'))
    if (!h.has('x-shop-api-calls') || !(limit > 0) || !(bandwidth > 0) || !Number.isFinite(calls)) return
    bucketSeen = { calls, limit, bandwidth, at: performance.now(), slept: t.sleptMs }
  }

  /** exchange + bucket pacing + 429 waits (which do not use up retries); `ops` > 1 for a bulk call */
  async function paced(url: string, init: RequestInit, waits: { n: number }, ops = 1): Promise<Exchange> {
    for (;;) {
      const cost = bulkCharge === 'operation' ? ops : 1
      await pause(cost)
      const before = levelNow()
      const r = await t.exchange(url, init)
      notePacing(r.headers)
      // the first bulk tells how the shop charges one: its fill rose by about the operations, or by one
      if (ops > 1 && r.status === 200 && bucketSeen && bucketSeen.calls >= before + ops - 0.5) bulkCharge = 'operation'
      if (r.status !== 429) return r
      await t.rateLimitWait(r, waits)
      // the wait emptied the bucket as far as the shop asked: no second pause on top of it
      bucketSeen = null
    }
  }

  type Token = { value: string; expiresAt: number }

  async function doAuthenticate(): Promise<Token> {
    const auth = await withRetries(async (waits) => {
      const r = await paced(`${base}/auth`, { method: 'POST', headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' } }, waits)
      return readAuth(r)
    })
    t.addSecret(auth.access_token)
    token = { value: auth.access_token, expiresAt: performance.now() + (auth.expires_in ?? 3600) * 1000 - TOKEN_MARGIN_MS }
    return token
  }

  function readAuth(r: Exchange): ShoperAuthResponse {
    if (r.status >= 500) throw t.serverError(r, '/auth')
    const json = r.json
    const err = ShoperErrorBody.safeParse(json)
    if (err.success) {
      const what = `${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ''}`
      switch (err.data.error) {
        case 'auth_failure':
        case 'invalid_grant':
        case 'invalid_client':
          throw fail('SOURCE_AUTH_FAILED', `the shop refused the login (${what})`)
        case 'auth_webapi_access_denied':
        case 'access_denied':
        case 'insufficient_scope':
          throw fail('SOURCE_API_ACCESS_DENIED', `the user has no WebAPI access (${what})`)
        case 'auth_admin_access_denied':
          throw fail('SOURCE_ADMIN_ACCESS_DENIED', `the shop refused this administrator account (${what})`)
        case 'auth_ip_not_allowed':
          throw fail('SOURCE_IP_NOT_ALLOWED', `the shop does not accept API calls from this address (${what})`)
      }
      if (r.status === 403) throw fail('SOURCE_API_ACCESS_DENIED', `the shop denied API access (${what})`)
      if (r.status === 400 || r.status === 401) throw fail('SOURCE_AUTH_FAILED', `the shop refused the login (${what})`)
    }
    if (json === undefined || r.status === 404) {
      throw fail('SOURCE_NOT_A_SHOP', `no Shoper WebAPI at this address (HTTP ${r.status} from /webapi/rest/auth, not a Shoper answer)`)
    }
    if (r.status === 403) throw fail('SOURCE_API_ACCESS_DENIED', 'the shop denied API access (HTTP 403)')
    if (r.status === 401) throw fail('SOURCE_AUTH_FAILED', 'the shop refused the login (HTTP 401)')
    const ok = r.status === 200 ? ShoperAuthResponse.safeParse(json) : null
    if (!ok?.success) throw fail('SOURCE_NOT_A_SHOP', `unexpected answer from /webapi/rest/auth (HTTP ${r.status})`)
    return ok.data
  }

  let authInFlight: Promise<Token> | null = null
  function authenticate(): Promise<Token> {
    // concurrent callers share one /auth call
    authInFlight ??= doAuthenticate().finally(() => (authInFlight = null))
    return authInFlight
  }

  async function bearer(): Promise<string> {
    const held = token
    if (held && performance.now() < held.expiresAt) return held.value
    if (held) t.emit({ type: 'reauth' })
    token = null
    return (await authenticate()).value
  }

  /** a resource call (GET, or the POST of a bulk call) with one re-auth on 401 */
  async function callJson(path: string, body?: unknown, ops = 1): Promise<unknown> {
    return withRetries(async (waits) => {
      let reauthed = false
      for (;;) {
        const value = await bearer()
        const headers: Record<string, string> = { Authorization: `Bearer ${value}`, Accept: 'application/json' }
        const init: RequestInit = body === undefined ? { method: 'GET', headers } : { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
        const r = await paced(`${base}/${path}`, init, waits, ops)
        if (r.status === 401 && !reauthed) {
          // unauthorized_client / invalid_token: the token expired or was revoked
          reauthed = true
          if (token?.value === value) token = null
          t.emit({ type: 'reauth' })
          continue
        }
        return readResource(r, path)
      }
    })
  }
  const getJson = (path: string) => callJson(path)

  function readResource(r: Exchange, path: string): unknown {
    const resource = path.split('?')[0] ?? path
    if (r.status >= 500) throw t.serverError(r, resource)
    const json = r.json
    const err = ShoperErrorBody.safeParse(json)
    const what = err.success ? ` (${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ''})` : ''
    if (r.status === 401) throw fail('SOURCE_AUTH_FAILED', `the shop refused the token twice${what}`)
    if (r.status === 403) throw fail('SOURCE_API_ACCESS_DENIED', `the user may not read ${resource}${what}`)
    if (r.status !== 200) throw new ShoperStatusError('SOURCE_BAD_RESPONSE', t.redact(`the shop answered HTTP ${r.status} to ${resource}${what}`), r.status)
    if (json === undefined) throw fail('SOURCE_BAD_RESPONSE', `the shop sent invalid JSON for ${resource}`, true)
    return json
  }

  function envelope(resource: string, json: unknown): ShoperListEnvelope {
    const env = ShoperListEnvelope.safeParse(json)
    if (!env.success) throw fail('SOURCE_BAD_RESPONSE', `${resource}: not a Shoper list envelope`)
    return env.data
  }

  async function list(resource: ShoperResource, q: ShoperListQuery = {}): Promise<ShoperListEnvelope> {
    return envelope(resource, await getJson(`${resource}?${listQueryString(q)}`))
  }

  async function listAll(resource: ShoperResource, q: Omit<ShoperListQuery, 'page' | 'limit'> = {}): Promise<unknown[]> {
    const out: unknown[] = []
    for (let page = 1; ; page++) {
      const env = await list(resource, { ...q, page, limit: SHOPER_PAGE_LIMIT })
      out.push(...env.list)
      if (env.list.length < SHOPER_PAGE_LIMIT || page >= env.pages) return out
    }
  }

  /** one bulk call; null when the shop refuses bulk calls as such (then singles from now on) */
  async function bulk(requests: readonly ShoperListRequest[]): Promise<Array<ShoperListEnvelope | null> | null> {
    const ops = requests.map((r, i) => ({ id: String(i), path: `/webapi/rest/${r.resource}`, method: 'GET', params: bulkParamsOf(r.query) }))
    let json: unknown
    try {
      json = await callJson('bulk', ops, ops.length)
    } catch (e) {
      // 400/404/405 (no bulk, or not this form of it) and 403: the shop will not take bulk calls
      if (e instanceof ShoperStatusError || (e instanceof SourceError && e.code === 'SOURCE_API_ACCESS_DENIED')) {
        bulkAvailable = false
        return null
      }
      throw e
    }
    const parsed = ShoperBulkResponse.safeParse(json)
    if (!parsed.success) {
      bulkAvailable = false
      return null
    }
    bulkAvailable = true
    const byId = new Map(parsed.data.items.map((it) => [String(it.id), it]))
    // an operation that failed (or is missing) is made again on its own, with the usual error handling
    return requests.map((r, i) => {
      const it = byId.get(String(i))
      if (!it || Number(it.code) !== 200) return null
      const env = ShoperListEnvelope.safeParse(it.body)
      return env.success ? env.data : null
    })
  }

  async function listMany(requests: readonly ShoperListRequest[]): Promise<ShoperListEnvelope[]> {
    const out: Array<ShoperListEnvelope | null> = requests.map(() => null)
    const bulkOff = () => bulkAvailable === false
    if (requests.length > 1 && !bulkOff()) {
      for (let i = 0; i < requests.length && !bulkOff(); i += SHOPER_BULK_MAX_OPS) {
        const chunk = requests.slice(i, i + SHOPER_BULK_MAX_OPS)
        const got = chunk.length > 1 ? await bulk(chunk) : null
        got?.forEach((env, k) => (out[i + k] = env))
      }
    }
    for (let i = 0; i < requests.length; i++) out[i] ??= await list(requests[i]!.resource, requests[i]!.query)
    return out as ShoperListEnvelope[]
  }

  return {
    authenticate: async () => void (await authenticate()),
    list,
    listAll,
    listMany,
    get bulkAvailable() {
      return bulkAvailable
    },
  }
}

/** Shoper's cap on the operations of one bulk call (S2 BulkContainer MAX_BULK_API_ITEMS) */
export const SHOPER_BULK_MAX_OPS = 25

function listQueryString(q: ShoperListQuery): URLSearchParams {
  const qs = new URLSearchParams()
  qs.set('limit', String(q.limit ?? SHOPER_PAGE_LIMIT))
  qs.set('page', String(q.page ?? 1))
  if (q.filters) qs.set('filters', JSON.stringify(q.filters))
  for (const o of q.order ?? []) qs.append('order[]', o)
  return qs
}

/** a bulk operation carries its query as an object: filters as an object, order as a list */
function bulkParamsOf(q: ShoperListQuery): Record<string, unknown> {
  const p: Record<string, unknown> = { limit: q.limit ?? SHOPER_PAGE_LIMIT, page: q.page ?? 1 }
  if (q.filters) p.filters = q.filters
  if (q.order?.length) p.order = q.order
  return p
}
