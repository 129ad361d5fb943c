/**
 * What the servers in front of any shop do to a long read, for the platform mocks: a plan of
 * periodic faults plus queued one-shots, and the answers every platform shares (a slow or
 * dropped connection, a proxy's 429 and 502 pages, a challenge page, JSON cut in half). A mock
 * answers its platform's own faults (its 5xx body, a maintenance page) itself.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpBindings } from '@hono/node-server'

export interface PlannedFault<K extends string> {
  kind: K
  /** Retry-After of a 429 or 503 */
  seconds: number
}

/**
 * The fault request `n` gets: the queued one-shots first, then the periodic plan — `every` lists
 * [option, kind] in priority order; request n gets `kind` when n % plan[option] === 0.
 */
export function nextPlannedFault<F extends { retryAfterSeconds?: number }, K extends string>(
  plan: F,
  every: ReadonlyArray<readonly [keyof F, K]>,
  queued: Array<PlannedFault<K>>,
  n: number,
): PlannedFault<K> | null {
  const once = queued.shift()
  if (once) return once
  for (const [option, kind] of every) {
    const k = plan[option]
    if (typeof k === 'number' && k > 0 && n % k === 0) return { kind, seconds: plan.retryAfterSeconds ?? 1 }
  }
  return null
}

const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
const NGINX_429 = '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/** A dropped connection: over HTTP the socket is destroyed; in-process (no socket) fetch fails as undici does. */
export function dropConnection(env: Partial<HttpBindings> | undefined): Response {
  const socket = env?.incoming?.socket
  if (!socket) throw new TypeError('fetch failed')
  socket.destroy()
  return new Response(null, { status: 500 })
}

export const htmlResponse = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/html', ...headers } })

export interface FaultAnswerContext {
  req: Request
  env: Partial<HttpBindings> | undefined
  /** every answer waits this long (real time) */
  delayMs?: number
  /** how long a `slow` answer takes (real time, default 30 s) */
  slowMs?: number
  /** the 200 HTML page of `html_page` (a CDN's challenge or a host's maintenance page) */
  challengePage: string
  serve(): Response | Promise<Response>
}

/**
 * The answer to a request with `fault`: `own` answers the platform's own kinds (return null for
 * the shared ones: slow, reset, rate_limit, html_error, html_page, broken_json).
 */
export async function answerWithFault<K extends string>(
  fault: PlannedFault<K> | null,
  c: FaultAnswerContext,
  own: (fault: PlannedFault<K>) => Response | Promise<Response> | null,
): Promise<Response> {
  if (c.delayMs) await sleep(c.delayMs, undefined, { signal: c.req.signal })
  if (!fault) return c.serve()
  const mine = await own(fault)
  if (mine) return mine
  switch (fault.kind as string) {
    case 'slow':
      await sleep(c.slowMs ?? 30_000, undefined, { signal: c.req.signal })
      return c.serve()
    case 'reset':
      return dropConnection(c.env)
    case 'rate_limit':
      return htmlResponse(429, NGINX_429, { 'Retry-After': String(fault.seconds) })
    case 'html_error':
      return htmlResponse(502, NGINX_502)
    case 'html_page':
      return htmlResponse(200, c.challengePage)
    case 'broken_json': {
      const res = await c.serve()
      if (res.status !== 200) return res
      const text = await res.text()
      return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: 200, headers: res.headers })
    }
  }
  throw new Error(`the mock has no answer for the fault ${fault.kind}`)
}
