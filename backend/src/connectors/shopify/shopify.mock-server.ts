/**
 * A strict stand-in for a Shopify shop's Admin API: the client-credentials token endpoint (tokens
 * that expire on an injectable clock), X-Shopify-Access-Token checks, POST
 * /admin/api/{version}/graphql.json for supported versions only (404 {"errors":"Not Found"} for
 * others, as Shopify answers an unknown version), a real (small) GraphQL evaluation of what is sent
 * (shopify.mock-graphql/-exec/-schema.ts), the calculated cost and a leaky bucket per app with
 * `extensions.cost` on every evaluated answer, THROTTLED and MAX_COST_EXCEEDED, scope and
 * protected-data checks, a fault plan, and customers registering or disappearing mid-read.
 * In-process via `fetch(req)`, or over a socket via startShopifyMock (shopify.mock-http.ts).
 */
import { randomBytes } from 'node:crypto'
import type { HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { maxOf } from '../mock-kit/key-order.ts'
import { createFaultPlan, cutOff, faultAnswer, type ShopifyFault, type ShopifyMockFaults } from './shopify.mock-faults.ts'
import { execute, requestedCost, validate, withDefaults } from './shopify.mock-exec.ts'
import { GqlSyntaxError, parseQuery } from './shopify.mock-graphql.ts'
import { shopifySchema, type MockShopData } from './shopify.mock-schema.ts'
import type { ShopifyCustomerRecord } from './shopify.types.ts'

export type { ShopifyFault, ShopifyMockFaults } from './shopify.mock-faults.ts'

export interface ShopifyMockApp {
  clientId: string
  clientSecret: string
  scopes: string[]
  /** approved for protected customer data (name, e-mail, phone, address); default true */
  protectedData?: boolean
  /** false: app and shop are in different organizations (shop_not_permitted); default true */
  sameOrganization?: boolean
}

/** a legacy custom app's Admin API token (shpat_…), made before 2026-01-01; it does not expire */
export interface ShopifyMockLegacyToken {
  token: string
  scopes: string[]
  protectedData?: boolean
}

export interface ShopifyMockOptions {
  customers: ShopifyCustomerRecord[]
  apps?: ShopifyMockApp[]
  legacyTokens?: ShopifyMockLegacyToken[]
  shopName?: string
  myshopifyDomain?: string
  /** versions served; anything else answers 404 */
  versions?: readonly string[]
  /** the cost bucket per app: a Standard plan's by default (2 000 points, 100 a second) */
  bucket?: { maximumAvailable: number; restoreRate: number }
  /** lifetime of granted tokens (Shopify: 86 399 s) */
  tokenLifetimeSeconds?: number
  /** ms since epoch: token expiry and bucket refill (real time by default) */
  clock?: () => number
  faults?: ShopifyMockFaults
}

export interface ShopifyMockState {
  requests: number
  grants: number
  /** GraphQL queries answered with data */
  queries: number
  throttled: number
  /** refusals by kind: invalid_client, 401, ACCESS_DENIED, undefinedField, not_found_version… */
  refused: Record<string, number>
  /** requested cost of every query that ran */
  costs: number[]
}

export interface ShopifyMock {
  fetch(req: Request): Promise<Response>
  state: ShopifyMockState
  customers: ShopifyCustomerRecord[]
  setFaults(f: ShopifyMockFaults): void
  failNext(n: number, fault: ShopifyFault): void
  /** the next `n` queries find the bucket drained: THROTTLED, to be waited ≥ `seconds` */
  throttleNext(n: number, seconds: number): void
  /** every granted token dies now (as at expiry); legacy tokens live on */
  expireTokens(): void
  /** points available now in the bucket of an app (client ID) or legacy token */
  bucketOf(key: string): number
  /** someone registers now: a new id above all; answers its id */
  registerCustomer(over?: Partial<ShopifyCustomerRecord>): string
  deleteCustomer(id: number | string): boolean
}

/** the versions supported on 2026-12-03: four stable ones, the release candidate, unstable */
export const SUPPORTED_VERSIONS = ['2026-01', '2026-04', '2026-07', '2026-10', '2027-01', 'unstable'] as const
export const STANDARD_BUCKET = { maximumAvailable: 2000, restoreRate: 100 }
export const MAX_QUERY_COST = 1000
const TOKEN_LIFETIME_S = 86_399

const INVALID_TOKEN = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } })

export const mockHandlers = new WeakMap<ShopifyMock, (req: Request, env?: Partial<HttpBindings>) => Promise<Response>>()

export function createShopifyMock(opts: ShopifyMockOptions): ShopifyMock {
  const clock = opts.clock ?? (() => Date.now())
  const bucketSpec = opts.bucket ?? STANDARD_BUCKET
  const versions = new Set<string>(opts.versions ?? SUPPORTED_VERSIONS)
  const lifetime = opts.tokenLifetimeSeconds ?? TOKEN_LIFETIME_S
  const apps = opts.apps ?? []
  const legacy = opts.legacyTokens ?? []
  const plan = createFaultPlan(opts.faults)
  const state: ShopifyMockState = { requests: 0, grants: 0, queries: 0, throttled: 0, refused: {}, costs: [] }
  /** granted tokens → the app and the moment they die */
  const issued = new Map<string, { app: ShopifyMockApp; expiresAt: number }>()
  const buckets = new Map<string, { available: number; at: number }>()
  const schema = shopifySchema()
  const data: MockShopData = { name: opts.shopName ?? 'Sklep Testowy', myshopifyDomain: opts.myshopifyDomain ?? 'sklep-testowy.myshopify.com', customers: opts.customers }

  const refuse = (kind: string, res: Response) => {
    state.refused[kind] = (state.refused[kind] ?? 0) + 1
    return res
  }

  /** the bucket of `key`, refilled up to now */
  function bucket(key: string) {
    const now = clock()
    const b = buckets.get(key) ?? { available: bucketSpec.maximumAvailable, at: now }
    b.available = Math.min(bucketSpec.maximumAvailable, b.available + ((now - b.at) / 1000) * bucketSpec.restoreRate)
    b.at = now
    buckets.set(key, b)
    return b
  }
  const throttleStatus = (available: number) => ({ maximumAvailable: bucketSpec.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: bucketSpec.restoreRate })

  async function token(req: Request): Promise<Response> {
    const type = req.headers.get('content-type') ?? ''
    const raw = await req.text()
    let p: Record<string, unknown> = {}
    if (type.includes('application/json')) {
      try {
        p = JSON.parse(raw) as Record<string, unknown>
      } catch {
        p = {}
      }
    } else p = Object.fromEntries(new URLSearchParams(raw))
    const oauthError = (error: string, description: string) => refuse(error, json({ error, error_description: description }, 400))
    if (p.grant_type !== 'client_credentials') return oauthError('unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.')
    const app = apps.find((a) => a.clientId === p.client_id && a.clientSecret === p.client_secret)
    if (!app) return oauthError('invalid_client', 'Client authentication failed')
    if (app.sameOrganization === false) return oauthError('shop_not_permitted', 'Client credentials cannot be performed on this shop.')
    const value = randomBytes(16).toString('hex')
    issued.set(value, { app, expiresAt: clock() + lifetime * 1000 })
    state.grants++
    return json({ access_token: value, scope: app.scopes.join(','), expires_in: lifetime })
  }

  /** who sends this token: its scopes, protected-data approval and bucket key; null: nobody */
  function caller(value: string): { key: string; scopes: Set<string>; protectedData: boolean } | null {
    const grant = issued.get(value)
    if (grant && grant.expiresAt > clock()) return { key: grant.app.clientId, scopes: new Set(grant.app.scopes), protectedData: grant.app.protectedData !== false }
    const old = legacy.find((l) => l.token === value)
    return old ? { key: old.token, scopes: new Set(old.scopes), protectedData: old.protectedData !== false } : null
  }

  async function graphql(req: Request, version: string, n: number): Promise<Response> {
    if (!versions.has(version) || req.method !== 'POST') return refuse('not_found_version', json({ errors: 'Not Found' }, 404))
    const who = caller(req.headers.get('x-shopify-access-token') ?? '')
    if (!who) return refuse('401', json(INVALID_TOKEN, 401))
    const raw = await req.text()
    let body: { query?: unknown; variables?: unknown } = {}
    try {
      body = (req.headers.get('content-type') ?? '').includes('application/graphql') ? { query: raw } : (JSON.parse(raw) as typeof body)
    } catch {
      body = {}
    }
    if (typeof body.query !== 'string' || !body.query.trim()) return refuse('bad_request', json({ errors: { query: 'Required parameter missing or invalid' } }, 400))
    const sent = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {}
    let op
    try {
      op = parseQuery(body.query)
    } catch (e) {
      if (!(e instanceof GqlSyntaxError)) throw e
      return refuse('syntax', json({ errors: [{ message: e.message, locations: [{ line: e.line, column: e.column }] }] }))
    }
    const variables = withDefaults(op, sent)
    const invalid = validate(schema, op, variables)
    if (invalid.length > 0) {
      for (const e of invalid) state.refused[String(e.extensions?.code ?? 'invalid')] = (state.refused[String(e.extensions?.code ?? 'invalid')] ?? 0) + 1
      return json({ errors: invalid })
    }
    const cost = requestedCost(schema, op.selection, 'QueryRoot', variables)
    if (cost > MAX_QUERY_COST) {
      // the wording of Shopify's documented MAX_COST_EXCEEDED example
      const message = `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}). See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the cost of a query is calculated. To query larger amounts of data with fewer limits, bulk operations should be used instead. See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details. `
      return refuse('MAX_COST_EXCEEDED', json({ errors: [{ message, extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: MAX_QUERY_COST, documentation: 'https://shopify.dev/api/usage/rate-limits' } }] }))
    }
    const b = bucket(who.key)
    const drain = plan.takeThrottle(n)
    if (drain !== null) b.available = Math.max(0, Math.min(b.available, cost - drain * bucketSpec.restoreRate))
    if (b.available < cost) {
      state.throttled++
      return json({
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus(b.available) } },
      })
    }
    b.available -= cost
    const run = execute(schema, op, variables, { scopes: who.scopes, protectedData: who.protectedData }, data)
    // the unused part of the requested cost goes back into the bucket
    b.available = Math.min(bucketSpec.maximumAvailable, b.available + Math.max(0, cost - run.actualCost))
    for (const e of run.errors) state.refused[String(e.extensions?.code ?? 'error')] = (state.refused[String(e.extensions?.code ?? 'error')] ?? 0) + 1
    state.queries++
    state.costs.push(cost)
    const extensions = { cost: { requestedQueryCost: cost, actualQueryCost: run.actualCost, throttleStatus: throttleStatus(b.available) } }
    return json({ ...(run.errors.length ? { errors: run.errors } : {}), data: run.data, extensions })
  }

  const app = new Hono()
    .post('/admin/oauth/access_token', (c) => token(c.req.raw))
    .all('/admin/api/:version/graphql.json', (c) => graphql(c.req.raw, c.req.param('version'), state.requests))
    .all('/admin/*', () => json({ errors: 'Not Found' }, 404))
    .notFound(() => new Response('<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>404 Page Not Found</h1></body></html>', { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8' } }))

  /** the edge in front of Shopify: planned faults first, then the shop */
  async function handle(req: Request, env?: Partial<HttpBindings>): Promise<Response> {
    state.requests += 1
    const n = state.requests
    if (plan.faults.delayMs) await new Promise((r) => setTimeout(r, plan.faults.delayMs))
    const fault = plan.take(n)
    const faulted = await faultAnswer(fault, n, req, env)
    if (faulted) return faulted
    const res = await app.fetch(req)
    return fault?.kind === 'broken_json' ? cutOff(res) : res
  }

  const mock: ShopifyMock = {
    fetch: (req) => handle(req),
    state,
    customers: opts.customers,
    setFaults: (f) => plan.set(f),
    failNext: (n, fault) => plan.failNext(n, fault),
    throttleNext: (n, seconds) => plan.failNext(n, { kind: 'throttle', seconds }),
    expireTokens: () => {
      for (const t of issued.values()) t.expiresAt = Math.min(t.expiresAt, clock())
    },
    bucketOf: (key) => bucket(key).available,
    registerCustomer: (over = {}) => {
      const id = maxOf(mock.customers, (c) => c.id) + 1
      const now = new Date(clock()).toISOString().replace(/\.\d{3}Z$/, 'Z')
      mock.customers.push({
        id,
        firstName: 'Nowy',
        lastName: 'Klient',
        locale: 'pl',
        note: null,
        state: 'DISABLED',
        tags: [],
        createdAt: now,
        updatedAt: now,
        verifiedEmail: true,
        email: { emailAddress: `nowy.klient${id}@example.com`, marketingState: 'NOT_SUBSCRIBED', marketingOptInLevel: null, marketingUpdatedAt: null },
        phone: null,
        addresses: [],
        defaultAddressId: null,
        ...over,
      })
      return String(id)
    },
    deleteCustomer: (id) => {
      const i = mock.customers.findIndex((c) => c.id === Number(id))
      if (i >= 0) mock.customers.splice(i, 1)
      return i >= 0
    },
  }
  mockHandlers.set(mock, handle)
  return mock
}
