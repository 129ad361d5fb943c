/**
 * Test kit for the Shoper tests: a mock shop on a fake clock that the client's injected
 * sleep advances, so bucket leaks, Retry-After and backoff cost no real time.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ShoperCredentials } from '@cm/contracts'
import type { ConformanceSubject } from '../conformance.ts'
import type { SourceEvent, SourceHttpOptions } from '../connector.ts'
import { fakeTime, type FakeTime } from '../../testing/fake-time.ts'
import { SHOPER_PAGE_LIMIT } from './shoper.client.ts'
import { shoperConnector } from './shoper.connector.ts'
import { generateShoperDemoData } from './shoper.demo-data.ts'
import { buildShoperLookups, mapShoperUser } from './shoper.mapper.ts'
import { createShoperMock, startShoperMock, type ShoperFaults, type ShoperMock, type ShoperMockOptions } from './shoper.mock-server.ts'
import { SHOPER_LIST_PARAM_MODES } from './shoper.mock-surface.ts'
import { ShoperAddress, ShoperLanguage, ShoperSubscriber, ShoperUser, ShoperUserGroup, type ShoperDataset } from './shoper.types.ts'

export const TEST_LOGIN = 'api-migracja'
/** distinctive, so a test can prove it never leaks into an error message */
export const TEST_PASSWORD = 'Zażółć-Gęślą-Jaźń-7f3a!'

export interface TestShop {
  mock: ShoperMock
  time: FakeTime
  events: SourceEvent[]
  http: SourceHttpOptions
  credentials: ShoperCredentials
  badCredentials: ShoperCredentials
  close(): Promise<void>
}

export interface TestShopOptions extends Partial<Omit<ShoperMockOptions, 'data'>> {
  data?: ShoperDataset
  count?: number
  seed?: number
  /** over a real socket via startShoperMock (port 0) instead of in-process */
  overHttp?: boolean
  http?: Partial<SourceHttpOptions>
}

export async function testShop(o: TestShopOptions = {}): Promise<TestShop> {
  const time = fakeTime()
  const events: SourceEvent[] = []
  const mockOpts: ShoperMockOptions = {
    login: TEST_LOGIN,
    password: TEST_PASSWORD,
    clock: time.clock,
    ...o,
    data: o.data ?? generateShoperDemoData({ count: o.count ?? 137, seed: o.seed ?? 7 }),
  }
  let mock: ShoperMock
  let domain = 'https://sklep-testowy.shoparena.pl'
  let fetchFn: SourceHttpOptions['fetch']
  let close = async () => {}
  if (o.overHttp) {
    const running = await startShoperMock({ ...mockOpts, port: 0 })
    mock = running.mock
    domain = running.url
    fetchFn = (url, init) => fetch(url, init)
    close = running.close
  } else {
    mock = createShoperMock(mockOpts)
    fetchFn = (url, init) => mock.fetch(new Request(url, init))
  }
  const http: SourceHttpOptions = {
    fetch: fetchFn,
    requestTimeoutMs: 5_000,
    retries: 3,
    minRetryDelayMs: 200,
    maxRetryDelayMs: 5_000,
    sleep: time.sleep,
    onEvent: (e) => events.push(e),
    ...o.http,
  }
  const credentials: ShoperCredentials = { platform: 'shoper', domain, login: TEST_LOGIN, password: TEST_PASSWORD }
  return { mock, time, events, http, credentials, badCredentials: { ...credentials, password: 'zle-haslo' }, close }
}

/** Every folder under fixtures/: what the mapper makes of its user, addresses and subscribers. */
export function shoperFixtureCases(): Array<{ name: string; actual: unknown; expected: unknown }> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
  const read = (...p: string[]): unknown => JSON.parse(readFileSync(path.join(dir, ...p), 'utf8'))
  const readList = (...p: string[]): unknown[] => read(...p) as unknown[]
  const lookups = buildShoperLookups(
    readList('languages.json').map((l) => ShoperLanguage.parse(l)),
    readList('user-groups.json').map((g) => ShoperUserGroup.parse(g)),
  )
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const result = mapShoperUser(
        ShoperUser.parse(read(name, 'user.json')),
        readList(name, 'addresses.json').map((a) => ShoperAddress.parse(a)),
        readList(name, 'subscribers.json').map((s) => ShoperSubscriber.parse(s)),
        lookups,
      )
      return { name, actual: result.kind === 'customer' ? { customer: result.customer } : { leftOut: result.reason }, expected: read(name, 'expected.json') }
    })
}

/** A registered user with one address, ids above every other: someone signing up right now. */
function registerUser(data: ShoperDataset): string {
  const id = String(Math.max(0, ...data.users.map((u) => Number(u.user_id))) + 1)
  const template = data.users.find((u) => u.registered === '1')!
  data.users.push({ ...template, user_id: id, email: `nowy.klient${id}@example.com`, firstname: 'Nowy', lastname: 'Klient' })
  const address = data.addresses.find((a) => a.user_id === template.user_id)
  if (address) data.addresses.push({ ...address, address_book_id: String(Math.max(0, ...data.addresses.map((a) => Number(a.address_book_id))) + 1), user_id: id })
  return id
}

/** A fetch whose next `n` requests get the faults `f` (once armed), then the shop behaves again. */
function oneShotFaults(mock: ShoperMock, inner: SourceHttpOptions['fetch']) {
  let left = 0
  let faults: ShoperFaults = {}
  return {
    arm(n: number, f: ShoperFaults) {
      left = n
      faults = f
    },
    fetch: (async (url, init) => {
      if (left <= 0) return inner(url, init)
      left--
      mock.setFaults(faults)
      try {
        return await inner(url, init)
      } finally {
        mock.setFaults({})
      }
    }) satisfies SourceHttpOptions['fetch'],
  }
}

/** Shoper in each list-parameter mode, in-process and over a real socket. */
export function shoperConformanceSubjects(): ConformanceSubject<ShoperCredentials>[] {
  return SHOPER_LIST_PARAM_MODES.flatMap((listParams) =>
    [false, true].map((overHttp): ConformanceSubject<ShoperCredentials> => ({
      name: `shoper (${listParams} undocumented parameters${overHttp ? ', over HTTP' : ''})`,
      platform: 'shoper',
      connector: shoperConnector,
      pageSize: SHOPER_PAGE_LIMIT,
      fixtures: shoperFixtureCases,
      secrets: (c) => [c.password, Buffer.from(`${c.login}:${c.password}`).toString('base64')],
      open: async (opts) => {
        const shop = await testShop({ count: opts?.records ?? 137, overHttp, listParams, bulkCharge: overHttp ? 'operation' : 'request' })
        const { fetch, arm } = oneShotFaults(shop.mock, shop.http.fetch)
        const http = { ...shop.http, fetch }
        return {
          credentials: shop.credentials,
          badCredentials: [
            { kind: 'wrong password', credentials: shop.badCredentials, code: 'SOURCE_AUTH_FAILED' },
            { kind: 'unknown login', credentials: { ...shop.credentials, login: 'nie-ma-takiego' }, code: 'SOURCE_AUTH_FAILED' },
          ],
          http,
          events: shop.events,
          expectedCustomers: shop.mock.data.users.filter((u) => u.registered === '1').length,
          serverErrorNext: (n) => arm(n, { serverErrorEvery: 1 }),
          rateLimitNext: (n, seconds) => arm(n, { status429Every: 1, retryAfterSeconds: seconds }),
          addCustomer: () => registerUser(shop.mock.data),
          expireTokenNow: () => shop.mock.expireTokens(),
          tamperSignatureNext: null,
          close: shop.close,
        }
      },
    })),
  )
}
