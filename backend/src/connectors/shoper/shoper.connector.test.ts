/** Shoper-specific connector behaviour beyond the shared suite: counts, inserts, the check's answers. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { CONNECTION_ERROR_MESSAGES } from '@cm/contracts'
import { SourceError, type CustomerPage } from '../connector.ts'
import { createShoperConnector, decodeShoperCursor, shoperConnector } from './shoper.connector.ts'
import { MAX_PASSES } from './shoper.pager.ts'
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

  it('picks up users added while the read runs', async () => {
    const shop = await testShop({ count: 120 })
    const ids: string[] = []
    let inserted = false
    for await (const p of shoperConnector.pages(shop.credentials, null, shop.http)) {
      ids.push(...p.customers.map((c) => c.sourceId))
      if (!inserted) {
        inserted = true
        const template = shop.mock.data.users.find((u) => u.registered === '1')!
        shop.mock.data.users.push({ ...template, user_id: '121', email: 'nowy.klient@example.com' })
        // and one deleted from a page not read yet
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

describe('shoper connector: page drift (pages read by number, the documented way)', () => {
  const registered = (shop: TestShop) => shop.mock.data.users.filter((u) => u.registered === '1').map((u) => u.user_id)
  const idsOf = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))
  const sorted = (ids: string[]) => [...ids].sort((a, b) => Number(a) - Number(b))

  it('drops users a page sends again: each customer once, reads counted once', async () => {
    const shop = await testShop({ count: 180, faults: { repeatUsers: 9 } })
    const pages = await readPages(shop)
    expect(idsOf(pages)).toEqual(registered(shop))
    expect(shop.mock.state.repeated).toBeGreaterThan(0)
    expect(pages.reduce((s, p) => s + p.read, 0)).toBe(180)
    expect(pages.at(-1)!.total).toBe(180)
  })

  it('users a page left out while counting them: a second pass by page finds them', async () => {
    const shop = await testShop({ count: 180, faults: { skipUsers: 4, skipUsersPages: 2 } })
    const pages = await readPages(shop)
    expect(shop.mock.state.skipped).toBe(8)
    expect(sorted(idsOf(pages))).toEqual(registered(shop))
    expect(new Set(idsOf(pages)).size).toBe(idsOf(pages).length)
    expect(pages.reduce((s, p) => s + p.read, 0)).toBe(180)
  })

  it(`a shop that keeps leaving users out fails SOURCE_INCONSISTENT after ${MAX_PASSES} passes; its cursor resumes without duplicates`, async () => {
    const shop = await testShop({ count: 180, faults: { skipUsers: 4 } })
    const work = { dir: mkdtempSync(path.join(tmpdir(), 'cm-shoper-test-')) }
    onTestFinished(() => rmSync(work.dir, { recursive: true, force: true }))
    const got: CustomerPage[] = []
    let error: unknown
    try {
      for await (const p of shoperConnector.pages(shop.credentials, null, shop.http, work)) got.push(p)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({ code: 'SOURCE_INCONSISTENT', retryable: false, message: expect.stringMatching(/complete reads by page/) })
    const head = idsOf(got)
    expect(new Set(head).size).toBe(head.length)
    shop.mock.setFaults({})
    const tail: string[] = []
    for await (const p of shoperConnector.pages(shop.credentials, got.at(-1)!.cursor, shop.http, work)) tail.push(...p.customers.map((c) => c.sourceId))
    expect(sorted([...head, ...tail])).toEqual(registered(shop))
    // the finished read removed its scratch table
    expect(readdirSync(work.dir)).toEqual([])
  })

  it('users deleted and added on every page: each user still there is handed out exactly once', async () => {
    const shop = await testShop({ count: 180, faults: { deleteUsersPerPage: 2, deleteReadUsersPerPage: 1, addUsersPerPage: 1 } })
    const drifts: number[] = []
    const connector = createShoperConnector({ onDrift: (d) => drifts.push(d.to - d.from) })
    const pages: CustomerPage[] = []
    for await (const p of connector.pages(shop.credentials, null, shop.http)) pages.push(p)
    expect(shop.mock.state.deleted).toBeGreaterThan(0)
    expect(drifts.length).toBeGreaterThan(0)
    const ids = idsOf(pages)
    expect(new Set(ids).size).toBe(ids.length)
    // everyone still in the shop is in the file, but users the last read requests themselves added
    // (the mock adds one on each); users deleted after they were read stay in it
    const last = Math.max(...ids.map(Number))
    for (const id of registered(shop)) if (Number(id) <= last) expect(ids).toContain(id)
  })

  /** registers a customer (with an address and a newsletter row) the way a shop's front would */
  function register(shop: TestShop, id: string) {
    const data = shop.mock.data
    const template = data.users.find((u) => u.registered === '1')!
    const email = `nowa.rejestracja.${id}@example.com`
    data.users.push({ ...template, user_id: id, email, newsletter: '0' })
    data.addresses.push({ ...data.addresses[0]!, address_book_id: `9${id}`, user_id: id, city: 'Gdynia' })
    data.subscribers.push({ subscriber_id: `9${id}`, email, active: '1', dateadd: '2025-01-01 12:00:00', lang_id: '1', groups: [] })
  }
  const unregister = (shop: TestShop, id: string) => shop.mock.data.users.splice(shop.mock.data.users.findIndex((u) => u.user_id === id), 1)

  it('a customer registering mid-fetch raises the count: noticed, read with its address and consent, once', async () => {
    const shop = await testShop({ count: 260 })
    const drifts: Array<{ page: number; from: number; to: number }> = []
    const connector = createShoperConnector({ bulk: false, onDrift: (d) => d.resource === 'users' && drifts.push({ page: d.page, from: d.from, to: d.to }) })
    const pages: CustomerPage[] = []
    for await (const p of connector.pages(shop.credentials, null, shop.http)) {
      pages.push(p)
      if (pages.length === 2) register(shop, '9001')
      // a customer on page 1 deletes the account two pages later: every later user moves one place left
      if (pages.length === 4) unregister(shop, '3')
    }
    const ids = idsOf(pages)
    expect(drifts).toEqual([
      { page: 3, from: 260, to: 261 },
      { page: 5, from: 261, to: 260 },
    ])
    expect(new Set(ids).size).toBe(ids.length)
    expect(sorted(ids)).toEqual([...registered(shop), '3'].sort((a, b) => Number(a) - Number(b)))
    const c = pages.flatMap((p) => p.customers).find((x) => x.sourceId === '9001')!
    expect(c.addresses.map((a) => a.city)).toEqual(['Gdynia'])
    expect(c.consents).toEqual([{ channel: 'email', granted: true, date: '2025-01-01T12:00:00' }])
  })

  it('a registration and a deletion between two bulk calls leave the count as it was: the boundary check notices the shift', async () => {
    const shop = await testShop({ count: 2_000, seed: 9 })
    const drifts: Array<{ page: number; from: number; to: number }> = []
    const connector = createShoperConnector({ onDrift: (d) => d.resource === 'users' && drifts.push({ page: d.page, from: d.from, to: d.to }) })
    const pages: CustomerPage[] = []
    for await (const p of connector.pages(shop.credentials, null, shop.http)) {
      pages.push(p)
      if (pages.length === 3) {
        register(shop, '9002')
        unregister(shop, '7')
      }
    }
    const ids = idsOf(pages)
    // pages 2–25 (24 and the boundary op fill one bulk call) came before; page 26 opens the next call
    expect(drifts).toEqual([{ page: 26, from: 2_000, to: 2_000 }])
    expect(new Set(ids).size).toBe(ids.length)
    expect(sorted(ids)).toEqual([...registered(shop), '7'].sort((a, b) => Number(a) - Number(b)))
  })

  it('a shop that counts users it never sends fails SOURCE_INCONSISTENT', async () => {
    const shop = await testShop({ count: 20 })
    const lying = async (url: string, init?: RequestInit) => {
      const res = await shop.mock.fetch(new Request(url, init))
      if (!url.includes('/users?') || res.status !== 200) return res
      const body = (await res.json()) as { count: string }
      return Response.json({ ...body, count: String(Number(body.count) + 5) }, { headers: res.headers })
    }
    const e = await readPages({ ...shop, http: { ...shop.http, fetch: lying } }).then(
      () => null,
      (err: unknown) => err,
    )
    expect(e).toMatchObject({ code: 'SOURCE_INCONSISTENT' })
  })
})

describe('shoper connector: bulk calls', () => {
  it('reads pages of users, addresses and subscribers in bulk calls of up to 25 operations', async () => {
    const shop = await testShop({ count: 1_400, seed: 5 })
    const pages = await readPages(shop)
    expect(pages.flatMap((p) => p.customers.map((c) => c.sourceId))).toEqual(shop.mock.data.users.filter((u) => u.registered === '1').map((u) => u.user_id))
    expect(shop.mock.state.bulkCalls).toBeGreaterThan(0)
    expect(shop.mock.state.bulkOps / shop.mock.state.bulkCalls).toBeGreaterThan(5)
    // far fewer calls than pages: 1,400 users are 28 pages on their own
    expect(shop.mock.state.requests).toBeLessThan(20)
  })

  it('a shop without bulk calls gets single calls, and the same customers', async () => {
    const shop = await testShop({ count: 300, bulk: false })
    const pages = await readPages(shop)
    expect(pages.flatMap((p) => p.customers)).toHaveLength(shop.mock.data.users.filter((u) => u.registered === '1').length)
    expect(shop.mock.state.bulkCalls).toBe(0)
  })

  it('a bulk call charged one drop per operation is paced by it: no 429', async () => {
    const shop = await testShop({ count: 3_000, bulkCharge: 'operation' })
    await readPages(shop)
    expect(shop.mock.state.bulkCalls).toBeGreaterThan(0)
    expect(shop.mock.state.throttled).toBeLessThanOrEqual(1)
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
