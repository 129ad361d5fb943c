/** The mock is as strict as WooCommerce: a client that gets something wrong here would get it wrong live. */
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { basicValue, oauthSigner } from './woocommerce.auth.ts'
import { generateWooCommerceDemoData } from './woocommerce.demo-data.ts'
import { createWooCommerceMock, startWooCommerceMock, type WooMockOptions } from './woocommerce.mock-server.ts'
import { TEST_CONSUMER_KEY as CK, TEST_CONSUMER_SECRET as CS, TEST_KEYS, WRITE_ONLY_KEY, WRITE_ONLY_SECRET } from './woocommerce.testing.ts'

const BASE = 'https://sklep.example.pl/wp-json/wc/v3/customers'
const HTTP_BASE = 'http://sklep.example.pl/wp-json/wc/v3/customers'
const basic = (ck = CK, cs = CS) => ({ Authorization: `Basic ${basicValue({ consumerKey: ck, consumerSecret: cs })}` })

function shop(o: Partial<WooMockOptions> = {}) {
  return createWooCommerceMock({ customers: generateWooCommerceDemoData({ count: 150, seed: 3 }), keys: TEST_KEYS, ...o })
}

async function get(mock: ReturnType<typeof shop>, url: string, headers: Record<string, string> = basic()) {
  const res = await mock.fetch(new Request(url, { headers }))
  const text = await res.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  return { status: res.status, headers: res.headers, body: body as any }
}

/** a URL signed as the client signs it (plain HTTP) */
function signed(query: Record<string, string>, base = HTTP_BASE, secret = CS): string {
  const q = new URLSearchParams(query)
  for (const [k, v] of oauthSigner({ consumerKey: CK, consumerSecret: secret })(base, q)) q.set(k, v)
  return `${base}?${q}`
}

describe('woocommerce mock: the list as WooCommerce serves it', () => {
  it('defaults to role=customer ordered by name: a client forgetting them loses accounts and order', async () => {
    const mock = shop()
    const { status, body, headers } = await get(mock, `${BASE}?per_page=100`)
    expect(status).toBe(200)
    expect(body.every((c: { role: string }) => c.role === 'customer')).toBe(true)
    expect(Number(headers.get('x-wp-total'))).toBe(mock.customers.filter((c) => c.role === 'customer').length)
    const ids = body.map((c: { id: number }) => c.id)
    expect(ids).not.toEqual([...ids].sort((a: number, b: number) => a - b))
  })

  it('role=all, orderby=id: every account in id order, with the paging headers and a bare array', async () => {
    const mock = shop()
    const { body, headers } = await get(mock, `${BASE}?per_page=100&orderby=id&order=asc&role=all`)
    expect(body.map((c: { id: number }) => c.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(headers.get('x-wp-total')).toBe('150')
    expect(headers.get('x-wp-totalpages')).toBe('2')
    expect(headers.get('link')).toMatch(/<https:\/\/sklep\.example\.pl\/wp-json\/wc\/v3\/customers\?.*page=2>; rel="next"/)
    expect(body[0]._links.self[0].href).toBe(`${BASE}/1`)
  })

  it('offset wins over page, but an offset of 0 falls back to page; past the end is []', async () => {
    const mock = shop()
    const ids = async (q: string) => (await get(mock, `${BASE}?orderby=id&role=all&${q}`)).body.map((c: { id: number }) => c.id)
    expect(await ids('per_page=5&offset=7&page=3')).toEqual([8, 9, 10, 11, 12])
    expect(await ids('per_page=5&offset=0&page=3')).toEqual([11, 12, 13, 14, 15])
    expect(await ids('per_page=100&page=3')).toEqual([])
  })

  it.each([
    ['per_page=101', 'per_page', 'rest_out_of_bounds', 'per_page must be between 1 (inclusive) and 100 (inclusive)'],
    ['per_page=abc', 'per_page', 'rest_invalid_type', 'per_page is not of type integer.'],
    ['page=0', 'page', 'rest_out_of_bounds', 'page must be greater than or equal to 1'],
    ['orderby=email', 'orderby', 'rest_not_in_enum', 'orderby is not one of id, include, name, and registered_date.'],
    ['order=up', 'order', 'rest_not_in_enum', 'order is not one of asc and desc.'],
  ])('%s → 400 rest_invalid_param as WordPress words it', async (q, param, code, message) => {
    const { status, body } = await get(shop(), `${BASE}?${q}`)
    expect(status).toBe(400)
    expect(body).toEqual({
      code: 'rest_invalid_param',
      message: `Invalid parameter(s): ${param}`,
      data: { status: 400, params: { [param]: message }, details: { [param]: { code, message, data: null } } },
    })
  })

  it('an unknown role is refused; plugin roles in the data are known', async () => {
    expect((await get(shop(), `${BASE}?role=pirate`)).status).toBe(400)
    expect((await get(shop(), `${BASE}?role=wholesale_customer`)).status).toBe(200)
  })

  it('answers under ?rest_route= too, and /wp-json is a theme 404 page without pretty permalinks', async () => {
    const mock = shop({ prettyPermalinks: false })
    expect((await get(mock, `${BASE}?per_page=1`)).status).toBe(404)
    expect((await get(mock, `${BASE}?per_page=1`)).body).toMatch(/<html/)
    const plain = await get(mock, 'https://sklep.example.pl/?rest_route=/wc/v3/customers&per_page=3')
    expect(plain.status).toBe(200)
    expect(plain.body).toHaveLength(3)
  })

  it('without WooCommerce (or on another route) WordPress answers rest_no_route', async () => {
    expect((await get(shop({ woocommerce: false }), BASE)).body).toEqual({ code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } })
    expect((await get(shop(), 'https://sklep.example.pl/wp-json/wc/v3/orders')).status).toBe(404)
  })

  it('pages from the id order it keeps, which follows registrations, deletions and rows pushed out of order', async () => {
    const mock = shop()
    const page = async (q: string) => {
      const r = await get(mock, `${BASE}?per_page=5&orderby=id&role=all&${q}`)
      return [r.headers.get('x-wp-total'), r.body.map((c: { id: number }) => c.id)]
    }
    expect(await page('offset=145')).toEqual(['150', [146, 147, 148, 149, 150]])
    mock.addCustomer()
    mock.deleteCustomer(148)
    expect(await page('offset=145')).toEqual(['150', [146, 147, 149, 150, 151]])
    mock.customers.push({ ...mock.customers[0]!, id: 0 })
    expect(await page('offset=0')).toEqual(['151', [0, 1, 2, 3, 4]])
    expect(await page('offset=0&order=desc')).toEqual(['151', [151, 150, 149, 147, 146]])
  })

  it('customers can register and be deleted while it runs', async () => {
    const mock = shop()
    const id = mock.addCustomer({ first_name: 'Nowa' })
    expect(id).toBe(151)
    expect(mock.customers.at(-1)).toMatchObject({ id: 151, first_name: 'Nowa', role: 'customer' })
    expect(mock.deleteCustomer(151)).toBe(true)
    expect(mock.deleteCustomer(151)).toBe(false)
  })
})

describe('woocommerce mock: authentication as WC_REST_Authentication does it', () => {
  const cannotView = { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } }

  it.each<[string, string, Record<string, string>, number, unknown]>([
    ['no key at all', BASE, {}, 401, cannotView],
    ['an unknown key (no error of its own: a stranger)', BASE, basic('ck_unknown'), 401, cannotView],
    ['a wrong secret', BASE, basic(CK, 'cs_wrong'), 401, { code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.', data: { status: 401 } }],
    ['a write-only key', BASE, basic(WRITE_ONLY_KEY, WRITE_ONLY_SECRET), 401, { code: 'woocommerce_rest_authentication_error', message: 'The API key provided does not have read permissions.', data: { status: 401 } }],
    ['keys in the query over HTTPS', `${BASE}?consumer_key=${CK}&consumer_secret=${CS}`, {}, 200, expect.any(Array)],
    ['Basic over plain HTTP (refused: only OAuth there)', HTTP_BASE, basic(), 401, cannotView],
    ['keys in the query over plain HTTP', `${HTTP_BASE}?consumer_key=${CK}&consumer_secret=${CS}`, {}, 401, cannotView],
  ])('%s', async (_, url, headers, status, body) => {
    const r = await get(shop({ scheme: url.startsWith('http:') ? 'http' : 'https' }), url, headers)
    expect(r.status).toBe(status)
    expect(r.body).toEqual(body)
  })

  it('a server that strips Authorization makes a good Basic key a stranger', async () => {
    expect((await get(shop({ stripAuthorization: true }), BASE)).body).toEqual(cannotView)
  })

  it('a key whose user may not manage the shop gets 403', async () => {
    const mock = shop({ keys: [{ consumerKey: CK, consumerSecret: CS, permissions: 'read_write', manager: false }] })
    expect((await get(mock, BASE)).status).toBe(403)
  })

  describe('OAuth 1.0a over plain HTTP', () => {
    const http = () => shop({ scheme: 'http' })

    it('accepts a signed request (HMAC-SHA256), counts it as OAuth', async () => {
      const mock = http()
      expect((await get(mock, signed({ per_page: '5', role: 'all' }), {})).status).toBe(200)
      expect(mock.state.byAuth.oauth).toBe(1)
    })

    it('accepts HMAC-SHA1 as well, signed by hand the way the PHP verifies', async () => {
      const ts = String(Math.floor(Date.now() / 1000))
      const q = new URLSearchParams({ per_page: '5', oauth_consumer_key: CK, oauth_nonce: 'abc123nonce', oauth_signature_method: 'HMAC-SHA1', oauth_timestamp: ts })
      const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      const params = [...q].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')
      q.set('oauth_signature', createHmac('sha1', `${CS}&`).update(`GET&${enc(HTTP_BASE)}&${enc(params)}`).digest('base64'))
      expect((await get(http(), `${HTTP_BASE}?${q}`, {})).status).toBe(200)
    })

    it.each<[string, (url: string) => string, string]>([
      ['a parameter changed after signing', (u) => u.replace('per_page=5', 'per_page=6'), 'Invalid signature - provided signature does not match.'],
      ['the signature of another secret', () => signed({ per_page: '5' }, HTTP_BASE, 'cs_other'), 'Invalid signature - provided signature does not match.'],
      ['signed for https while the shop is http', () => signed({ per_page: '5' }, BASE), 'Invalid signature - provided signature does not match.'],
      ['a signature method it does not know', (u) => u.replace('HMAC-SHA256', 'PLAINTEXT'), 'Invalid signature - signature method is invalid.'],
    ])('refuses %s', async (_, tamper, message) => {
      const r = await get(http(), tamper(signed({ per_page: '5' })), {})
      expect(r.status).toBe(401)
      expect(r.body).toEqual({ code: 'woocommerce_rest_authentication_error', message, data: { status: 401 } })
    })

    it('refuses a replayed nonce and a timestamp out of the 15-minute window', async () => {
      const mock = http()
      const url = signed({ per_page: '5' })
      expect((await get(mock, url, {})).status).toBe(200)
      expect((await get(mock, url, {})).body.message).toBe('Invalid nonce - nonce has already been used.')
      const late = shop({ scheme: 'http', clock: () => Math.floor(Date.now() / 1000) - 16 * 60 })
      expect((await get(late, signed({ per_page: '5' }), {})).body.message).toBe('Invalid timestamp.')
    })

    it('names the OAuth parameters that are missing', async () => {
      const u = new URL(signed({ per_page: '5' }))
      u.searchParams.delete('oauth_nonce')
      expect((await get(http(), u.toString(), {})).body).toEqual({ code: 'woocommerce_rest_authentication_missing_parameter', message: 'Missing OAuth parameter oauth_nonce', data: { status: 401 } })
    })
  })
})

describe('woocommerce mock: faults', () => {
  it('PHP’s fatal error, a host’s 429, a proxy’s 502 and a cut-off body, as planned', async () => {
    const mock = shop()
    mock.failNext(1, { kind: 'server_error' })
    mock.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 9 })
    mock.failNext(1, { kind: 'html_error' })
    mock.failNext(1, { kind: 'broken_json' })
    const fatal = await get(mock, BASE)
    expect(fatal.status).toBe(500)
    expect(fatal.body).toMatchObject({ code: 'internal_server_error', data: { status: 500 } })
    const limited = await get(mock, BASE)
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '9'])
    expect((await get(mock, BASE)).status).toBe(502)
    const broken = await get(mock, BASE)
    expect(broken.status).toBe(200)
    expect(typeof broken.body).toBe('string')
    expect((await get(mock, BASE)).status).toBe(200)
    expect(mock.state.faulted).toBe(4)
  })

  it('a reset: a TypeError in-process, a destroyed socket over HTTP; the plan can change while it runs', async () => {
    const mock = shop({ faults: { resetEvery: 1 } })
    await expect(mock.fetch(new Request(BASE))).rejects.toThrow(TypeError)
    mock.setFaults({})
    expect((await get(mock, BASE)).status).toBe(200)
    const running = await startWooCommerceMock({ customers: [], keys: TEST_KEYS, port: 0, faults: { resetEvery: 1 } })
    try {
      await expect(fetch(`${running.url}/wp-json/wc/v3/customers`)).rejects.toThrow()
      running.mock.setFaults({})
      const res = await fetch(`${running.url}/wp-json/wc/v3/customers`)
      // plain HTTP over the socket: no OAuth, no entry
      expect(res.status).toBe(401)
      await res.text()
    } finally {
      await running.close()
    }
  })
})
