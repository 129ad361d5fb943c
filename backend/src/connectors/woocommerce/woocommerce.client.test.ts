/** The client against the strict mock and canned answers: each auth mode, each refusal → its code, 5xx and 429. */
import { describe, expect, it } from 'vitest'
import { SourceError, type SourceHttpOptions } from '../connector.ts'
import { basicValue } from './woocommerce.auth.ts'
import { createWooCommerceClient } from './woocommerce.client.ts'
import { TEST_CONSUMER_KEY, TEST_CONSUMER_SECRET, testWooShop, WRITE_ONLY_KEY, WRITE_ONLY_SECRET, type WooTestShopOptions } from './woocommerce.testing.ts'

const ALL = { per_page: 100, orderby: 'id', order: 'asc', role: 'all' } as const
const SECRETS = [TEST_CONSUMER_KEY, TEST_CONSUMER_SECRET, basicValue({ consumerKey: TEST_CONSUMER_KEY, consumerSecret: TEST_CONSUMER_SECRET })]

/** the SourceError `p` fails with; none of the key's forms may be in its message */
async function failureOf(p: Promise<unknown>): Promise<SourceError> {
  const outcome: unknown = await p.then(() => 'no failure', (err: unknown) => err)
  if (!(outcome instanceof SourceError)) throw new Error(`expected a SourceError, got ${String(outcome)}`)
  for (const s of SECRETS) expect(outcome.message).not.toContain(s)
  return outcome
}

async function clientOf(o: WooTestShopOptions & { creds?: { consumerKey: string; consumerSecret: string } } = {}) {
  const shop = await testWooShop({ count: 120, ...o })
  const client = createWooCommerceClient({ ...shop.credentials, ...o.creds }, shop.http)
  return { shop, client }
}

/** an in-process fetch answering every call with one canned response, counting calls */
function canned(status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const urls: string[] = []
  const fetch: SourceHttpOptions['fetch'] = async (url) => {
    urls.push(url)
    return new Response(body, { status, headers })
  }
  return { fetch, urls }
}

async function cannedFailure(status: number, body: string, headers?: Record<string, string>, domain = 'https://sklep.example.pl') {
  const { fetch, urls } = canned(status, body, headers)
  const http: SourceHttpOptions = { fetch, requestTimeoutMs: 1_000, retries: 2, minRetryDelayMs: 1, maxRetryDelayMs: 2, sleep: async () => {} }
  const client = createWooCommerceClient({ domain, consumerKey: TEST_CONSUMER_KEY, consumerSecret: TEST_CONSUMER_SECRET }, http)
  return { error: await failureOf(client.listCustomers(ALL)), urls }
}

const wpError = (status: number, code: string, message: string) => JSON.stringify({ code, message, data: { status } })

describe('woocommerce client: the ways a key travels', () => {
  it('HTTPS: a Basic header', async () => {
    const { shop, client } = await clientOf()
    const page = await client.listCustomers(ALL)
    expect(page.rows).toHaveLength(100)
    expect(page.total).toBe(120)
    expect(page.totalPages).toBe(2)
    expect(client.authMode).toBe('basic')
    expect(shop.mock.state.byAuth).toEqual({ basic: 1, query: 0, oauth: 0 })
  })

  it('HTTPS behind a server that drops Authorization: once 401 cannot_view, then the keys in the query for good', async () => {
    const { shop, client } = await clientOf({ stripAuthorization: true })
    expect((await client.listCustomers(ALL)).rows).toHaveLength(100)
    expect(client.authMode).toBe('query')
    await client.listCustomers({ ...ALL, offset: 100 })
    expect(shop.mock.state.refused).toEqual({ woocommerce_rest_cannot_view: 1 })
    expect(shop.mock.state.byAuth).toEqual({ basic: 0, query: 2, oauth: 0 })
  })

  it('plain HTTP: OAuth 1.0a signatures the mock verifies as WooCommerce does', async () => {
    const { shop, client } = await clientOf({ scheme: 'http' })
    expect((await client.listCustomers(ALL)).rows).toHaveLength(100)
    expect((await client.listCustomers({ ...ALL, offset: 95 })).rows).toHaveLength(25)
    expect(client.authMode).toBe('oauth')
    expect(shop.mock.state.byAuth.oauth).toBe(2)
  })

  it('plain HTTP over a real socket', async () => {
    const { shop, client } = await clientOf({ overHttp: true })
    try {
      expect((await client.listCustomers(ALL)).total).toBe(120)
      expect(shop.mock.state.byAuth.oauth).toBe(1)
    } finally {
      await shop.close()
    }
  })

  it.each<[string, WooTestShopOptions]>([
    ['Basic', {}],
    ['OAuth (the home URL is signed without a slash)', { scheme: 'http' }],
  ])('without pretty permalinks: /wp-json is a 404 page, ?rest_route= works (%s)', async (_, o) => {
    const { shop, client } = await clientOf({ ...o, prettyPermalinks: false })
    expect((await client.listCustomers(ALL)).rows).toHaveLength(100)
    expect(client.routeMode).toBe('plain')
    expect(shop.mock.state.requests).toBe(2)
  })
})

describe('woocommerce client: refusals → codes', () => {
  it.each<[string, WooTestShopOptions & { creds?: { consumerKey: string; consumerSecret: string } }, string, RegExp]>([
    ['HTTPS, wrong secret', { creds: { consumerKey: TEST_CONSUMER_KEY, consumerSecret: 'cs_wrong' } }, 'SOURCE_AUTH_FAILED', /Consumer secret is invalid/],
    ['HTTPS, unknown key (after the query fallback)', { creds: { consumerKey: 'ck_unknown', consumerSecret: 'cs_whatever' } }, 'SOURCE_AUTH_FAILED', /cannot list resources/],
    ['HTTPS, write-only key', { creds: { consumerKey: WRITE_ONLY_KEY, consumerSecret: WRITE_ONLY_SECRET } }, 'SOURCE_API_ACCESS_DENIED', /does not have read permissions/],
    ['HTTP, wrong secret (bad signature)', { scheme: 'http', creds: { consumerKey: TEST_CONSUMER_KEY, consumerSecret: 'cs_wrong' } }, 'SOURCE_AUTH_FAILED', /provided signature does not match/],
    ['HTTP, unknown key', { scheme: 'http', creds: { consumerKey: 'ck_unknown', consumerSecret: 'cs_whatever' } }, 'SOURCE_AUTH_FAILED', /Consumer key is invalid/],
    ['HTTP, write-only key', { scheme: 'http', creds: { consumerKey: WRITE_ONLY_KEY, consumerSecret: WRITE_ONLY_SECRET } }, 'SOURCE_API_ACCESS_DENIED', /read permissions/],
    ['a key of a user who may not list customers', { keys: [{ consumerKey: TEST_CONSUMER_KEY, consumerSecret: TEST_CONSUMER_SECRET, permissions: 'read', manager: false }] }, 'SOURCE_API_ACCESS_DENIED', /may not list customers/],
    ['WordPress without WooCommerce', { woocommerce: false }, 'SOURCE_NOT_A_SHOP', /rest_no_route/],
    ['an OAuth timestamp outside the 15-minute window', { scheme: 'http', clock: () => Math.floor(Date.now() / 1000) + 20 * 60 }, 'SOURCE_AUTH_FAILED', /Invalid timestamp/],
  ])('%s', async (_, o, code, message) => {
    const { client } = await clientOf(o)
    const e = await failureOf(client.listCustomers(ALL))
    expect(e.code).toBe(code)
    expect(e.message).toMatch(message)
    expect(e.retryable).toBe(false)
  })

  it('per_page beyond 100 is the shop’s 400, not retried', async () => {
    const { shop, client } = await clientOf()
    const e = await failureOf(client.listCustomers({ ...ALL, per_page: 101 }))
    expect(e.code).toBe('SOURCE_BAD_RESPONSE')
    expect(e.message).toMatch(/per_page must be between 1 \(inclusive\) and 100 \(inclusive\)/)
    expect(shop.mock.state.requests).toBe(1)
  })

  it.each<[string, number, string, Record<string, string> | undefined, string, number]>([
    ['a web page at /wp-json and at ?rest_route=', 404, '<!DOCTYPE html><html><body>404</body></html>', { 'content-type': 'text/html' }, 'SOURCE_NOT_A_SHOP', 2],
    ['a home page answering 200 for everything', 200, '<html><body>Witaj</body></html>', { 'content-type': 'text/html' }, 'SOURCE_NOT_A_SHOP', 2],
    ['someone else’s JSON', 200, '{"name":"Blog","namespaces":["wp/v2"]}', undefined, 'SOURCE_NOT_A_SHOP', 1],
    ['a JSON 404 that is no WordPress error', 404, '{"error":"not found"}', undefined, 'SOURCE_NOT_A_SHOP', 2],
    ['a firewall’s 403 page', 403, '<html>Access denied</html>', { 'content-type': 'text/html' }, 'SOURCE_API_ACCESS_DENIED', 2],
    ['a site-wide password (401 page)', 401, '<html>401 Authorization Required</html>', { 'content-type': 'text/html' }, 'SOURCE_AUTH_FAILED', 2],
    ['a missing OAuth parameter', 401, wpError(401, 'woocommerce_rest_authentication_missing_parameter', 'Missing OAuth parameter oauth_nonce'), undefined, 'SOURCE_AUTH_FAILED', 1],
  ])('%s', async (_, status, body, headers, code, requests) => {
    const { error, urls } = await cannedFailure(status, body, headers)
    expect(error.code).toBe(code)
    expect(urls).toHaveLength(requests)
  })

  it('a shop quoting the key back has it taken out of the message', async () => {
    const body = wpError(401, 'woocommerce_rest_authentication_error', `Consumer secret ${TEST_CONSUMER_SECRET} is invalid for ${TEST_CONSUMER_KEY}.`)
    const { error } = await cannedFailure(401, body)
    expect(error.message).toContain('***')
  })

  it('the query fallback happens once: a stranger is still a stranger with the keys in the query', async () => {
    const { error, urls } = await cannedFailure(401, wpError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'))
    expect(error.code).toBe('SOURCE_AUTH_FAILED')
    expect(urls).toHaveLength(2)
    expect(urls[0]).not.toContain('consumer_secret')
    expect(new URL(urls[1]!).searchParams.get('consumer_key')).toBe(TEST_CONSUMER_KEY)
  })

  it('over plain HTTP the secret never travels: only a signature does', async () => {
    const { urls } = await cannedFailure(401, wpError(401, 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.'), undefined, 'http://sklep.example.pl')
    const q = new URL(urls[0]!).searchParams
    expect(urls[0]).not.toContain(TEST_CONSUMER_SECRET)
    expect(q.get('oauth_signature_method')).toBe('HMAC-SHA256')
    expect(q.get('oauth_consumer_key')).toBe(TEST_CONSUMER_KEY)
    expect(q.get('oauth_nonce')).toMatch(/^[A-Za-z0-9]{32}$/)
    // "oauth_version is not required and should be omitted" (WooCommerce's docs)
    expect(q.has('oauth_version')).toBe(false)
  })
})

describe('woocommerce client: 5xx and 429', () => {
  it('retries PHP’s 500 with capped backoff and then reads', async () => {
    const { shop, client } = await clientOf()
    shop.mock.failNext(2, { kind: 'server_error' })
    expect((await client.listCustomers(ALL)).rows).toHaveLength(100)
    expect(shop.events.filter((e) => e.type === 'retry')).toHaveLength(2)
    expect(shop.time.sleeps).toEqual([200, 400])
  })

  it('gives up with SOURCE_SERVER_ERROR after its retries', async () => {
    const { shop, client } = await clientOf({ faults: { serverErrorEvery: 1 } })
    const e = await failureOf(client.listCustomers(ALL))
    expect(e.code).toBe('SOURCE_SERVER_ERROR')
    expect(shop.mock.state.requests).toBe(4)
  })

  it.each<[string, Parameters<typeof import('./woocommerce.mock-server.ts').createWooCommerceMock>[0]['faults']]>([
    ['a proxy’s 502 page', { htmlErrorEvery: 2 }],
    ['a cut-off JSON body', { brokenJsonEvery: 2 }],
    ['a lost connection', { resetEvery: 2 }],
  ])('retries %s', async (_, faults) => {
    const { shop, client } = await clientOf({ faults })
    await client.listCustomers(ALL)
    expect((await client.listCustomers({ ...ALL, offset: 95 })).rows).toHaveLength(25)
    expect(shop.events.filter((e) => e.type === 'retry')).toHaveLength(1)
  })

  it('waits out a host’s 429 as long as Retry-After says, without using retries', async () => {
    const { shop, client } = await clientOf({ http: { retries: 0 } })
    shop.mock.failNext(2, { kind: 'rate_limit', retryAfterSeconds: 7 })
    expect((await client.listCustomers(ALL)).rows).toHaveLength(100)
    expect(shop.events.filter((e) => e.type === 'rate_limit_wait')).toEqual([
      { type: 'rate_limit_wait', ms: 7_000 },
      { type: 'rate_limit_wait', ms: 7_000 },
    ])
    expect(shop.events.some((e) => e.type === 'retry')).toBe(false)
  })

  it('a slow answer runs into the request deadline and is retried', async () => {
    const { shop, client } = await clientOf({ http: { requestTimeoutMs: 50 } })
    shop.mock.failNext(1, { kind: 'slow', ms: 5_000 })
    expect((await client.listCustomers(ALL)).rows).toHaveLength(100)
    expect(shop.events.filter((e) => e.type === 'retry')).toHaveLength(1)
  })
})
