/**
 * Shoper REST client: Basic → bearer auth with one re-auth on 401, leaky-bucket pacing,
 * 429 waits, retries with capped backoff, and Shoper's answers mapped to SourceError codes.
 * Every call goes through `http.fetch` (the engine's guarded fetch), never the global one.
 */
import pRetry, { AbortError } from 'p-retry'
import { CircuitBreaker, DEFAULT_MAX_CONSECUTIVE_FAILURES, SourceError, type SourceHttpOptions } from '../connector.ts'
import { abortable, backoffMs, classifyNetworkError, defaultSleep, MAX_RETRY_AFTER_MS, requestSignal, retryAfterMs } from './shoper.http.ts'
import { ShoperAuthResponse, ShoperErrorBody, ShoperListEnvelope } from './shoper.types.ts'

export interface ShoperClientCredentials {
  domain: string
  login: string
  password: string
}

export type ShoperResource = 'users' | 'user-addresses' | 'subscribers' | 'user-groups' | 'languages'

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
}

export const SHOPER_PAGE_LIMIT = 50
/** 429 answers one call may wait out before giving up with SOURCE_RATE_LIMITED */
export const MAX_RATE_LIMIT_WAITS = 50
/** re-authenticate this long before the token's announced expiry */
const TOKEN_MARGIN_MS = 60_000
const MIN_429_WAIT_MS = 500

/** `json` is undefined when the body is not JSON */
type Exchange = { status: number; headers: Headers; json: unknown }

export function createShoperClient(creds: ShoperClientCredentials, http: SourceHttpOptions): ShoperClient {
  const base = `${creds.domain.replace(/\/+$/, '')}/webapi/rest`
  const basic = Buffer.from(`${creds.login}:${creds.password}`, 'utf8').toString('base64')
  const sleep = http.sleep ?? defaultSleep
  const emit = http.onEvent ?? (() => {})
  const secrets = new Set([creds.password, basic].filter((s) => s.length >= 3))
  let token: { value: string; expiresAt: number } | null = null
  /** performance.now() before which the bucket asks us to hold the next call */
  let pauseUntil = 0
  /** errors that already used up their retries in a nested call */
  const exhausted = new WeakSet<Error>()
  /** a server error's own Retry-After (a 503's), honoured when it asks for more than the backoff */
  const askedDelay = new WeakMap<Error, number>()
  const breaker = http.breaker ?? new CircuitBreaker(http.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES)

  /** No error leaving this client may carry the password or a token, whatever the shop echoes. */
  const redact = (msg: string) => {
    let out = msg
    for (const s of secrets) out = out.split(s).join('***')
    return out
  }
  const fail = (code: ConstructorParameters<typeof SourceError>[0], msg: string, retryable = false) =>
    new SourceError(code, redact(msg), retryable)

  async function pause(): Promise<void> {
    const wait = Math.round(pauseUntil - performance.now())
    pauseUntil = 0
    if (wait <= 0) return
    emit({ type: 'rate_limit_wait', ms: wait })
    await sleep(wait, http.signal)
  }

  /** X-SHOP-API-*: when the bucket is (nearly) full, hold the next call until a drop leaks out. */
  function notePacing(h: Headers): void {
    const limit = Number(h.get('x-shop-api-limit'))
    const bandwidth = Number(h.get('x-shop-api-bandwidth'))
    const calls = Number(h.get('x-shop-api-calls'))
    if (!h.has('x-shop-api-calls') || !(limit > 0) || !(bandwidth > 0) || !Number.isFinite(calls)) return
    const headroom = limit - calls
    if (headroom > 1) return
    const drops = Math.min(2 - headroom, limit)
    pauseUntil = performance.now() + (drops * 1000) / bandwidth
  }

  /** the breaker refuses: this error must not be retried by any (nested) call */
  function refused(e: SourceError): SourceError {
    const out = fail(e.code, e.message)
    exhausted.add(out)
    return out
  }

  /** One HTTP exchange under the per-request deadline, seen by the circuit breaker. */
  async function exchange(url: string, init: RequestInit): Promise<Exchange> {
    http.signal?.throwIfAborted()
    if (breaker.open) throw refused(breaker.error())
    const rs = requestSignal(http.signal, http.requestTimeoutMs)
    emit({ type: 'request' })
    let r: Exchange
    try {
      const res = await abortable(http.fetch(url, { ...init, signal: rs.signal }), rs.signal)
      const body = await abortable(res.text(), rs.signal)
      r = { status: res.status, headers: res.headers, json: parseJson(body) }
    } catch (e) {
      if (http.signal?.aborted) throw http.signal.reason ?? e
      const se = rs.timedOut()
        ? fail('SOURCE_TIMEOUT', `the shop did not answer within ${http.requestTimeoutMs} ms`, true)
        : classifyNetworkError(e)
      const open = breaker.failure(`${se.code}: ${se.message}`)
      throw open ? refused(open) : fail(se.code, se.message, se.retryable)
    } finally {
      rs.dispose()
    }
    // a 429 is the shop pacing us, neither a failure nor a sign of health
    if (r.status === 429) return r
    if (r.status >= 500 || (r.status === 200 && r.json === undefined)) {
      const open = breaker.failure(r.status >= 500 ? `HTTP ${r.status}` : 'an answer that is not JSON')
      if (open) throw refused(open)
    } else breaker.success()
    return r
  }

  /** exchange + bucket pacing + 429 waits (which do not use up retries) */
  async function paced(url: string, init: RequestInit, waits: { n: number }): Promise<Exchange> {
    for (;;) {
      await pause()
      const r = await exchange(url, init)
      notePacing(r.headers)
      if (r.status !== 429) return r
      if (++waits.n > MAX_RATE_LIMIT_WAITS) {
        throw fail('SOURCE_RATE_LIMITED', `the shop kept answering 429 (${MAX_RATE_LIMIT_WAITS} waits)`)
      }
      const ms = retryAfterMs(r.headers) ?? backoffMs(waits.n - 1, http.minRetryDelayMs, http.maxRetryDelayMs)
      pauseUntil = 0
      const wait = Math.max(ms, MIN_429_WAIT_MS)
      emit({ type: 'rate_limit_wait', ms: wait })
      await sleep(wait, http.signal)
    }
  }

  /** Retries what is retryable with capped exponential backoff; 429 waits are counted apart. */
  async function withRetries<T>(attempt: (waits: { n: number }) => Promise<T>): Promise<T> {
    const waits = { n: 0 }
    try {
      return await pRetry(
        async () => {
          try {
            return await attempt(waits)
          } catch (e) {
            if (e instanceof SourceError && e.retryable && !exhausted.has(e)) throw e
            throw new AbortError(e instanceof Error ? e : new Error(String(e)))
          }
        },
        {
          retries: http.retries,
          // we sleep ourselves (injectable, abortable); p-retry only counts
          minTimeout: 0,
          maxTimeout: 0,
          signal: http.signal,
          onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
            if (retriesLeft <= 0) return
            emit({ type: 'retry', reason: error instanceof SourceError ? error.code : error.name })
            const backoff = backoffMs(retriesConsumed, http.minRetryDelayMs, http.maxRetryDelayMs)
            await sleep(Math.max(backoff, askedDelay.get(error) ?? 0), http.signal)
          },
        },
      )
    } catch (e) {
      // a nested call (auth inside a resource call) that used up its retries must not be retried again
      if (e instanceof SourceError) exhausted.add(e)
      throw e
    }
  }
  type Token = { value: string; expiresAt: number }

  async function doAuthenticate(): Promise<Token> {
    const auth = await withRetries(async (waits) => {
      const r = await paced(`${base}/auth`, { method: 'POST', headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' } }, waits)
      return readAuth(r)
    })
    secrets.add(auth.access_token)
    token = { value: auth.access_token, expiresAt: performance.now() + (auth.expires_in ?? 3600) * 1000 - TOKEN_MARGIN_MS }
    return token
  }

  /** a 5xx: retried, after its own Retry-After when it gives one (a 503's) */
  function serverError(r: Exchange, what: string): SourceError {
    const e = fail('SOURCE_SERVER_ERROR', `the shop answered HTTP ${r.status} to ${what}`, true)
    const asked = retryAfterMs(r.headers)
    if (asked !== null) askedDelay.set(e, Math.min(asked, MAX_RETRY_AFTER_MS))
    return e
  }

  function readAuth(r: Exchange): ShoperAuthResponse {
    if (r.status >= 500) throw serverError(r, '/auth')
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
    const t = token
    if (t && performance.now() < t.expiresAt) return t.value
    if (t) emit({ type: 'reauth' })
    token = null
    return (await authenticate()).value
  }

  async function getJson(path: string): Promise<unknown> {
    return withRetries(async (waits) => {
      let reauthed = false
      for (;;) {
        const value = await bearer()
        const r = await paced(`${base}/${path}`, { method: 'GET', headers: { Authorization: `Bearer ${value}`, Accept: 'application/json' } }, waits)
        if (r.status === 401 && !reauthed) {
          // unauthorized_client / invalid_token: the token expired or was revoked
          reauthed = true
          if (token?.value === value) token = null
          emit({ type: 'reauth' })
          continue
        }
        return readResource(r, path)
      }
    })
  }

  function readResource(r: Exchange, path: string): unknown {
    const resource = path.split('?')[0] ?? path
    if (r.status >= 500) throw serverError(r, resource)
    const json = r.json
    const err = ShoperErrorBody.safeParse(json)
    const what = err.success ? ` (${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ''})` : ''
    if (r.status === 401) throw fail('SOURCE_AUTH_FAILED', `the shop refused the token twice${what}`)
    if (r.status === 403) throw fail('SOURCE_API_ACCESS_DENIED', `the user may not read ${resource}${what}`)
    if (r.status !== 200) throw fail('SOURCE_BAD_RESPONSE', `the shop answered HTTP ${r.status} to ${resource}${what}`)
    if (json === undefined) throw fail('SOURCE_BAD_RESPONSE', `the shop sent invalid JSON for ${resource}`, true)
    return json
  }

  async function list(resource: ShoperResource, q: ShoperListQuery = {}): Promise<ShoperListEnvelope> {
    const qs = new URLSearchParams()
    qs.set('limit', String(q.limit ?? SHOPER_PAGE_LIMIT))
    qs.set('page', String(q.page ?? 1))
    if (q.filters) qs.set('filters', JSON.stringify(q.filters))
    for (const o of q.order ?? []) qs.append('order[]', o)
    const json = await getJson(`${resource}?${qs}`)
    const env = ShoperListEnvelope.safeParse(json)
    if (!env.success) throw fail('SOURCE_BAD_RESPONSE', `${resource}: not a Shoper list envelope`)
    return env.data
  }

  async function listAll(resource: ShoperResource, q: Omit<ShoperListQuery, 'page' | 'limit'> = {}): Promise<unknown[]> {
    const out: unknown[] = []
    for (let page = 1; ; page++) {
      const env = await list(resource, { ...q, page, limit: SHOPER_PAGE_LIMIT })
      out.push(...env.list)
      if (env.list.length < SHOPER_PAGE_LIMIT || page >= env.pages) return out
    }
  }

  return { authenticate: async () => void (await authenticate()), list, listAll }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}
