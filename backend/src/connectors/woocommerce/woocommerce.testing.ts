/**
 * Test kit for the WooCommerce tests (test-only): a mock shop with a read, a write-only and a
 * stranger's key, the client's sleep on a fake clock (backoff and Retry-After cost no real
 * time), the fixture cases and the conformance subjects. OAuth timestamps stay on real time:
 * the oauth-1.0a signer reads the wall clock, and so does the mock's 15-minute window.
 */
import type { WooCommerceCredentials } from '@cm/contracts'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ConformanceSubject } from '../conformance.ts'
import type { SourceEvent, SourceHttpOptions } from '../connector.ts'
import { fakeTime, type FakeTime } from '../../testing/fake-time.ts'
import { oauthTamper } from '../../testing/oauth-tamper.ts'
import { WOO_MAX_PER_PAGE } from './woocommerce.client.ts'
import { basicValue } from './woocommerce.auth.ts'
import { woocommerceConnector } from './woocommerce.connector.ts'
import { generateWooCommerceDemoData } from './woocommerce.demo-data.ts'
import { mapWooCustomer, WOO_STAFF_ROLES } from './woocommerce.mapper.ts'
import { createWooCommerceMock, startWooCommerceMock, type WooCommerceMock, type WooMockKey, type WooMockOptions } from './woocommerce.mock-server.ts'
import { WooCustomer, type WooCustomerRecord } from './woocommerce.types.ts'

/** keys as WooCommerce makes them (ck_/cs_ + 40 hex), distinctive so a leak is easy to prove */
export const TEST_CONSUMER_KEY = 'ck_5f3a9c1e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a'
export const TEST_CONSUMER_SECRET = 'cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'
export const WRITE_ONLY_KEY = 'ck_0a1b2c3d4e5f60718293a4b5c6d7e8f901234567'
export const WRITE_ONLY_SECRET = 'cs_76543210fedcba9876543210fedcba9876543210'

export const TEST_KEYS: WooMockKey[] = [
  { consumerKey: TEST_CONSUMER_KEY, consumerSecret: TEST_CONSUMER_SECRET, permissions: 'read' },
  { consumerKey: WRITE_ONLY_KEY, consumerSecret: WRITE_ONLY_SECRET, permissions: 'write' },
]

/** deadlines and backoff of the tests: the sleep is fake, so these cost no real time */
const TEST_HTTP_LIMITS = { requestTimeoutMs: 5_000, retries: 3, minRetryDelayMs: 200, maxRetryDelayMs: 5_000 }

export interface WooTestShop {
  mock: WooCommerceMock
  time: FakeTime
  events: SourceEvent[]
  http: SourceHttpOptions
  credentials: WooCommerceCredentials
  close(): Promise<void>
}

export interface WooTestShopOptions extends Partial<Omit<WooMockOptions, 'customers' | 'keys'>> {
  count?: number
  seed?: number
  customers?: WooCustomerRecord[]
  keys?: WooMockKey[]
  /** over a real socket (port 0, 127.0.0.1): plain HTTP, so the client signs with OAuth 1.0a */
  overHttp?: boolean
  http?: Partial<SourceHttpOptions>
}

export async function testWooShop(o: WooTestShopOptions = {}): Promise<WooTestShop> {
  const time = fakeTime()
  const events: SourceEvent[] = []
  const { count, seed, overHttp, http: httpOverrides, ...rest } = o
  const mockOpts: WooMockOptions = { ...rest, customers: o.customers ?? generateWooCommerceDemoData({ count: count ?? 347, seed: seed ?? 11 }), keys: o.keys ?? TEST_KEYS }
  let mock: WooCommerceMock
  let domain: string
  let fetchFn: SourceHttpOptions['fetch']
  let close = async () => {}
  if (overHttp) {
    const running = await startWooCommerceMock({ ...mockOpts, port: 0, hostname: '127.0.0.1' })
    ;({ mock, url: domain, close } = running)
    fetchFn = (url, init) => fetch(url, init)
  } else {
    mock = createWooCommerceMock(mockOpts)
    domain = `${o.scheme ?? 'https'}://sklep-testowy.example.pl`
    fetchFn = (url, init) => mock.fetch(new Request(url, init))
  }
  const http: SourceHttpOptions = { ...TEST_HTTP_LIMITS, fetch: fetchFn, sleep: time.sleep, onEvent: (e) => events.push(e), ...httpOverrides }
  const credentials: WooCommerceCredentials = { platform: 'woocommerce', domain, consumerKey: TEST_CONSUMER_KEY, consumerSecret: TEST_CONSUMER_SECRET }
  return { mock, time, events, http, credentials, close }
}

/** the accounts that must reach the file: everyone but staff */
export const wooCustomerIds = (mock: WooCommerceMock) => mock.customers.filter((c) => !WOO_STAFF_ROLES.includes(c.role)).map((c) => String(c.id))

/** Every folder under fixtures/: what the mapper makes of its customer.json. */
export function woocommerceFixtureCases(): Array<{ name: string; actual: unknown; expected: unknown }> {
  const dir = fileURLToPath(new URL('./fixtures/', import.meta.url))
  const json = (name: string, file: string): unknown => JSON.parse(readFileSync(path.join(dir, name, file), 'utf8'))
  const names = readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [d.name] : []))
  return names.sort().map((name) => {
    const mapped = mapWooCustomer(WooCustomer.parse(json(name, 'customer.json')))
    const actual = mapped.kind === 'left_out' ? { leftOut: mapped.reason } : { customer: mapped.customer }
    return { name, actual, expected: json(name, 'expected.json') }
  })
}

interface SubjectVariant {
  name: string
  overHttp: boolean
  stripAuthorization?: boolean
}

const VARIANTS: SubjectVariant[] = [
  { name: 'woocommerce (https, Basic)', overHttp: false },
  { name: 'woocommerce (https, Authorization stripped: query keys)', overHttp: false, stripAuthorization: true },
  { name: 'woocommerce (http, OAuth 1.0a, over HTTP)', overHttp: true },
]

/** WooCommerce as the shared conformance suite sees it, one subject per way the key travels. */
export function woocommerceConformanceSubjects(): ConformanceSubject<WooCommerceCredentials>[] {
  return VARIANTS.map((v) => ({
    name: v.name,
    platform: 'woocommerce',
    connector: woocommerceConnector,
    pageSize: WOO_MAX_PER_PAGE,
    fixtures: woocommerceFixtureCases,
    secrets: (c) => [c.consumerKey, c.consumerSecret, basicValue(c)],
    open: async (opts) => {
      const shop = await testWooShop({ count: opts?.records ?? 347, overHttp: v.overHttp, stripAuthorization: v.stripAuthorization })
      const good = shop.credentials
      // only plain-http shops get signed requests (https ones take the key as is)
      const tamper = v.overHttp ? oauthTamper(shop.http.fetch) : null
      return {
        credentials: good,
        badCredentials: [
          { kind: 'wrong secret', credentials: { ...good, consumerSecret: 'cs_0000000000000000000000000000000000000000' }, code: 'SOURCE_AUTH_FAILED' },
          { kind: 'unknown key', credentials: { ...good, consumerKey: 'ck_1111111111111111111111111111111111111111' }, code: 'SOURCE_AUTH_FAILED' },
          { kind: 'write-only key', credentials: { ...good, consumerKey: WRITE_ONLY_KEY, consumerSecret: WRITE_ONLY_SECRET }, code: 'SOURCE_API_ACCESS_DENIED' },
        ],
        http: tamper ? { ...shop.http, fetch: tamper.fetch } : shop.http,
        events: shop.events,
        expectedCustomers: wooCustomerIds(shop.mock).length,
        serverErrorNext: (n) => shop.mock.failNext(n, { kind: 'server_error' }),
        // core WooCommerce has no rate limiter; a host's 429 is covered by the client tests
        rateLimitNext: null,
        addCustomer: () => String(shop.mock.addCustomer()),
        // the key travels with every request: there is no token to expire
        expireTokenNow: null,
        tamperSignatureNext: tamper ? () => tamper.armNext() : null,
        close: shop.close,
      }
    },
  }))
}
