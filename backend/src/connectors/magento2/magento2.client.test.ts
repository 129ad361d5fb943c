/** The client against the strict mock and canned answers: signing, each refusal → its code, 5xx retried, 429 waited, no secret said. */
import { describe, expect, it } from 'vitest'
import { SourceError, type SourceEvent, type SourceHttpOptions } from '../connector.ts'
import { queryString } from './magento2.auth.ts'
import { createMagentoClient, MagentoDeniedError } from './magento2.client.ts'
import { magentoBaseString, signMagento } from './magento2.mock-oauth.ts'
import { countParams, customersPageParams } from './magento2.reads.ts'
import { INACTIVE_INTEGRATION, magento2Secrets, NO_CUSTOMERS_INTEGRATION, TEST_DOMAIN, TEST_INTEGRATION, testMagentoShop, type MagentoTestShopOptions } from './magento2.testing.ts'

const CREDS = { domain: TEST_DOMAIN, ...TEST_INTEGRATION }
const SECRETS = magento2Secrets({ platform: 'magento2', ...CREDS })

/** the SourceError `p` fails with; none of the four values may be in its message */
async function failureOf(p: Promise<unknown>): Promise<SourceError> {
  const outcome: unknown = await p.then(
    () => 'no failure',
    (err: unknown) => err,
  )
  if (!(outcome instanceof SourceError)) throw new Error(`expected a SourceError, got ${String(outcome)}`)
  for (const s of SECRETS) expect(outcome.message).not.toContain(s)
  return outcome
}

async function clientOf(o: MagentoTestShopOptions & { creds?: Partial<typeof CREDS> } = {}) {
  const shop = await testMagentoShop({ count: 120, ...o })
  const client = createMagentoClient({ ...CREDS, domain: shop.credentials.domain, ...o.creds }, shop.http)
  return { shop, client, count: () => client.search('/customers/search', countParams(), 'the customers') }
}

/** an in-process fetch answering every call with one canned response, recording each request */
function canned(status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }) {
  const seen: Array<{ url: string; authorization: string }> = []
  const events: SourceEvent[] = []
  const fetch: SourceHttpOptions['fetch'] = async (url, init) => {
    seen.push({ url, authorization: new Headers(init?.headers).get('authorization') ?? '' })
    return new Response(body, { status, headers })
  }
  const http: SourceHttpOptions = { fetch, requestTimeoutMs: 1_000, retries: 2, minRetryDelayMs: 1, maxRetryDelayMs: 2, sleep: async () => {}, onEvent: (e) => events.push(e) }
  const client = createMagentoClient(CREDS, http)
  return { seen, events, error: () => failureOf(client.search('/customers/search', countParams(), 'the customers')) }
}
const magento = (message: string, parameters?: unknown) => JSON.stringify({ message, ...(parameters === undefined ? {} : { parameters }) })

describe('magento2 client: signing', () => {
  it('signs with all four values in the Authorization header; the mock (written from Magento’s PHP) verifies it', async () => {
    const { shop, count } = await clientOf()
    expect((await count()).total_count).toBe(120)
    expect((await count()).total_count).toBe(120)
    expect(shop.mock.state.byAuth).toEqual({ oauth: 2, bearer: 0, anonymous: 0 })
    // a fresh nonce per request
    expect(shop.mock.noncesOf(TEST_INTEGRATION.id)).toBe(2)
  })

  it('HMAC-SHA256, oauth_version 1.0, the token; nothing in the query, never Bearer; the signature is Magento’s', async () => {
    const { seen, error } = canned(500, '{}')
    await error()
    const { url, authorization } = seen[0]!
    expect(url).toBe(`${TEST_DOMAIN}/rest/V1/customers/search?${queryString(countParams())}`)
    expect(url).not.toMatch(/oauth_/)
    const fields = Object.fromEntries([...authorization.matchAll(/(oauth_[a-z_]+)="([^"]*)"/g)].map((m) => [m[1]!, decodeURIComponent(m[2]!)]))
    expect(authorization.startsWith('OAuth ')).toBe(true)
    expect(fields).toMatchObject({ oauth_consumer_key: CREDS.consumerKey, oauth_token: CREDS.accessToken, oauth_signature_method: 'HMAC-SHA256', oauth_version: '1.0' })
    expect(fields.oauth_nonce).toMatch(/^[A-Za-z0-9]{32}$/)
    // Magento's base string: the decoded query keys (brackets) signed alongside the oauth_* fields
    const params = new Map([...Object.entries(fields), ...countParams()])
    const base = magentoBaseString('GET', new URL(url), params)
    expect(base).toContain('searchCriteria%255BpageSize%255D%3D1')
    expect(fields.oauth_signature).toBe(signMagento(base, CREDS.consumerSecret, CREDS.accessTokenSecret))
  })

  it('signs every attempt anew: a retried request carries another nonce and timestamp', async () => {
    const { seen, events, error } = canned(503, '<html>maintenance</html>', { 'content-type': 'text/html' })
    expect((await error()).code).toBe('SOURCE_SERVER_ERROR')
    expect(seen).toHaveLength(3)
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2)
    const nonces = seen.map((s) => /oauth_nonce="([^"]+)"/.exec(s.authorization)![1])
    expect(new Set(nonces).size).toBe(3)
  })

  it('signs the keyset page’s filter and sort as Magento decodes them', async () => {
    const { shop, client } = await clientOf()
    const page = await client.search('/customers/search', customersPageParams(50), 'the customers')
    expect(page.total_count).toBe(shop.mock.data.customers.filter((c) => c.id > 50).length)
  })

  it('over a real socket (the port is in the signed URL)', async () => {
    const { shop, count } = await clientOf({ overHttp: true })
    try {
      expect((await count()).total_count).toBe(120)
    } finally {
      await shop.close()
    }
  })

  it('a server without the /rest rewrite: /index.php/rest (signed for that path) is found once and kept', async () => {
    const { shop, client, count } = await clientOf({ rewrites: false })
    expect((await count()).total_count).toBe(120)
    expect(client.base).toBe('index.php')
    await count()
    // one probe of /rest (the web server's 404 page), then /index.php/rest only
    expect(shop.mock.state.requests).toBe(3)
    expect(shop.mock.state.byAuth.oauth).toBe(2)
  })

  it('keeps signing on a shop that allows Bearer (no probe, no Bearer)', async () => {
    const { shop, count } = await clientOf({ bearerEnabled: true })
    await count()
    expect(shop.mock.state.byAuth).toEqual({ oauth: 1, bearer: 0, anonymous: 0 })
  })
})

describe('magento2 client: Magento’s refusals → codes', () => {
  it.each([
    ['a wrong consumer secret', { consumerSecret: 'w'.repeat(32) }, /The signature is invalid/],
    ['a wrong token secret', { accessTokenSecret: 'w'.repeat(32) }, /The signature is invalid/],
    ['an unknown access token', { accessToken: 'z'.repeat(32) }, /Specified token does not exist/],
    ['a token of the wrong length (400)', { accessToken: 'zu-krotki' }, /token length is invalid/],
    ['an unknown consumer key', { consumerKey: 'y'.repeat(32) }, /A consumer having the specified key does not exist/],
  ])('%s → SOURCE_AUTH_FAILED', async (_, creds, said) => {
    const { count } = await clientOf({ creds })
    const e = await failureOf(count())
    expect([e.code, e.retryable]).toEqual(['SOURCE_AUTH_FAILED', false])
    expect(e.message).toMatch(said)
  })

  it('a revoked token → SOURCE_AUTH_FAILED (nothing to renew: the admin re-activates the integration)', async () => {
    const { shop, count } = await clientOf()
    shop.mock.revokeToken(TEST_INTEGRATION.id)
    expect((await failureOf(count())).message).toMatch(/Access token has been revoked/)
  })

  it('an integration without Magento_Customer::customer, or an inactive one → SOURCE_API_ACCESS_DENIED with the resource named', async () => {
    for (const i of [NO_CUSTOMERS_INTEGRATION, INACTIVE_INTEGRATION]) {
      const { count } = await clientOf({ creds: i })
      const e = await failureOf(count())
      expect(e).toBeInstanceOf(MagentoDeniedError)
      expect(e.code).toBe('SOURCE_API_ACCESS_DENIED')
      expect((e as MagentoDeniedError).resources).toBe('Magento_Customer::customer')
      expect(e.message).toContain("The consumer isn't authorized to access Magento_Customer::customer.")
      expect(e.message).not.toContain('%resources')
    }
  })

  it('our clock 11 minutes ahead of the shop’s → SOURCE_AUTH_FAILED naming the nonce and the clocks', async () => {
    const shop = await testMagentoShop({ count: 5, clock: () => Math.floor(Date.now() / 1000) - 660 })
    const e = await failureOf(createMagentoClient(CREDS, shop.http).search('/customers/search', countParams(), 'the customers'))
    expect(e.code).toBe('SOURCE_AUTH_FAILED')
    expect(e.message).toMatch(/An error occurred validating the nonce.*10 minutes/)
  })

  // requests: a web page or a non-Magento 404 before Magento answered also tries /index.php/rest once
  it.each([
    ['400 Signature method %1 (never sent: we sign SHA256)', 400, magento('Signature method %1 is not supported', ['HMAC-SHA1']), 'SOURCE_AUTH_FAILED', /Signature method HMAC-SHA1 is not supported/, 1],
    ['401 a nonce seen before (retried, re-signed)', 401, magento('The nonce is already being used by the consumer with ID %1', ['4']), 'SOURCE_AUTH_FAILED', /consumer with ID 4/, 3],
    ['404 "Request does not match any route."', 404, magento('Request does not match any route.'), 'SOURCE_NOT_A_SHOP', /Request does not match any route/, 1],
    ['an HTML 404', 404, '<!DOCTYPE html><html><body>Not Found</body></html>', 'SOURCE_NOT_A_SHOP', /HTML page/, 2],
    ['a 200 web page first', 200, '<!doctype html><html><body>WordPress</body></html>', 'SOURCE_NOT_A_SHOP', /HTML page/, 2],
    ['200 JSON that is no search result', 200, '{"products":[]}', 'SOURCE_NOT_A_SHOP', /not a Magento search result/, 1],
    ['a firewall’s 403', 403, '<html>Forbidden</html>', 'SOURCE_API_ACCESS_DENIED', /firewall/, 2],
    ['a password-protected site’s 401', 401, 'Unauthorized', 'SOURCE_AUTH_FAILED', /password-protected/, 2],
    ['another 400, its placeholders filled', 400, magento('Invalid attribute name: %1', ['entity_idd']), 'SOURCE_BAD_RESPONSE', /Invalid attribute name: entity_idd/, 1],
    ['a 200 with broken JSON (retried)', 200, '{"items":[{"id":1,"ema', 'SOURCE_BAD_RESPONSE', /broken JSON/, 3],
  ])('%s', async (_, status, body, code, said, requests) => {
    const headers = body.startsWith('{') ? undefined : { 'content-type': 'text/html' }
    const { error, seen } = canned(status, body, headers)
    const e = await error()
    expect(e.code).toBe(code)
    expect(e.message).toMatch(said)
    // only what is worth another try is tried again (with a new signature)
    expect(seen).toHaveLength(requests)
    expect(e.retryable).toBe(requests === 3)
  })

  it('tries /index.php/rest once, not on every request', async () => {
    const { seen, error } = canned(404, '<html>Not Found</html>', { 'content-type': 'text/html' })
    await error()
    await error()
    expect(seen.map((s) => new URL(s.url).pathname)).toEqual(['/rest/V1/customers/search', '/index.php/rest/V1/customers/search', '/rest/V1/customers/search'])
  })

  it('never quotes a secret, even when a shop echoes it', async () => {
    const echo = magento('The signature is invalid for %1 / %2 / %3 / %4', [...SECRETS])
    const e = await canned(401, echo).error()
    expect(e.message).toContain('***')
  })
})

describe('magento2 client: transient trouble', () => {
  it('retries Magento’s 500, a maintenance 503, a proxy’s 502, a reset and a cut body, then reads', async () => {
    const { shop, count } = await clientOf({ http: { retries: 6 } })
    for (const kind of ['server_error', 'maintenance', 'html_error', 'reset', 'broken_json'] as const) shop.mock.failNext(1, kind)
    expect((await count()).total_count).toBe(120)
    expect(shop.events.filter((e) => e.type === 'retry')).toHaveLength(5)
  })

  it('gives up after its retries with SOURCE_SERVER_ERROR', async () => {
    const { shop, count } = await clientOf()
    shop.mock.setFaults({ serverErrorEvery: 1 })
    expect((await failureOf(count())).code).toBe('SOURCE_SERVER_ERROR')
    expect(shop.mock.state.requests).toBe(4)
  })

  it('waits out a host’s 429 as long as Retry-After says, without using a retry', async () => {
    const { shop, count } = await clientOf()
    shop.mock.failNext(2, 'rate_limit', 7)
    expect((await count()).total_count).toBe(120)
    expect(shop.events.filter((e) => e.type === 'rate_limit_wait')).toEqual([
      { type: 'rate_limit_wait', ms: 7_000 },
      { type: 'rate_limit_wait', ms: 7_000 },
    ])
    expect(shop.events.some((e) => e.type === 'retry')).toBe(false)
    expect(shop.time.sleeps).toEqual([7_000, 7_000])
  })

  it('a 200 web page after Magento answered is a glitch, retried', async () => {
    const { shop, count } = await clientOf()
    await count()
    shop.mock.failNext(1, 'html_page')
    expect((await count()).total_count).toBe(120)
    expect(shop.events.filter((e) => e.type === 'retry')).toHaveLength(1)
  })
})
