/**
 * The mock's fault plan: what a PrestaShop shop and the servers in front of it do to a long
 * read. PrestaShop itself has no rate limiter; a 429 here is a host's or proxy's.
 */
import type { HttpBindings } from '@hono/node-server'
import { answerWithFault, nextPlannedFault, type PlannedFault } from '../mock-kit/fault-plan.ts'
import { renderErrors, type OutputFormat } from './prestashop.mock-render.ts'

export type FaultKind = 'server_error' | 'rate_limit' | 'slow' | 'reset' | 'html_error' | 'html_page' | 'broken_json'

export interface PrestaShopFaults {
  /** every n-th request: HTTP 500 with the shop's error body (a PHP warning turned error, code 3) */
  serverErrorEvery?: number
  /** every n-th request: a host limiter's 429 with Retry-After `retryAfterSeconds` */
  status429Every?: number
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
  /** every n-th request: a 200 HTML page (a host's challenge or maintenance page) */
  htmlPageEvery?: number
  /** every n-th successful answer: its JSON cut in half */
  brokenJsonEvery?: number
}

const EVERY: ReadonlyArray<readonly [keyof PrestaShopFaults, FaultKind]> = [
  ['resetEvery', 'reset'],
  ['slowEvery', 'slow'],
  ['status429Every', 'rate_limit'],
  ['serverErrorEvery', 'server_error'],
  ['htmlErrorEvery', 'html_error'],
  ['htmlPageEvery', 'html_page'],
  ['brokenJsonEvery', 'broken_json'],
]

export type Fault = PlannedFault<FaultKind>

/** the fault request `n` gets: the queued one-shots first, then the periodic plan */
export function nextFault(f: PrestaShopFaults, queued: Fault[], n: number): Fault | null {
  return nextPlannedFault(f, EVERY, queued, n)
}

const CHALLENGE_PAGE = '<!DOCTYPE html><html lang="pl"><head><title>Sprawdzanie przeglądarki…</title></head><body><p>Chwileczkę…</p></body></html>'
/** WebserviceRequest::webserviceErrorHandler(): a PHP warning during the call becomes a 500, code 3 */
const PHP_WARNING = '[PHP Warning #2] mysqli::query(): MySQL server has gone away (/var/www/html/classes/db/DbMySQLi.php, line 136)'

export interface FaultContext {
  req: Request
  env: Partial<HttpBindings> | undefined
  faults: PrestaShopFaults
  format: OutputFormat
  serve(): Response | Promise<Response>
}

export function applyFault(fault: Fault | null, c: FaultContext): Promise<Response> {
  return answerWithFault(fault, { ...c, delayMs: c.faults.delayMs, slowMs: c.faults.slowMs, challengePage: CHALLENGE_PAGE }, (f) => {
    if (f.kind !== 'server_error') return null
    const e = renderErrors([{ code: 3, message: PHP_WARNING }], { format: c.format })
    return new Response(e.body, { status: 500, headers: { 'Content-Type': e.type, 'X-Powered-By': 'PrestaShop Webservice' } })
  })
}
