/** The mock speaks Shoper: envelope, limits, filters, order, tokens, bucket. */
import { describe, expect, it } from 'vitest'
import { generateShoperDemoData } from './shoper.demo-data.ts'
import { createShoperMock, type ShoperMockOptions } from './shoper.mock-server.ts'

const BASE = 'https://sklep.example.com/webapi/rest'

function setup(o: Partial<ShoperMockOptions> = {}) {
  let now = Date.UTC(2025, 0, 1)
  const mock = createShoperMock({ login: 'api', password: 'haslo', data: generateShoperDemoData({ count: 30, seed: 1 }), clock: () => now, listParams: 'honour', ...o })
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

  it('pages from the id order it keeps, which follows users pushed (in order or not) and removed', async () => {
    const { get, mock } = setup()
    const page = async (path: string) => ((await (await get(path)).json()) as { count: string; list: Array<{ user_id: string }> })
    const ids = async (path: string) => (await page(path)).list.map((u) => u.user_id)
    expect(await ids('users?limit=5&page=6')).toEqual(['26', '27', '28', '29', '30'])
    const users = mock.data.users
    users.push({ ...users[0]!, user_id: '31' })
    expect(await ids('users?limit=5&page=7')).toEqual(['31'])
    users.push({ ...users[0]!, user_id: '0' })
    users.splice(users.findIndex((u) => u.user_id === '3'), 1)
    expect(await ids('users?limit=5&page=1')).toEqual(['0', '1', '2', '4', '5'])
    const window = await page(`users?${q({ limit: '50', filters: JSON.stringify({ user_id: { '>': 28, '<=': 31 } }), 'order[]': 'user_id asc' })}`)
    expect([window.count, window.list.map((u) => u.user_id)]).toEqual(['3', ['29', '30', '31']])
    expect(await (await get('users/0')).json()).toMatchObject({ user_id: '0' })
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

describe('shoper mock: fault plan', () => {
  const ids = (body: { list: Array<{ user_id: string }> }) => body.list.map((u) => u.user_id)
  const after = (id: number, limit = 10, upTo?: number) =>
    `users?${q({ limit: String(limit), filters: JSON.stringify({ user_id: upTo === undefined ? { '>': id } : { '>': id, '<=': upTo } }), 'order[]': 'user_id asc' })}`

  it('answers 500, 502 or 503 as asked; a 503 with Retry-After', async () => {
    for (const status of [500, 502, 503] as const) {
      const { mock, call } = setup({ faults: { serverErrorEvery: 1, serverErrorStatus: status, retryAfterSeconds: 2 } })
      const r = await call('auth', { method: 'POST' })
      expect(r.status).toBe(status)
      expect(await r.json()).toMatchObject({ error: expect.any(String) })
      expect(r.headers.get('retry-after')).toBe(status === 503 ? '2' : null)
      expect(mock.state.faulted).toBe(1)
    }
  })

  it('sends 429s without Retry-After when told to, with the Retry-After asked for otherwise', async () => {
    const none = await setup({ faults: { status429Every: 1, retryAfterMissing: true } }).call('auth', { method: 'POST' })
    expect(none.status).toBe(429)
    expect(none.headers.has('retry-after')).toBe(false)
    const three = await setup({ faults: { status429Every: 1, retryAfterSeconds: 3 } }).call('auth', { method: 'POST' })
    expect(three.headers.get('retry-after')).toBe('3')
  })

  it('holds every n-th answer for slowMs', async () => {
    const { call } = setup({ faults: { slowEvery: 2, slowMs: 150 } })
    const auth = () => call('auth?client_id=api&client_secret=haslo', { method: 'POST' })
    let started = performance.now()
    await auth()
    expect(performance.now() - started).toBeLessThan(100)
    started = performance.now()
    await auth()
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('repeats users at or below the keyset bound first, keeping the limit', async () => {
    const { mock, get } = setup({ faults: { repeatUsers: 3 } })
    expect(ids(await (await get(after(0))).json())).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    const body = await (await get(after(10))).json()
    expect(ids(body)).toEqual(['8', '9', '10', '11', '12', '13', '14', '15', '16', '17'])
    expect(body.count).toBe('20')
    expect(mock.state.repeated).toBe(3)
  })

  it('skips users from the middle of a keyset page, fills it from behind, and still counts them', async () => {
    const { mock, get } = setup({ faults: { skipUsers: 2, skipUsersPages: 1 } })
    const body = await (await get(after(0))).json()
    expect(ids(body)).toEqual(['1', '2', '3', '4', '7', '8', '9', '10', '11', '12'])
    expect(body.count).toBe('30')
    expect(mock.state.skipped).toBe(2)
    // one page only; a count (limit 1) is never short
    expect(ids(await (await get(after(0))).json())).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    mock.setFaults({ skipUsers: 2 })
    expect((await (await get(after(0, 1, 12))).json()).count).toBe('12')
  })

  it('adds users at the end and deletes unread ones on walk requests only (keyset or by page)', async () => {
    const { mock, get } = setup({ faults: { addUsersPerPage: 2, deleteUsersPerPage: 1 } })
    await get('users?limit=1')
    await get(after(0, 1, 10))
    expect(mock.data.users).toHaveLength(30)
    const body = await (await get(after(20))).json()
    expect(mock.state).toMatchObject({ added: 2, deleted: 1 })
    expect(mock.data.users).toHaveLength(31)
    // 26 (the middle of the unread 21–30) is gone, 31 and 32 are new
    expect(ids(body)).toEqual(['21', '22', '23', '24', '25', '27', '28', '29', '30', '31'])
    expect(body.count).toBe('11')
    expect(mock.data.addresses.some((a) => a.user_id === '26')).toBe(false)
    expect(mock.data.users.find((u) => u.user_id === '32')).toMatchObject({ registered: '1', email: 'dodany.32@example.com' })
  })
})
