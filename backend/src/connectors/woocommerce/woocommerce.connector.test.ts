/** The connector over the mock: full reads, exact resume, and a shop changing under the read. */
import { describe, expect, it } from 'vitest'
import { connectionErrorText } from '@cm/contracts'
import { SourceError, type CustomerPage, type SourceHttpOptions } from '../connector.ts'
import { createWooCommerceConnector, decodeWooCursor, woocommerceConnector } from './woocommerce.connector.ts'
import { WOO_STAFF_ROLES } from './woocommerce.mapper.ts'
import { testWooShop, wooCustomerIds, WRITE_ONLY_KEY, WRITE_ONLY_SECRET, type WooTestShop } from './woocommerce.testing.ts'

const idsOf = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))

async function readAll(shop: WooTestShop, cursor: string | null = null, connector = woocommerceConnector, http: SourceHttpOptions = shop.http) {
  const pages: CustomerPage[] = []
  for await (const p of connector.pages(shop.credentials, cursor, http)) pages.push(p)
  return pages
}

/** reads page by page, letting `between(pageNo)` change the shop after each page */
async function readChanging(shop: WooTestShop, between: (page: number, ids: string[]) => void, connector = woocommerceConnector) {
  const pages: CustomerPage[] = []
  for await (const p of connector.pages(shop.credentials, null, shop.http)) {
    pages.push(p)
    between(pages.length, idsOf(pages))
  }
  return pages
}

const sum = (pages: CustomerPage[], f: (p: CustomerPage) => number) => pages.reduce((s, p) => s + f(p), 0)

describe('woocommerce connector: reading', () => {
  it('reads every account once, in id order, staff left out and counted', async () => {
    const shop = await testWooShop({ count: 347 })
    const pages = await readAll(shop)
    expect(idsOf(pages)).toEqual(wooCustomerIds(shop.mock))
    const staff = shop.mock.customers.filter((c) => WOO_STAFF_ROLES.includes(c.role)).length
    expect(staff).toBeGreaterThan(0)
    expect(sum(pages, (p) => p.leftOut.staff ?? 0)).toBe(staff)
    expect(sum(pages, (p) => p.read)).toBe(347)
    // 100, then 95 a page (5 rows of overlap), the last one short
    expect(pages.map((p) => p.read)).toEqual([100, 95, 95, 57])
    expect(pages.map((p) => p.total)).toEqual([347, 347, 347, 347])
    expect(decodeWooCursor(pages.at(-1)!.cursor)).toMatchObject({ lastId: 347, read: 347, done: true })
    expect(await readAll(shop, pages.at(-1)!.cursor)).toEqual([])
  })

  it('keeps subscribers and plugin roles (role=all), with the role as group', async () => {
    const shop = await testWooShop({ count: 347 })
    const customers = (await readAll(shop)).flatMap((p) => p.customers)
    const roleOf = new Map(shop.mock.customers.map((c) => [String(c.id), c.role]))
    expect(customers.filter((c) => roleOf.get(c.sourceId) === 'subscriber').length).toBeGreaterThan(0)
    expect(customers.filter((c) => c.group === 'wholesale_customer').length).toBe(shop.mock.customers.filter((c) => c.role === 'wholesale_customer').length)
  })

  it('reads over a real socket with OAuth 1.0a', async () => {
    const shop = await testWooShop({ count: 230, overHttp: true })
    try {
      expect(idsOf(await readAll(shop))).toEqual(wooCustomerIds(shop.mock))
      expect(shop.mock.state.byAuth.oauth).toBe(3)
    } finally {
      await shop.close()
    }
  })

  it('an empty shop gives one empty, final page', async () => {
    const shop = await testWooShop({ customers: [] })
    const pages = await readAll(shop)
    expect(pages).toHaveLength(1)
    expect(pages[0]).toMatchObject({ customers: [], read: 0, leftOut: {}, total: 0 })
    expect(decodeWooCursor(pages[0]!.cursor).done).toBe(true)
  })

  it('a shop of exactly full pages ends with an empty page once the overlap shows nothing new', async () => {
    const shop = await testWooShop({ count: 195 })
    const pages = await readAll(shop)
    expect(pages.map((p) => p.read)).toEqual([100, 95, 0])
    expect(idsOf(pages)).toEqual(wooCustomerIds(shop.mock))
  })
})

describe('woocommerce connector: short pages', () => {
  it('a plugin capping per_page (short pages while X-WP-Total says more) loses nobody', async () => {
    const shop = await testWooShop({ count: 230, perPageCap: 40 })
    const pages = await readAll(shop)
    expect(idsOf(pages)).toEqual(wooCustomerIds(shop.mock))
    expect(pages[1]!.read).toBe(35)
  })

  it('… also when deletions send the window back over capped pages', async () => {
    const shop = await testWooShop({ count: 230, perPageCap: 40 })
    const before = wooCustomerIds(shop.mock)
    const pages = await readChanging(shop, (page, ids) => {
      if (page === 3) for (const id of ids.slice(10, 70)) shop.mock.deleteCustomer(Number(id))
    })
    expect(idsOf(pages)).toEqual(before)
  })
})

describe('woocommerce connector: resume', () => {
  it('resumes exactly from every page’s cursor', async () => {
    const shop = await testWooShop({ count: 347 })
    const pages = await readAll(shop)
    const full = idsOf(pages)
    for (let k = 0; k < pages.length; k++) {
      const tail = idsOf(await readAll(shop, pages[k]!.cursor))
      expect([...idsOf(pages.slice(0, k + 1)), ...tail]).toEqual(full)
    }
  })

  it('resumes exactly when customers already read were deleted while it was down', async () => {
    const shop = await testWooShop({ count: 347 })
    const head: CustomerPage[] = []
    for await (const p of woocommerceConnector.pages(shop.credentials, null, shop.http)) {
      head.push(p)
      if (head.length === 2) break
    }
    const headIds = idsOf(head)
    for (const id of headIds.slice(10, 60)) shop.mock.deleteCustomer(Number(id))
    const tail = idsOf(await readAll(shop, head.at(-1)!.cursor))
    expect([...headIds, ...tail]).toEqual([...headIds, ...wooCustomerIds(shop.mock).filter((id) => Number(id) > Number(headIds.at(-1)))])
    expect(new Set(tail).size).toBe(tail.length)
  })

  it('refuses a cursor that is not its own', () => {
    expect(() => decodeWooCursor('{"v":2}')).toThrow(/not one of this connector/)
    expect(() => decodeWooCursor('nope')).toThrow(/not JSON/)
  })
})

describe('woocommerce connector: a shop changing under the read', () => {
  it('customers already read, deleted mid-fetch (more than the overlap): nobody skipped, the window widens', async () => {
    const shop = await testWooShop({ count: 347 })
    const before = wooCustomerIds(shop.mock)
    const widened: number[] = []
    const connector = createWooCommerceConnector({ onWiden: (offset) => widened.push(offset) })
    const pages = await readChanging(shop, (page, ids) => {
      // after each page: 12 of the customers it already handed out are deleted
      if (page < 4) for (const id of ids.slice(-40, -28)) shop.mock.deleteCustomer(Number(id))
    }, connector)
    const ids = idsOf(pages)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(before)
    expect(widened.length).toBeGreaterThan(0)
  })

  it('a few read customers deleted (within the overlap) cost no extra request', async () => {
    const shop = await testWooShop({ count: 347 })
    const before = wooCustomerIds(shop.mock)
    const pages = await readChanging(shop, (page, ids) => {
      if (page === 1) for (const id of ids.slice(0, 3)) shop.mock.deleteCustomer(Number(id))
    })
    expect(idsOf(pages)).toEqual(before)
    expect(shop.mock.state.requests).toBe(4)
  })

  it('customers not read yet, deleted mid-fetch, are simply absent; the rest arrive once', async () => {
    const shop = await testWooShop({ count: 347 })
    const gone: string[] = []
    const pages = await readChanging(shop, (page) => {
      if (page === 1) for (const id of [150, 151, 152, 250, 340]) if (shop.mock.deleteCustomer(id)) gone.push(String(id))
    })
    expect(idsOf(pages)).toEqual(wooCustomerIds(shop.mock))
    expect(idsOf(pages)).not.toContain(gone[0])
  })

  it('registrations and deletions on every page: nobody lost, nobody doubled', async () => {
    const shop = await testWooShop({ count: 347 })
    const deletedRead: string[] = []
    /** the registrations after the latest page: after the last one they came too late for this read */
    let latest: string[] = []
    const pages = await readChanging(shop, (_page, ids) => {
      latest = [String(shop.mock.addCustomer()), String(shop.mock.addCustomer())]
      for (const id of ids.slice(5, 25)) if (shop.mock.deleteCustomer(Number(id))) deletedRead.push(id)
    })
    const ids = idsOf(pages)
    expect(new Set(ids).size).toBe(ids.length)
    // every account there now (but the last registrations), plus those deleted after they were handed out
    const expected = [...wooCustomerIds(shop.mock).filter((id) => !latest.includes(id)), ...deletedRead]
    expect([...ids].sort()).toEqual(expected.sort())
    expect(ids.filter((id) => Number(id) > 347)).toHaveLength(2 * (pages.length - 1))
  })
})

describe('woocommerce connector: a shop that does not do what the API says', () => {
  /** rewrites the query of every request (Basic auth, so nothing is signed) */
  const rewriting = (shop: WooTestShop, f: (q: URLSearchParams) => void): SourceHttpOptions => ({
    ...shop.http,
    fetch: (url, init) => {
      const u = new URL(url)
      f(u.searchParams)
      return shop.http.fetch(u.toString(), init)
    },
  })

  it('ignoring offset → SOURCE_BAD_RESPONSE instead of an endless read', async () => {
    const shop = await testWooShop({ count: 347 })
    const pages = readAll(shop, null, woocommerceConnector, rewriting(shop, (q) => q.delete('offset')))
    await expect(pages).rejects.toMatchObject({ code: 'SOURCE_BAD_RESPONSE', message: expect.stringMatching(/offset ignored/) })
  })

  it('not sorting by id → SOURCE_BAD_RESPONSE', async () => {
    const shop = await testWooShop({ count: 120 })
    const pages = readAll(shop, null, woocommerceConnector, rewriting(shop, (q) => q.delete('orderby')))
    await expect(pages).rejects.toMatchObject({ code: 'SOURCE_BAD_RESPONSE', message: expect.stringMatching(/sort customers by id/) })
  })

  it('a write-only key fails the read with SOURCE_API_ACCESS_DENIED', async () => {
    const shop = await testWooShop({ count: 20 })
    const creds = { ...shop.credentials, consumerKey: WRITE_ONLY_KEY, consumerSecret: WRITE_ONLY_SECRET }
    const run = async () => {
      for await (const _ of woocommerceConnector.pages(creds, null, shop.http)) break
    }
    const e = await run().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(SourceError)
    expect(e).toMatchObject({ code: 'SOURCE_API_ACCESS_DENIED' })
  })
})

describe('woocommerce connector: check', () => {
  it('answers ok with the host and X-WP-Total (every role)', async () => {
    const shop = await testWooShop({ count: 347 })
    expect(await woocommerceConnector.check(shop.credentials, shop.http)).toEqual({ ok: true, shopName: 'sklep-testowy.example.pl', customerCount: 347 })
  })

  it('words its refusals the WooCommerce way', async () => {
    const shop = await testWooShop({ count: 5 })
    const r = await woocommerceConnector.check({ ...shop.credentials, consumerSecret: 'cs_zly' }, shop.http)
    expect(r).toEqual({ ok: false, error: { code: 'SOURCE_AUTH_FAILED', message: connectionErrorText('woocommerce', 'SOURCE_AUTH_FAILED').pl } })
  })

  it('answers within its deadline whatever the shop does', async () => {
    const shop = await testWooShop({ count: 5, faults: { slowEvery: 1, slowMs: 10_000 } })
    const connector = createWooCommerceConnector({ checkTimeoutMs: 150 })
    const started = performance.now()
    const r = await connector.check(shop.credentials, { ...shop.http, requestTimeoutMs: 10_000 })
    expect(r).toMatchObject({ ok: false, error: { code: 'SOURCE_TIMEOUT' } })
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})
