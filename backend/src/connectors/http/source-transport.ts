/**
 * The part of a source client every platform shares: one HTTP exchange under the per-request
 * deadline and the circuit breaker, retries of what is retryable with capped backoff, 429 waits
 * that do not use up retries, and error messages with every secret taken out. A platform's
 * client adds its auth, pacing and the mapping of its own error bodies to SourceError codes.
 */
import pRetry, { AbortError } from 'p-retry'
import { CircuitBreaker, DEFAULT_MAX_CONSECUTIVE_FAILURES, SourceError, type SourceEvent, type SourceHttpOptions } from '../connector.ts'
import { abortable, backoffMs, classifyNetworkError, defaultSleep, MAX_RETRY_AFTER_MS, requestSignal, retryAfterMs } from './source-http.ts'

/** `json` is undefined when the body is not JSON; `text` is the raw body */
export type Exchange = { status: number; headers: Headers; json: unknown; text: string }

/** 429 answers one call may wait out before giving up with SOURCE_RATE_LIMITED */
export const MAX_RATE_LIMIT_WAITS = 50
const MIN_429_WAIT_MS = 500

type Code = ConstructorParameters<typeof SourceError>[0]

export interface SourceTransport {
  /**
   * One exchange. A 429 is handed back as is (pacing, not failure); 5xx and a 200 that is not
   * JSON count against the breaker; network failures and timeouts throw classified SourceErrors.
   */
  exchange(url: string, init: RequestInit): Promise<Exchange>
  /** runs `attempt` again on retryable SourceErrors (http.retries times); `waits` counts 429 waits */
  withRetries<T>(attempt: (waits: { n: number }) => Promise<T>): Promise<T>
  /** waits out a 429 (its Retry-After, else backoff); throws SOURCE_RATE_LIMITED past MAX_RATE_LIMIT_WAITS */
  rateLimitWait(r: Exchange, waits: { n: number }): Promise<void>
  /** a 5xx: retryable, after its own Retry-After when it asks for more than the backoff */
  serverError(r: Exchange, what: string): SourceError
  /** a SourceError whose message has every secret replaced by *** */
  fail(code: Code, message: string, retryable?: boolean): SourceError
  /** a value no message may carry from now on (a token the source handed out) */
  addSecret(secret: string): void
  redact(message: string): string
  /** sleeps (the injected sleep when given), abortable by the caller's signal */
  nap(ms: number): Promise<void>
  /** ms slept so far through nap (the clock of tests whose sleep is injected) */
  readonly sleptMs: number
  emit(e: SourceEvent): void
}

export function createSourceTransport(http: SourceHttpOptions, secrets: readonly string[]): SourceTransport {
  const sleep = http.sleep ?? defaultSleep
  const emit = http.onEvent ?? (() => {})
  const hidden = new Set(secrets.filter((s) => s.length >= 3))
  const breaker = http.breaker ?? new CircuitBreaker(http.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES)
  /** errors that already used up their retries in a nested call */
  const exhausted = new WeakSet<Error>()
  const askedDelay = new WeakMap<Error, number>()
  let sleptMs = 0

  const redact = (msg: string) => {
    let out = msg
    for (const s of hidden) out = out.split(s).join('***')
    return out
  }
  const fail = (code: Code, msg: string, retryable = false) => new SourceError(code, redact(msg), retryable)
  const nap = async (ms: number) => {
    sleptMs += ms
    await sleep(ms, http.signal)
  }

  /** the breaker refuses: this error must not be retried by any (nested) call */
  function refused(e: SourceError): SourceError {
    const out = fail(e.code, e.message)
    exhausted.add(out)
    return out
  }

  async function exchange(url: string, init: RequestInit): Promise<Exchange> {
    http.signal?.throwIfAborted()
    if (breaker.open) throw refused(breaker.error())
    const rs = requestSignal(http.signal, http.requestTimeoutMs)
    emit({ type: 'request' })
    let r: Exchange
    try {
      const res = await abortable(http.fetch(url, { ...init, signal: rs.signal }), rs.signal)
      const text = await abortable(res.text(), rs.signal)
      r = { status: res.status, headers: res.headers, json: parseJson(text), text }
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
            await nap(Math.max(backoff, askedDelay.get(error) ?? 0))
          },
        },
      )
    } catch (e) {
      // a nested call (auth inside a resource call) that used up its retries must not be retried again
      if (e instanceof SourceError) exhausted.add(e)
      throw e
    }
  }

  async function rateLimitWait(r: Exchange, waits: { n: number }): Promise<void> {
    if (++waits.n > MAX_RATE_LIMIT_WAITS) {
      throw fail('SOURCE_RATE_LIMITED', `the shop kept answering 429 (${MAX_RATE_LIMIT_WAITS} waits)`)
    }
    const ms = retryAfterMs(r.headers) ?? backoffMs(waits.n - 1, http.minRetryDelayMs, http.maxRetryDelayMs)
    const wait = Math.max(ms, MIN_429_WAIT_MS)
    emit({ type: 'rate_limit_wait', ms: wait })
    await nap(wait)
  }

  function serverError(r: Exchange, what: string): SourceError {
    const e = fail('SOURCE_SERVER_ERROR', `the shop answered HTTP ${r.status} to ${what}`, true)
    const asked = retryAfterMs(r.headers)
    if (asked !== null) askedDelay.set(e, Math.min(asked, MAX_RETRY_AFTER_MS))
    return e
  }

  return {
    exchange,
    withRetries,
    rateLimitWait,
    serverError,
    fail,
    addSecret: (s) => void (s.length >= 3 && hidden.add(s)),
    redact,
    nap,
    get sleptMs() {
      return sleptMs
    },
    emit,
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}
