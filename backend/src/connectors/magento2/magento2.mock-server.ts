/**
 * A strict stand-in for a Magento 2.4 shop's REST API (/rest[/<store code>]/V1/…), in the order
 * Webapi\Controller\Rest handles a request: the store code in the path (PathProcessor), the
 * route (404 "Request does not match any route."), authentication and the integration's ACL
 * (magento2.mock-oauth.ts; 401 "The consumer isn't authorized to access %resources."), GET with
 * store code `all` (400), the searchCriteria (magento2.mock-search.ts), then the answer. Faults
 * can be planned and changed while it runs; customers can register and be deleted mid-read.
 * `/index.php/rest/…` always answers; `/rest/…` unless `rewrites: false`. In-process via
 * `fetch(req)`; over a real socket via startMagentoMock (magento2.mock-http.ts).
 */
import type { HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { deleteCustomer, registerCustomer } from './magento2.mock-data.ts'
import { applyFault, nextFault, type MagentoFault, type MagentoFaultKind, type MagentoFaults } from './magento2.mock-faults.ts'
import { allowed, createMagentoMockAuth, type MagentoFailure, type MagentoMockIntegration } from './magento2.mock-oauth.ts'
import { findByKey, keyOrder, keyRange } from '../mock-kit/key-order.ts'
import { applySearch, checkFields, echoCriteria, idWindow, MagentoInputError, pageBounds, readSearchCriteria, type Row } from './magento2.mock-search.ts'
import type { MagentoCustomerRecord, MagentoDataset } from './magento2.records.ts'

export type { MagentoFaults, MagentoFaultKind, MagentoMockIntegration }

export interface MagentoMockOptions {
  data: MagentoDataset
  integrations: MagentoMockIntegration[]
  /** Stores > Configuration > Services > OAuth > "Allow OAuth Access Tokens to be used as standalone Bearer tokens" (off by default) */
  bearerEnabled?: boolean
  /** seconds since epoch for the nonce's timestamp check (real time by default) */
  clock?: () => number
  faults?: MagentoFaults
  /** false: the web server has no /rest rewrite (only /index.php/rest reaches Magento) */
  rewrites?: boolean
}

export interface MagentoMockState {
  requests: number
  /** requests that reached a route, by "METHOD /V1/route" */
  byRoute: Record<string, number>
  /** requests answered with an injected fault */
  faulted: number
  /** authenticated requests by way (anonymous: no integration recognised) */
  byAuth: { oauth: number; bearer: number; anonymous: number }
  /** refusals by Magento's raw message */
  refused: Record<string, number>
}

export interface MagentoMock {
  fetch(req: Request): Promise<Response>
  state: MagentoMockState
  data: MagentoDataset
  integrations: MagentoMockIntegration[]
  setFaults(f: MagentoFaults): void
  /** the next `n` requests get `kind` (rate_limit / maintenance ask for `retryAfterSeconds`) */
  failNext(n: number, kind: MagentoFaultKind, retryAfterSeconds?: number): void
  setBearerEnabled(on: boolean): void
  /** the integration's access token is revoked (or the integration deactivated with active: false) */
  revokeToken(consumerId: number): void
  /** a customer registers now (entity_id above all); answers its id */
  registerCustomer(): string
  deleteCustomer(id: number): void
  /** nonces Magento remembers for a consumer */
  noncesOf(consumerId: number): number
}

interface Route {
  pattern: RegExp
  /** the name in state.byRoute */
  name: string
  resource: string
  serve(m: RegExpExecArray, url: URL): Response
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' }
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: JSON_TYPE })
export const failureResponse = (f: MagentoFailure) =>
  json(f.status, { message: f.message, ...(f.errors ? { errors: f.errors } : {}), ...(f.parameters === undefined ? {} : { parameters: f.parameters }) })
const STOREFRONT_404 = '<!doctype html>\n<html lang="pl"><head><title>404 Not Found</title></head><body class="cms-no-route"><h1>Whoops, our bad...</h1></body></html>'

/** the customer columns a search may filter and sort on (static attributes of customer_entity) */
const CUSTOMER_FIELDS = ['entity_id', 'email', 'firstname', 'lastname', 'group_id', 'store_id', 'website_id', 'created_at', 'updated_at', 'dob', 'taxvat', 'gender', 'created_in']
const GROUP_FIELDS = ['id', 'code', 'tax_class_id']

/** customers by entity_id, kept between requests (../mock-kit/key-order.ts) */
const byId = keyOrder((c: MagentoCustomerRecord) => c.id)

/** the in-process handler with the node bindings, for startMagentoMock */
export const magentoMockHandlers = new WeakMap<MagentoMock, (req: Request, env?: Partial<HttpBindings>) => Promise<Response>>()

export function createMagentoMock(opts: MagentoMockOptions): MagentoMock {
  const state: MagentoMockState = { requests: 0, byRoute: {}, faulted: 0, byAuth: { oauth: 0, bearer: 0, anonymous: 0 }, refused: {} }
  let faults: MagentoFaults = { ...opts.faults }
  const queued: MagentoFault[] = []
  let bearerEnabled = opts.bearerEnabled ?? false
  const clock = opts.clock ?? (() => Math.floor(Date.now() / 1000))
  const auth = createMagentoMockAuth(() => mock.integrations)
  const refuse = (f: MagentoFailure) => {
    state.refused[f.message] = (state.refused[f.message] ?? 0) + 1
    return failureResponse(f)
  }

  /** the e-mails (lower case) of the subscriber rows with status 1, kept while the rows stay the same (push, filter, reassignment change them) */
  let subscribedCache: { rows: MagentoDataset['subscribers']; length: number; first: unknown; last: unknown; emails: Set<string> } | null = null
  function subscribedEmails(): Set<string> {
    const rows = mock.data.subscribers
    const c = subscribedCache
    if (c && c.rows === rows && c.length === rows.length && c.first === rows[0] && c.last === rows.at(-1)) return c.emails
    const emails = new Set(rows.filter((s) => s.status === 1).map((s) => s.email.toLowerCase()))
    subscribedCache = { rows, length: rows.length, first: rows[0], last: rows.at(-1), emails }
    return emails
  }

  /** Newsletter's CustomerPlugin::afterGetList: is_subscribed from the subscriber row with status 1 */
  function render(c: MagentoCustomerRecord): Row {
    const subscribed = subscribedEmails().has(c.email.toLowerCase())
    const addresses = c.addresses.map(({ default_billing: _b, default_shipping: _s, ...a }) => ({
      ...a,
      ...(String(a.id) === c.default_shipping ? { default_shipping: true } : {}),
      ...(String(a.id) === c.default_billing ? { default_billing: true } : {}),
    }))
    return { ...c, addresses, extension_attributes: { is_subscribed: subscribed } }
  }

  const search = (rows: Row[], url: URL, fields: string[], out: (r: Row) => Row) => {
    const criteria = readSearchCriteria(url.search)
    const page = applySearch(rows, criteria, fields)
    return json(200, { items: page.items.map(out), search_criteria: echoCriteria(criteria), total_count: page.total_count })
  }
  const customerRows = () => [...mock.data.customers].sort((a, b) => a.id - b.id).map((c) => ({ ...c, entity_id: c.id }) as Row)
  /** the first customer with this id in the array's order (a binary search in the id order when there is one) */
  const customerById = (id: number) => {
    const ordered = byId.of(mock.data.customers)
    return ordered ? findByKey(byId, ordered, id) : mock.data.customers.find((c) => c.id === id)
  }
  /**
   * The customers search. A keyset read (entity_id window, by entity_id) is served from the id
   * order kept between requests: a page costs its size. Any other search filters and sorts every
   * customer, as Magento's collection would.
   */
  const searchCustomers = (url: URL) => {
    const criteria = readSearchCriteria(url.search)
    checkFields(criteria, CUSTOMER_FIELDS)
    const window = idWindow(criteria, 'entity_id')
    const ordered = window ? byId.of(mock.data.customers) : null
    // backwards, or the customer a row stands for, is exact only when no two customers share an id
    if (!window || !ordered || !ordered.strict) return search(customerRows(), url, CUSTOMER_FIELDS, (r) => render(customerById(r.entity_id as number)!))
    const [lo, hi] = keyRange(byId, ordered, window.bounds)
    const total = hi - lo
    const [from, to] = pageBounds(total, criteria)
    const at = (i: number) => ordered.rows[window.desc ? hi - 1 - i : lo + i]!
    const items = Array.from({ length: to - from }, (_, i) => render(at(from + i)))
    return json(200, { items, search_criteria: echoCriteria(criteria), total_count: total })
  }
  const noSuchEntity = (fieldName: string, fieldValue: number) => refuse({ status: 404, message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName, fieldValue } })

  const routes: Route[] = [
    {
      pattern: /^\/V1\/customers\/search$/,
      name: 'GET /V1/customers/search',
      resource: 'Magento_Customer::customer',
      serve: (_m, url) => searchCustomers(url),
    },
    {
      pattern: /^\/V1\/customers\/(\d+)$/,
      name: 'GET /V1/customers/:customerId',
      resource: 'Magento_Customer::customer',
      serve: (m) => {
        const c = customerById(Number(m[1]))
        return c ? json(200, render(c)) : noSuchEntity('customerId', Number(m[1]))
      },
    },
    {
      pattern: /^\/V1\/customerGroups\/search$/,
      name: 'GET /V1/customerGroups/search',
      resource: 'Magento_Customer::group',
      serve: (_m, url) => search([...mock.data.groups].sort((a, b) => a.id - b.id) as unknown as Row[], url, GROUP_FIELDS, (r) => r),
    },
    {
      pattern: /^\/V1\/customerGroups\/(\d+)$/,
      name: 'GET /V1/customerGroups/:id',
      resource: 'Magento_Customer::group',
      serve: (m) => {
        const g = mock.data.groups.find((x) => x.id === Number(m[1]))
        return g ? json(200, g) : noSuchEntity('id', Number(m[1]))
      },
    },
    {
      pattern: /^\/V1\/store\/storeConfigs$/,
      name: 'GET /V1/store/storeConfigs',
      // anonymous in webapi.xml before 2.3; Magento_Backend::stores since (WebapiSecurity lists it) [I]
      resource: 'Magento_Backend::stores',
      serve: (_m, url) => {
        const codes = [...url.searchParams].filter(([k]) => /^storeCodes(\[\d*\])?$/.test(k)).map(([, v]) => v)
        return json(200, mock.data.storeConfigs.filter((s) => codes.length === 0 || codes.includes(s.code)))
      },
    },
  ]

  function rest(req: Request, url: URL, rawPath: string): Response {
    // PathProcessor: a known store code (or `all`) as the first segment sets the store and is cut off
    const [first = '', ...rest] = rawPath.replace(/^\/+/, '').split('/')
    const known = first === 'all' || mock.data.storeConfigs.some((s) => s.code === first)
    const path = `/${(known ? rest : [first, ...rest]).join('/')}`.replace(/\/+$/, '')
    const route = req.method === 'GET' ? routes.find((r) => r.pattern.test(path)) : undefined
    if (!route) return refuse({ status: 404, message: 'Request does not match any route.' })
    state.byRoute[route.name] = (state.byRoute[route.name] ?? 0) + 1
    const who = auth.authenticate({ method: req.method, url, authorization: req.headers.get('authorization') ?? '', nowSeconds: clock(), bearerEnabled })
    if (who.kind === 'error') return refuse(who.failure)
    state.byAuth[who.kind === 'integration' ? who.via : 'anonymous']++
    if (who.kind !== 'integration' || !allowed(who.integration, route.resource)) {
      return refuse({ status: 401, message: "The consumer isn't authorized to access %resources.", parameters: { resources: route.resource } })
    }
    if (first === 'all') return refuse({ status: 400, message: "Cannot perform GET operation with store code 'all'" })
    try {
      return route.serve(route.pattern.exec(path)!, url)
    } catch (e) {
      if (e instanceof MagentoInputError) return refuse(e.failure)
      throw e
    }
  }

  const app = new Hono<{ Bindings: Partial<HttpBindings> }>()
  // /rest is the web server's rewrite to index.php; the front controller also answers at /index.php/rest
  app.all('/index.php/rest/*', (c) => {
    const url = new URL(c.req.url)
    return rest(c.req.raw, url, url.pathname.slice('/index.php/rest'.length))
  })
  if (opts.rewrites !== false) {
    app.all('/rest/*', (c) => {
      const url = new URL(c.req.url)
      return rest(c.req.raw, url, url.pathname.slice('/rest'.length))
    })
  }
  app.notFound((c) => c.html(STOREFRONT_404, 404))

  async function handle(req: Request, env?: Partial<HttpBindings>): Promise<Response> {
    const n = ++state.requests
    const fault = nextFault(faults, queued, n)
    if (fault) state.faulted++
    return applyFault(fault, { req, env, faults, serve: () => app.fetch(req, env ?? {}) })
  }

  const mock: MagentoMock = {
    fetch: (req) => handle(req),
    state,
    data: opts.data,
    integrations: opts.integrations.map((i) => ({ ...i })),
    setFaults: (f) => void (faults = { ...f }),
    failNext: (n, kind, seconds = 1) => {
      for (let i = 0; i < n; i++) queued.push({ kind, seconds })
    },
    setBearerEnabled: (on) => void (bearerEnabled = on),
    revokeToken: (consumerId) => {
      for (const i of mock.integrations) if (i.id === consumerId) i.revoked = true
    },
    registerCustomer: () => registerCustomer(mock.data),
    deleteCustomer: (id) => deleteCustomer(mock.data, id),
    noncesOf: (consumerId) => auth.noncesOf(consumerId),
  }
  magentoMockHandlers.set(mock, handle)
  return mock
}
