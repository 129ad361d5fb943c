/** The mock speaks Shoper: envelope, limits, filters, order, tokens, bucket. */
import { describe, expect, it } from 'vitest'
import { generateShoperDemoData } from './shoper.demo-data.ts'
import { createShoperMock, type ShoperMockOptions } from './shoper.mock-server.ts'

const BASE = 'https://sklep.example.com/webapi/rest'

function setup(o: Partial<ShoperMockOptions> = {}) {
  let now = Date.UTC(2025, 0, 1)
  const mock = createShoperMock({ login: 'api', password: 'haslo', data: generateShoperDemoData({ count: 30, seed: 1 }), clock: () => now, ...o })
  const advance = (ms: number) => (now += ms)
  const call = (path: string, init?: RequestInit) => mock.fetch(new Request(`${BASE}/${path}`, init))
  const login = async () => {
    const r = await call('auth', { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('api:haslo').toString('base64')}` } })
    return ((await r.json()) as { access_token: string }).access_token
  }
  const get = async (path: string) => {
    const token = await login()
    advance(10_000) // an empty bucket for the call under test
    return call(path, { headers: { Authorization: `Bearer ${token}` } })
  }
  return { mock, call, login, get, advance }
}

const q = (params: Record<string, string | string[]>) => {
  const s = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) s.append(k, x)
  return s.toString()
}

describe('shoper mock: auth', () => {
  it('issues a 40-hex bearer token for Basic, form and query credentials', async () => {
    const { call, login } = setup()
    expect(await login()).toMatch(/^[0-9a-f]{40}$/)
    const form = await call('auth', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=api&client_secret=haslo' })
    expect(await form.json()).toMatchObject({ expires_in: 2592000, token_type: 'bearer' })
    expect((await call('auth?client_id=api&client_secret=haslo', { method: 'POST' })).status).toBe(200)
  })

  it('refuses bad credentials and users without WebAPI access', async () => {
    const bad = await setup().call('auth?client_id=api&client_secret=nie', { method: 'POST' })
    expect(bad.status).toBe(401)
    expect(await bad.json()).toMatchObject({ error: 'auth_failure' })
    const denied = await setup({ apiAccess: false }).call('auth?client_id=api&client_secret=haslo', { method: 'POST' })
    expect(await denied.json()).toMatchObject({ error: 'auth_webapi_access_denied' })
  })

  it('answers unauthorized_client to a bad or expired token', async () => {
    const { call, login, advance } = setup({ tokenTtlSeconds: 60 })
    expect((await call('users', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401)
    const token = await login()
    advance(61_000)
    const r = await call('users', { headers: { Authorization: `Bearer ${token}` } })
    expect(r.status).toBe(401)
    expect(await r.json()).toMatchObject({ error: 'unauthorized_client' })
  })
})

describe('shoper mock: lists', () => {
  it('wraps lists in the envelope with count as a string, 10 per page by default', async () => {
    const body = await (await setup().get('users')).json()
    expect(body).toMatchObject({ count: '30', pages: 3, page: 1 })
    expect(body.list).toHaveLength(10)
  })

  it('refuses a limit beyond 1–50', async () => {
    const r = await setup().get('users?limit=51')
    expect(r.status).toBe(400)
    expect(await r.json()).toEqual({ error: 'invalid_request', error_description: 'Limit beyond 1-50 range' })
  })

  it('filters with operators and orders', async () => {
    const { get } = setup()
    const gt = await (await get(`users?${q({ limit: '50', filters: JSON.stringify({ user_id: { '>': 25 } }), 'order[]': 'user_id desc' })}`)).json()
    expect(gt.list.map((u: { user_id: string }) => u.user_id)).toEqual(['30', '29', '28', '27', '26'])
    const inList = await (await get(`users?${q({ filters: JSON.stringify({ user_id: { IN: [3, '5', 99] } }) })}`)).json()
    expect(inList.count).toBe('2')
    const notIn = await (await get(`users?${q({ filters: JSON.stringify({ user_id: { 'NOT IN': [1, 2] } }) })}`)).json()
    expect(notIn.count).toBe('28')
    const eq = await (await get(`users?${q({ filters: JSON.stringify({ user_id: 7 }) })}`)).json()
    expect(eq.list.map((u: { user_id: string }) => u.user_id)).toEqual(['7'])
    const like = await (await get(`users?${q({ filters: JSON.stringify({ email: { '~': '@EXAMPLE' } }) })}`)).json()
    expect(Number(like.count)).toBeGreaterThan(0)
    const range = await (await get(`users?${q({ filters: JSON.stringify({ user_id: { '>=': 10, '<=': 12 } }) })}`)).json()
    expect(range.count).toBe('3')
  })

  it('answers one user by id, or 404', async () => {
    const { get } = setup()
    expect(await (await get('users/4')).json()).toMatchObject({ user_id: '4' })
    expect((await get('users/404')).status).toBe(404)
  })

  it('answers an HTML 404 outside the API, like a web server', async () => {
    const r = await setup().mock.fetch(new Request('https://sklep.example.com/blog/webapi/rest/auth', { method: 'POST' }))
    expect(r.status).toBe(404)
    expect(r.headers.get('content-type')).toMatch(/html/)
  })
})

describe('shoper mock: leaky bucket', () => {
  it('reports the bucket on every answer and throttles beyond the limit', async () => {
    const { call, advance } = setup({ bucket: { limit: 3, leakPerSecond: 1 } })
    const calls: string[] = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await call('auth?client_id=api&client_secret=haslo', { method: 'POST' })
      calls.push(`${last.status}:${last.headers.get('x-shop-api-calls')}`)
    }
    expect(calls).toEqual(['200:1', '200:2', '200:3', '429:3'])
    expect(last!.headers.get('x-shop-api-limit')).toBe('3')
    expect(last!.headers.get('x-shop-api-bandwidth')).toBe('1')
    expect(last!.headers.get('retry-after')).toBe('1')
    expect(await last!.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'Too many requests' })
    advance(1_000)
    expect((await call('auth?client_id=api&client_secret=haslo', { method: 'POST' })).status).toBe(200)
  })

  it('takes a new fault plan at run time', async () => {
    const { mock, call } = setup()
    mock.setFaults({ status500Every: 1 })
    expect((await call('auth', { method: 'POST' })).status).toBe(500)
    mock.setFaults({})
    expect((await call('auth?client_id=api&client_secret=haslo', { method: 'POST' })).status).toBe(200)
    mock.setFaults({ resetEvery: 1 })
    await expect(call('auth', { method: 'POST' })).rejects.toThrow(TypeError)
  })
})
