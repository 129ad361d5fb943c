/** Shoper-specific connector behaviour beyond the shared suite: counts, inserts, the check's answers. */
import { describe, expect, it } from 'vitest'
import { CONNECTION_ERROR_MESSAGES } from '@cm/contracts'
import type { CustomerPage } from '../connector.ts'
import { createShoperConnector, decodeShoperCursor, shoperConnector } from './shoper.connector.ts'
import { generateShoperDemoData, shoperDemoProblemCount } from './shoper.demo-data.ts'
import type { ShoperDataset } from './shoper.types.ts'
import { testShop, type TestShop } from './shoper.testing.ts'

async function readPages(shop: TestShop, cursor: string | null = null): Promise<CustomerPage[]> {
  const pages: CustomerPage[] = []
  for await (const p of shoperConnector.pages(shop.credentials, cursor, shop.http)) pages.push(p)
  return pages
}

const sum = (pages: CustomerPage[], key: 'guest' | 'newsletter_only' | 'invalid_record') =>
  pages.reduce((s, p) => s + (p.leftOut[key] ?? 0), 0)

/** active subscribers whose e-mail no user has (case-insensitive) */
function newsletterOnly(data: ShoperDataset): number {
  const emails = new Set(data.users.map((u) => u.email.toLowerCase()))
  return data.subscribers.filter((s) => s.active === '1' && !emails.has(s.email.toLowerCase())).length
}

describe('shoper connector: pages', () => {
  it('leaves out guests and counts newsletter-only subscribers on a final page', async () => {
    const shop = await testShop({ count: 240, seed: 11 })
    const pages = await readPages(shop)
    const last = pages.at(-1)!
    expect(last.customers).toEqual([])
    expect(last.leftOut).toEqual({ newsletter_only: newsletterOnly(shop.mock.data) })
    expect(sum(pages, 'guest')).toBe(shoperDemoProblemCount(240, 'guest'))
    expect(last.total).toBe(240)
    expect(sum(pages, 'newsletter_only')).toBe(newsletterOnly(shop.mock.data))
    expect(pages.reduce((s, p) => s + p.read, 0)).toBe(last.total)
    expect(decodeShoperCursor(last.cursor).done).toBe(true)
  })

  it('counts a subscriber shared by users on different pages once', async () => {
    const data = generateShoperDemoData({ count: 60, seed: 3 })
    for (const s of data.subscribers) s.active = '0'
    const first = data.users[2]!
    data.users[54]!.email = first.email.toUpperCase() // same person, second account, page 2
    data.subscribers.push(
      { subscriber_id: '900', email: first.email, active: '1', dateadd: '2024-01-01 10:00:00', lang_id: '1', groups: [] },
      { subscriber_id: '901', email: 'tylko.newsletter@example.com', active: '1', dateadd: '2024-01-01 10:00:00', lang_id: '1', groups: [] },
    )
    const shop = await testShop({ data })
    const pages = await readPages(shop)
    expect(pages.at(-1)!.leftOut).toEqual({ newsletter_only: 1 })
    const both = pages.flatMap((p) => p.customers).filter((c) => c.email.toLowerCase() === first.email.toLowerCase())
    expect(both.map((c) => c.consents.length)).toEqual(first.registered === '1' ? [1, 1] : [1])
  })

  it('picks up users added while the read runs (keyset, not page numbers)', async () => {
    const shop = await testShop({ count: 120 })
    const ids: string[] = []
    let inserted = false
    for await (const p of shoperConnector.pages(shop.credentials, null, shop.http)) {
      ids.push(...p.customers.map((c) => c.sourceId))
      if (!inserted) {
        inserted = true
        const template = shop.mock.data.users.find((u) => u.registered === '1')!
        shop.mock.data.users.push({ ...template, user_id: '121', email: 'nowy.klient@example.com' })
        // and one deleted from a page not read yet: nothing shifts
        shop.mock.data.users.splice(shop.mock.data.users.findIndex((u) => u.user_id === '70'), 1)
      }
    }
    expect(ids).toContain('121')
    expect(ids).not.toContain('70')
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('an empty shop yields just the final page', async () => {
    const shop = await testShop({ data: { users: [], addresses: [], subscribers: [], userGroups: [], languages: [] } })
    const pages = await readPages(shop)
    expect(pages).toHaveLength(1)
    expect(pages[0]).toMatchObject({ customers: [], read: 0, leftOut: { newsletter_only: 0 }, total: 0 })
  })

  it('maps groups, languages and consents through the lookups', async () => {
    const shop = await testShop({ count: 200 })
    const customers = (await readPages(shop)).flatMap((p) => p.customers)
    expect(new Set(customers.map((c) => c.language))).toEqual(new Set(['pl', 'en']))
    expect(customers.some((c) => c.group === 'Hurtownicy')).toBe(true)
    expect(customers.some((c) => c.consents.length === 1)).toBe(true)
  })

  it('refuses a cursor that is not its own', async () => {
    const shop = await testShop()
    await expect(readPages(shop, '{"page":3}')).rejects.toThrow(/cursor/)
  })
})

describe('shoper connector: check', () => {
  it('answers the customer count and the host as shop name', async () => {
    const shop = await testShop({ count: 42 })
    expect(await shoperConnector.check(shop.credentials, shop.http)).toEqual({
      ok: true,
      shopName: 'sklep-testowy.shoparena.pl',
      customerCount: 42,
    })
  })

  it.each([
    ['SOURCE_API_ACCESS_DENIED', { apiAccess: false }],
    ['SOURCE_SERVER_ERROR', { faults: { status500Every: 1 } }],
  ] as const)('answers %s with its Polish message', async (code, opts) => {
    const shop = await testShop(opts)
    expect(await shoperConnector.check(shop.credentials, shop.http)).toEqual({
      ok: false,
      error: { code, message: CONNECTION_ERROR_MESSAGES[code].pl },
    })
  })

  it('answers SOURCE_NOT_A_SHOP for a site that is no Shoper shop', async () => {
    const shop = await testShop()
    const r = await shoperConnector.check({ ...shop.credentials, domain: `${shop.credentials.domain}/blog` }, shop.http)
    expect(r).toMatchObject({ ok: false, error: { code: 'SOURCE_NOT_A_SHOP' } })
  })

  it('answers within its deadline even when the source never does', async () => {
    const shop = await testShop({ http: { fetch: () => new Promise<Response>(() => {}), requestTimeoutMs: 60_000 } })
    const started = performance.now()
    const r = await createShoperConnector({ checkTimeoutMs: 100 }).check(shop.credentials, shop.http)
    expect(r).toEqual({ ok: false, error: { code: 'SOURCE_TIMEOUT', message: CONNECTION_ERROR_MESSAGES.SOURCE_TIMEOUT.pl } })
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})
