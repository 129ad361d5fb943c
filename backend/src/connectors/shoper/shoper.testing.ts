/**
 * Test kit for the Shoper tests: a mock shop on a fake clock that the client's injected
 * sleep advances, so bucket leaks, Retry-After and backoff cost no real time.
 */
import type { ShoperCredentials } from '@cm/contracts'
import type { SourceEvent, SourceHttpOptions } from '../connector.ts'
import { generateShoperDemoData } from './shoper.demo-data.ts'
import { createShoperMock, startShoperMock, type ShoperMock, type ShoperMockOptions } from './shoper.mock-server.ts'
import type { ShoperDataset } from './shoper.types.ts'

export const TEST_LOGIN = 'api-migracja'
/** distinctive, so a test can prove it never leaks into an error message */
export const TEST_PASSWORD = 'Zażółć-Gęślą-Jaźń-7f3a!'

export interface FakeTime {
  clock: () => number
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** every sleep asked for, in ms */
  sleeps: number[]
}

export function fakeTime(start = Date.UTC(2025, 0, 1, 12)): FakeTime {
  let now = start
  const sleeps: number[] = []
  return {
    clock: () => now,
    sleeps,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      sleeps.push(ms)
      now += ms
      // let other tasks run, as a real sleep would
      await Promise.resolve()
      signal?.throwIfAborted()
    },
  }
}

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
