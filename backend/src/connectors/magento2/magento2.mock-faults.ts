/**
 * The mock's fault plan: what a Magento shop and the servers in front of it do to a long read.
 * Magento core has no rate limiter on customers (2.4.7 limits only some checkout and payment
 * routes); a 429 here is a host's, CDN's or WAF's.
 */
import type { HttpBindings } from '@hono/node-server'
import { answerWithFault, htmlResponse, nextPlannedFault, type PlannedFault } from '../mock-kit/fault-plan.ts'

export type MagentoFaultKind = 'server_error' | 'maintenance' | 'rate_limit' | 'slow' | 'reset' | 'html_error' | 'html_page' | 'broken_json'

export interface MagentoFaults {
  /** every n-th request: 500 with Magento's masked error ("Internal Error. … Report ID: webapi-…") */
  serverErrorEvery?: number
  /** every n-th request: 503 maintenance page (bin/magento maintenance:enable) */
  maintenanceEvery?: number
  /** every n-th request: a host limiter's 429 with Retry-After `retryAfterSeconds` */
  rateLimitEvery?: number
  retryAfterSeconds?: number
  /** every answer waits this long (real time) */
  delayMs?: number
  /** every n-th request answers only after `slowMs` (real time, default 30 s) */
  slowEvery?: number
  slowMs?: number
  /** every n-th request loses its connection (over HTTP: socket destroyed; in-process: TypeError) */
  resetEvery?: number
  /** every n-th request: a proxy's 502 HTML page */
  htmlErrorEvery?: number
  /** every n-th request: a 200 HTML page (a CDN's challenge page) */
  htmlPageEvery?: number
  /** every n-th successful answer: its JSON cut in half */
  brokenJsonEvery?: number
}

const EVERY: ReadonlyArray<readonly [keyof MagentoFaults, MagentoFaultKind]> = [
  ['resetEvery', 'reset'],
  ['slowEvery', 'slow'],
  ['rateLimitEvery', 'rate_limit'],
  ['serverErrorEvery', 'server_error'],
  ['maintenanceEvery', 'maintenance'],
  ['htmlErrorEvery', 'html_error'],
  ['htmlPageEvery', 'html_page'],
  ['brokenJsonEvery', 'broken_json'],
]

export type MagentoFault = PlannedFault<MagentoFaultKind>

/** the fault request `n` gets: the queued one-shots first, then the periodic plan */
export function nextFault(f: MagentoFaults, queued: MagentoFault[], n: number): MagentoFault | null {
  return nextPlannedFault(f, EVERY, queued, n)
}

const CHALLENGE_PAGE = '<!DOCTYPE html><html lang="pl"><head><title>Just a moment...</title></head><body><p>Checking your browser…</p></body></html>'
/** pub/errors/default/503.phtml */
const HTML_503 = '<!doctype html>\n<html lang="en"><head><title>Error 503: Service Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.</p></body></html>'

export interface FaultContext {
  req: Request
  env: Partial<HttpBindings> | undefined
  faults: MagentoFaults
  serve(): Response | Promise<Response>
}

/** ErrorProcessor::maskException outside developer mode: the real cause goes to the log only */
export function maskedServerError(): Response {
  const reportId = `webapi-${Date.now().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`
  return new Response(JSON.stringify({ message: `Internal Error. Details are available in Magento log file. Report ID: ${reportId}` }), {
    status: 500,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  })
}

export function applyFault(fault: MagentoFault | null, c: FaultContext): Promise<Response> {
  return answerWithFault(fault, { ...c, delayMs: c.faults.delayMs, slowMs: c.faults.slowMs, challengePage: CHALLENGE_PAGE }, (f) => {
    if (f.kind === 'server_error') return maskedServerError()
    if (f.kind === 'maintenance') return htmlResponse(503, HTML_503, { 'Retry-After': String(f.seconds) })
    return null
  })
}
