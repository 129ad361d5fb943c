/** The mock is strict: Shopify's token endpoint, its refusals, a real GraphQL evaluation, cost and bucket, faults. */
import { describe, expect, it } from 'vitest'
import { fakeTime } from '../../testing/fake-time.ts'
import { generateShopifyDemoData } from './shopify.demo-data.ts'
import { startShopifyMock } from './shopify.mock-http.ts'
import { decodeCursor } from './shopify.mock-schema.ts'
import { createShopifyMock, MAX_QUERY_COST, STANDARD_BUCKET, type ShopifyMockOptions } from './shopify.mock-server.ts'
import { ADDRESSES_PER_CUSTOMER, CHECK_COST, CHECK_QUERY, CUSTOMERS_QUERY, pageCost, SHOPIFY_API_VERSION } from './shopify.query.ts'
import { LEGACY_TOKEN, NO_CUSTOMERS_CLIENT_ID, NO_CUSTOMERS_CLIENT_SECRET, NO_CUSTOMERS_TOKEN, NO_PROTECTED_DATA_CLIENT_ID, NO_PROTECTED_DATA_CLIENT_SECRET, OTHER_ORG_CLIENT_ID, OTHER_ORG_CLIENT_SECRET, TEST_APPS, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_LEGACY_TOKENS } from './shopify.testing.ts'

const SHOP = 'https://sklep-testowy.myshopify.com'
const GQL = `${SHOP}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`

function mockOf(over: Partial<ShopifyMockOptions> = {}) {
  const time = fakeTime(Date.UTC(2026, 11, 3, 9))
  const mock = createShopifyMock({ customers: generateShopifyDemoData({ count: 200, seed: 5 }), apps: TEST_APPS, legacyTokens: TEST_LEGACY_TOKENS, clock: time.clock, ...over })
  const call = async (url: string, init: RequestInit) => {
    const res = await mock.fetch(new Request(url, init))
    const text = await res.text()
    let json: any
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: res.status, headers: res.headers, text, json }
  }
  const gql = (query: string, variables: Record<string, unknown> = {}, token = LEGACY_TOKEN, url = GQL) =>
    call(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': token }, body: JSON.stringify({ query, variables }) })
  const grant = (fields: Record<string, string>, json = false) =>
    call(`${SHOP}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
      body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
    })
  return { mock, time, call, gql, grant }
}

const page = (first: number, after: string | null = null) => ({ first, after, addresses: ADDRESSES_PER_CUSTOMER })
const cc = (clientId = TEST_CLIENT_ID, clientSecret = TEST_CLIENT_SECRET) => ({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret })

describe('shopify mock: the client-credentials grant', () => {
  it('grants a token for a form or a JSON body, with scope and expires_in 86399', async () => {
    const { grant } = mockOf()
    for (const json of [false, true]) {
      const r = await grant(cc(), json)
      expect(r.status).toBe(200)
      expect(r.json).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{32}$/), scope: 'read_customers,read_orders', expires_in: 86399 })
    }
  })

  it.each([
    ['a wrong secret', cc(TEST_CLIENT_ID, 'shpss_wrong'), 'invalid_client', 'Client authentication failed'],
    ['an unknown client ID', cc('0000', TEST_CLIENT_SECRET), 'invalid_client', 'Client authentication failed'],
    ['an app of another organization', cc(OTHER_ORG_CLIENT_ID, OTHER_ORG_CLIENT_SECRET), 'shop_not_permitted', 'Client credentials cannot be performed on this shop.'],
    ['another grant type', { ...cc(), grant_type: 'authorization_code' }, 'unsupported_grant_type', expect.any(String)],
  ])('refuses %s with 400 %s', async (_, fields, error, description) => {
    const r = await mockOf().grant(fields)
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ error, error_description: description })
  })

  it('lets a granted token die at its lifetime on the clock, or at once by expireTokens()', async () => {
    const { grant, gql, time, mock } = mockOf({ tokenLifetimeSeconds: 60 })
    const token = (await grant(cc())).json.access_token as string
    expect((await gql('{ shop { name } }', {}, token)).status).toBe(200)
    await time.sleep(61_000)
    const dead = await gql('{ shop { name } }', {}, token)
    expect(dead.status).toBe(401)
    expect(dead.json).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' })
    const second = (await grant(cc())).json.access_token as string
    mock.expireTokens()
    expect((await gql('{ shop { name } }', {}, second)).status).toBe(401)
    expect((await gql('{ shop { name } }', {}, LEGACY_TOKEN)).status).toBe(200)
  })
})

describe('shopify mock: requests Shopify refuses', () => {
  it('answers 401 without or with an unknown token', async () => {
    const { gql, call } = mockOf()
    expect((await gql('{ shop { name } }', {}, 'shpat_unknown')).status).toBe(401)
    expect((await call(GQL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"{ shop { name } }"}' })).status).toBe(401)
  })

  it.each(['2025-10', '2026-13', 'latest'])('answers 404 {"errors":"Not Found"} for API version %s', async (version) => {
    const r = await mockOf().gql('{ shop { name } }', {}, LEGACY_TOKEN, `${SHOP}/admin/api/${version}/graphql.json`)
    expect(r.status).toBe(404)
    expect(r.json).toEqual({ errors: 'Not Found' })
  })

  it('serves the supported versions, and answers other paths with 404', async () => {
    const { gql, call } = mockOf()
    for (const v of ['2026-01', '2026-04', '2026-07', '2026-10', '2027-01', 'unstable']) expect((await gql('{ shop { name } }', {}, LEGACY_TOKEN, `${SHOP}/admin/api/${v}/graphql.json`)).status).toBe(200)
    expect((await call(`${SHOP}/admin/api/${SHOPIFY_API_VERSION}/customers.json`, {})).status).toBe(404)
    expect((await call(`${SHOP}/wp-json/wc/v3/customers`, {})).status).toBe(404)
  })

  it('answers 400 to a body without a query', async () => {
    const r = await mockOf().call(GQL, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': LEGACY_TOKEN }, body: '{"variables":{}}' })
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ errors: { query: 'Required parameter missing or invalid' } })
  })

  it.each([
    ['a syntax error', 'query { shop { name }', /^syntax error, unexpected end of file at \[1, 22\]/],
    ['an unknown field', '{ customers(first: 1) { nodes { id email } } }', /^Field 'email' doesn't exist on type 'Customer'$/],
    ['an unknown argument', '{ customers(first: 1, limit: 5) { nodes { id } } }', /^Field 'customers' doesn't accept argument 'limit'$/],
    ['a selection on a scalar', '{ shop { name { x } } }', /^Selections can't be made on scalars/],
    ['an object without selection', '{ shop }', /^Field must have selections/],
    ['a connection without first or last', '{ customers { nodes { id } } }', /^you must provide one of first or last$/],
    ['first above 250', '{ customers(first: 251) { nodes { id } } }', /^first cannot exceed 250\. To query larger amounts of data/],
    ['an undeclared variable', '{ customers(first: $n) { nodes { id } } }', /^Variable \$n is used by anonymous but not declared$/],
    ['an unused variable', 'query Q($n: Int) { shop { name } }', /^Variable \$n is declared by Q but not used$/],
    ['a fragment', '{ shop { ...F } }', /^fragments are not supported by this mock/],
  ])('refuses %s with a GraphQL error', async (_, query, message) => {
    const r = await mockOf().gql(query)
    expect(r.status).toBe(200)
    expect(r.json.data).toBeUndefined()
    expect(r.json.errors[0].message).toMatch(message)
  })

  it('refuses a query above 1 000 points with MAX_COST_EXCEEDED', async () => {
    const r = await mockOf().gql(CUSTOMERS_QUERY, page(250))
    expect(pageCost(250)).toBe(2752)
    expect(r.json.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Query cost is 2752, which exceeds the single query max cost limit \(1000\)\./), extensions: expect.objectContaining({ code: 'MAX_COST_EXCEEDED', cost: 2752, maxCost: MAX_QUERY_COST }) }),
    ])
  })

  it('denies customers to an app without read_customers, and protected data to an unapproved app', async () => {
    const { gql, grant } = mockOf()
    const noScope = await gql(CHECK_QUERY, {}, NO_CUSTOMERS_TOKEN)
    expect(noScope.json.data).toEqual({ shop: { name: 'Sklep Testowy' }, customersCount: null, customers: null })
    expect(noScope.json.errors[0]).toEqual({
      message: 'Access denied for customersCount field. Required access: `read_customers` access scope.',
      locations: [{ line: 3, column: 3 }],
      path: ['customersCount'],
      extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: '`read_customers` access scope.' },
    })
    const viaApp = (await grant(cc(NO_CUSTOMERS_CLIENT_ID, NO_CUSTOMERS_CLIENT_SECRET))).json.access_token as string
    expect((await gql('{ customersCount { count } }', {}, viaApp)).json).toMatchObject({ data: null, errors: [{ extensions: { code: 'ACCESS_DENIED' } }] })
    const unapproved = (await grant(cc(NO_PROTECTED_DATA_CLIENT_ID, NO_PROTECTED_DATA_CLIENT_SECRET))).json.access_token as string
    const r = await gql(CHECK_QUERY, {}, unapproved)
    expect(r.json.data.customersCount).toEqual({ count: 200, precision: 'EXACT' })
    expect(r.json.errors[0].message).toMatch(/^This app is not approved to access the Customer object/)
  })
})

describe('shopify mock: answers, cost and bucket', () => {
  it('pages by id with opaque cursors, a cursor surviving the deletion of its row', async () => {
    const { gql: query, mock, time } = mockOf()
    // 20 s between pages: the bucket refills, nothing is throttled here
    const gql = async (...args: Parameters<typeof query>) => (await time.sleep(20_000), query(...args))
    const first = await gql(CUSTOMERS_QUERY, page(90))
    const ids = (r: typeof first) => (r.json.data.customers.nodes as Array<{ id: string }>).map((n) => Number(n.id.split('/').pop()))
    expect(ids(first)).toEqual(mock.customers.slice(0, 90).map((c) => c.id))
    const end = first.json.data.customers.pageInfo.endCursor as string
    expect(decodeCursor(end)).toEqual({ lastId: mock.customers[89]!.id, lastValue: mock.customers[89]!.id })
    mock.deleteCustomer(mock.customers[89]!.id)
    const second = await gql(CUSTOMERS_QUERY, page(90, end))
    expect(ids(second)).toEqual(mock.customers.slice(89, 179).map((c) => c.id))
    const last = await gql(CUSTOMERS_QUERY, page(90, second.json.data.customers.pageInfo.endCursor))
    expect(last.json.data.customers.pageInfo.hasNextPage).toBe(false)
    expect((await gql(CUSTOMERS_QUERY, page(1, 'not-a-cursor'))).json.errors[0].message).toBe('Invalid cursor for current pagination sort.')
  })

  it('pages every sort key from orders it keeps, which follow registrations and customers pushed out of order', async () => {
    const { gql: query, mock, time } = mockOf()
    const gql = async (...args: Parameters<typeof query>) => (await time.sleep(20_000), query(...args))
    const list = (extra: string) => `query Q($first: Int!, $after: String) { customers(first: $first, after: $after${extra}) { nodes { legacyResourceId } pageInfo { endCursor hasNextPage } } }`
    const ids = async (extra: string, after: string | null = null, first = 3) => {
      const r = (await gql(list(extra), { first, after })).json.data.customers
      return { ids: (r.nodes as Array<{ legacyResourceId: string }>).map((n) => Number(n.legacyResourceId)), end: r.pageInfo.endCursor as string }
    }
    const byId = () => mock.customers.map((c) => c.id).sort((a, b) => a - b)
    const byCreated = () => [...mock.customers].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id)).map((c) => c.id)
    const firstPage = await ids(', sortKey: ID')
    expect(firstPage.ids).toEqual(byId().slice(0, 3))
    expect((await ids(', sortKey: ID', firstPage.end)).ids).toEqual(byId().slice(3, 6))
    const added = Number(mock.registerCustomer())
    mock.customers.push({ ...mock.customers[0]!, id: 1, createdAt: '2030-01-01T00:00:00Z' })
    expect((await ids(', sortKey: ID')).ids).toEqual([1, ...byId().slice(1, 3)])
    expect((await ids(', sortKey: ID, reverse: true')).ids).toEqual([added, ...byId().reverse().slice(1, 3)])
    const created = await ids(', sortKey: CREATED_AT, reverse: true', null, 2)
    expect(created.ids).toEqual(byCreated().reverse().slice(0, 2))
    expect((await ids(', sortKey: CREATED_AT, reverse: true', created.end, 2)).ids).toEqual(byCreated().reverse().slice(2, 4))
    expect((await gql(`query { customer(id: "gid://shopify/Customer/${added}") { legacyResourceId } }`)).json.data.customer).toEqual({ legacyResourceId: String(added) })
  })

  it('reports requested and actual cost and the Standard bucket on every evaluated answer', async () => {
    const { gql } = mockOf()
    const r = await gql(CUSTOMERS_QUERY, page(90))
    const c = r.json.extensions.cost
    expect(c.requestedQueryCost).toBe(992)
    expect(c.actualQueryCost).toBeGreaterThan(90 * 3)
    expect(c.actualQueryCost).toBeLessThan(992)
    // the unused part of the requested cost is refunded
    expect(c.throttleStatus).toEqual({ maximumAvailable: STANDARD_BUCKET.maximumAvailable, currentlyAvailable: 2000 - c.actualQueryCost, restoreRate: 100 })
    expect((await gql(CHECK_QUERY)).json.extensions.cost.requestedQueryCost).toBe(CHECK_COST)
  })

  it('throttles a query the bucket cannot hold, and refills on the clock', async () => {
    const { gql, time, mock } = mockOf({ bucket: { maximumAvailable: 1000, restoreRate: 50 } })
    const one = await gql(CUSTOMERS_QUERY, page(90))
    const left = one.json.extensions.cost.throttleStatus.currentlyAvailable as number
    const two = await gql(CUSTOMERS_QUERY, page(90))
    expect(two.json).toEqual({
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: { cost: { requestedQueryCost: 992, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: left, restoreRate: 50 } } },
    })
    await time.sleep(((992 - left) / 50) * 1000)
    expect((await gql(CUSTOMERS_QUERY, page(90))).json.data.customers.nodes).toHaveLength(90)
    expect(mock.state.throttled).toBe(1)
    // throttleNext: drained so that the query must wait `seconds`
    mock.throttleNext(1, 3)
    await time.sleep(60_000)
    const drained = await gql(CUSTOMERS_QUERY, page(90))
    expect(drained.json.extensions.cost.throttleStatus.currentlyAvailable).toBe(992 - 150)
  })

  it('evaluates aliases, edges with cursors, comments, defaults and a single customer by gid', async () => {
    const { gql, mock } = mockOf()
    const c = mock.customers[3]!
    const r = await gql(
      `# a comment
      query Q($n: Int = 2, $id: ID!) {
        list: customers(first: $n, sortKey: ID) { edges { cursor node { id legacyResourceId } } pageInfo { hasNextPage hasPreviousPage } }
        one: customer(id: $id) { firstName tags }
        missing: customer(id: "gid://shopify/Customer/1") { id }
      }`,
      { id: `gid://shopify/Customer/${c.id}` },
    )
    expect(r.json.errors).toBeUndefined()
    expect(r.json.data.list.edges).toHaveLength(2)
    expect(r.json.data.list.edges[0].node.legacyResourceId).toBe(String(mock.customers[0]!.id))
    expect(decodeCursor(r.json.data.list.edges[1].cursor)?.lastId).toBe(mock.customers[1]!.id)
    expect(r.json.data.list.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false })
    expect(r.json.data.one).toEqual({ firstName: c.firstName, tags: c.tags })
    expect(r.json.data.missing).toBeNull()
    // requested: 2 + 2 × 1 for the list, 1 each for the two customers
    expect(r.json.extensions.cost.requestedQueryCost).toBe(6)
  })

  it('lets customers register and disappear, ids ascending', async () => {
    const { mock } = mockOf()
    const top = Math.max(...mock.customers.map((c) => c.id))
    const id = mock.registerCustomer()
    expect(Number(id)).toBe(top + 1)
    expect(mock.deleteCustomer(id)).toBe(true)
    expect(mock.deleteCustomer(id)).toBe(false)
  })
})

describe('shopify mock: faults', () => {
  it('answers planned faults as Shopify and its edge do', async () => {
    const { gql, mock } = mockOf()
    mock.failNext(1, { kind: 'server_error' })
    const e500 = await gql('{ shop { name } }')
    expect(e500.status).toBe(500)
    expect(e500.json.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR')
    mock.failNext(1, { kind: 'internal_error' })
    expect((await gql('{ shop { name } }')).json.errors[0].message).toMatch(/^Internal error\. Looks like something went wrong on our end\./)
    mock.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 3 })
    const limited = await gql('{ shop { name } }')
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3'])
    mock.failNext(1, { kind: 'broken_json' })
    expect((await gql('{ shop { name } }')).json).toBeUndefined()
    mock.failNext(1, { kind: 'bad_gateway' })
    expect((await gql('{ shop { name } }')).status).toBe(502)
    mock.setFaults({ serverErrorEvery: 2 })
    expect([(await gql('{ shop { name } }')).status, (await gql('{ shop { name } }')).status].sort()).toEqual([200, 500])
  })

  it('runs over a real socket, where a reset drops the connection', async () => {
    const running = await startShopifyMock({ customers: generateShopifyDemoData({ count: 20, seed: 1 }), legacyTokens: TEST_LEGACY_TOKENS, port: 0, hostname: '127.0.0.1' })
    try {
      const post = () => fetch(`${running.url}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': LEGACY_TOKEN }, body: '{"query":"{ customersCount { count } }"}' })
      expect(await (await post()).json()).toMatchObject({ data: { customersCount: { count: 20 } } })
      running.mock.failNext(1, { kind: 'reset' })
      await expect(post()).rejects.toThrow()
    } finally {
      await running.close()
    }
  })
})
