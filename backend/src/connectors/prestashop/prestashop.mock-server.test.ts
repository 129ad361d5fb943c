/** The mock speaks PrestaShop, strictly: auth and its codes, output format, list parameters, faults. */
import { describe, expect, it } from 'vitest'
import { generatePrestaShopDemoData } from './prestashop.demo-data.ts'
import { createPrestaShopMock, type PrestaShopMockOptions } from './prestashop.mock-server.ts'
import { NO_CUSTOMERS_KEY, TEST_API_KEY, TEST_KEYS, UNKNOWN_KEY, WRONG_LENGTH_KEY } from './prestashop.testing.ts'

const SHOP = 'https://sklep.example.pl'
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

function setup(o: Partial<PrestaShopMockOptions> = {}) {
  const mock = createPrestaShopMock({ keys: TEST_KEYS, data: generatePrestaShopDemoData({ count: 40, seed: 5 }), ...o })
  const call = (path: string, headers: Record<string, string> = { Authorization: basic(TEST_API_KEY) }, method = 'GET') =>
    mock.fetch(new Request(`${SHOP}${path}`, { headers, method }))
  const json = async (path: string, headers?: Record<string, string>) => {
    const r = await call(path, headers)
    return { status: r.status, body: (await r.json()) as unknown, headers: r.headers }
  }
  return { mock, call, json }
}

const idsOf = (body: unknown) => ((body as { customers?: Array<{ id: unknown }> }).customers ?? []).map((c) => Number(c.id))

describe('prestashop mock: authentication', () => {
  it('answers the dispatcher’s plain-text 401 with the realm when no key is given', async () => {
    const r = await setup().call('/api/customers?output_format=JSON', {})
    expect(r.status).toBe(401)
    expect(await r.text()).toBe('401 Unauthorized')
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required."')
  })

  it('takes the key as the Basic login or as ws_key', async () => {
    const { call } = setup()
    expect((await call('/api/customers?output_format=JSON')).status).toBe(200)
    expect((await call(`/api/customers?output_format=JSON&ws_key=${TEST_API_KEY}`, {})).status).toBe(200)
  })

  it.each([
    ['an empty key', '', [{ code: 17, message: 'Authentication key is empty' }]],
    ['a key of the wrong length', WRONG_LENGTH_KEY, [{ code: 18, message: 'Invalid authentication key format' }]],
    ['an unknown key', UNKNOWN_KEY, [{ code: 20, message: 'Authentification key is not active' }, { code: 21, message: 'No permission for this authentication key' }]],
  ])('refuses %s with the shop’s codes', async (_, key, errors) => {
    const { status, body, headers } = await setup().json('/api/customers?output_format=JSON', { Authorization: basic(key) })
    expect(status).toBe(401)
    expect(body).toEqual({ errors })
    expect(headers.get('www-authenticate')).toMatch(/PrestaShop Webservice/)
  })

  it('refuses an inactive key and a key without the resource (code 26, HTTP 401)', async () => {
    const inactive = setup({ keys: [{ key: TEST_API_KEY, active: false, resources: { customers: ['GET'] } }] })
    expect((await inactive.json('/api/customers?output_format=JSON')).body).toMatchObject({ errors: [{ code: 20 }, { code: 21 }] })
    const r = await setup().json('/api/customers?output_format=JSON', { Authorization: basic(NO_CUSTOMERS_KEY) })
    expect(r).toMatchObject({ status: 401, body: { errors: [{ code: 26, message: 'Resource of type "customers" is not allowed with this authentication key' }] } })
    expect((await setup().json('/api/customrs?output_format=JSON')).body).toMatchObject({ errors: [{ code: 27, message: expect.stringContaining('Did you mean: "customers"?') }] })
    expect((await setup().call('/api/customers?output_format=JSON', { Authorization: basic(TEST_API_KEY) }, 'DELETE')).status).toBe(405)
  })

  it('answers 503 code 22 when the webservice is switched off', async () => {
    const { mock, json } = setup()
    mock.setWebservice(false)
    expect(await json('/api/customers?output_format=JSON')).toMatchObject({
      status: 503,
      body: { errors: [{ code: 22, message: 'The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office' }] },
    })
  })
})

describe('prestashop mock: output format', () => {
  it('sends JSON only for exactly "JSON", in the query or the Output-Format / Io-Format header', async () => {
    const { call } = setup()
    const type = async (path: string, extra: Record<string, string> = {}) => (await call(path, { Authorization: basic(TEST_API_KEY), ...extra })).headers.get('content-type')
    expect(await type('/api/customers?output_format=JSON')).toBe('application/json')
    expect(await type('/api/customers?io_format=JSON')).toBe('application/json')
    expect(await type('/api/customers', { 'Output-Format': 'JSON' })).toBe('application/json')
    expect(await type('/api/customers', { 'Io-Format': 'JSON' })).toBe('application/json')
    expect(await type('/api/customers?output_format=json')).toMatch(/xml/)
    expect(await type('/api/customers')).toMatch(/xml/)
    const xml = await (await call('/api/customers?display=[id,email]&limit=1')).text()
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<prestashop xmlns:xlink/)
    expect(xml).toContain('<email><![CDATA[')
  })

  it('types integer columns as 8.1 on PHP 8.1 (numbers) or 8.2 (strings)', async () => {
    const q = '/api/customers?output_format=JSON&display=[id,newsletter,email]&limit=1'
    const s = (await setup({ jsonTypes: 'strings' }).json(q)).body as { customers: Array<Record<string, unknown>> }
    const n = (await setup({ jsonTypes: 'numbers' }).json(q)).body as { customers: Array<Record<string, unknown>> }
    expect(s.customers[0]).toMatchObject({ id: '1', newsletter: expect.any(String) })
    expect(n.customers[0]).toMatchObject({ id: 1, newsletter: expect.any(Number) })
  })
})

describe('prestashop mock: lists', () => {
  it('sends only ids without display, everything with full (secrets included), the listed fields otherwise', async () => {
    const { json, mock } = setup()
    const minimal = (await json('/api/customers?output_format=JSON&limit=2')).body
    expect(minimal).toEqual({ customers: [{ id: '1' }, { id: expect.any(String) }] })
    const full = (await json('/api/customers?output_format=JSON&display=full&limit=1')).body as { customers: Array<Record<string, unknown>> }
    expect(full.customers[0]!.passwd).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/)
    expect(full.customers[0]!.secure_key).toMatch(/^[0-9a-f]{32}$/)
    expect(full.customers[0]).toHaveProperty('reset_password_token')
    expect(full.customers[0]!.associations).toEqual({ groups: [{ id: expect.any(String) }] })
    expect(mock.state.secretsSent).toBe(1)
    const some = (await json('/api/customers?output_format=JSON&display=[id,email]&limit=1')).body as { customers: Array<Record<string, unknown>> }
    expect(Object.keys(some.customers[0]!)).toEqual(['id', 'email'])
    expect(await json('/api/customers?output_format=JSON&display=[id,hasło]')).toMatchObject({ status: 400, body: { errors: [{ code: 35 }] } })
    expect(await json('/api/customers?output_format=JSON&display=id,email')).toMatchObject({ status: 400, body: { errors: [{ code: 36 }] } })
  })

  it('pages with limit=N and limit=offset,N, sorts, and filters as SQLUtils does', async () => {
    const { json, mock } = setup()
    const all = mock.data.customers.map((c) => c.id).sort((a, b) => a - b)
    expect(idsOf((await json('/api/customers?output_format=JSON&limit=3')).body)).toEqual(all.slice(0, 3))
    expect(idsOf((await json('/api/customers?output_format=JSON&limit=5,3')).body)).toEqual(all.slice(5, 8))
    expect(idsOf((await json('/api/customers?output_format=JSON&sort=[id_DESC]&limit=2')).body)).toEqual(all.slice(-2).reverse())
    const [a, b, c] = [all[3]!, all[7]!, all[9]!]
    expect(idsOf((await json(`/api/customers?output_format=JSON&filter[id]=[${a}|${c}]`)).body)).toEqual([a, c])
    expect(idsOf((await json(`/api/customers?output_format=JSON&filter[id]=[${b},${a}]`)).body)).toEqual(all.filter((x) => x >= a && x <= b))
    expect(idsOf((await json(`/api/customers?output_format=JSON&filter[id]=>[${b}]&sort=[id_ASC]&limit=2`)).body)).toEqual(all.filter((x) => x > b).slice(0, 2))
    expect(idsOf((await json(`/api/customers?output_format=JSON&filter[id]=<[${a}]`)).body)).toEqual(all.filter((x) => x < a))
    const email = mock.data.customers[2]!.email
    expect(idsOf((await json(`/api/customers?output_format=JSON&filter[email]=[${email.toUpperCase()}]`)).body)).toContain(mock.data.customers[2]!.id)
    // nothing matched: a bare []
    expect((await json('/api/customers?output_format=JSON&filter[id]=>[999999]')).body).toEqual([])
  })

  it('pages and looks up addresses from the id order it keeps, which follows registrations, deletions and rows pushed out of order', async () => {
    const { json, mock } = setup()
    const ids = async (q: string) => idsOf((await json(`/api/customers?output_format=JSON&${q}`)).body)
    const sorted = () => mock.data.customers.map((c) => c.id).sort((a, b) => a - b)
    const keyset = (after: number) => `display=full&sort=[id_ASC]&filter[id]=>[${after}]&limit=5`
    const before = sorted()
    expect(await ids(keyset(before[34]!))).toEqual(before.slice(35, 40))
    const added = Number(mock.registerCustomer())
    mock.deleteCustomer(before[36]!)
    expect(await ids(keyset(before[34]!))).toEqual([before[35]!, ...before.slice(37, 40), added])
    mock.data.customers.push({ ...mock.data.customers[0]!, id: 0 })
    expect(await ids('limit=2')).toEqual([0, before[0]])
    expect(await ids(`display=[id]&limit=${sorted().length - 1},1`)).toEqual([added])
    const owners = [before[2]!, added]
    const addresses = (await json(`/api/addresses?output_format=JSON&display=full&filter[id_customer]=[${owners.join('|')}]`)).body as { addresses: Array<{ id: string; id_customer: string }> }
    const expected = mock.data.addresses.filter((a) => owners.includes(a.id_customer)).map((a) => a.id).sort((a, b) => a - b)
    expect(addresses.addresses.map((a) => Number(a.id))).toEqual(expected)
  })

  it('refuses what the shop refuses, with its codes', async () => {
    const { json } = setup()
    const dated = await json('/api/customers?output_format=JSON&filter[date_upd]=>[2020-01-01 00:00:00]')
    expect(dated).toMatchObject({ status: 400, body: { errors: [{ code: 32, message: expect.stringMatching(/^This filter does not exist\. Did you mean: "/) }] } })
    expect((await json('/api/customers?output_format=JSON&date=1&filter[date_upd]=>[2020-01-01 00:00:00]')).status).toBe(200)
    expect(await json('/api/customers?output_format=JSON&filter[haslo]=[1]')).toMatchObject({ status: 400, body: { errors: [{ code: 32 }] } })
    expect(await json('/api/customers?output_format=JSON&filter[id]=')).toMatchObject({ body: { errors: [{ code: 33 }] } })
    expect(await json('/api/customers?output_format=JSON&sort=[nope_ASC]')).toMatchObject({ body: { errors: [{ code: 38 }] } })
    expect(await json('/api/customers?output_format=JSON&sort=id')).toMatchObject({ body: { errors: [{ code: 37 }] } })
    expect(await json('/api/customers?output_format=JSON&limit=1,2,3')).toMatchObject({ body: { errors: [{ code: 39 }] } })
  })

  it('sends multilingual names as [{id, value}] and a single resource without its empty fields', async () => {
    const { json } = setup()
    const groups = (await json('/api/groups?output_format=JSON&display=[id,name]')).body as { groups: Array<{ name: unknown }> }
    expect(groups.groups[2]!.name).toEqual([{ id: '1', value: 'Klient' }, { id: '2', value: 'Customer' }])
    const one = (await json('/api/customers/1?output_format=JSON')).body as { customer: Record<string, unknown> }
    expect(one.customer.id).toBe('1')
    expect(one.customer).not.toHaveProperty('website')
    expect((await setup().call('/api/customers/999999?output_format=JSON')).status).toBe(404)
  })

  it('answers at webservice/dispatcher.php?url=…, and only there without the /api rewrite', async () => {
    const { call } = setup({ rewrite: false })
    const api = await call('/api/customers?output_format=JSON')
    expect(api.status).toBe(404)
    expect(api.headers.get('content-type')).toMatch(/html/)
    expect((await call('/webservice/dispatcher.php?url=customers&output_format=JSON')).status).toBe(200)
  })
})

describe('prestashop mock: faults and changes', () => {
  it('plays one-shot faults, then behaves', async () => {
    const { mock, call } = setup()
    mock.failNext(1, 'server_error')
    mock.failNext(1, 'rate_limit', 7)
    mock.failNext(1, 'html_page')
    mock.failNext(1, 'broken_json')
    const e = await call('/api/customers?output_format=JSON')
    expect(e.status).toBe(500)
    expect(await e.json()).toMatchObject({ errors: [{ code: 3, message: expect.stringContaining('[PHP Warning #2]') }] })
    const limited = await call('/api/customers?output_format=JSON')
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7'])
    const page = await call('/api/customers?output_format=JSON')
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html'])
    await expect((await call('/api/customers?output_format=JSON')).json()).rejects.toThrow()
    expect((await call('/api/customers?output_format=JSON')).status).toBe(200)
    expect(mock.state.faulted).toBe(4)
  })

  it('registers and deletes customers as a shop does', async () => {
    const { mock } = setup()
    const max = Math.max(...mock.data.customers.map((c) => c.id))
    expect(mock.registerCustomer()).toBe(String(max + 1))
    expect(mock.data.addresses.some((a) => a.id_customer === max + 1)).toBe(true)
    const victim = mock.data.customers[5]!.id
    mock.deleteCustomer(victim)
    expect(mock.data.customers.some((c) => c.id === victim)).toBe(false)
    const soft = mock.data.customers[6]!.id
    mock.deleteCustomer(soft, true)
    expect(mock.data.customers.find((c) => c.id === soft)!.deleted).toBe(1)
    expect(mock.data.addresses.filter((a) => a.id_customer === soft).every((a) => a.deleted === 1)).toBe(true)
  })
})
