/** The connector over the mock: full reads, exact resume, a shop changing under the read, the cost bucket's waits. */
import { describe, expect, it } from 'vitest'
import { CanonicalCustomer, connectionErrorText } from '@cm/contracts'
import type { CustomerPage, SourceHttpOptions } from '../connector.ts'
import { createShopifyConnector, decodeShopifyCursor, shopifyConnector } from './shopify.connector.ts'
import { generateShopifyDemoData } from './shopify.demo-data.ts'
import { STANDARD_BUCKET } from './shopify.mock-server.ts'
import { pageCost, SHOPIFY_PAGE_SIZE } from './shopify.query.ts'
import { NO_CUSTOMERS_CLIENT_ID, NO_CUSTOMERS_CLIENT_SECRET, shopifyCustomerIds, testShopifyShop, type ShopifyTestShop } from './shopify.testing.ts'

const idsOf = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))
const sum = (pages: CustomerPage[], f: (p: CustomerPage) => number) => pages.reduce((s, p) => s + f(p), 0)
const waitsOf = (shop: ShopifyTestShop) => shop.events.flatMap((e) => (e.type === 'rate_limit_wait' ? [e.ms] : []))

async function readAll(shop: ShopifyTestShop, cursor: string | null = null, connector = shopifyConnector, http: SourceHttpOptions = shop.http, credentials = shop.credentials) {
  const pages: CustomerPage[] = []
  for await (const p of connector.pages(credentials, cursor, http)) pages.push(p)
  return pages
}

async function readChanging(shop: ShopifyTestShop, between: (page: number) => void) {
  const pages: CustomerPage[] = []
  for await (const p of shopifyConnector.pages(shop.credentials, null, shop.http)) {
    pages.push(p)
    between(pages.length)
  }
  return pages
}

describe('shopify connector: reading', () => {
  it('reads every customer once, in id order, 90 a page, with totals from customersCount', async () => {
    const shop = await testShopifyShop({ count: 347 })
    const pages = await readAll(shop)
    expect(SHOPIFY_PAGE_SIZE).toBe(90)
    expect(idsOf(pages)).toEqual(shopifyCustomerIds(shop.mock))
    expect(pages.map((p) => p.read)).toEqual([90, 90, 90, 77])
    expect(pages.map((p) => p.total)).toEqual([347, 347, 347, 347])
    for (const c of pages.flatMap((p) => p.customers)) expect(() => CanonicalCustomer.parse(c)).not.toThrow()
    expect(decodeShopifyCursor(pages.at(-1)!.cursor)).toMatchObject({ read: 347, done: true, count: 347 })
    expect(await readAll(shop, pages.at(-1)!.cursor)).toEqual([])
    // one count, four pages, and the follow-up queries of customers with more than five addresses
    const many = shop.mock.customers.filter((c) => c.addresses.length > 5).length
    expect(many).toBeGreaterThan(0)
    expect(shop.mock.state.queries).toBe(1 + 4 + many)
    // Shopify charges a page by what it asks for (first: 90), the short last page too
    expect(shop.mock.state.costs.filter((c) => c === pageCost(90))).toHaveLength(4)
  })

  it('brings every address of a customer with more than a page holds', async () => {
    const shop = await testShopifyShop({ count: 347 })
    const customers = (await readAll(shop)).flatMap((p) => p.customers)
    for (const record of shop.mock.customers.filter((c) => c.addresses.length > 5)) {
      const got = customers.find((c) => c.sourceId === String(record.id))!
      expect(got.addresses).toHaveLength(record.addresses.length)
      expect(got.addresses.filter((a) => a.isDefaultBilling)).toHaveLength(1)
    }
  })

  it('reads the legacy shpat_ token over a real socket', async () => {
    const shop = await testShopifyShop({ count: 200, overHttp: true })
    try {
      const pages = await readAll(shop, null, shopifyConnector, shop.http, shop.legacyCredentials)
      expect(idsOf(pages)).toEqual(shopifyCustomerIds(shop.mock))
      expect(shop.mock.state.grants).toBe(0)
    } finally {
      await shop.close()
    }
  })

  it('resumes from any page exactly, without counting again', async () => {
    const shop = await testShopifyShop({ count: 347 })
    const full = await readAll(shop)
    for (let k = 0; k < full.length - 1; k++) {
      const before = shop.mock.state.queries
      const tail = await readAll(shop, full[k]!.cursor)
      expect([...idsOf(full.slice(0, k + 1)), ...idsOf(tail)]).toEqual(idsOf(full))
      expect(decodeShopifyCursor(tail.at(-1)!.cursor).read).toBe(347)
      expect(tail[0]!.total).toBe(347)
      // no customersCount on a resume: pages and follow-ups only
      expect(shop.mock.state.queries - before).toBeGreaterThanOrEqual(tail.length)
    }
  })

  it('reads a registration mid-fetch once, at the end; a deletion shifts nothing', async () => {
    const shop = await testShopifyShop({ count: 347 })
    const before = shopifyCustomerIds(shop.mock)
    let added = ''
    let deleted = ''
    const pages = await readChanging(shop, (n) => {
      if (n !== 1) return
      added = shop.mock.registerCustomer()
      // someone already read disappears, and someone not read yet
      deleted = before[200]!
      shop.mock.deleteCustomer(before[10]!)
      shop.mock.deleteCustomer(deleted)
    })
    const ids = idsOf(pages)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual([...before.filter((id) => id !== deleted), added])
  })

  it('honours pageSize and countOnRead: false', async () => {
    const shop = await testShopifyShop({ count: 120 })
    const pages = await readAll(shop, null, createShopifyConnector({ pageSize: 50, countOnRead: false }))
    expect(pages.map((p) => p.read)).toEqual([50, 50, 20])
    expect(pages.map((p) => p.total)).toEqual([null, null, 120])
  })

  it('maps tags as groups only when asked', async () => {
    const shop = await testShopifyShop({ count: 200 })
    const plain = (await readAll(shop)).flatMap((p) => p.customers)
    expect(plain.every((c) => c.group === '')).toBe(true)
    const grouped = (await readAll(shop, null, createShopifyConnector({ tagsAsGroup: ['VIP', 'Hurt'] }))).flatMap((p) => p.customers)
    expect(new Set(grouped.map((c) => c.group))).toEqual(new Set(['', 'VIP', 'Hurt']))
  })
})

describe('shopify connector: the cost bucket', () => {
  it('paces by the bucket on the fake clock, never THROTTLED, and prints the wait of a 500-customer demo fetch', async () => {
    const shop = await testShopifyShop({ customers: generateShopifyDemoData({ count: 500, seed: 2026 }) })
    const pages = await readAll(shop)
    expect(idsOf(pages)).toHaveLength(500)
    const waits = waitsOf(shop)
    const total = waits.reduce((s, ms) => s + ms, 0)
    expect(shop.mock.state.throttled).toBe(0)
    expect(total).toBe(shop.time.sleeps.reduce((s, ms) => s + ms, 0))
    expect(total).toBeGreaterThan(0)
    // never more than the shortfall a page can have: its whole cost at the restore rate
    for (const ms of waits) expect(ms).toBeLessThanOrEqual((pageCost(SHOPIFY_PAGE_SIZE) / STANDARD_BUCKET.restoreRate) * 1000)
    console.log(
      `\nShopify demo fetch: 500 customers in ${pages.length} pages, ${shop.mock.state.queries} queries, ${waits.length} cost waits = ${total} ms ` +
        `(${(total / 1000).toFixed(1)} s) on the fake clock (bucket ${STANDARD_BUCKET.maximumAvailable} points, ${STANDARD_BUCKET.restoreRate}/s)\n`,
    )
  })

  it('waits out a THROTTLED answer for exactly (requested − available) / restoreRate', async () => {
    const shop = await testShopifyShop({ count: 347 })
    const pages = await readChanging(shop, (n) => n === 1 && shop.mock.throttleNext(1, 7))
    expect(idsOf(pages)).toHaveLength(347)
    expect(shop.mock.state.throttled).toBe(1)
    expect(waitsOf(shop)).toContain(7_000)
    expect(shop.events.filter((e) => e.type === 'retry')).toHaveLength(0)
  })

  it('asks for fewer customers when Shopify finds a page too dear (MAX_COST_EXCEEDED)', async () => {
    const shop = await testShopifyShop({ count: 300 })
    const pages = await readAll(shop, null, createShopifyConnector({ pageSize: 250 }))
    expect(idsOf(pages)).toEqual(shopifyCustomerIds(shop.mock))
    expect(shop.mock.state.refused.MAX_COST_EXCEEDED).toBe(1)
    expect(pages.map((p) => p.read)).toEqual([90, 90, 90, 30])
  })

  it('fits the page to a bucket smaller than a page (limits Shopify lowered)', async () => {
    const shop = await testShopifyShop({ count: 120, bucket: { maximumAvailable: 500, restoreRate: 25 } })
    const pages = await readAll(shop)
    expect(idsOf(pages)).toHaveLength(120)
    expect(pages.map((p) => p.read)).toEqual([45, 45, 30])
    expect(shop.mock.state.throttled).toBe(0)
  })

  it('fails the read with SOURCE_API_ACCESS_DENIED for an app without read_customers, before any page', async () => {
    const shop = await testShopifyShop({ count: 30 })
    const error = await readAll(shop, null, shopifyConnector, shop.http, shop.withApp(NO_CUSTOMERS_CLIENT_ID, NO_CUSTOMERS_CLIENT_SECRET)).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'SOURCE_API_ACCESS_DENIED' })
    expect(shop.mock.state.refused.ACCESS_DENIED).toBe(1)
  })
})

describe('shopify connector: check', () => {
  it('answers the shop name and the customer count', async () => {
    const shop = await testShopifyShop({ count: 40 })
    expect(await shopifyConnector.check(shop.credentials, shop.http)).toEqual({ ok: true, shopName: 'Sklep Testowy', customerCount: 40 })
    expect(await shopifyConnector.check(shop.legacyCredentials, shop.http)).toEqual({ ok: true, shopName: 'Sklep Testowy', customerCount: 40 })
  })

  it('answers SOURCE_NOT_A_SHOP for an API version Shopify does not serve (404 Not Found)', async () => {
    const shop = await testShopifyShop({ count: 5, versions: ['2026-07'] })
    const r = await shopifyConnector.check(shop.credentials, shop.http)
    expect(r).toEqual({ ok: false, error: { code: 'SOURCE_NOT_A_SHOP', message: connectionErrorText('shopify', 'SOURCE_NOT_A_SHOP').pl } })
    expect(shop.mock.state.refused.not_found_version).toBe(1)
  })

  it('answers within its deadline when the shop hangs', async () => {
    const shop = await testShopifyShop({ count: 5, faults: { slowEvery: 1, slowMs: 60_000 } })
    const started = performance.now()
    const r = await createShopifyConnector({ checkTimeoutMs: 300 }).check(shop.credentials, { ...shop.http, sleep: undefined, requestTimeoutMs: 10_000 })
    expect(r).toMatchObject({ ok: false, error: { code: 'SOURCE_TIMEOUT' } })
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})
