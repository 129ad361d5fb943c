/** Magento-specific connector behaviour beyond the shared suite: keyset pages, totals, changes mid-fetch, lookups, the check. */
import { describe, expect, it } from 'vitest'
import type { CustomerPage, SourceHttpOptions } from '../connector.ts'
import { createMagento2Connector, decodeMagento2Cursor, magento2Connector } from './magento2.connector.ts'
import { generateMagentoDemoData } from './magento2.demo-data.ts'
import { MAGENTO_PAGE_SIZE } from './magento2.reads.ts'
import { magentoCustomerIds, NO_CUSTOMERS_INTEGRATION, testMagentoShop, type MagentoTestShop } from './magento2.testing.ts'

async function readPages(shop: MagentoTestShop, cursor: string | null = null, http: SourceHttpOptions = shop.http): Promise<CustomerPage[]> {
  const pages: CustomerPage[] = []
  for await (const p of magento2Connector.pages(shop.credentials, cursor, http)) pages.push(p)
  return pages
}
const ids = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))
const searches = (shop: MagentoTestShop) => shop.mock.state.byRoute['GET /V1/customers/search'] ?? 0

describe('magento2 connector: pages', () => {
  it('reads every customer once by keyset pages of 100 and stops on total_count', async () => {
    const shop = await testMagentoShop({ count: 347, seed: 3 })
    const pages = await readPages(shop)
    expect(ids(pages)).toEqual(magentoCustomerIds(shop.mock))
    expect(pages.map((p) => p.read)).toEqual([100, 100, 100, 47])
    // read so far + what the shop still counts after lastId: the whole shop on every page
    expect(pages.map((p) => p.total)).toEqual([347, 347, 347, 347])
    expect(decodeMagento2Cursor(pages.at(-1)!.cursor)).toEqual({ v: 1, platform: 'magento2', lastId: Math.max(...shop.mock.data.customers.map((c) => c.id)), read: 347, done: true, base: 'rest' })
    // four pages, four searches: the page after the last is never asked for
    expect(searches(shop)).toBe(4)
    expect(pages.every((p) => Object.keys(p.leftOut).length === 0)).toBe(true)
  })

  it('a shop of exactly three full pages: three searches, nobody twice (Magento would serve page 3 again as page 4)', async () => {
    const shop = await testMagentoShop({ count: MAGENTO_PAGE_SIZE * 3 })
    const pages = await readPages(shop)
    expect(pages.map((p) => p.read)).toEqual([100, 100, 100])
    expect(new Set(ids(pages)).size).toBe(300)
    expect(searches(shop)).toBe(3)
    expect(decodeMagento2Cursor(pages.at(-1)!.cursor).done).toBe(true)
    expect(await readPages(shop, pages.at(-1)!.cursor)).toEqual([])
  })

  it('reads the groups and the store views once per fetch (and once more on a resume)', async () => {
    const shop = await testMagentoShop({ count: 250 })
    const pages = await readPages(shop)
    const by = shop.mock.state.byRoute
    expect([by['GET /V1/customerGroups/search'], by['GET /V1/store/storeConfigs']]).toEqual([1, 1])
    await readPages(shop, pages[0]!.cursor)
    expect([by['GET /V1/customerGroups/search'], by['GET /V1/store/storeConfigs']]).toEqual([2, 2])
    expect(shop.mock.state.requests).toBe(2 + 3 + 2 + 2)
    const customers = pages.flatMap((p) => p.customers)
    expect(new Set(customers.map((c) => c.group))).toEqual(new Set(['General', 'Wholesale', 'Klienci VIP']))
    expect(new Set(customers.map((c) => c.language))).toEqual(new Set(['pl', 'en']))
  })

  it('resumes from every cursor with the rest: no gap, no double', async () => {
    const shop = await testMagentoShop({ count: 230 })
    const full = await readPages(shop)
    for (let k = 0; k < full.length; k++) {
      const rest = await readPages(shop, full[k]!.cursor)
      expect([...ids(full.slice(0, k + 1)), ...ids(rest)]).toEqual(ids(full))
    }
  })

  it('loses and doubles nobody when customers register and are deleted mid-fetch', async () => {
    const shop = await testMagentoShop({ count: 300, seed: 9 })
    const live = magentoCustomerIds(shop.mock)
    const pages: CustomerPage[] = []
    const changed = { added: [] as string[], gone: '', early: '' }
    for await (const p of magento2Connector.pages(shop.credentials, null, shop.http)) {
      pages.push(p)
      if (pages.length === 1) {
        changed.gone = live[250]!
        changed.early = live[10]!
        shop.mock.deleteCustomer(Number(changed.gone))
        shop.mock.deleteCustomer(Number(changed.early)) // already handed out: stays in the file
        changed.added.push(shop.mock.registerCustomer(), shop.mock.registerCustomer())
      }
    }
    const got = ids(pages)
    expect(new Set(got).size).toBe(got.length)
    expect(got).toEqual([...live.filter((id) => id !== changed.gone), ...changed.added])
    // the totals follow the shop: 300 at first, then what was read plus what the shop still counts
    expect(pages[0]!.total).toBe(300)
    expect(pages.at(-1)!.total).toBe(pages.reduce((s, p) => s + p.read, 0))
  })

  it('an empty shop yields one empty last page; its check counts 0', async () => {
    const shop = await testMagentoShop({ data: generateMagentoDemoData({ count: 0, seed: 1 }) })
    expect(await readPages(shop)).toEqual([{ customers: [], read: 0, leftOut: {}, cursor: expect.any(String), total: 0 }])
    expect(await magento2Connector.check(shop.credentials, shop.http)).toMatchObject({ ok: true, customerCount: 0 })
  })

  it('reads on without group names and languages when the integration may not read groups or stores', async () => {
    const shop = await testMagentoShop({ count: 30 })
    shop.mock.integrations[0] = { ...shop.mock.integrations[0]!, resources: ['Magento_Customer::customer'] }
    const customers = (await readPages(shop)).flatMap((p) => p.customers)
    expect(customers).toHaveLength(30)
    expect(customers.every((c) => c.group === '' && c.language === '')).toBe(true)
  })

  it('reads through /index.php/rest where /rest is not rewritten, and resumes there without probing', async () => {
    const shop = await testMagentoShop({ count: 150, rewrites: false })
    const pages = await readPages(shop)
    expect(ids(pages)).toEqual(magentoCustomerIds(shop.mock))
    expect(decodeMagento2Cursor(pages[0]!.cursor).base).toBe('index.php')
    const before = shop.mock.state.requests
    await readPages(shop, pages[0]!.cursor)
    // 2 lookups + 1 page, straight to /index.php/rest
    expect(shop.mock.state.requests - before).toBe(3)
  })

  it('works on a shop that allows Bearer too, still signing', async () => {
    const shop = await testMagentoShop({ count: 120, bearerEnabled: true })
    expect(ids(await readPages(shop))).toHaveLength(120)
    expect(shop.mock.state.byAuth.bearer).toBe(0)
  })

  it('stops with SOURCE_INCONSISTENT when the shop ignores the entity_id filter (it would repeat customers forever)', async () => {
    const shop = await testMagentoShop({ count: 150 })
    let first: string | null = null
    // a proxy or extension serving the first page's answer to every search
    const http: SourceHttpOptions = {
      ...shop.http,
      fetch: async (url, init) => {
        const res = await shop.http.fetch(url, init)
        if (!url.includes('/customers/search')) return res
        first ??= await res.text()
        return new Response(first, { status: 200, headers: { 'content-type': 'application/json' } })
      },
    }
    await expect(readPages(shop, null, http)).rejects.toMatchObject({ code: 'SOURCE_INCONSISTENT' })
  })

  it('stops with SOURCE_INCONSISTENT when the shop counts customers it does not send', async () => {
    const shop = await testMagentoShop({ count: 20 })
    const http: SourceHttpOptions = {
      ...shop.http,
      fetch: async (url, init) => {
        const res = await shop.http.fetch(url, init)
        return url.includes('/customers/search') ? new Response('{"items":[],"total_count":5}', { status: 200 }) : res
      },
    }
    await expect(readPages(shop, null, http)).rejects.toMatchObject({ code: 'SOURCE_INCONSISTENT' })
  })

  it('fails the read with the integration’s code; refuses a cursor that is not its own', async () => {
    const shop = await testMagentoShop({ count: 10 })
    await expect(readPages({ ...shop, credentials: shop.withIntegration(NO_CUSTOMERS_INTEGRATION) })).rejects.toMatchObject({ code: 'SOURCE_API_ACCESS_DENIED' })
    await expect(readPages(shop, '{"v":1,"lastId":3,"read":3,"done":false}')).rejects.toThrow(/cursor/)
  })
})

describe('magento2 connector: check', () => {
  it('one signed search: the count and the host', async () => {
    const shop = await testMagentoShop({ count: 347 })
    expect(await magento2Connector.check(shop.credentials, shop.http)).toEqual({ ok: true, shopName: 'sklep-magento.example.pl', customerCount: 347 })
    expect(shop.mock.state.requests).toBe(1)
  })

  it('answers in Magento’s words for each kind of bad credentials', async () => {
    const shop = await testMagentoShop({ count: 5 })
    const wrongSecret = await magento2Connector.check({ ...shop.credentials, consumerSecret: 'w'.repeat(32) }, shop.http)
    expect(wrongSecret).toMatchObject({ ok: false, error: { code: 'SOURCE_AUTH_FAILED', message: expect.stringContaining('Magento nie przyjął podpisu') } })
    const denied = await magento2Connector.check(shop.withIntegration(NO_CUSTOMERS_INTEGRATION), shop.http)
    expect(denied).toMatchObject({ ok: false, error: { code: 'SOURCE_API_ACCESS_DENIED', message: expect.stringContaining('Magento_Customer::customer') } })
  })

  it('answers SOURCE_TIMEOUT within its deadline when the shop does not answer', async () => {
    const shop = await testMagentoShop({ faults: { slowEvery: 1, slowMs: 10_000 } })
    const started = performance.now()
    const r = await createMagento2Connector({ checkTimeoutMs: 300 }).check(shop.credentials, shop.http)
    expect(r).toMatchObject({ ok: false, error: { code: 'SOURCE_TIMEOUT' } })
    expect(performance.now() - started).toBeLessThan(1_500)
  })

  it('answers SOURCE_NOT_A_SHOP for a site without Magento’s REST API', async () => {
    const shop = await testMagentoShop({ count: 5 })
    const http: SourceHttpOptions = { ...shop.http, fetch: async () => new Response('<!DOCTYPE html><html><body>Sklep</body></html>', { status: 404, headers: { 'content-type': 'text/html' } }) }
    expect(await magento2Connector.check(shop.credentials, http)).toMatchObject({ ok: false, error: { code: 'SOURCE_NOT_A_SHOP' } })
  })
})
