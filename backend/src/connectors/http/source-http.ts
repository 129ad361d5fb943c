/**
 * Transport helpers every source client shares: a per-request deadline tied to the caller's
 * signal, abortable sleep, network-failure classification and Retry-After parsing.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { SourceError } from '../connector.ts'

export interface RequestSignal {
  signal: AbortSignal
  timedOut(): boolean
  dispose(): void
}

/**
 * A signal that fires on the caller's abort or after `ms`. Hand-rolled instead of
 * AbortSignal.any so that nothing stays attached to the long-lived caller signal.
 */
export function requestSignal(parent: AbortSignal | undefined, ms: number): RequestSignal {
  const ctrl = new AbortController()
  let timedOut = false
  const onAbort = () => ctrl.abort(parent?.reason)
  const timer = setTimeout(() => {
    timedOut = true
    ctrl.abort(new DOMException('request timed out', 'TimeoutError'))
  }, ms)
  timer.unref?.()
  if (parent?.aborted) ctrl.abort(parent.reason)
  else parent?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: ctrl.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer)
      parent?.removeEventListener('abort', onAbort)
    },
  }
}

/** Settles with `p`, or rejects as soon as `signal` fires (for fetch stand-ins that ignore it). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {})
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.catch(() => {})
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : undefined)
}

/** The first `code` found along an error's cause chain (undici nests the socket error). */
function errorCode(e: unknown): { code: string; message: string } {
  let cur: unknown = e
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const o = cur as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof o.code === 'string') return { code: o.code, message: String(o.message ?? '') }
    if (o.cause === undefined) return { code: '', message: String(o.message ?? '') }
    cur = o.cause
  }
  return { code: '', message: '' }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

/** fetch rejected without an HTTP answer: what does the admin need to fix? */
export function classifyNetworkError(e: unknown): SourceError {
  if (e instanceof SourceError) return e
  const { code, message } = errorCode(e)
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return new SourceError('SOURCE_TLS_ERROR', `TLS failure talking to the shop (${code})`)
  }
  if (UNREACHABLE.has(code) || message === 'bad port') {
    return new SourceError('SOURCE_UNREACHABLE', `cannot connect to the shop (${code || message})`)
  }
  // resets, half-closed sockets, transient DNS (EAI_AGAIN): worth another try
  return new SourceError('SOURCE_UNREACHABLE', `connection to the shop failed (${code || message || 'network error'})`, true)
}

/** Longest Retry-After we honour; beyond it we would rather fail and let the job resume later. */
export const MAX_RETRY_AFTER_MS = 120_000

/**
 * Retry-After in seconds or as an HTTP date. A date is measured against the response's own
 * Date header when present, so a skewed local clock does not matter.
 */
export function retryAfterMs(headers: Headers): number | null {
  const raw = headers.get('retry-after')?.trim()
  if (!raw) return null
  let ms: number
  if (/^\d+(\.\d+)?$/.test(raw)) ms = Number(raw) * 1000
  else {
    const at = Date.parse(raw)
    if (Number.isNaN(at)) return null
    const ref = Date.parse(headers.get('date') ?? '')
    ms = at - (Number.isNaN(ref) ? Date.now() : ref)
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS)
}

/** Capped exponential backoff: min·2^attempt, at most max. */
export function backoffMs(attempt: number, min: number, max: number): number {
  return Math.min(max, min * 2 ** attempt)
}
