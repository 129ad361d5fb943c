/**
 * The mock's fault plan: what a PrestaShop shop and the servers in front of it do to a long
 * read. PrestaShop itself has no rate limiter; a 429 here is a host's or proxy's.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpBindings } from '@hono/node-server'
import { renderErrors, type OutputFormat } from './prestashop.mock-render.ts'

export type FaultKind = 'server_error' | 'rate_limit' | 'slow' | 'reset' | 'html_error' | 'html_page' | 'invalid_json'

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
  invalidJsonEvery?: number
}

const EVERY: Array<[keyof PrestaShopFaults, FaultKind]> = [
  ['resetEvery', 'reset'],
  ['slowEvery', 'slow'],
  ['status429Every', 'rate_limit'],
  ['serverErrorEvery', 'server_error'],
  ['htmlErrorEvery', 'html_error'],
  ['htmlPageEvery', 'html_page'],
  ['invalidJsonEvery', 'invalid_json'],
]

export interface Fault {
  kind: FaultKind
  seconds: number
}

/** the fault request `n` gets: the queued one-shots first, then the periodic plan */
export function nextFault(f: PrestaShopFaults, queued: Fault[], n: number): Fault | null {
  const once = queued.shift()
  if (once) return once
  for (const [k, kind] of EVERY) {
    const every = f[k]
    if (every !== undefined && every > 0 && n % every === 0) return { kind, seconds: f.retryAfterSeconds ?? 1 }
  }
  return null
}

const HTML_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
const HTML_429 = '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
const HTML_PAGE = '<!DOCTYPE html><html lang="pl"><head><title>Sprawdzanie przeglądarki…</title></head><body><p>Chwileczkę…</p></body></html>'
/** WebserviceRequest::webserviceErrorHandler(): a PHP warning during the call becomes a 500, code 3 */
const PHP_WARNING = '[PHP Warning #2] mysqli::query(): MySQL server has gone away (/var/www/html/classes/db/DbMySQLi.php, line 136)'

export interface FaultContext {
  req: Request
  env: Partial<HttpBindings> | undefined
  faults: PrestaShopFaults
  format: OutputFormat
  serve(): Response | Promise<Response>
}

export async function applyFault(fault: Fault | null, c: FaultContext): Promise<Response> {
  if (c.faults.delayMs) await sleep(c.faults.delayMs, undefined, { signal: c.req.signal })
  const html = (status: number, body: string, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { 'Content-Type': 'text/html', ...headers } })
  switch (fault?.kind) {
    case undefined:
      return c.serve()
    case 'slow':
      await sleep(c.faults.slowMs ?? 30_000, undefined, { signal: c.req.signal })
      return c.serve()
    case 'reset': {
      const socket = c.env?.incoming?.socket
      if (!socket) throw new TypeError('fetch failed')
      socket.destroy()
      return new Response(null, { status: 500 })
    }
    case 'rate_limit':
      return html(429, HTML_429, { 'Retry-After': String(fault.seconds) })
    case 'server_error': {
      const e = renderErrors([{ code: 3, message: PHP_WARNING }], { format: c.format })
      return new Response(e.body, { status: 500, headers: { 'Content-Type': e.type, 'X-Powered-By': 'PrestaShop Webservice' } })
    }
    case 'html_error':
      return html(502, HTML_502)
    case 'html_page':
      return html(200, HTML_PAGE)
    case 'invalid_json': {
      const res = await c.serve()
      if (res.status !== 200) return res
      const text = await res.text()
      return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: 200, headers: res.headers })
    }
  }
}
