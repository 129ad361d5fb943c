/**
 * The mock's fault plan: Shopify's (and its edge's) misbehaviours, one-shot (`failNext`) or
 * recurring (every n-th request). A `throttle` fault is Shopify's own answer and lands on the
 * next GraphQL query: it drains the app's bucket so that the query is THROTTLED and must wait
 * at least `seconds`. The others hit whatever request comes next.
 */
import { dropConnection } from '../mock-kit/fault-plan.ts'
import type { HttpBindings } from '@hono/node-server'
import { setTimeout as sleep } from 'node:timers/promises'

export type ShopifyFault =
  /** HTTP 500 with Shopify's INTERNAL_SERVER_ERROR body */
  | { kind: 'server_error' }
  /** HTTP 200 whose errors[] carry INTERNAL_SERVER_ERROR (Shopify's usual way) */
  | { kind: 'internal_error' }
  /** HTTP 502 HTML page from the edge */
  | { kind: 'bad_gateway' }
  /** HTTP 429 with Retry-After (REST-style; a proxy's limit) */
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  /** the bucket drained: THROTTLED, wait ≥ seconds */
  | { kind: 'throttle'; seconds: number }
  | { kind: 'broken_json' }
  | { kind: 'reset' }
  | { kind: 'slow'; ms: number }

/** Recurring faults: request n gets the fault when n % every === 0 (first match in this order). */
export interface ShopifyMockFaults {
  resetEvery?: number
  rateLimitEvery?: number
  retryAfterSeconds?: number
  serverErrorEvery?: number
  internalErrorEvery?: number
  throttleEvery?: number
  throttleSeconds?: number
  brokenJsonEvery?: number
  slowEvery?: number
  slowMs?: number
  /** every answer waits this long (real time) */
  delayMs?: number
}

const requestId = (n: number) => `${(0x1b355a21 + n).toString(16)}-7117-44c5-8d8b-8948082f40a8`

/** Shopify's INTERNAL_SERVER_ERROR body (GraphQL Admin API, "Status and error codes") */
export function internalErrorBody(n: number) {
  const id = requestId(n)
  return { errors: [{ message: `Internal error. Looks like something went wrong on our end.\nRequest ID: ${id} (include this in support requests).`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: id } }] }
}

const BAD_GATEWAY = '<!DOCTYPE html><html><head><title>Shopify · 502 Bad Gateway</title></head><body><h1>There was a problem loading this website</h1><p>Try refreshing the page.</p></body></html>'
/** the REST Admin API's 429 body */
const RATE_LIMITED = { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }

export function createFaultPlan(initial: ShopifyMockFaults = {}) {
  let faults: ShopifyMockFaults = { ...initial }
  const queued: ShopifyFault[] = []
  let throttles: number[] = []
  return {
    get faults() {
      return faults
    },
    set: (f: ShopifyMockFaults) => void (faults = { ...f }),
    failNext(n: number, fault: ShopifyFault) {
      for (let i = 0; i < n; i++) {
        if (fault.kind === 'throttle') throttles.push(fault.seconds)
        else queued.push(fault)
      }
    },
    /** the fault for request number `n` (any request) */
    take(n: number): ShopifyFault | null {
      const next = queued.shift()
      if (next) return next
      const every = (k: number | undefined) => k !== undefined && k > 0 && n % k === 0
      if (every(faults.resetEvery)) return { kind: 'reset' }
      if (every(faults.rateLimitEvery)) return { kind: 'rate_limit', retryAfterSeconds: faults.retryAfterSeconds }
      if (every(faults.serverErrorEvery)) return { kind: 'server_error' }
      if (every(faults.internalErrorEvery)) return { kind: 'internal_error' }
      if (every(faults.brokenJsonEvery)) return { kind: 'broken_json' }
      if (every(faults.slowEvery)) return { kind: 'slow', ms: faults.slowMs ?? 30_000 }
      return null
    },
    /** seconds the next GraphQL query of number `n` must be throttled for, or null */
    takeThrottle(n: number): number | null {
      const [next, ...rest] = throttles
      if (next !== undefined) {
        throttles = rest
        return next
      }
      const k = faults.throttleEvery
      return k !== undefined && k > 0 && n % k === 0 ? (faults.throttleSeconds ?? 2) : null
    },
  }
}

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } })

/**
 * The answer a fault gives instead of Shopify's, or null to let Shopify answer (after a slow
 * fault's wait, or for broken_json, whose answer is cut by the caller).
 */
export async function faultAnswer(fault: ShopifyFault | null, n: number, req: Request, env?: Partial<HttpBindings>): Promise<Response | null> {
  switch (fault?.kind) {
    case 'reset':
      return dropConnection(env)
    case 'rate_limit':
      return json(RATE_LIMITED, 429, { 'Retry-After': String(fault.retryAfterSeconds ?? 2) })
    case 'server_error':
      return json(internalErrorBody(n), 500)
    case 'internal_error':
      return json(internalErrorBody(n), 200)
    case 'bad_gateway':
      return new Response(BAD_GATEWAY, { status: 502, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
    case 'slow':
      await sleep(fault.ms, undefined, { signal: req.signal })
      return null
    default:
      return null
  }
}

/** half of a 200's body: JSON cut off mid-way */
export async function cutOff(res: Response): Promise<Response> {
  if (res.status !== 200) return res
  const text = await res.text()
  return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: 200, headers: res.headers })
}
