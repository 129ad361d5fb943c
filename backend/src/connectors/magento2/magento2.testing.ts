/**
 * Test kit for the Magento 2 tests (test-only): a mock shop with a full integration, one
 * without Magento_Customer::customer and an inactive one; the client's sleep on a fake clock
 * (backoff and Retry-After cost no real time; OAuth timestamps stay on the wall clock, as the
 * mock's nonce check); the mapper's fixture cases; the conformance subjects.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Magento2Credentials } from '@cm/contracts'
import type { ConformanceSubject } from '../conformance.ts'
import type { SourceEvent, SourceHttpOptions } from '../connector.ts'
import { fakeTime, type FakeTime } from '../../testing/fake-time.ts'
import { oauthTamper } from '../../testing/oauth-tamper.ts'
import { magento2Connector } from './magento2.connector.ts'
import { generateMagentoDemoData } from './magento2.demo-data.ts'
import { buildMagentoLookups, mapMagentoCustomer } from './magento2.mapper.ts'
import { startMagentoMock } from './magento2.mock-http.ts'
import { createMagentoMock, type MagentoMock, type MagentoMockIntegration, type MagentoMockOptions } from './magento2.mock-server.ts'
import { MAGENTO_PAGE_SIZE } from './magento2.reads.ts'
import type { MagentoDataset } from './magento2.records.ts'
import { MagentoCustomer, MagentoGroup, MagentoStoreConfig } from './magento2.types.ts'

/** 32 lower-case alphanumerics each, as Magento's Oauth helper generates them; distinctive, so a leak is easy to prove */
export const TEST_INTEGRATION: MagentoMockIntegration = {
  id: 1,
  name: 'IdoSell migracja klientów',
  consumerKey: 'k7q2m9x4w1z8c5v3b6n0p2r4t6y8u1i3',
  consumerSecret: 's9d8f7g6h5j4k3l2q1w0e9r8t7y6u5i4',
  accessToken: 'a1t2o3k4e5n6q7w8e9r0t1y2u3i4o5p6',
  accessTokenSecret: 'x5e6c7r8e9t0a1s2d3f4g5h6j7k8l9z0',
  resources: ['Magento_Customer::customer', 'Magento_Customer::manage', 'Magento_Customer::online', 'Magento_Customer::group', 'Magento_Backend::stores'],
}
/** an integration of the same shop that may read orders and stores, not customers */
export const NO_CUSTOMERS_INTEGRATION: MagentoMockIntegration = {
  id: 2,
  name: 'ERP (zamówienia)',
  consumerKey: 'n0c5u6s7t8o9m0e1r2s3k4e5y6a7b8c9',
  consumerSecret: 'n0c5s1e2c3r4e5t6a7b8c9d0e1f2g3h4',
  accessToken: 'n0c5t1o2k3e4n5a6b7c8d9e0f1g2h3i4',
  accessTokenSecret: 'n0c5t5s6e7c8r9e0t1a2b3c4d5e6f7g8',
  resources: ['Magento_Sales::sales', 'Magento_Sales::actions_view', 'Magento_Backend::stores'],
}
/** saved, never activated */
export const INACTIVE_INTEGRATION: MagentoMockIntegration = {
  id: 3,
  name: 'Nieaktywna',
  consumerKey: 'i9n8a7c6t5i4v3e2k1e0y9z8x7w6v5u4',
  consumerSecret: 'i9n8s7e6c5r4e3t2z1y0x9w8v7u6t5s4',
  accessToken: 'i9n8t7o6k5e4n3z2y1x0w9v8u7t6s5r4',
  accessTokenSecret: 'i9n8t5s4e3c2r1e0t9z8y7x6w5v4u3t2',
  resources: 'all',
  active: false,
}
export const TEST_INTEGRATIONS = [TEST_INTEGRATION, NO_CUSTOMERS_INTEGRATION, INACTIVE_INTEGRATION]

/** deadlines and backoff of the tests: the sleep is fake, so these cost no real time */
const TEST_HTTP_LIMITS = { requestTimeoutMs: 5_000, retries: 3, minRetryDelayMs: 200, maxRetryDelayMs: 5_000 }
export const TEST_DOMAIN = 'https://sklep-magento.example.pl'

export interface MagentoTestShop {
  mock: MagentoMock
  time: FakeTime
  events: SourceEvent[]
  http: SourceHttpOptions
  credentials: Magento2Credentials
  /** the shop's credentials with another integration's values */
  withIntegration(i: Pick<MagentoMockIntegration, 'consumerKey' | 'consumerSecret' | 'accessToken' | 'accessTokenSecret'>): Magento2Credentials
  close(): Promise<void>
}

export interface MagentoTestShopOptions extends Partial<Omit<MagentoMockOptions, 'data'>> {
  data?: MagentoDataset
  count?: number
  seed?: number
  /** over a real socket (port 0, 127.0.0.1) instead of in-process */
  overHttp?: boolean
  http?: Partial<SourceHttpOptions>
}

export async function testMagentoShop(o: MagentoTestShopOptions = {}): Promise<MagentoTestShop> {
  const time = fakeTime()
  const events: SourceEvent[] = []
  const { count, seed, overHttp, http: httpOverrides, ...rest } = o
  const mockOpts: MagentoMockOptions = { integrations: TEST_INTEGRATIONS, ...rest, data: o.data ?? generateMagentoDemoData({ count: count ?? 347, seed: seed ?? 13 }) }
  let mock: MagentoMock
  let domain = TEST_DOMAIN
  let fetchFn: SourceHttpOptions['fetch']
  let close = async () => {}
  if (overHttp) {
    const running = await startMagentoMock({ ...mockOpts, port: 0, hostname: '127.0.0.1' })
    ;({ mock, url: domain, close } = running)
    fetchFn = (url, init) => fetch(url, init)
  } else {
    const inProcess = createMagentoMock(mockOpts)
    mock = inProcess
    fetchFn = (url, init) => inProcess.fetch(new Request(url, init))
  }
  const http: SourceHttpOptions = { ...TEST_HTTP_LIMITS, fetch: fetchFn, sleep: time.sleep, onEvent: (e) => events.push(e), ...httpOverrides }
  const withIntegration: MagentoTestShop['withIntegration'] = (i) => ({
    platform: 'magento2',
    domain,
    consumerKey: i.consumerKey,
    consumerSecret: i.consumerSecret,
    accessToken: i.accessToken,
    accessTokenSecret: i.accessTokenSecret,
  })
  return { mock, time, events, http, credentials: withIntegration(TEST_INTEGRATION), withIntegration, close }
}

/** every customer of the shop reaches the file (the search lists accounts only) */
export const magentoCustomerIds = (mock: MagentoMock) => [...mock.data.customers].sort((a, b) => a.id - b.id).map((c) => String(c.id))

export const magento2Secrets = (c: Magento2Credentials) => [c.consumerKey, c.consumerSecret, c.accessToken, c.accessTokenSecret]

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const readJson = (...p: string[]): unknown => JSON.parse(readFileSync(path.join(FIXTURES, ...p), 'utf8'))

/** Every folder under fixtures/: what the mapper makes of its customer.json (as the search sends it). */
export function magento2FixtureCases(): Array<{ name: string; actual: unknown; expected: unknown; input: unknown }> {
  const lookups = buildMagentoLookups(
    (readJson('groups.json') as { items: unknown[] }).items.map((g) => MagentoGroup.parse(g)),
    (readJson('storeConfigs.json') as unknown[]).map((s) => MagentoStoreConfig.parse(s)),
  )
  const folders = readdirSync(FIXTURES, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [d.name] : []))
  return folders.sort().map((name) => {
    const input = readJson(name, 'customer.json')
    const actual = { customer: mapMagentoCustomer(MagentoCustomer.parse(input), lookups) }
    return { name, actual, expected: readJson(name, 'expected.json'), input }
  })
}

const VARIANTS = [
  { name: 'magento2 (OAuth 1.0a HMAC-SHA256)', overHttp: false },
  { name: 'magento2 (OAuth 1.0a, over HTTP)', overHttp: true },
]

/** Magento 2 as the shared conformance suite sees it: signed requests in-process and over a real socket. */
export function magento2ConformanceSubjects(): ConformanceSubject<Magento2Credentials>[] {
  return VARIANTS.map((v) => ({
    name: v.name,
    platform: 'magento2',
    connector: magento2Connector,
    pageSize: MAGENTO_PAGE_SIZE,
    fixtures: () => magento2FixtureCases().map(({ name, actual, expected }) => ({ name, actual, expected })),
    secrets: magento2Secrets,
    open: async (opts) => {
      const shop = await testMagentoShop({ count: opts?.records ?? 347, seed: 29, overHttp: v.overHttp })
      const good = shop.credentials
      const tamper = oauthTamper(shop.http.fetch)
      return {
        credentials: good,
        badCredentials: [
          { kind: 'wrong consumer secret ("The signature is invalid")', credentials: { ...good, consumerSecret: 'w'.repeat(32) }, code: 'SOURCE_AUTH_FAILED' },
          { kind: 'wrong access token ("Specified token does not exist")', credentials: { ...good, accessToken: 'z'.repeat(32) }, code: 'SOURCE_AUTH_FAILED' },
          { kind: 'wrong access token secret ("The signature is invalid")', credentials: { ...good, accessTokenSecret: 'q'.repeat(32) }, code: 'SOURCE_AUTH_FAILED' },
          { kind: 'integration without Magento_Customer::customer (401 %resources)', credentials: shop.withIntegration(NO_CUSTOMERS_INTEGRATION), code: 'SOURCE_API_ACCESS_DENIED' },
        ],
        http: { ...shop.http, fetch: tamper.fetch },
        events: shop.events,
        expectedCustomers: shop.mock.data.customers.length,
        serverErrorNext: (n) => shop.mock.failNext(n, 'server_error'),
        // core Magento has no limiter on customer routes; a host's 429 is covered by the client tests
        rateLimitNext: null,
        addCustomer: () => shop.mock.registerCustomer(),
        // integration tokens do not expire; a revoked one can only be replaced by the admin re-activating
        // the integration (new values to type in), so there is nothing for the connector to renew
        expireTokenNow: null,
        tamperSignatureNext: () => tamper.armNext(),
        close: shop.close,
      }
    },
  }))
}
