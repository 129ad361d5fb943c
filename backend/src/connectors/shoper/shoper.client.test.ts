/** The client against the mock with faults: slow but lossless under throttling, honest when it fails. */
import { describe, expect, it } from 'vitest'
import { CircuitBreaker, SourceError } from '../connector.ts'
import { createShoperClient } from './shoper.client.ts'
import { MAX_RATE_LIMIT_WAITS } from '../http/source-transport.ts'
import { createShoperConnector } from './shoper.connector.ts'
import { startShoperMock } from './shoper.mock-server.ts'
import { TEST_PASSWORD, testShop, type TestShop, type TestShopOptions } from './shoper.testing.ts'

/** single calls: these tests count requests, 429s and token deaths */
const shoperConnector = createShoperConnector({ bulk: false })

async function readAllIds(shop: TestShop): Promise<string[]> {
  const ids: string[] = []
  for await (const p of shoperConnector.pages(shop.credentials, null, shop.http)) ids.push(...p.customers.map((c) => c.sourceId))
  return ids
}

const registeredIds = (shop: TestShop) => shop.mock.data.users.filter((u) => u.registered === '1').map((u) => u.user_id)
const count = (shop: TestShop, type: string) => shop.events.filter((e) => e.type === type).length

async function failureOf(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(SourceError)
  return e as SourceError
}

/** an in-process fetch answering every call with one canned response */
const canned = (status: number, body: string, contentType = 'application/json') => async () =>
  new Response(body, { status, headers: { 'content-type': contentType } })

describe('shoper client: throttling', () => {
  it('a 429 storm slows the read down but loses nothing, without using retries', async () => {
    const shop = await testShop({ faults: { status429Every: 3 }, http: { retries: 0 } })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
    expect(shop.mock.state.throttled).toBeGreaterThan(3)
    expect(count(shop, 'retry')).toBe(0)
    expect(shop.time.sleeps.filter((ms) => ms === 1000).length).toBeGreaterThanOrEqual(shop.mock.state.throttled)
  })

  it('paces itself from the X-SHOP-API-* headers so the bucket never overflows', async () => {
    const shop = await testShop({ bucket: { limit: 5, leakPerSecond: 1 } })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
    expect(shop.mock.state.throttled).toBe(0)
    expect(count(shop, 'rate_limit_wait')).toBeGreaterThan(0)
  })

  it('honours Retry-After given as an HTTP date', async () => {
    const shop = await testShop({ faults: { status429Every: 2, retryAfterHttpDate: true } })
    const client = createShoperClient(shop.credentials, shop.http)
    const users = await client.list('users', { limit: 5 })
    expect(users.list).toHaveLength(5)
    expect(shop.mock.state.throttled).toBe(1)
    expect(shop.events).toContainEqual({ type: 'rate_limit_wait', ms: 1000 })
  })

  it(`gives up with SOURCE_RATE_LIMITED after ${MAX_RATE_LIMIT_WAITS} waits in a row`, async () => {
    const shop = await testShop({ faults: { status429Every: 1 } })
    const e = await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())
    expect(e.code).toBe('SOURCE_RATE_LIMITED')
    expect(shop.mock.state.throttled).toBe(MAX_RATE_LIMIT_WAITS + 1)
  })

  it('an abort during a 429 wait ends the call at once', async () => {
    const ctrl = new AbortController()
    const shop = await testShop({ faults: { status429Every: 1 } })
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }))
    const client = createShoperClient(shop.credentials, { ...shop.http, signal: ctrl.signal, sleep })
    const p = client.authenticate()
    setTimeout(() => ctrl.abort(), 10)
    await expect(p).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('shoper client: retries', () => {
  it('retries 500s with capped exponential backoff, then fails with SOURCE_SERVER_ERROR', async () => {
    const shop = await testShop({ faults: { status500Every: 1 }, http: { retries: 3, minRetryDelayMs: 200, maxRetryDelayMs: 500 } })
    const e = await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())
    expect(e.code).toBe('SOURCE_SERVER_ERROR')
    expect(e.retryable).toBe(true)
    expect(shop.mock.state.requests).toBe(4)
    expect(count(shop, 'retry')).toBe(3)
    expect(shop.time.sleeps).toEqual([200, 400, 500])
  })

  it('a nested auth that used up its retries is not retried again by the outer call', async () => {
    const shop = await testShop({ faults: { status500Every: 1 }, http: { retries: 2 } })
    const e = await failureOf(createShoperClient(shop.credentials, shop.http).list('users'))
    expect(e.code).toBe('SOURCE_SERVER_ERROR')
    expect(shop.mock.state.requests).toBe(3)
  })

  it.each<[string, TestShopOptions['faults']]>([
    ['every 2nd answer a 500', { status500Every: 2 }],
    ['every 2nd answer broken JSON', { invalidJsonEvery: 2 }],
    ['every 3rd answer a proxy HTML page', { htmlErrorEvery: 3 }],
    ['every 4th connection reset', { resetEvery: 4 }],
  ])('reads everything when %s', async (_, faults) => {
    const shop = await testShop({ faults })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
    expect(count(shop, 'retry')).toBeGreaterThan(0)
  })

  it('reads everything when connections are reset over a real socket', async () => {
    const shop = await testShop({ faults: { resetEvery: 4 }, overHttp: true })
    try {
      expect(await readAllIds(shop)).toEqual(registeredIds(shop))
      expect(count(shop, 'retry')).toBeGreaterThan(0)
    } finally {
      await shop.close()
    }
  })

  it('invalid JSON on every answer ends in SOURCE_BAD_RESPONSE', async () => {
    const shop = await testShop({ faults: { invalidJsonEvery: 1 }, http: { retries: 2 } })
    const e = await failureOf(createShoperClient(shop.credentials, shop.http).list('users'))
    expect(e.code).toBe('SOURCE_BAD_RESPONSE')
    expect(count(shop, 'retry')).toBe(2)
  })

  it('a shop slower than the request timeout ends in SOURCE_TIMEOUT', async () => {
    const shop = await testShop({ faults: { delayMs: 5_000 }, http: { requestTimeoutMs: 50, retries: 1 } })
    const started = performance.now()
    const e = await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())
    expect(e.code).toBe('SOURCE_TIMEOUT')
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})

describe('shoper client: circuit breaker', () => {
  it('stops after maxConsecutiveFailures failed requests in a row, whatever the retries, and sends nothing more', async () => {
    const shop = await testShop({ faults: { status500Every: 1 }, http: { retries: 10, maxConsecutiveFailures: 3 } })
    const client = createShoperClient(shop.credentials, shop.http)
    const e = await failureOf(client.list('users'))
    expect(e.code).toBe('SOURCE_UNAVAILABLE')
    expect(e.retryable).toBe(false)
    expect(e.message).toMatch(/3 requests in a row.*HTTP 500/)
    expect(shop.mock.state.requests).toBe(3)
    expect(count(shop, 'retry')).toBe(2)
    // open for good: the next call is refused before it reaches the shop
    expect((await failureOf(client.list('languages'))).code).toBe('SOURCE_UNAVAILABLE')
    expect(shop.mock.state.requests).toBe(3)
  })

  it('counts timeouts, resets and broken answers alike', async () => {
    for (const faults of [{ delayMs: 200 }, { resetEvery: 1 }, { invalidJsonEvery: 1 }, { htmlErrorEvery: 1 }]) {
      const shop = await testShop({ faults, http: { retries: 10, maxConsecutiveFailures: 4, requestTimeoutMs: 50 } })
      const client = createShoperClient(shop.credentials, shop.http)
      // broken JSON is only ever a resource's: log in first
      if ('invalidJsonEvery' in faults) {
        shop.mock.setFaults({})
        await client.authenticate()
        shop.mock.setFaults(faults)
      }
      const before = shop.mock.state.requests
      expect((await failureOf(client.list('users'))).code).toBe('SOURCE_UNAVAILABLE')
      expect(shop.mock.state.requests - before).toBe(4)
    }
  })

  it('a success resets the count: failures that alternate with answers never open it', async () => {
    const shop = await testShop({ faults: { status500Every: 2 }, http: { maxConsecutiveFailures: 2 } })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
  })

  it('429s neither count nor reset: a shop that only throttles ends in SOURCE_RATE_LIMITED', async () => {
    const shop = await testShop({ faults: { status429Every: 1 }, http: { maxConsecutiveFailures: 2 } })
    expect((await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())).code).toBe('SOURCE_RATE_LIMITED')
  })

  it('one breaker shared by two clients of a read counts for both', async () => {
    const shop = await testShop({ faults: { status500Every: 1 }, http: { retries: 1, breaker: new CircuitBreaker(3) } })
    expect((await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())).code).toBe('SOURCE_SERVER_ERROR')
    expect((await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())).code).toBe('SOURCE_UNAVAILABLE')
    expect(shop.mock.state.requests).toBe(3)
  })
})

describe('shoper client: server errors', () => {
  it.each([500, 502, 503] as const)('retries a JSON %i and reads everything', async (status) => {
    const shop = await testShop({ faults: { serverErrorEvery: 3, serverErrorStatus: status } })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
    expect(count(shop, 'retry')).toBe(shop.mock.state.faulted)
  })

  it("waits out a 503's Retry-After when it asks for more than the backoff", async () => {
    const shop = await testShop({ faults: { serverErrorEvery: 2, serverErrorStatus: 503, retryAfterSeconds: 3 }, http: { minRetryDelayMs: 200 } })
    await createShoperClient(shop.credentials, shop.http).list('users')
    expect(shop.time.sleeps).toContain(3_000)
  })

  it('a 429 without Retry-After waits with the capped backoff (at least 500 ms), not using retries', async () => {
    const shop = await testShop({ faults: { status429Every: 2, retryAfterMissing: true }, http: { retries: 0 } })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
    const waits = shop.events.flatMap((e) => (e.type === 'rate_limit_wait' && e.ms >= 500 ? [e.ms] : []))
    expect(waits.length).toBeGreaterThanOrEqual(shop.mock.state.throttled)
  })
})

describe('shoper client: tokens', () => {
  it('re-authenticates when the token dies and carries on', async () => {
    const shop = await testShop({ faults: { expireTokenAfterRequests: 3 } })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
    expect(shop.mock.state.authCalls).toBeGreaterThan(3)
    expect(count(shop, 'reauth')).toBe(shop.mock.state.authCalls - 1)
  })

  it('re-authenticates when the token outlives its expires_in on the shop side', async () => {
    const shop = await testShop({ tokenTtlSeconds: 5 })
    expect(await readAllIds(shop)).toEqual(registeredIds(shop))
    expect(count(shop, 'reauth')).toBeGreaterThan(0)
  })

  it('a token refused right after a fresh login is SOURCE_AUTH_FAILED, not a loop', async () => {
    let auths = 0
    const refuseTokens = async (url: string) => {
      if (!url.endsWith('/auth')) return Response.json({ error: 'unauthorized_client', error_description: 'Invalid access token' }, { status: 401 })
      auths++
      return Response.json({ access_token: 'f'.repeat(40), expires_in: 3600, token_type: 'bearer' })
    }
    const shop = await testShop({ http: { fetch: refuseTokens } })
    const e = await failureOf(createShoperClient(shop.credentials, shop.http).list('users'))
    expect(e.code).toBe('SOURCE_AUTH_FAILED')
    expect(auths).toBe(2)
    expect(count(shop, 'reauth')).toBe(1)
  })
})

describe('shoper client: login failures', () => {
  it('wrong password → SOURCE_AUTH_FAILED, tried once', async () => {
    const shop = await testShop()
    const e = await failureOf(createShoperClient(shop.badCredentials, shop.http).authenticate())
    expect(e.code).toBe('SOURCE_AUTH_FAILED')
    expect(e.retryable).toBe(false)
    expect(shop.mock.state.authCalls).toBe(1)
  })

  it('a user without WebAPI access → SOURCE_API_ACCESS_DENIED', async () => {
    const shop = await testShop({ apiAccess: false })
    expect((await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())).code).toBe('SOURCE_API_ACCESS_DENIED')
  })

  it.each([
    ['auth_ip_not_allowed', 401, 'SOURCE_IP_NOT_ALLOWED'],
    ['auth_admin_access_denied', 401, 'SOURCE_ADMIN_ACCESS_DENIED'],
    ['auth_webapi_access_denied', 401, 'SOURCE_API_ACCESS_DENIED'],
    ['access_denied', 403, 'SOURCE_API_ACCESS_DENIED'],
    ['auth_failure', 401, 'SOURCE_AUTH_FAILED'],
  ])('/auth answering %s (HTTP %i) → %s', async (error, status, code) => {
    const shop = await testShop({ http: { fetch: canned(status, JSON.stringify({ error, error_description: 'x' })) } })
    expect((await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())).code).toBe(code)
  })

  it.each([
    ['a 404 HTML page', 404, '<html><body>Not Found</body></html>'],
    ['a 200 HTML page', 200, '<!DOCTYPE html><html><body>Sklep</body></html>'],
    ['JSON that is no token', 200, '{"status":"ok"}'],
  ])('/auth answering %s → SOURCE_NOT_A_SHOP', async (_, status, body) => {
    const shop = await testShop({ http: { fetch: canned(status, body, 'text/html') } })
    expect((await failureOf(createShoperClient(shop.credentials, shop.http).authenticate())).code).toBe('SOURCE_NOT_A_SHOP')
  })

  it('a site without /webapi (the mock under another path) → SOURCE_NOT_A_SHOP', async () => {
    const shop = await testShop()
    const creds = { ...shop.credentials, domain: `${shop.credentials.domain}/inny-sklep` }
    expect((await failureOf(createShoperClient(creds, shop.http).authenticate())).code).toBe('SOURCE_NOT_A_SHOP')
  })

  it('nobody listening → SOURCE_UNREACHABLE, not retried', async () => {
    const gone = await startShoperMock({ port: 0, login: 'a', password: 'b', data: (await testShop({ count: 1 })).mock.data })
    await gone.close()
    const shop = await testShop({ http: { fetch: (url, init) => fetch(url, init) } })
    const e = await failureOf(createShoperClient({ ...shop.credentials, domain: gone.url }, shop.http).authenticate())
    expect(e.code).toBe('SOURCE_UNREACHABLE')
    expect(count(shop, 'retry')).toBe(0)
  })
})

describe('shoper client: secrets', () => {
  it('never puts the password or a token into an error message', async () => {
    let token = ''
    const echo = async (url: string) => {
      if (url.endsWith('/auth')) {
        token = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
        return Response.json({ access_token: token, expires_in: 3600, token_type: 'bearer' })
      }
      // a shop echoing what it got must not leak it through us
      return Response.json({ error: 'invalid_request', error_description: `bad ${token} for ${TEST_PASSWORD}` }, { status: 400 })
    }
    const badEcho = async () =>
      Response.json({ error: 'auth_failure', error_description: `password ${TEST_PASSWORD} is wrong` }, { status: 401 })
    const messages: string[] = []
    for (const fetchFn of [echo, badEcho]) {
      const shop = await testShop({ http: { fetch: fetchFn } })
      messages.push((await failureOf(createShoperClient(shop.credentials, shop.http).list('users'))).message)
    }
    for (const faults of [{ status500Every: 1 }, { invalidJsonEvery: 1 }, { status429Every: 1 }, { delayMs: 1_000 }]) {
      const shop = await testShop({ faults, http: { retries: 1, requestTimeoutMs: 30 } })
      messages.push((await failureOf(createShoperClient(shop.credentials, shop.http).list('users'))).message)
      const bad = await testShop({ faults, http: { retries: 0, requestTimeoutMs: 30 } })
      messages.push((await failureOf(createShoperClient(bad.badCredentials, bad.http).authenticate())).message)
    }
    expect(messages.length).toBe(10)
    for (const m of messages) {
      expect(m).not.toContain(TEST_PASSWORD)
      expect(m).not.toContain(token)
      expect(m).not.toContain(Buffer.from(`api-migracja:${TEST_PASSWORD}`).toString('base64'))
    }
  })
})
