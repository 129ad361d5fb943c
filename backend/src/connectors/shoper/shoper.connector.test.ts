/** Shoper-specific connector behaviour beyond the shared suite: counts, inserts, the check's answers. */
import { describe, expect, it } from 'vitest'
import { CONNECTION_ERROR_MESSAGES } from '@cm/contracts'
import { SourceError, type CustomerPage } from '../connector.ts'
import { createShoperConnector, decodeShoperCursor, RANGE_REREADS, shoperConnector } from './shoper.connector.ts'
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
        // and one deleted from a page not read yet (the connector reads one page ahead: page 3): nothing shifts
        shop.mock.data.users.splice(shop.mock.data.users.findIndex((u) => u.user_id === '110'), 1)
      }
    }
    expect(ids).toContain('121')
    expect(ids).not.toContain('110')
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

describe('shoper connector: a shop whose pages repeat, skip or change', () => {
  const registered = (shop: TestShop) => shop.mock.data.users.filter((u) => u.registered === '1').map((u) => u.user_id)
  const idsOf = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))

  it('drops users a page sends again: each customer once, reads counted once', async () => {
    const shop = await testShop({ count: 180, faults: { repeatUsers: 9 } })
    const pages = await readPages(shop)
    expect(idsOf(pages)).toEqual(registered(shop))
    expect(shop.mock.state.repeated).toBeGreaterThan(0)
    expect(pages.reduce((s, p) => s + p.read, 0)).toBe(180)
    expect(pages.at(-1)!.total).toBe(180)
  })

  it('notices users a page left out (its count says more) and reads their range again', async () => {
    const shop = await testShop({ count: 180, faults: { skipUsers: 4, skipUsersPages: 2 } })
    const pages = await readPages(shop)
    expect(shop.mock.state.skipped).toBe(8)
    expect(idsOf(pages)).toEqual(registered(shop))
    expect(pages.reduce((s, p) => s + p.read, 0)).toBe(180)
  })

  it('a shop that keeps leaving users out fails SOURCE_INCONSISTENT before the short page; its cursor resumes exactly', async () => {
    const shop = await testShop({ count: 180 })
    const got: CustomerPage[] = []
    let error: unknown
    try {
      for await (const p of shoperConnector.pages(shop.credentials, null, shop.http)) {
        got.push(p)
        shop.mock.setFaults({ skipUsers: 4 })
      }
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({ code: 'SOURCE_INCONSISTENT', retryable: false, message: expect.stringMatching(/sent only/) })
    expect(got.length).toBeGreaterThan(0)
    // what was handed out is a gapless head of the shop's customers
    const head = idsOf(got)
    expect(head).toEqual(registered(shop).slice(0, head.length))
    shop.mock.setFaults({})
    const tail = idsOf(await readPages(shop, got.at(-1)!.cursor))
    expect([...head, ...tail]).toEqual(registered(shop))
    expect(RANGE_REREADS).toBeGreaterThan(1)
  })

  it('users deleted after a page was counted are no gap: the range is checked once and the read goes on', async () => {
    const shop = await testShop({ count: 180, faults: { deleteUsersPerPage: 3, addUsersPerPage: 1 } })
    const pages = await readPages(shop)
    expect(shop.mock.state.deleted).toBeGreaterThan(0)
    expect(idsOf(pages)).toEqual(registered(shop))
    const read = pages.reduce((s, p) => s + p.read, 0)
    expect(read).toBe(shop.mock.data.users.length)
    expect(pages.at(-1)!.total).toBe(read)
  })

  it('a shop that counts users after the cursor but sends none fails SOURCE_INCONSISTENT', async () => {
    const shop = await testShop({ count: 20 })
    const lying = async (url: string, init?: RequestInit) => {
      const res = await shop.mock.fetch(new Request(url, init))
      if (!url.includes('/users?') || !url.includes('%3E')) return res
      const body = (await res.json()) as { count: string }
      return Response.json({ ...body, count: String(Number(body.count) + 5), list: [] }, { headers: res.headers })
    }
    const e = await readPages({ ...shop, http: { ...shop.http, fetch: lying } }).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toMatchObject({ code: 'SOURCE_INCONSISTENT' })
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
