/**
 * Test kit for the Shopify tests (test-only): a mock shop with a Dev Dashboard app (client ID +
 * secret), an app without read_customers, one without protected-data access, one of another
 * organization, and legacy shpat_ tokens; the mock's clock and the client's sleep on one fake
 * clock (bucket refills, token expiry and waits cost no real time); the fixture cases and the
 * conformance subjects.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ShopifyCredentials } from '@cm/contracts'
import type { ConformanceSubject } from '../conformance.ts'
import type { SourceEvent, SourceHttpOptions } from '../connector.ts'
import { fakeTime, type FakeTime } from '../../testing/fake-time.ts'
import { shopifyConnector } from './shopify.connector.ts'
import { generateShopifyDemoData } from './shopify.demo-data.ts'
import { mapShopifyCustomer, type ShopifyMapOptions } from './shopify.mapper.ts'
import { startShopifyMock } from './shopify.mock-http.ts'
import { createShopifyMock, type ShopifyMock, type ShopifyMockApp, type ShopifyMockLegacyToken, type ShopifyMockOptions } from './shopify.mock-server.ts'
import { SHOPIFY_PAGE_SIZE } from './shopify.query.ts'
import { ShopifyAddressNode, ShopifyCustomerNode } from './shopify.types.ts'

/** values shaped as Shopify's (32 hex client ID, shpss_ secret, shpat_ token), distinctive so a leak is easy to prove */
export const TEST_CLIENT_ID = '8e3f1c2a7b9d4e6f0a1b2c3d4e5f6a7b'
export const TEST_CLIENT_SECRET = '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'
export const NO_CUSTOMERS_CLIENT_ID = '1a2b3c4d5e6f708192a3b4c5d6e7f801'
export const NO_CUSTOMERS_CLIENT_SECRET = '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'
export const NO_PROTECTED_DATA_CLIENT_ID = '5d6e7f8091a2b3c4d5e6f708192a3b4c'
export const NO_PROTECTED_DATA_CLIENT_SECRET = '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'
export const OTHER_ORG_CLIENT_ID = '0c1d2e3f405162738495a6b7c8d9e0f1'
export const OTHER_ORG_CLIENT_SECRET = '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'
export const LEGACY_TOKEN = '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'
export const NO_CUSTOMERS_TOKEN = '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'

const READ = ['read_customers', 'read_orders']
export const TEST_APPS: ShopifyMockApp[] = [
  { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, scopes: READ },
  { clientId: NO_CUSTOMERS_CLIENT_ID, clientSecret: NO_CUSTOMERS_CLIENT_SECRET, scopes: ['read_products', 'read_orders'] },
  { clientId: NO_PROTECTED_DATA_CLIENT_ID, clientSecret: NO_PROTECTED_DATA_CLIENT_SECRET, scopes: READ, protectedData: false },
  { clientId: OTHER_ORG_CLIENT_ID, clientSecret: OTHER_ORG_CLIENT_SECRET, scopes: READ, sameOrganization: false },
]
export const TEST_LEGACY_TOKENS: ShopifyMockLegacyToken[] = [
  { token: LEGACY_TOKEN, scopes: READ },
  { token: NO_CUSTOMERS_TOKEN, scopes: ['read_products'] },
]

/** deadlines and backoff of the tests: the sleep is fake, so these cost no real time */
const TEST_HTTP_LIMITS = { requestTimeoutMs: 5_000, retries: 3, minRetryDelayMs: 200, maxRetryDelayMs: 5_000 }

export interface ShopifyTestShop {
  mock: ShopifyMock
  time: FakeTime
  events: SourceEvent[]
  http: SourceHttpOptions
  /** the Dev Dashboard app's client ID and secret */
  credentials: ShopifyCredentials
  /** the legacy custom app's shpat_ token */
  legacyCredentials: ShopifyCredentials
  withApp(clientId: string, clientSecret: string): ShopifyCredentials
  withToken(accessToken: string): ShopifyCredentials
  close(): Promise<void>
}

export interface ShopifyTestShopOptions extends Partial<Omit<ShopifyMockOptions, 'customers' | 'clock'>> {
  count?: number
  seed?: number
  customers?: ShopifyMockOptions['customers']
  /** over a real socket (127.0.0.1, port 0): plain HTTP */
  overHttp?: boolean
  http?: Partial<SourceHttpOptions>
}

export async function testShopifyShop(o: ShopifyTestShopOptions = {}): Promise<ShopifyTestShop> {
  const time = fakeTime(Date.UTC(2026, 11, 3, 9))
  const events: SourceEvent[] = []
  const { count, seed, overHttp, http: httpOverrides, customers, ...rest } = o
  const mockOpts: ShopifyMockOptions = {
    apps: TEST_APPS,
    legacyTokens: TEST_LEGACY_TOKENS,
    ...rest,
    customers: customers ?? generateShopifyDemoData({ count: count ?? 347, seed: seed ?? 17 }),
    clock: time.clock,
  }
  let mock: ShopifyMock
  let domain = 'https://sklep-testowy.myshopify.com'
  let fetchFn: SourceHttpOptions['fetch']
  let close = async () => {}
  if (overHttp) {
    const running = await startShopifyMock({ ...mockOpts, port: 0, hostname: '127.0.0.1' })
    ;({ mock, url: domain, close } = running)
    fetchFn = (url, init) => fetch(url, init)
  } else {
    const inProcess = createShopifyMock(mockOpts)
    mock = inProcess
    fetchFn = (url, init) => inProcess.fetch(new Request(url, init))
  }
  const http: SourceHttpOptions = { ...TEST_HTTP_LIMITS, fetch: fetchFn, sleep: time.sleep, onEvent: (e) => events.push(e), ...httpOverrides }
  const withApp = (clientId: string, clientSecret: string): ShopifyCredentials => ({ platform: 'shopify', domain, clientId, clientSecret })
  const withToken = (accessToken: string): ShopifyCredentials => ({ platform: 'shopify', domain, accessToken })
  return { mock, time, events, http, credentials: withApp(TEST_CLIENT_ID, TEST_CLIENT_SECRET), legacyCredentials: withToken(LEGACY_TOKEN), withApp, withToken, close }
}

/** the customers that must reach the file: every one (Shopify has no guests or staff among customers) */
export const shopifyCustomerIds = (mock: ShopifyMock) => mock.customers.map((c) => String(c.id))

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const readJson = (...p: string[]): unknown => JSON.parse(readFileSync(path.join(FIXTURES, ...p), 'utf8'))

/**
 * Every folder under fixtures/: customer.json (a node as the page query returns it; an optional
 * `moreAddresses` list stands for the follow-up query's), options.json (mapper options, optional)
 * → expected.json.
 */
export function shopifyFixtureCases(): Array<{ name: string; actual: unknown; expected: unknown; input: unknown }> {
  const folders = readdirSync(FIXTURES, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [d.name] : []))
  return folders.sort().map((name) => {
    const input = readJson(name, 'customer.json') as { moreAddresses?: unknown[] }
    const options = existsSync(path.join(FIXTURES, name, 'options.json')) ? (readJson(name, 'options.json') as ShopifyMapOptions) : {}
    const node = ShopifyCustomerNode.parse(input)
    const more = (input.moreAddresses ?? []).map((a) => ShopifyAddressNode.parse(a))
    const result = mapShopifyCustomer(node, [...node.addressesV2.nodes, ...more], options)
    const actual = result.kind === 'customer' ? { customer: result.customer } : { leftOut: result.reason }
    return { name, actual, expected: readJson(name, 'expected.json'), input }
  })
}

/** Shopify as the conformance suite sees it: a Dev Dashboard app in-process, a legacy token over a socket. */
export function shopifyConformanceSubjects(): ConformanceSubject<ShopifyCredentials>[] {
  const variants = [
    { name: 'shopify (client credentials)', legacy: false, overHttp: false },
    { name: 'shopify (legacy shpat_ token, over HTTP)', legacy: true, overHttp: true },
  ]
  return variants.map(({ name, legacy, overHttp }) => ({
    name,
    platform: 'shopify',
    connector: shopifyConnector,
    pageSize: SHOPIFY_PAGE_SIZE,
    fixtures: () => shopifyFixtureCases().map(({ name: n, actual, expected }) => ({ name: n, actual, expected })),
    secrets: (c) => [c.clientSecret ?? '', c.accessToken ?? ''].filter(Boolean),
    open: async (opts) => {
      const shop = await testShopifyShop({ count: opts?.records ?? 347, seed: 23, overHttp })
      return {
        credentials: legacy ? shop.legacyCredentials : shop.credentials,
        badCredentials: [
          { kind: 'wrong client secret (invalid_client)', credentials: shop.withApp(TEST_CLIENT_ID, 'shpss_00000000000000000000000000000000'), code: 'SOURCE_AUTH_FAILED' },
          { kind: 'unknown access token (401)', credentials: shop.withToken('shpat_11111111111111111111111111111111'), code: 'SOURCE_AUTH_FAILED' },
          { kind: 'app of another organization (shop_not_permitted)', credentials: shop.withApp(OTHER_ORG_CLIENT_ID, OTHER_ORG_CLIENT_SECRET), code: 'SOURCE_AUTH_FAILED' },
          legacy
            ? { kind: 'token without read_customers (ACCESS_DENIED)', credentials: shop.withToken(NO_CUSTOMERS_TOKEN), code: 'SOURCE_API_ACCESS_DENIED' }
            : { kind: 'app without read_customers (ACCESS_DENIED)', credentials: shop.withApp(NO_CUSTOMERS_CLIENT_ID, NO_CUSTOMERS_CLIENT_SECRET), code: 'SOURCE_API_ACCESS_DENIED' },
          { kind: 'app without protected customer data (ACCESS_DENIED)', credentials: shop.withApp(NO_PROTECTED_DATA_CLIENT_ID, NO_PROTECTED_DATA_CLIENT_SECRET), code: 'SOURCE_API_ACCESS_DENIED' },
        ],
        http: shop.http,
        events: shop.events,
        expectedCustomers: shopifyCustomerIds(shop.mock).length,
        serverErrorNext: (n) => shop.mock.failNext(n, { kind: 'server_error' }),
        // Shopify's own answer: the cost bucket drained, THROTTLED until it holds the query's cost
        rateLimitNext: (n, seconds) => shop.mock.throttleNext(n, seconds),
        addCustomer: () => shop.mock.registerCustomer(),
        // granted tokens expire (86 399 s); a legacy shpat_ token does not
        expireTokenNow: legacy ? null : () => shop.mock.expireTokens(),
        // requests carry a token, not a signature
        tamperSignatureNext: null,
        close: shop.close,
      }
    },
  }))
}
