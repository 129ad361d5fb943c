/** PrestaShop-specific connector behaviour beyond the shared suite: counts, changes mid-fetch, lookups, the check. */
import { describe, expect, it } from 'vitest'
import { SourceError, type CustomerPage, type SourceHttpOptions } from '../connector.ts'
import { createPrestaShopConnector, decodePrestaShopCursor, prestashopConnector } from './prestashop.connector.ts'
import { generatePrestaShopDemoData, prestashopDemoProblemCount } from './prestashop.demo-data.ts'
import { PRESTASHOP_PAGE_SIZE } from './prestashop.reads.ts'
import { expectedCustomerIds, testPrestaShop, type TestPrestaShop } from './prestashop.testing.ts'

async function readPages(shop: TestPrestaShop, cursor: string | null = null, http: SourceHttpOptions = shop.http): Promise<CustomerPage[]> {
  const pages: CustomerPage[] = []
  for await (const p of prestashopConnector.pages(shop.credentials, cursor, http)) pages.push(p)
  return pages
}
const ids = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))
const sum = (pages: CustomerPage[], key: 'guest' | 'deleted' | 'deleted_address') => pages.reduce((s, p) => s + (p.leftOut[key] ?? 0), 0)

describe('prestashop connector: pages', () => {
  it('reads every customer once by keyset pages of 100, leaving out and counting guests, deleted customers and deleted addresses', async () => {
    const n = 347
    const shop = await testPrestaShop({ count: n, seed: 3 })
    const pages = await readPages(shop)
    expect(ids(pages)).toEqual(expectedCustomerIds(shop.mock.data))
    expect(pages.map((p) => p.read)).toEqual([100, 100, 100, 47])
    expect(sum(pages, 'guest')).toBe(prestashopDemoProblemCount(n, 'guest') + prestashopDemoProblemCount(n, 'guestSharingEmail'))
    expect(sum(pages, 'deleted')).toBe(prestashopDemoProblemCount(n, 'deleted'))
    expect(sum(pages, 'deleted_address')).toBe(prestashopDemoProblemCount(n, 'deletedAddress'))
    // the count taken at the start is the progress total; the last page says what was read
    expect(pages.map((p) => p.total)).toEqual([n, n, n, n])
    const last = decodePrestaShopCursor(pages.at(-1)!.cursor)
    expect(last).toMatchObject({ done: true, read: n, count: n, lastId: Math.max(...shop.mock.data.customers.map((c) => c.id)), base: 'api' })
  })

  it('reads the shop’s lookups once per fetch and addresses in chunks of the page’s ids', async () => {
    const shop = await testPrestaShop({ count: 250 })
    const pages = await readPages(shop)
    const by = shop.mock.state.byResource
    expect([by.countries, by.languages, by.groups]).toEqual([1, 1, 1])
    // only customers that are moved have their addresses read, ≤ 50 ids a request
    expect(by.addresses).toBe(pages.reduce((s, p) => s + Math.ceil(p.customers.length / 50), 0))
    expect(by.addresses).toBe(5)
    // the count: ~2·log2(250) one-id requests, then 3 pages
    expect(by.customers).toBeLessThanOrEqual(3 + 2 * Math.ceil(Math.log2(250)) + 1)
  })

  it('resumes from every cursor with the rest: no gap, no double', async () => {
    const shop = await testPrestaShop({ count: 230, jsonTypes: 'numbers' })
    const full = await readPages(shop)
    for (let k = 0; k < full.length; k++) {
      const rest = await readPages(shop, full[k]!.cursor)
      expect([...ids(full.slice(0, k + 1)), ...ids(rest)]).toEqual(ids(full))
    }
  })

  it('loses and doubles nobody when customers register and are deleted mid-fetch', async () => {
    const shop = await testPrestaShop({ count: 300, seed: 9 })
    const live = expectedCustomerIds(shop.mock.data)
    const pages: CustomerPage[] = []
    const changed = { added: [] as string[], gone: '', soft: '', early: '' }
    for await (const p of prestashopConnector.pages(shop.credentials, null, shop.http)) {
      pages.push(p)
      if (pages.length === 1) {
        changed.gone = live[250]!
        changed.soft = live[200]!
        changed.early = live[10]!
        shop.mock.deleteCustomer(Number(changed.gone))
        shop.mock.deleteCustomer(Number(changed.soft), true)
        shop.mock.deleteCustomer(Number(changed.early)) // already handed out: stays in the file
        changed.added.push(shop.mock.registerCustomer(), shop.mock.registerCustomer())
      }
    }
    const got = ids(pages)
    expect(new Set(got).size).toBe(got.length)
    expect(got).toEqual([...live.filter((id) => id !== changed.gone && id !== changed.soft), ...changed.added])
    expect(sum(pages, 'deleted')).toBe(prestashopDemoProblemCount(300, 'deleted') + 1)
    expect(pages.at(-1)!.total).toBe(pages.reduce((s, p) => s + p.read, 0))
  })

  it('an empty shop yields one empty last page', async () => {
    const data = generatePrestaShopDemoData({ count: 0, seed: 1 })
    const shop = await testPrestaShop({ data })
    const pages = await readPages(shop)
    expect(pages).toEqual([{ customers: [], read: 0, leftOut: {}, cursor: expect.any(String), total: 0 }])
    expect(await prestashopConnector.check(shop.credentials, shop.http)).toMatchObject({ ok: true, customerCount: 0 })
  })

  it('a page that is exactly full is followed by an empty last page', async () => {
    const shop = await testPrestaShop({ count: PRESTASHOP_PAGE_SIZE * 2 })
    const pages = await readPages(shop)
    expect(pages.map((p) => p.read)).toEqual([100, 100, 0])
    expect(decodePrestaShopCursor(pages.at(-1)!.cursor).done).toBe(true)
    expect(await readPages(shop, pages.at(-1)!.cursor)).toEqual([])
  })

  it('stops with SOURCE_INCONSISTENT when the shop ignores the id filter (it would repeat customers forever)', async () => {
    const shop = await testPrestaShop({ count: 150 })
    const http: SourceHttpOptions = { ...shop.http, fetch: (url, init) => shop.http.fetch(url.replace(/&?filter%5Bid%5D=[^&]*/, ''), init) }
    await expect(readPages(shop, null, http)).rejects.toMatchObject({ code: 'SOURCE_INCONSISTENT' })
  })

  it('reads on without names when the key may not read countries, languages or groups', async () => {
    const shop = await testPrestaShop({ count: 30, keys: [{ key: 'ZK8QW3PMX7Y2RB5NTC9VJ4HD6LF1GS0A', resources: { customers: ['GET'], addresses: ['GET'] } }] })
    const customers = (await readPages(shop)).flatMap((p) => p.customers)
    expect(customers.length).toBe(expectedCustomerIds(shop.mock.data).length)
    expect(customers.every((c) => c.group === '' && c.language === '' && c.addresses.every((a) => a.countryCode === ''))).toBe(true)
  })

  it('reads through webservice/dispatcher.php when /api is not routed, and resumes there', async () => {
    const shop = await testPrestaShop({ count: 120, rewrite: false })
    const pages = await readPages(shop)
    expect(ids(pages)).toEqual(expectedCustomerIds(shop.mock.data))
    expect(decodePrestaShopCursor(pages[0]!.cursor).base).toBe('dispatcher')
    const before = shop.mock.state.requests
    await readPages(shop, pages[0]!.cursor)
    // the resume goes straight to the dispatcher: 3 lookups + 1 page of customers + 1 address chunk
    expect(shop.mock.state.requests - before).toBe(5)
  })

  it('refuses a cursor that is not its own', async () => {
    const shop = await testPrestaShop()
    await expect(readPages(shop, '{"page":3}')).rejects.toThrow(/cursor/)
  })
})

describe('prestashop connector: check', () => {
  it('counts the customers (guests and deleted included) in a few dozen one-id requests', async () => {
    const shop = await testPrestaShop({ count: 347 })
    const r = await prestashopConnector.check(shop.credentials, shop.http)
    expect(r).toEqual({ ok: true, shopName: 'sklep-testowy.example.pl', customerCount: 347 })
    expect(shop.mock.state.requests).toBeLessThanOrEqual(2 + 2 * 9 + 1)
  })

  it('answers without the count when the count cannot finish in time', async () => {
    const shop = await testPrestaShop({ count: 347, faults: { delayMs: 40 } })
    const connector = createPrestaShopConnector({ checkTimeoutMs: 1_000, countShare: 0.4 })
    const started = performance.now()
    const r = await connector.check(shop.credentials, shop.http)
    expect(r).toEqual({ ok: true, shopName: 'sklep-testowy.example.pl' })
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('answers SOURCE_TIMEOUT within its deadline when the shop does not answer', async () => {
    const shop = await testPrestaShop({ faults: { slowEvery: 1, slowMs: 10_000 }, http: { requestTimeoutMs: 5_000 } })
    const started = performance.now()
    const r = await createPrestaShopConnector({ checkTimeoutMs: 300 }).check(shop.credentials, shop.http)
    expect(r).toMatchObject({ ok: false, error: { code: 'SOURCE_TIMEOUT' } })
    expect(performance.now() - started).toBeLessThan(1_500)
  })

  it('answers SOURCE_API_ACCESS_DENIED for a key that may read customers but not addresses', async () => {
    const shop = await testPrestaShop({ keys: [{ key: 'ZK8QW3PMX7Y2RB5NTC9VJ4HD6LF1GS0A', resources: { customers: ['GET'] } }] })
    expect(await prestashopConnector.check(shop.credentials, shop.http)).toMatchObject({ ok: false, error: { code: 'SOURCE_API_ACCESS_DENIED' } })
    await expect(readPages(shop)).rejects.toBeInstanceOf(SourceError)
  })
})
