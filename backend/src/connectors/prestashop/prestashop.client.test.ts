/** The client against the mock and canned answers: auth, every error body → its code, JSON strictness, retries, waits, no key in messages. */
import { describe, expect, it } from 'vitest'
import { connectionErrorText } from '@cm/contracts'
import { SourceError, type SourceHttpOptions } from '../connector.ts'
import { createPrestaShopClient, PrestaShopDeniedError } from './prestashop.client.ts'
import { prestashopConnector } from './prestashop.connector.ts'
import { NO_CUSTOMERS_KEY, TEST_API_KEY, testPrestaShop, UNKNOWN_KEY, WRONG_LENGTH_KEY, type TestPrestaShop, type TestPrestaShopOptions } from './prestashop.testing.ts'

const BASIC = Buffer.from(`${TEST_API_KEY}:`).toString('base64')
const count = (shop: TestPrestaShop, type: string) => shop.events.filter((e) => e.type === type).length

/** the SourceError the call fails with (a call that succeeds fails the test) */
const failureOf = (p: Promise<unknown>): Promise<SourceError> =>
  p.then(
    () => expect.unreachable('the call succeeded'),
    (e: unknown) => {
      expect(e).toBeInstanceOf(SourceError)
      return e as SourceError
    },
  )

/** a shop whose every answer is this one */
function cannedShop(status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const seen: Array<{ url: string; headers: Headers }> = []
  const http: SourceHttpOptions = {
    fetch: async (url, init) => {
      seen.push({ url, headers: new Headers(init?.headers) })
      return new Response(body, { status, headers })
    },
    requestTimeoutMs: 1_000,
    retries: 1,
    minRetryDelayMs: 1,
    maxRetryDelayMs: 2,
    sleep: async () => {},
  }
  return { http, seen, client: createPrestaShopClient({ domain: 'https://sklep.example.pl', apiKey: TEST_API_KEY }, http) }
}

async function shop(o: TestPrestaShopOptions = {}) {
  const s = await testPrestaShop({ count: 30, ...o })
  return { ...s, client: createPrestaShopClient(s.credentials, s.http) }
}

describe('prestashop client: requests', () => {
  it('authenticates with Basic KEY: and asks for JSON by header and by output_format=JSON, never ws_key', async () => {
    const c = cannedShop(200, '[]')
    await c.client.list('customers', { display: '[id]', limit: '1' })
    const { url, headers } = c.seen[0]!
    expect(headers.get('authorization')).toBe(`Basic ${BASIC}`)
    expect(headers.get('output-format')).toBe('JSON')
    expect(url).toBe('https://sklep.example.pl/api/customers?display=%5Bid%5D&limit=1&output_format=JSON')
    expect(url).not.toContain('ws_key')
    expect(url).not.toContain(TEST_API_KEY)
  })

  it('gets JSON when a proxy drops the Output-Format header or the query parameter', async () => {
    for (const drop of ['header', 'query'] as const) {
      const s = await shop()
      const inner = s.http.fetch
      const http: SourceHttpOptions = {
        ...s.http,
        fetch: (url, init) => {
          const headers = new Headers(init?.headers)
          if (drop === 'header') headers.delete('output-format')
          return inner(drop === 'query' ? url.replace('&output_format=JSON', '') : url, { ...init, headers })
        },
      }
      expect(await createPrestaShopClient(s.credentials, http).list('customers', { limit: '2' })).toHaveLength(2)
    }
  })

  it('reads an empty list (a bare []) and 8.1 integer JSON', async () => {
    const s = await shop({ jsonTypes: 'numbers' })
    expect(await s.client.list('customers', { 'filter[id]': '>[999999]' })).toEqual([])
    expect(await s.client.list('customers', { display: '[id]', limit: '1' })).toEqual([{ id: 1 }])
  })
})

describe('prestashop client: the shop’s answers → codes', () => {
  it.each([
    ['an unknown key (codes 20, 21)', UNKNOWN_KEY, 'SOURCE_AUTH_FAILED'],
    ['a key of the wrong length (code 18)', WRONG_LENGTH_KEY, 'SOURCE_AUTH_FAILED'],
    ['an empty key (code 17)', ' ', 'SOURCE_AUTH_FAILED'],
    ['a key without customers (code 26)', NO_CUSTOMERS_KEY, 'SOURCE_API_ACCESS_DENIED'],
  ])('%s', async (_, apiKey, code) => {
    const s = await shop()
    const e = await failureOf(createPrestaShopClient({ ...s.credentials, apiKey }, s.http).list('customers', { limit: '1' }))
    expect(e.code).toBe(code)
    expect(e.retryable).toBe(false)
    if (code === 'SOURCE_API_ACCESS_DENIED') expect(e).toBeInstanceOf(PrestaShopDeniedError)
  })

  it('the dispatcher’s plain-text 401 (the key never reached PrestaShop) → SOURCE_AUTH_FAILED', async () => {
    const c = cannedShop(401, '401 Unauthorized', { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."' })
    expect((await failureOf(c.client.list('customers', {}))).code).toBe('SOURCE_AUTH_FAILED')
    expect(c.seen).toHaveLength(1)
  })

  it('503 code 22 (webservice switched off) → SOURCE_API_DISABLED, not retried, in PrestaShop’s words at check()', async () => {
    const s = await shop()
    s.mock.setWebservice(false)
    const e = await failureOf(s.client.list('customers', {}))
    expect(e.code).toBe('SOURCE_API_DISABLED')
    expect(s.mock.state.requests).toBe(1)
    const r = await prestashopConnector.check(s.credentials, s.http)
    expect(r).toEqual({ ok: false, error: { code: 'SOURCE_API_DISABLED', message: connectionErrorText('prestashop', 'SOURCE_API_DISABLED').pl } })
  })

  it('a wrong parameter (code 32) → SOURCE_BAD_RESPONSE with the shop’s reason', async () => {
    const s = await shop()
    const e = await failureOf(s.client.list('customers', { 'filter[date_upd]': '>[2024-01-01]' }))
    expect(e.code).toBe('SOURCE_BAD_RESPONSE')
    expect(e.message).toContain('code 32')
  })

  it.each([
    ['an HTML page', 200, '<!DOCTYPE html><html><body>Sklep</body></html>', 'text/html'],
    ['XML where JSON was asked (output_format not honoured)', 200, '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop><customers/></prestashop>', 'text/xml'],
    ['a 404 page', 404, '<html><body>Not Found</body></html>', 'text/html'],
    ['JSON that is not a PrestaShop list', 200, '{"status":"ok"}', 'application/json'],
  ])('%s at /api and at the dispatcher → SOURCE_NOT_A_SHOP', async (_, status, body, type) => {
    const c = cannedShop(status, body, { 'content-type': type })
    expect((await failureOf(c.client.list('customers', {}))).code).toBe('SOURCE_NOT_A_SHOP')
    expect(c.seen.some((x) => x.url.includes('/webservice/dispatcher.php?url=customers&'))).toBe(body.startsWith('{') ? false : true)
  })

  it('falls back to webservice/dispatcher.php once when /api is not routed, and keeps that base', async () => {
    const s = await shop({ rewrite: false })
    expect(await s.client.list('customers', { limit: '3' })).toHaveLength(3)
    expect(await s.client.list('groups', { display: '[id,name]' })).toHaveLength(4)
    expect(s.client.base).toBe('dispatcher')
    expect(s.mock.state.requests).toBe(3)
  })
})

describe('prestashop client: retries and waits', () => {
  it('retries 5xx with capped backoff, then fails with SOURCE_SERVER_ERROR', async () => {
    const s = await shop({ faults: { serverErrorEvery: 1 }, http: { retries: 3, minRetryDelayMs: 200, maxRetryDelayMs: 500 } })
    const e = await failureOf(s.client.list('customers', {}))
    expect(e.code).toBe('SOURCE_SERVER_ERROR')
    expect(s.mock.state.requests).toBe(4)
    expect(s.time.sleeps).toEqual([200, 400, 500])
  })

  it('a 500, a proxy’s 502, broken JSON and a challenge page mid-read are retried', async () => {
    const s = await shop()
    await s.client.list('customers', { limit: '1' })
    for (const kind of ['server_error', 'html_error', 'broken_json', 'html_page'] as const) {
      s.mock.failNext(1, kind)
      expect(await s.client.list('customers', { limit: '2' })).toHaveLength(2)
    }
    expect(count(s, 'retry')).toBe(4)
  })

  it('connection resets over a real socket are retried', async () => {
    const s = await shop({ overHttp: true })
    try {
      s.mock.failNext(2, 'reset')
      expect(await s.client.list('customers', { limit: '2' })).toHaveLength(2)
      expect(count(s, 'retry')).toBe(2)
    } finally {
      await s.close()
    }
  })

  it('waits out a host’s 429 as long as Retry-After asks, without using retries', async () => {
    const s = await shop({ http: { retries: 0 } })
    s.mock.failNext(2, 'rate_limit', 3)
    expect(await s.client.list('customers', { limit: '2' })).toHaveLength(2)
    expect(s.events.filter((e) => e.type === 'rate_limit_wait')).toEqual([
      { type: 'rate_limit_wait', ms: 3000 },
      { type: 'rate_limit_wait', ms: 3000 },
    ])
    expect(count(s, 'retry')).toBe(0)
  })
})

describe('prestashop client: secrets', () => {
  it('no message carries the key or its Basic value, even when the shop echoes them', async () => {
    const echoes = [
      [400, JSON.stringify({ errors: [{ code: 999, message: `bad request from ${TEST_API_KEY} (${BASIC})` }] })],
      [401, JSON.stringify({ errors: [{ code: 20, message: `key ${TEST_API_KEY} is not active` }] })],
      [401, JSON.stringify({ errors: [{ code: 26, message: `Resource not allowed for ${TEST_API_KEY}` }] })],
      [200, `<html>${TEST_API_KEY}</html>`],
      [500, `Fatal error: ${BASIC}`],
    ] as const
    for (const [status, body] of echoes) {
      const e = await failureOf(cannedShop(status, body).client.list('customers', {}))
      expect(e.message).not.toContain(TEST_API_KEY)
      expect(e.message).not.toContain(BASIC)
    }
  })
})
