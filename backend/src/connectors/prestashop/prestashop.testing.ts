/**
 * Test kit for the PrestaShop tests: the mock shop (in-process or over a real socket) with
 * the client's sleep on a fake clock, so Retry-After and backoff cost no real time; the
 * mapper's fixture cases; the conformance subjects.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PrestaShopCredentials } from '@cm/contracts'
import type { ConformanceSubject } from '../conformance.ts'
import type { SourceEvent, SourceHttpOptions } from '../connector.ts'
import { fakeTime, type FakeTime } from '../../testing/fake-time.ts'
import { prestashopConnector } from './prestashop.connector.ts'
import { generatePrestaShopDemoData } from './prestashop.demo-data.ts'
import { buildPrestaShopLookups, mapPrestaShopCustomer } from './prestashop.mapper.ts'
import { PRESTASHOP_PAGE_SIZE } from './prestashop.reads.ts'
import { startPrestaShopMock } from './prestashop.mock-http.ts'
import { createPrestaShopMock, type PrestaShopKey, type PrestaShopMock, type PrestaShopMockOptions } from './prestashop.mock-server.ts'
import type { PrestaShopDataset } from './prestashop.records.ts'
import { PrestaShopAddress, PrestaShopCountry, PrestaShopCustomer, PrestaShopGroup, PrestaShopLanguage } from './prestashop.types.ts'

/** 32 characters like a generated key; distinctive, so a test can prove it never leaks */
export const TEST_API_KEY = 'ZK8QW3PMX7Y2RB5NTC9VJ4HD6LF1GS0A'
/** a real key of the shop with GET on everything but customers */
export const NO_CUSTOMERS_KEY = 'NC4T7XQ2LM9PW5RB8KD3VH6JY1FG0SZE'
/** 32 characters, no such key in the shop */
export const UNKNOWN_KEY = 'UK2M8XW4QP7TR1BN5VC9HJ3DL6FG0SYA'
/** not 32 characters: code 18 */
export const WRONG_LENGTH_KEY = 'KLUCZ-ZA-KROTKI-17'

const READ = ['GET', 'HEAD'] as PrestaShopKey['resources'][string]
export const TEST_KEYS: PrestaShopKey[] = [
  { key: TEST_API_KEY, resources: { customers: READ, addresses: READ, countries: READ, languages: READ, groups: READ } },
  { key: NO_CUSTOMERS_KEY, resources: { addresses: READ, countries: READ, languages: READ, groups: READ, orders: READ } },
]

export interface TestPrestaShop {
  mock: PrestaShopMock
  time: FakeTime
  events: SourceEvent[]
  http: SourceHttpOptions
  credentials: PrestaShopCredentials
  /** credentials with another key */
  withKey(apiKey: string): PrestaShopCredentials
  close(): Promise<void>
}

export interface TestPrestaShopOptions extends Partial<Omit<PrestaShopMockOptions, 'data'>> {
  data?: PrestaShopDataset
  count?: number
  seed?: number
  /** over a real socket via startPrestaShopMock (port 0, 127.0.0.1) instead of in-process */
  overHttp?: boolean
  http?: Partial<SourceHttpOptions>
}

export async function testPrestaShop(o: TestPrestaShopOptions = {}): Promise<TestPrestaShop> {
  const time = fakeTime()
  const events: SourceEvent[] = []
  const { overHttp, count, seed, http: httpOverrides, ...rest } = o
  const mockOpts: PrestaShopMockOptions = { keys: TEST_KEYS, ...rest, data: o.data ?? generatePrestaShopDemoData({ count: count ?? 137, seed: seed ?? 7 }) }
  let mock: PrestaShopMock
  let domain = 'https://sklep-testowy.example.pl'
  let fetchFn: SourceHttpOptions['fetch']
  let close = async () => {}
  if (overHttp) {
    const running = await startPrestaShopMock({ ...mockOpts, port: 0, hostname: '127.0.0.1' })
    ;({ mock, url: domain, close } = running)
    fetchFn = (url, init) => fetch(url, init)
  } else {
    const inProcess = createPrestaShopMock(mockOpts)
    mock = inProcess
    fetchFn = (url, init) => inProcess.fetch(new Request(url, init))
  }
  // the fake clock owns every wait; tests override what they probe
  const http: SourceHttpOptions = { fetch: fetchFn, sleep: time.sleep, onEvent: (e) => events.push(e), requestTimeoutMs: 5_000, retries: 3, minRetryDelayMs: 200, maxRetryDelayMs: 5_000, ...httpOverrides }
  const withKey = (apiKey: string): PrestaShopCredentials => ({ platform: 'prestashop', domain, apiKey })
  return { mock, time, events, http, credentials: withKey(TEST_API_KEY), withKey, close }
}

/** customers that must reach the file: neither guests nor deleted */
export const expectedCustomerIds = (data: PrestaShopDataset) => data.customers.filter((c) => c.is_guest === 0 && c.deleted === 0).map((c) => String(c.id))

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
const readJson = (...p: string[]): unknown => JSON.parse(readFileSync(path.join(FIXTURES, ...p), 'utf8'))
const readRows = (...p: string[]): unknown[] => readJson(...p) as unknown[]

/** Every folder under fixtures/: what the mapper makes of its customer and addresses (raw, as the shop sends them). */
export function prestashopFixtureCases(): Array<{ name: string; actual: unknown; expected: unknown; input: unknown }> {
  const lookups = buildPrestaShopLookups(
    readRows('countries.json').map((c) => PrestaShopCountry.parse(c)),
    readRows('languages.json').map((l) => PrestaShopLanguage.parse(l)),
    readRows('groups.json').map((g) => PrestaShopGroup.parse(g)),
  )
  const folders = readdirSync(FIXTURES, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [d.name] : []))
  return folders.sort().map((name) => {
    const customer = readJson(name, 'customer.json')
    const addresses = readRows(name, 'addresses.json')
    const result = mapPrestaShopCustomer(PrestaShopCustomer.parse(customer), addresses.map((a) => PrestaShopAddress.parse(a)), lookups)
    const actual = result.kind === 'customer' ? { customer: result.customer } : { leftOut: result.reason }
    return { name, actual, expected: readJson(name, 'expected.json'), input: { customer, addresses } }
  })
}

/** PrestaShop 8.2 (string JSON) in-process, and 8.1 on PHP 8.1 (integer JSON) over a real socket. */
export function prestashopConformanceSubjects(): ConformanceSubject<PrestaShopCredentials>[] {
  const variants = [
    { name: 'prestashop (8.2 string JSON)', jsonTypes: 'strings' as const, overHttp: false },
    { name: 'prestashop (8.1 integer JSON, over HTTP)', jsonTypes: 'numbers' as const, overHttp: true },
  ]
  return variants.map(({ name, jsonTypes, overHttp }) => ({
    name,
    platform: 'prestashop',
    connector: prestashopConnector,
    pageSize: PRESTASHOP_PAGE_SIZE,
    fixtures: () => prestashopFixtureCases().map(({ name: n, actual, expected }) => ({ name: n, actual, expected })),
    secrets: (c) => [c.apiKey, Buffer.from(`${c.apiKey}:`).toString('base64')],
    open: async (opts) => {
      const shop = await testPrestaShop({ count: opts?.records ?? 347, seed: 21, jsonTypes, overHttp })
      return {
        credentials: shop.credentials,
        badCredentials: [
          { kind: 'unknown 32-character key (codes 20, 21)', credentials: shop.withKey(UNKNOWN_KEY), code: 'SOURCE_AUTH_FAILED' },
          { kind: 'key of the wrong length (code 18)', credentials: shop.withKey(WRONG_LENGTH_KEY), code: 'SOURCE_AUTH_FAILED' },
          { kind: 'key without customers (code 26)', credentials: shop.withKey(NO_CUSTOMERS_KEY), code: 'SOURCE_API_ACCESS_DENIED' },
        ],
        http: shop.http,
        events: shop.events,
        expectedCustomers: expectedCustomerIds(shop.mock.data).length,
        serverErrorNext: (n) => shop.mock.failNext(n, 'server_error'),
        // PrestaShop has no rate limiter of its own (a host's 429 is covered by the client tests)
        rateLimitNext: null,
        addCustomer: () => shop.mock.registerCustomer(),
        // the key travels with every request, unsigned: no token to expire, no signature to break
        expireTokenNow: null,
        tamperSignatureNext: null,
        close: shop.close,
      }
    },
  }))
}
