/** The mock is as strict as Magento: OAuth checks in Magento's order, Bearer only when allowed, ACL, routes, searchCriteria, faults. */
import { describe, expect, it } from 'vitest'
import { magentoSigner, queryString } from './magento2.auth.ts'
import { generateMagentoDemoData } from './magento2.demo-data.ts'
import { startMagentoMock } from './magento2.mock-http.ts'
import { magentoBaseString, signMagento, strnatcmp, type MagentoMockIntegration } from './magento2.mock-oauth.ts'
import { createMagentoMock, type MagentoMockOptions } from './magento2.mock-server.ts'
import { phpParseQuery } from './magento2.mock-search.ts'
import { INACTIVE_INTEGRATION, NO_CUSTOMERS_INTEGRATION, TEST_DOMAIN, TEST_INTEGRATION, TEST_INTEGRATIONS } from './magento2.testing.ts'

const SEARCH = '/rest/V1/customers/search'
type P = Array<[string, string]>

function shop(o: Partial<MagentoMockOptions> & { count?: number } = {}) {
  return createMagentoMock({ data: generateMagentoDemoData({ count: o.count ?? 57, seed: 5 }), integrations: TEST_INTEGRATIONS, ...o })
}

/** a GET signed as the client signs it (the mock verifies with its own code) */
function signed(path: string, params: P = [], i: MagentoMockIntegration = TEST_INTEGRATION, opts: Parameters<typeof magentoSigner>[1] = {}, domain = TEST_DOMAIN): Request {
  const url = `${domain}${path}${params.length ? `?${queryString(params)}` : ''}`
  return new Request(url, { headers: { Authorization: magentoSigner(i, opts)('GET', url, params) } })
}

/** a header built field by field (to send what the client never would) */
function handMade(path: string, params: P, fields: Record<string, string>, secrets = { consumer: TEST_INTEGRATION.consumerSecret, token: TEST_INTEGRATION.accessTokenSecret }): Request {
  const url = new URL(`${TEST_DOMAIN}${path}${params.length ? `?${queryString(params)}` : ''}`)
  const all = new Map<string, string>([...Object.entries(fields), ...params])
  const signature = fields.oauth_signature ?? signMagento(magentoBaseString('GET', url, all), secrets.consumer, secrets.token)
  const header = `OAuth ${Object.entries({ ...fields, oauth_signature: signature })
    .map(([k, v]) => `${k}="${encodeURIComponent(v)}"`)
    .join(', ')}`
  return new Request(url, { headers: { Authorization: header } })
}

const now = () => Math.floor(Date.now() / 1000)
const oauthFields = (over: Record<string, string> = {}) => ({
  oauth_consumer_key: TEST_INTEGRATION.consumerKey,
  oauth_nonce: `n${Math.random().toString(36).slice(2)}`,
  oauth_signature_method: 'HMAC-SHA256',
  oauth_timestamp: String(now()),
  oauth_token: TEST_INTEGRATION.accessToken,
  oauth_version: '1.0',
  ...over,
})
const page1: P = [['searchCriteria[pageSize]', '10'], ['searchCriteria[currentPage]', '1']]
const body = async (r: Response) => (await r.json()) as Record<string, unknown>

describe('magento2 mock: OAuth 1.0a as Magento checks it', () => {
  it('accepts a request signed with the four values (HMAC-SHA256, header)', async () => {
    const m = shop()
    const r = await m.fetch(signed(SEARCH, page1))
    expect(r.status).toBe(200)
    expect(await body(r)).toMatchObject({ total_count: 57 })
    expect(m.state.byAuth).toEqual({ oauth: 1, bearer: 0, anonymous: 0 })
    expect(m.noncesOf(1)).toBe(1)
  })

  it('refuses HMAC-SHA1 with 400 "Signature method %1 is not supported"', async () => {
    const r = await shop().fetch(handMade(SEARCH, page1, oauthFields({ oauth_signature_method: 'HMAC-SHA1' })))
    expect(r.status).toBe(400)
    expect(await body(r)).toEqual({ message: 'Signature method %1 is not supported', parameters: ['HMAC-SHA1'] })
  })

  it('refuses a timestamp more than 600 s ahead with 401 "An error occurred validating the nonce"; past ones pass', async () => {
    const m = shop()
    const ahead = await m.fetch(signed(SEARCH, page1, TEST_INTEGRATION, { nowSeconds: () => now() + 601 }))
    expect(ahead.status).toBe(401)
    expect(await body(ahead)).toEqual({ message: 'An error occurred validating the nonce' })
    expect((await m.fetch(signed(SEARCH, page1, TEST_INTEGRATION, { nowSeconds: () => now() + 590 }))).status).toBe(200)
    expect((await m.fetch(signed(SEARCH, page1, TEST_INTEGRATION, { nowSeconds: () => now() - 86_400 }))).status).toBe(200)
  })

  it('takes each nonce once per consumer', async () => {
    const m = shop()
    const fixed = { nonce: () => 'abcdefghijklmnopqrstuvwxyz012345' }
    expect((await m.fetch(signed(SEARCH, page1, TEST_INTEGRATION, fixed))).status).toBe(200)
    const again = await m.fetch(signed(SEARCH, page1, TEST_INTEGRATION, fixed))
    expect(again.status).toBe(401)
    expect(await body(again)).toEqual({ message: 'The nonce is already being used by the consumer with ID %1', parameters: ['1'] })
  })

  it.each([
    ['a wrong consumer secret', { ...TEST_INTEGRATION, consumerSecret: 'w'.repeat(32) }, 401, 'The signature is invalid. Verify and try again.'],
    ['a wrong token secret', { ...TEST_INTEGRATION, accessTokenSecret: 'w'.repeat(32) }, 401, 'The signature is invalid. Verify and try again.'],
    ['an unknown access token', { ...TEST_INTEGRATION, accessToken: 'z'.repeat(32) }, 401, 'Specified token does not exist'],
    ["another integration's token", { ...TEST_INTEGRATION, accessToken: NO_CUSTOMERS_INTEGRATION.accessToken }, 401, 'Token is not associated with the specified consumer'],
    ['a token of the wrong length', { ...TEST_INTEGRATION, accessToken: 'short' }, 400, 'The token length is invalid. Check the length and try again.'],
    ['an unknown consumer key', { ...TEST_INTEGRATION, consumerKey: 'y'.repeat(32) }, 401, 'A consumer having the specified key does not exist'],
    ['a consumer key of the wrong length', { ...TEST_INTEGRATION, consumerKey: 'short' }, 401, 'Consumer key is not the correct length'],
  ])('answers %s with Magento’s body', async (_, integration, status, message) => {
    const r = await shop().fetch(signed(SEARCH, page1, integration))
    expect(r.status).toBe(status)
    expect((await body(r)).message).toBe(message)
  })

  it('refuses a revoked token and reads no OAuth from the query', async () => {
    const m = shop()
    m.revokeToken(1)
    expect(await body(await m.fetch(signed(SEARCH, page1)))).toEqual({ message: 'Access token has been revoked' })
    // oauth_* in the query only: Helper\Request reads the header or nothing, so the request is anonymous
    const inHeader = new Headers(handMade(SEARCH, page1, oauthFields()).headers).get('authorization')!
    const query = inHeader
      .slice('OAuth '.length)
      .split(', ')
      .map((kv) => kv.replace(/"/g, ''))
      .join('&')
    const r = await m.fetch(new Request(`${TEST_DOMAIN}${SEARCH}?${queryString(page1)}&${query}`))
    expect(r.status).toBe(401)
    expect(await body(r)).toEqual({ message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Customer::customer' } })
    expect(m.state.byAuth.anonymous).toBe(1)
  })

  it('names missing parameters and a wrong version (400)', async () => {
    const { oauth_nonce: _n, ...noNonce } = oauthFields()
    expect(await body(await shop().fetch(handMade(SEARCH, page1, noNonce)))).toEqual({ message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'oauth_nonce' } })
    const v2 = await shop().fetch(handMade(SEARCH, page1, oauthFields({ oauth_version: '2.0' })))
    expect([v2.status, (await body(v2)).message]).toEqual([400, 'The "%1" Oauth version isn\'t supported.'])
  })

  it('sorts signed keys as PHP strnatcmp (digit runs by value)', () => {
    expect(['a10', 'a9', 'a1'].sort(strnatcmp)).toEqual(['a1', 'a9', 'a10'])
    expect(strnatcmp('searchCriteria%5BcurrentPage%5D', 'searchCriteria%5BpageSize%5D')).toBeLessThan(0)
    expect(strnatcmp('oauth_token', 'oauth_version')).toBeLessThan(0)
  })
})

describe('magento2 mock: Bearer, ACL and routes', () => {
  const bearer = (path: string, token = TEST_INTEGRATION.accessToken) => new Request(`${TEST_DOMAIN}${path}?${queryString(page1)}`, { headers: { Authorization: `Bearer ${token}` } })

  it('takes the access token as Bearer only with enable_integration_as_bearer', async () => {
    const m = shop()
    const off = await m.fetch(bearer(SEARCH))
    expect(off.status).toBe(401)
    expect((await body(off)).message).toBe("The consumer isn't authorized to access %resources.")
    m.setBearerEnabled(true)
    expect((await m.fetch(bearer(SEARCH))).status).toBe(200)
    expect((await m.fetch(bearer(SEARCH, 'z'.repeat(32)))).status).toBe(401)
    expect(m.state.byAuth).toEqual({ oauth: 0, bearer: 1, anonymous: 2 })
  })

  it('answers 401 %resources to an integration without the route’s resource, or an inactive one', async () => {
    const m = shop()
    const denied = await m.fetch(signed(SEARCH, page1, NO_CUSTOMERS_INTEGRATION))
    expect([denied.status, await body(denied)]).toEqual([401, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Customer::customer' } }])
    // the same integration may read the store views (Magento_Backend::stores)
    expect((await m.fetch(signed('/rest/V1/store/storeConfigs', [], NO_CUSTOMERS_INTEGRATION))).status).toBe(200)
    expect((await m.fetch(signed(SEARCH, page1, INACTIVE_INTEGRATION))).status).toBe(401)
  })

  it('routes: 404 "Request does not match any route." before any auth; the storefront’s HTML outside /rest', async () => {
    const m = shop()
    for (const r of [await m.fetch(new Request(`${TEST_DOMAIN}/rest/V1/nothing/here`)), await m.fetch(new Request(`${TEST_DOMAIN}${SEARCH}`, { method: 'POST' }))]) {
      expect([r.status, await body(r)]).toEqual([404, { message: 'Request does not match any route.' }])
    }
    const html = await m.fetch(new Request(`${TEST_DOMAIN}/wp-json/wc/v3/customers`))
    expect([html.status, html.headers.get('content-type')]).toEqual([404, 'text/html; charset=UTF-8'])
    expect((await m.fetch(signed('/rest/nosuchstore/V1/customers/search', page1))).status).toBe(404)
  })

  it('store codes in the path: a known view works, `all` refuses GET (400)', async () => {
    const m = shop()
    expect((await m.fetch(signed('/rest/default/V1/customers/search', page1))).status).toBe(200)
    expect((await m.fetch(signed('/rest/en/V1/customers/search', page1))).status).toBe(200)
    const all = await m.fetch(signed('/rest/all/V1/customers/search', page1))
    expect([all.status, await body(all)]).toEqual([400, { message: "Cannot perform GET operation with store code 'all'" }])
  })

  it('/index.php/rest always answers; /rest only with the web server’s rewrite', async () => {
    const plain = shop({ rewrites: false })
    expect((await plain.fetch(signed('/index.php/rest/V1/customers/search', page1))).status).toBe(200)
    const r = await plain.fetch(signed(SEARCH, page1))
    expect([r.status, r.headers.get('content-type')]).toEqual([404, 'text/html; charset=UTF-8'])
    expect((await shop().fetch(signed('/index.php/rest/V1/customers/search', page1))).status).toBe(200)
  })

  it('single records, and Magento’s 404 for a missing one', async () => {
    const m = shop()
    const id = m.data.customers[3]!.id
    expect(await body(await m.fetch(signed(`/rest/V1/customers/${id}`)))).toMatchObject({ id, email: m.data.customers[3]!.email })
    expect(await body(await m.fetch(signed('/rest/V1/customers/999999')))).toEqual({ message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'customerId', fieldValue: 999999 } })
    expect(await body(await m.fetch(signed('/rest/V1/customerGroups/2')))).toMatchObject({ id: 2, code: 'Wholesale' })
  })
})

describe('magento2 mock: searchCriteria', () => {
  const f = (field: string, value: string, type?: string, g = 0, i = 0): P => [
    [`searchCriteria[filter_groups][${g}][filters][${i}][field]`, field],
    [`searchCriteria[filter_groups][${g}][filters][${i}][value]`, value],
    ...(type ? ([[`searchCriteria[filter_groups][${g}][filters][${i}][condition_type]`, type]] as P) : []),
  ]
  const sort = (field: string, direction?: string): P => [['searchCriteria[sortOrders][0][field]', field], ...(direction ? ([['searchCriteria[sortOrders][0][direction]', direction]] as P) : [])]
  const ids = async (r: Response) => ((await body(r)).items as Array<{ id: number }>).map((c) => c.id)
  const m = shop({ count: 57 })
  const all = m.data.customers.map((c) => c.id)

  it('parses the query as PHP does', () => {
    expect(phpParseQuery('a[b][0][c]=1&a[b][0][d]=x%20y&a[e][]=p&a[e][]=q')).toEqual({ a: { b: { 0: { c: '1', d: 'x y' } }, e: { 0: 'p', 1: 'q' } } })
  })

  it('requires searchCriteria (400) and checks ints', async () => {
    expect(await body(await m.fetch(signed(SEARCH)))).toEqual({ message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'searchCriteria' } })
    const bad = await m.fetch(signed(SEARCH, [['searchCriteria[pageSize]', 'sto']]))
    expect([bad.status, (await body(bad)).parameters]).toEqual([400, { value: 'sto', type: 'int' }])
    const field = await m.fetch(signed(SEARCH, [...f('password_hash', 'x'), ...page1]))
    expect([field.status, await body(field)]).toEqual([400, { message: 'Invalid attribute name: %1', parameters: ['password_hash'] }])
  })

  it('filters eq, gt, gteq, lt, in; AND across groups, OR inside one', async () => {
    const mid = all[20]!
    expect(await ids(await m.fetch(signed(SEARCH, f('entity_id', String(mid)))))).toEqual([mid])
    expect(await ids(await m.fetch(signed(SEARCH, f('entity_id', String(mid), 'gt'))))).toEqual(all.filter((x) => x > mid))
    expect(await ids(await m.fetch(signed(SEARCH, f('entity_id', String(mid), 'gteq'))))).toEqual(all.filter((x) => x >= mid))
    expect(await ids(await m.fetch(signed(SEARCH, f('entity_id', String(mid), 'lt'))))).toEqual(all.filter((x) => x < mid))
    expect(await ids(await m.fetch(signed(SEARCH, f('entity_id', `${all[1]},${all[5]},999999`, 'in'))))).toEqual([all[1], all[5]])
    const or = [...f('entity_id', String(all[0]), 'eq', 0, 0), ...f('entity_id', String(all[9]), 'eq', 0, 1)]
    expect(await ids(await m.fetch(signed(SEARCH, or)))).toEqual([all[0], all[9]])
    const and = [...f('entity_id', String(all[3]), 'gt', 0), ...f('entity_id', String(all[6]), 'lt', 1)]
    expect(await ids(await m.fetch(signed(SEARCH, and)))).toEqual([all[4], all[5]])
  })

  it('sorts DESC unless ASC is asked; without pageSize every row at once', async () => {
    expect(await ids(await m.fetch(signed(SEARCH, sort('entity_id'))))).toEqual([...all].reverse())
    expect(await ids(await m.fetch(signed(SEARCH, sort('entity_id', 'ASC'))))).toEqual(all)
  })

  it('serves the keyset read from the id order it keeps, which follows registrations, deletions and rows pushed out of order', async () => {
    const s = shop({ count: 30 })
    const keyset = (after: number, size = '5') => signed(SEARCH, [...f('entity_id', String(after), 'gt'), ...sort('entity_id', 'ASC'), ['searchCriteria[pageSize]', size], ['searchCriteria[currentPage]', '1']])
    const read = async (after: number, size?: string) => {
      const b = await body(await s.fetch(keyset(after, size)))
      return [b.total_count, (b.items as Array<{ id: number }>).map((c) => c.id)]
    }
    const before = s.data.customers.map((c) => c.id)
    expect(await read(before[24]!)).toEqual([5, before.slice(25, 30)])
    const added = Number(s.registerCustomer())
    s.deleteCustomer(before[26]!)
    s.data.subscribers.push({ email: `nowy.klient${added}@example.com`, status: 1 })
    expect(await read(before[24]!)).toEqual([5, [before[25], ...before.slice(27, 30), added]])
    const last = (await body(await s.fetch(keyset(before[28]!)))).items as Array<{ extension_attributes: unknown }>
    expect(last.at(-1)!.extension_attributes).toEqual({ is_subscribed: true })
    s.data.customers.push({ ...s.data.customers[0]!, id: 0 })
    expect(await read(-1, '2')).toEqual([31, [0, before[0]]])
  })

  it('pages by pageSize/currentPage; a page past the end is the last page again', async () => {
    const page = (n: number) => signed(SEARCH, [...sort('entity_id', 'ASC'), ['searchCriteria[pageSize]', '20'], ['searchCriteria[currentPage]', String(n)]])
    const answer = await body(await m.fetch(page(2)))
    expect((answer.items as unknown[]).length).toBe(20)
    expect(answer.total_count).toBe(57)
    expect(answer.search_criteria).toEqual({ filter_groups: [], sort_orders: [{ field: 'entity_id', direction: 'ASC' }], page_size: 20, current_page: 2 })
    const last = await ids(await m.fetch(page(3)))
    expect(last).toEqual(all.slice(40))
    expect(await ids(await m.fetch(page(4)))).toEqual(last)
    expect(await ids(await m.fetch(page(99)))).toEqual(last)
  })

  it('adds is_subscribed from the subscriber rows and the address default flags', async () => {
    const items = (await body(await m.fetch(signed(SEARCH, [['searchCriteria[currentPage]', '1']])))).items as Array<Record<string, unknown>>
    const subscribed = new Set(m.data.subscribers.filter((s) => s.status === 1).map((s) => s.email))
    for (const c of items) {
      expect(c.extension_attributes).toEqual({ is_subscribed: subscribed.has(String(c.email)) })
      for (const a of c.addresses as Array<Record<string, unknown>>) {
        expect(a.default_billing === true).toBe(String(a.id) === c.default_billing)
        expect(a.default_shipping === true).toBe(String(a.id) === c.default_shipping)
      }
    }
  })

  it('pages the customer groups and lists the store views', async () => {
    const groups = await body(await m.fetch(signed('/rest/V1/customerGroups/search', [['searchCriteria[pageSize]', '2'], ['searchCriteria[currentPage]', '3']])))
    expect([groups.total_count, (groups.items as Array<{ id: number }>).map((g) => g.id)]).toEqual([5, [4]])
    const stores = (await body(await m.fetch(signed('/rest/V1/store/storeConfigs')))) as unknown as Array<{ id: number; locale: string }>
    expect(stores.map((s) => [s.id, s.locale])).toEqual([
      [1, 'pl_PL'],
      [2, 'en_US'],
    ])
  })
})

describe('magento2 mock: faults and changes', () => {
  it('plays its faults: Magento’s masked 500, maintenance 503, a host’s 429, proxy pages, cut JSON, resets', async () => {
    const m = shop()
    m.failNext(1, 'server_error')
    const e500 = await m.fetch(signed(SEARCH, page1))
    expect(e500.status).toBe(500)
    expect((await body(e500)).message).toMatch(/^Internal Error\. Details are available in Magento log file\. Report ID: webapi-/)
    m.failNext(1, 'maintenance', 30)
    expect([(await m.fetch(signed(SEARCH, page1))).status]).toEqual([503])
    m.failNext(1, 'rate_limit', 7)
    const r429 = await m.fetch(signed(SEARCH, page1))
    expect([r429.status, r429.headers.get('retry-after')]).toEqual([429, '7'])
    m.failNext(1, 'html_error')
    expect((await m.fetch(signed(SEARCH, page1))).status).toBe(502)
    m.failNext(1, 'broken_json')
    const cut = await m.fetch(signed(SEARCH, page1))
    expect(cut.status).toBe(200)
    await expect(cut.json()).rejects.toThrow()
    m.failNext(1, 'reset')
    await expect(m.fetch(signed(SEARCH, page1))).rejects.toThrow(TypeError)
    expect(m.state.faulted).toBe(6)
  })

  it('registers and deletes customers while it runs', async () => {
    const m = shop({ count: 10 })
    const id = m.registerCustomer()
    expect(Number(id)).toBe(Math.max(...m.data.customers.map((c) => c.id)))
    const gone = m.data.customers[2]!
    m.data.subscribers.push({ email: gone.email, status: 1 })
    m.deleteCustomer(gone.id)
    expect(m.data.customers.some((c) => c.id === gone.id)).toBe(false)
    expect(m.data.subscribers.some((s) => s.email === gone.email)).toBe(false)
    expect((await body(await m.fetch(signed(SEARCH, page1)))).total_count).toBe(10)
  })

  it('over a real socket: the port is part of the signed URL; a reset destroys the socket', async () => {
    const running = await startMagentoMock({ data: generateMagentoDemoData({ count: 12, seed: 2 }), integrations: TEST_INTEGRATIONS, port: 0 })
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const ok = await fetch(signed(SEARCH, page1, TEST_INTEGRATION, {}, running.url))
      expect([ok.status, ((await ok.json()) as { total_count: number }).total_count]).toEqual([200, 12])
      running.mock.failNext(1, 'reset')
      await expect(fetch(signed(SEARCH, page1, TEST_INTEGRATION, {}, running.url))).rejects.toThrow()
    } finally {
      await running.close()
    }
  })
})
