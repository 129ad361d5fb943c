/**
 * A strict stand-in for a WordPress + WooCommerce shop's GET /wc/v3/customers, in the order
 * WordPress handles a REST request: authentication (woocommerce.mock-auth.ts), the key's read
 * permission (rest_pre_dispatch), the route, the params (400), the permission callback (401/403),
 * then the list (woocommerce.mock-query.ts). Faults can be planned and changed while it runs;
 * customers can be added and deleted mid-read. In-process via `fetch(req)`, or over a real
 * socket via startWooCommerceMock (plain HTTP there, so clients must sign with OAuth 1.0a).
 */
import { dropConnection } from '../mock-kit/fault-plan.ts'
import { maxOf } from '../mock-kit/key-order.ts'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { serve, type HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { createWooMockAuth, type WooMockKey } from './woocommerce.mock-auth.ts'
import { listCustomers, parseListParams, WP_CORE_ROLES, type WooRestError } from './woocommerce.mock-query.ts'
import { blankWooCustomer, type WooCustomerRecord } from './woocommerce.types.ts'

export type { WooMockKey } from './woocommerce.mock-auth.ts'

/** One planned misbehaviour of the host in front of WooCommerce (or of PHP itself). */
export type WooFault =
  | { kind: 'server_error' }
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  | { kind: 'html_error' }
  | { kind: 'broken_json' }
  | { kind: 'reset' }
  | { kind: 'slow'; ms: number }

/** Recurring faults: request n gets the fault when n % every === 0 (first match in this order). */
export interface WooFaults {
  resetEvery?: number
  rateLimitEvery?: number
  retryAfterSeconds?: number
  serverErrorEvery?: number
  htmlErrorEvery?: number
  brokenJsonEvery?: number
  slowEvery?: number
  slowMs?: number
  /** every answer waits this long (real time) */
  delayMs?: number
}

export interface WooMockOptions {
  customers: WooCustomerRecord[]
  keys: WooMockKey[]
  /** is_ssl(): 'https' reads Basic and query keys; 'http' only OAuth 1.0a (default 'https') */
  scheme?: 'https' | 'http'
  /** the web server drops the Authorization header before PHP sees it */
  stripAuthorization?: boolean
  /** false: /wp-json is no route (plain permalinks); only /?rest_route= reaches the API */
  prettyPermalinks?: boolean
  /** false: WordPress without WooCommerce active (wc/v3 answers rest_no_route) */
  woocommerce?: boolean
  /** a plugin (woocommerce_rest_customer_query) silently serving at most this many rows a page */
  perPageCap?: number
  /** seconds since epoch for the OAuth timestamp window (real time by default) */
  clock?: () => number
  faults?: WooFaults
}

export interface WooMockState {
  requests: number
  faulted: number
  /** answered lists by the way the key came */
  byAuth: { basic: number; query: number; oauth: number }
  /** 4xx answers, by WordPress error code */
  refused: Record<string, number>
}

export interface WooCommerceMock {
  fetch(req: Request): Promise<Response>
  state: WooMockState
  customers: WooCustomerRecord[]
  setFaults(f: WooFaults): void
  /** the next `n` requests get `fault`, then the plan applies again */
  failNext(n: number, fault: WooFault): void
  /** someone registers now: a new id above all; answers it */
  addCustomer(over?: Partial<WooCustomerRecord>): number
  deleteCustomer(id: number): boolean
}

/** wp_die() for a PHP fatal error on a REST request (WP_Fatal_Error_Handler) */
const PHP_FATAL = {
  code: 'internal_server_error',
  message: '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>',
  data: { status: 500 },
  additional_errors: [],
}
const HTML_404 = '<!DOCTYPE html><html lang="pl-PL"><head><title>Nie znaleziono strony – Sklep</title></head><body class="error404"><h1>Nie znaleziono strony</h1></body></html>'
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'
const HTML_429 = '<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1></center><hr><center>nginx</center></body></html>'

const wpError = (status: number, code: string, message: string): WooRestError => ({ status, body: { code, message, data: { status } } })
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=UTF-8', ...headers } })
const html = (body: string, status: number, headers: Record<string, string> = {}) => new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=UTF-8', ...headers } })

const handlers = new WeakMap<WooCommerceMock, (req: Request, env?: Partial<HttpBindings>) => Promise<Response>>()

export function createWooCommerceMock(opts: WooMockOptions): WooCommerceMock {
  const ssl = (opts.scheme ?? 'https') === 'https'
  const clock = opts.clock ?? (() => Math.floor(Date.now() / 1000))
  const auth = createWooMockAuth(opts.keys)
  const state: WooMockState = { requests: 0, faulted: 0, byAuth: { basic: 0, query: 0, oauth: 0 }, refused: {} }
  let faults: WooFaults = { ...opts.faults }
  const queued: WooFault[] = []

  const refuse = (e: WooRestError) => {
    state.refused[e.body.code] = (state.refused[e.body.code] ?? 0) + 1
    return json(e.body, e.status)
  }

  /** one REST request for `route` (e.g. "/wc/v3/customers") */
  function rest(req: Request, url: URL, route: string): Response {
    const who = auth.authenticate({
      method: req.method,
      url,
      authorization: opts.stripAuthorization ? '' : (req.headers.get('authorization') ?? ''),
      ssl,
      // get_home_url( …, is_ssl() ? 'https' : 'http' ): the scheme PHP believes in, not the one asked
      home: `${ssl ? 'https' : 'http'}://${url.host}`,
      nowSeconds: clock(),
    })
    if (who.kind === 'error') return refuse(wpError(401, who.code, who.message))
    // check_user_permissions on rest_pre_dispatch: before the route is even looked up
    if (who.kind === 'user' && req.method === 'GET' && who.key.permissions === 'write') {
      return refuse(wpError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.'))
    }
    if (route.replace(/\/+$/, '') !== '/wc/v3/customers' || opts.woocommerce === false || req.method !== 'GET') {
      return refuse(wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.'))
    }
    const params = parseListParams(url.searchParams, rolesFor(url.searchParams.get('role')))
    if ('status' in params) return refuse(params)
    // rest_authorization_required_code(): 401 to a stranger, 403 to a user without the capability
    if (who.kind === 'anonymous') return refuse(wpError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'))
    if (who.key.manager === false) return refuse(wpError(403, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'))
    state.byAuth[who.method]++
    const { rows, total, offset } = listCustomers(mock.customers, { ...params, perPage: Math.min(params.perPage, opts.perPageCap ?? Infinity) })
    const pages = Math.ceil(total / params.perPage)
    const page = Math.ceil(offset / params.perPage + 1)
    // rest_url() + add_query_arg( $request->get_query_params() ): keys sent in the query come back in it
    const link = (n: number) => {
      const u = new URL(url.pathname.startsWith('/wp-json/') ? `${url.origin}/wp-json/wc/v3/customers` : `${url.origin}/?rest_route=/wc/v3/customers`)
      for (const [k, v] of url.searchParams) if (k !== 'rest_route') u.searchParams.set(k, v)
      u.searchParams.set('page', String(n))
      return u.toString()
    }
    const links = [...(page > 1 ? [`<${link(Math.min(page - 1, pages))}>; rel="prev"`] : []), ...(pages > page ? [`<${link(page + 1)}>; rel="next"`] : [])]
    const body = rows.map((c) => ({ ...c, _links: { self: [{ href: `${url.origin}/wp-json/wc/v3/customers/${c.id}` }], collection: [{ href: `${url.origin}/wp-json/wc/v3/customers` }] } }))
    return json(body, 200, { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(pages), ...(links.length ? { Link: links.join(', ') } : {}) })
  }

  const app = new Hono()
    // plain permalinks: the API is only reachable as /?rest_route=…, /wp-json is a theme 404
    .all('/wp-json/*', (c) => (opts.prettyPermalinks === false ? html(HTML_404, 404) : rest(c.req.raw, new URL(c.req.url), c.req.path.slice('/wp-json'.length))))
    .all('/', (c) => {
      const restRoute = c.req.query('rest_route')
      return restRoute ? rest(c.req.raw, new URL(c.req.url), restRoute) : html(HTML_404, 404)
    })
    .notFound(() => html(HTML_404, 404))

  function planned(n: number): WooFault | null {
    const next = queued.shift()
    if (next) return next
    const f = faults
    const every = (k: number | undefined) => k !== undefined && k > 0 && n % k === 0
    if (every(f.resetEvery)) return { kind: 'reset' }
    if (every(f.rateLimitEvery)) return { kind: 'rate_limit', retryAfterSeconds: f.retryAfterSeconds }
    if (every(f.serverErrorEvery)) return { kind: 'server_error' }
    if (every(f.htmlErrorEvery)) return { kind: 'html_error' }
    if (every(f.brokenJsonEvery)) return { kind: 'broken_json' }
    if (every(f.slowEvery)) return { kind: 'slow', ms: f.slowMs ?? 30_000 }
    return null
  }

  /**
   * The roles `role` may name: WordPress's own and every customer's. Only a role outside the core
   * ones needs the customers' (a look at all of them); for `all`, a core role or none the answer
   * is the same either way.
   */
  function rolesFor(asked: string | null): string[] {
    const core: readonly string[] = WP_CORE_ROLES
    if (asked === null || asked === 'all' || core.includes(asked)) return [...core]
    return [...new Set<string>([...core, ...mock.customers.map((c) => c.role)])]
  }

  /** the host in front of PHP: planned faults first, then WordPress */
  async function handle(req: Request, env?: Partial<HttpBindings>): Promise<Response> {
    state.requests += 1
    const n = state.requests
    if (faults.delayMs) await sleep(faults.delayMs, undefined, { signal: req.signal })
    const fault = planned(n)
    if (fault) state.faulted++
    switch (fault?.kind) {
      case 'reset':
        return dropConnection(env)
      case 'rate_limit':
        return html(HTML_429, 429, { 'Retry-After': String(fault.retryAfterSeconds ?? 1) })
      case 'server_error':
        return json(PHP_FATAL, 500)
      case 'html_error':
        return html(HTML_502, 502)
      case 'slow':
        await sleep(fault.ms, undefined, { signal: req.signal })
        break
    }
    const res = await app.fetch(req)
    if (fault?.kind === 'broken_json' && res.status === 200) {
      const text = await res.text()
      return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: 200, headers: res.headers })
    }
    return res
  }

  const mock: WooCommerceMock = {
    fetch: (req) => handle(req),
    state,
    customers: opts.customers,
    setFaults: (f) => void (faults = { ...f }),
    failNext: (n, fault) => {
      for (let i = 0; i < n; i++) queued.push(fault)
    },
    addCustomer: (over = {}) => {
      const id = maxOf(mock.customers, (c) => c.id) + 1
      const now = new Date(clock() * 1000).toISOString().slice(0, 19)
      const template = mock.customers.find((c) => c.role === 'customer')
      const base = template ? structuredClone(template) : blankWooCustomer(id)
      mock.customers.push({ ...base, role: 'customer', email: `nowy.klient${id}@example.com`, username: `nowy.klient${id}`, date_created: now, date_created_gmt: now, ...over, id })
      return id
    },
    deleteCustomer: (id) => {
      const i = mock.customers.findIndex((c) => c.id === id)
      if (i >= 0) mock.customers.splice(i, 1)
      return i >= 0
    },
  }
  handlers.set(mock, handle)
  return mock
}

export interface RunningWooCommerceMock {
  url: string
  mock: WooCommerceMock
  close(): Promise<void>
}

/** Over a real socket: plain HTTP, so is_ssl() is false and only OAuth 1.0a gets in. */
export async function startWooCommerceMock(opts: Omit<WooMockOptions, 'scheme'> & { port: number; hostname?: string }): Promise<RunningWooCommerceMock> {
  const mock = createWooCommerceMock({ ...opts, scheme: 'http' })
  const handle = handlers.get(mock)!
  const hostname = opts.hostname ?? '127.0.0.1'
  let server: Server | undefined
  const info = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: (req, env) => handle(req, env as HttpBindings), port: opts.port, hostname }, resolve) as Server
    server.once('error', reject)
  })
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  return {
    url: `http://${host}:${info.port}`,
    mock,
    close: () =>
      new Promise<void>((done) => {
        server!.close(() => done())
        server!.closeAllConnections()
      }),
  }
}
