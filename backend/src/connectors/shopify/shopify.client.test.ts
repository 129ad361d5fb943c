/** The client against the strict mock and canned answers: the grant and its renewals, every answer → its code, cost waits. */
import { describe, expect, it } from 'vitest'
import { SourceError, type SourceEvent, type SourceHttpOptions } from '../connector.ts'
import { fakeTime } from '../../testing/fake-time.ts'
import { createShopifyClient, ShopifyCostError } from './shopify.client.ts'
import { ADDRESSES_PER_CUSTOMER, CHECK_QUERY, COUNT_COST, COUNT_QUERY, CUSTOMERS_QUERY, pageCost, SHOPIFY_API_VERSION, SHOPIFY_PAGE_SIZE } from './shopify.query.ts'
import { LEGACY_TOKEN, TEST_CLIENT_ID, TEST_CLIENT_SECRET, testShopifyShop } from './shopify.testing.ts'

const COUNT = { cost: COUNT_COST, what: 'the customer count' }
const DOMAIN = 'https://sklep.myshopify.com'
const APP = { domain: DOMAIN, clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET }
const GRANTED = 'f85632530bf277ec9ac6f649fc327f17'
const SECRETS = [TEST_CLIENT_SECRET, LEGACY_TOKEN, GRANTED]

type Canned = { status: number; body: unknown; headers?: Record<string, string> }
const cost = (requested: number, available: number, max = 2000, rate = 100, actual: number | null = requested) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate: rate } },
})
const ok: Canned = { status: 200, body: { data: { customersCount: { count: 3, precision: 'EXACT' } }, extensions: cost(1, 1999) } }
const gqlError = (code: string, message: string, extra: Record<string, unknown> = {}): Canned => ({
  status: 200,
  body: { errors: [{ message, extensions: { code, ...extra } }], data: null, extensions: cost(3, 1998) },
})
const grant: Canned = { status: 200, body: { access_token: GRANTED, scope: 'read_customers', expires_in: 86399 } }

/** a fetch answering the token endpoint with `token` and GraphQL with `answers` in turn (the last one repeats) */
function canned(answers: Canned[], token: Canned = grant) {
  const calls: Array<{ url: string; headers: Headers; body: string }> = []
  let i = 0
  const toResponse = (c: Canned) =>
    new Response(typeof c.body === 'string' ? c.body : JSON.stringify(c.body), { status: c.status, headers: { 'content-type': typeof c.body === 'string' ? 'text/html' : 'application/json', ...c.headers } })
  const fetch: SourceHttpOptions['fetch'] = async (url, init) => {
    calls.push({ url, headers: new Headers(init?.headers), body: String(init?.body ?? '') })
    if (url.endsWith('/admin/oauth/access_token')) return toResponse(token)
    return toResponse(answers[Math.min(i++, answers.length - 1)]!)
  }
  return { fetch, calls }
}

function httpOf(fetch: SourceHttpOptions['fetch']) {
  const time = fakeTime()
  const events: SourceEvent[] = []
  const http: SourceHttpOptions = { fetch, requestTimeoutMs: 1_000, retries: 2, minRetryDelayMs: 100, maxRetryDelayMs: 400, sleep: time.sleep, onEvent: (e) => events.push(e) }
  return { http, events, time }
}

/** the SourceError `p` fails with; no secret in its message */
async function failureOf(p: Promise<unknown>): Promise<SourceError> {
  const outcome: unknown = await p.then(() => 'no failure', (e: unknown) => e)
  if (!(outcome instanceof SourceError)) throw new Error(`expected a SourceError, got ${String(outcome)}`)
  for (const s of SECRETS) expect(outcome.message).not.toContain(s)
  return outcome
}

async function failWith(answers: Canned[], creds: Record<string, string> = APP, token?: Canned) {
  const { fetch, calls } = canned(answers, token)
  const { http, events } = httpOf(fetch)
  const error = await failureOf(createShopifyClient({ domain: DOMAIN, ...creds }, http).query(COUNT_QUERY, {}, COUNT))
  return { error, calls, events }
}

describe('shopify client: the client-credentials grant', () => {
  it('trades the client ID and secret for a token (form POST) and sends it as X-Shopify-Access-Token', async () => {
    const { fetch, calls } = canned([ok])
    const { http } = httpOf(fetch)
    const client = createShopifyClient(APP, http)
    expect(await client.query(COUNT_QUERY, {}, COUNT)).toMatchObject({ data: { customersCount: { count: 3 } } })
    expect(calls[0]!.url).toBe(`${DOMAIN}/admin/oauth/access_token`)
    expect(calls[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(calls[0]!.body))).toEqual({ grant_type: 'client_credentials', client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET })
    expect(calls[1]!.url).toBe(`${DOMAIN}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`)
    expect(calls[1]!.headers.get('x-shopify-access-token')).toBe(GRANTED)
    expect(JSON.parse(calls[1]!.body)).toEqual({ query: COUNT_QUERY, variables: {} })
    await client.query(COUNT_QUERY, {}, COUNT)
    expect(calls.filter((c) => c.url.endsWith('access_token'))).toHaveLength(1)
  })

  it('sends a legacy shpat_ token as is, without any grant', async () => {
    const { fetch, calls } = canned([ok])
    const client = createShopifyClient({ domain: DOMAIN, accessToken: LEGACY_TOKEN }, httpOf(fetch).http)
    await client.query(COUNT_QUERY, {}, COUNT)
    expect(calls.map((c) => c.url)).toEqual([`${DOMAIN}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`])
    expect(calls[0]!.headers.get('x-shopify-access-token')).toBe(LEGACY_TOKEN)
  })

  it('renews the token shortly before it expires, so the shop never refuses it', async () => {
    // a 60 s token and a slow bucket (10 points/s): the read's own waits age the token
    const shop = await testShopifyShop({ count: 300, tokenLifetimeSeconds: 60, bucket: { maximumAvailable: 1000, restoreRate: 10 } })
    const client = createShopifyClient(shop.credentials, shop.http)
    const page = { first: SHOPIFY_PAGE_SIZE, after: null, addresses: ADDRESSES_PER_CUSTOMER }
    for (let k = 0; k < 6; k++) await client.query(CUSTOMERS_QUERY, page, { cost: pageCost(SHOPIFY_PAGE_SIZE), what: 'the customers page' })
    expect(shop.time.sleeps.reduce((s, ms) => s + ms, 0)).toBeGreaterThan(120_000)
    expect(shop.mock.state.grants).toBeGreaterThanOrEqual(3)
    expect(shop.mock.state.refused['401']).toBeUndefined()
    expect(shop.events.some((e) => e.type === 'reauth')).toBe(false)
  })

  it('renews once on a 401 mid-fetch (emitting reauth), and fails when the new token is refused too', async () => {
    const shop = await testShopifyShop({ count: 10 })
    const client = createShopifyClient(shop.credentials, shop.http)
    await client.query(COUNT_QUERY, {}, COUNT)
    shop.mock.expireTokens()
    await client.query(COUNT_QUERY, {}, COUNT)
    expect(shop.events.filter((e) => e.type === 'reauth')).toHaveLength(1)
    expect(shop.mock.state.grants).toBe(2)

    const unauthorized: Canned = { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } }
    const { error, calls, events } = await failWith([unauthorized])
    expect(error.code).toBe('SOURCE_AUTH_FAILED')
    expect(calls.filter((c) => c.url.endsWith('access_token'))).toHaveLength(2)
    expect(events.filter((e) => e.type === 'reauth')).toHaveLength(1)
  })
})

describe('shopify client: every answer → its code', () => {
  it.each<[string, string, Canned]>([
    ['wrong client id or secret (400 invalid_client)', 'SOURCE_AUTH_FAILED', { status: 400, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }],
    ['app of another organization (400 shop_not_permitted)', 'SOURCE_AUTH_FAILED', { status: 400, body: { error: 'shop_not_permitted', error_description: 'Client credentials cannot be performed on this shop.' } }],
    ['no such shop (404 page)', 'SOURCE_NOT_A_SHOP', { status: 404, body: '<html><title>Store unavailable</title></html>' }],
    ['a web page instead of a token (200 HTML)', 'SOURCE_NOT_A_SHOP', { status: 200, body: '<!DOCTYPE html><html></html>' }],
  ])('token endpoint: %s → %s', async (_, code, token) => {
    const { error } = await failWith([ok], APP, token)
    expect(error.code).toBe(code)
  })

  it.each<[string, string, Canned]>([
    ['bad token (401)', 'SOURCE_AUTH_FAILED', { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } }],
    ['merchant approval missing (403)', 'SOURCE_API_ACCESS_DENIED', { status: 403, body: { errors: '[API] This action requires merchant approval for read_customers scope.' } }],
    ['unknown shop or API version (404)', 'SOURCE_NOT_A_SHOP', { status: 404, body: { errors: 'Not Found' } }],
    ['frozen shop (402)', 'SOURCE_API_DISABLED', { status: 402, body: { errors: 'Unavailable Shop' } }],
    ['locked shop (423)', 'SOURCE_API_DISABLED', { status: 423, body: { errors: 'Locked' } }],
    ['missing read_customers (ACCESS_DENIED)', 'SOURCE_API_ACCESS_DENIED', gqlError('ACCESS_DENIED', 'Access denied for customersCount field. Required access: `read_customers` access scope.')],
    ['no protected-data approval (ACCESS_DENIED)', 'SOURCE_API_ACCESS_DENIED', gqlError('ACCESS_DENIED', 'This app is not approved to access the Customer object.')],
    ['inactive shop (SHOP_INACTIVE)', 'SOURCE_API_DISABLED', gqlError('SHOP_INACTIVE', 'Shop is inactive')],
    ['unknown field (undefinedField)', 'SOURCE_BAD_RESPONSE', gqlError('undefinedField', "Field 'x' doesn't exist on type 'QueryRoot'")],
    ['a web page (200 HTML)', 'SOURCE_NOT_A_SHOP', { status: 200, body: '<!DOCTYPE html><html><body>Shop</body></html>' }],
    ['JSON that is no GraphQL answer', 'SOURCE_BAD_RESPONSE', { status: 200, body: { hello: 'world' } }],
  ])('GraphQL: %s → %s', async (_, code, answer) => {
    const { error, events } = await failWith([answer], { accessToken: LEGACY_TOKEN })
    expect(error.code).toBe(code)
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0)
  })

  it('tells a missing scope from missing protected-data access', async () => {
    const scope = await failWith([gqlError('ACCESS_DENIED', 'Access denied for customers field. Required access: `read_customers` access scope.')], { accessToken: LEGACY_TOKEN })
    expect(scope.error.message).toMatch(/read_customers scope/)
    const pcd = await failWith([gqlError('ACCESS_DENIED', 'This app is not approved to access the Customer object.')], { accessToken: LEGACY_TOKEN })
    expect(pcd.error.message).toMatch(/protected customer data/)
  })

  it.each<[string, Canned]>([
    ['HTTP 500', { status: 500, body: { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } }],
    ['HTTP 200 with INTERNAL_SERVER_ERROR', gqlError('INTERNAL_SERVER_ERROR', 'Internal error. Looks like something went wrong on our end.')],
    ['a cut-off body', { status: 200, body: '{"data":{"customersCount":{"cou' }],
  ])('retries %s, then fails retryably', async (_, answer) => {
    const { error, events } = await failWith([answer], { accessToken: LEGACY_TOKEN })
    expect(error.retryable).toBe(true)
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2)
  })

  it('retries a 5xx and succeeds', async () => {
    const { fetch } = canned([{ status: 502, body: '<html>Bad Gateway</html>' }, ok])
    const { http, events } = httpOf(fetch)
    await createShopifyClient({ domain: DOMAIN, accessToken: LEGACY_TOKEN }, http).query(COUNT_QUERY, {}, COUNT)
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1)
  })

  it('waits out a REST-style 429 by its Retry-After (not a retry)', async () => {
    const shop = await testShopifyShop({ count: 5 })
    shop.mock.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 4 })
    await createShopifyClient(shop.legacyCredentials, shop.http).query(COUNT_QUERY, {}, COUNT)
    expect(shop.events).toContainEqual({ type: 'rate_limit_wait', ms: 4_000 })
    expect(shop.events.filter((e) => e.type === 'retry')).toHaveLength(0)
  })

  it('keeps every secret and granted token out of its messages', async () => {
    const { error } = await failWith([{ status: 403, body: { errors: `[API] denied for ${GRANTED} / ${TEST_CLIENT_SECRET}` } }])
    expect(error.code).toBe('SOURCE_API_ACCESS_DENIED')
    expect(error.message).toContain('***')
  })
})

describe('shopify client: the cost bucket', () => {
  it('waits (requested − available) / restoreRate after THROTTLED, as a wait and not a retry', async () => {
    const throttled: Canned = { status: 200, body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(500, 100, 1000, 50, null) } }
    const { fetch } = canned([throttled, ok])
    const { http, events } = httpOf(fetch)
    await createShopifyClient({ domain: DOMAIN, accessToken: LEGACY_TOKEN }, http).query(COUNT_QUERY, {}, { cost: 500, what: 'a query' })
    expect(events.filter((e) => e.type === 'rate_limit_wait')).toEqual([{ type: 'rate_limit_wait', ms: 8_000 }])
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0)
  })

  it('waits before sending until the bucket holds the expected cost', async () => {
    const low: Canned = { status: 200, body: { data: { customersCount: { count: 3 } }, extensions: cost(1, 100, 1000, 50) } }
    const { fetch, calls } = canned([low, ok])
    const { http, events, time } = httpOf(fetch)
    const client = createShopifyClient({ domain: DOMAIN, accessToken: LEGACY_TOKEN }, http)
    await client.query(COUNT_QUERY, {}, COUNT)
    expect(events.filter((e) => e.type === 'rate_limit_wait')).toHaveLength(0)
    await client.query(CHECK_QUERY, {}, { cost: 600, what: 'a dear query' })
    // 500 points short at 50 a second, waited before the request: Shopify never had to throttle
    expect(events.filter((e) => e.type === 'rate_limit_wait')).toEqual([{ type: 'rate_limit_wait', ms: 10_000 }])
    expect(time.sleeps).toEqual([10_000])
    expect(calls).toHaveLength(2)
  })

  it('paces a document by the cost Shopify reported for it, not by its own estimate', async () => {
    const cheap: Canned = { status: 200, body: { data: { customersCount: { count: 3 } }, extensions: cost(40, 100, 1000, 50) } }
    const { fetch } = canned([cheap])
    const { http, events } = httpOf(fetch)
    const client = createShopifyClient({ domain: DOMAIN, accessToken: LEGACY_TOKEN }, http)
    await client.query(COUNT_QUERY, {}, { cost: 600, what: 'an overestimated query' })
    await client.query(COUNT_QUERY, {}, { cost: 600, what: 'an overestimated query' })
    expect(events.filter((e) => e.type === 'rate_limit_wait')).toHaveLength(0)
  })

  it('gives up with SOURCE_RATE_LIMITED when Shopify throttles without end', async () => {
    const throttled: Canned = { status: 200, body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(50, 0, 1000, 50, null) } }
    const { error } = await failWith([throttled], { accessToken: LEGACY_TOKEN })
    expect(error.code).toBe('SOURCE_RATE_LIMITED')
  })

  it('reports a query too dear for the single-query limit or the bucket as ShopifyCostError', async () => {
    const tooDear = gqlError('MAX_COST_EXCEEDED', 'Query cost is 2752, which exceeds the single query max cost limit (1000).', { cost: 2752, maxCost: 1000 })
    const { error } = await failWith([tooDear], { accessToken: LEGACY_TOKEN })
    expect(error).toBeInstanceOf(ShopifyCostError)
    expect(error).toMatchObject({ cost: 2752, maxCost: 1000 })
    const aboveBucket: Canned = { status: 200, body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(992, 500, 500, 25, null) } }
    const second = await failWith([aboveBucket], { accessToken: LEGACY_TOKEN })
    expect(second.error).toMatchObject({ cost: 992, maxCost: 500 })
  })
})
