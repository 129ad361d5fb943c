/** The fast path: probed once, used only when proven, and a shop that ignores or refuses it still migrates. */
import { describe, expect, it, onTestFinished } from 'vitest'
import type { CustomerPage } from '../connector.ts'
import { makeTempDir, removeTempDir } from '../../testing/temp-dir.ts'
import { createShoperConnector } from './shoper.connector.ts'
import { SHOPER_LIST_PARAM_MODES, type ShoperListParamsMode } from './shoper.mock-surface.ts'
import { testShop, type TestShop } from './shoper.testing.ts'

const registered = (shop: TestShop) => shop.mock.data.users.filter((u) => u.registered === '1').map((u) => u.user_id)
const idsOf = (pages: CustomerPage[]) => pages.flatMap((p) => p.customers.map((c) => c.sourceId))
const sorted = (ids: string[]) => [...ids].sort((a, b) => Number(a) - Number(b))

async function read(shop: TestShop, o: { bulk?: boolean; cursor?: string | null; work?: { dir: string }; each?: (n: number) => void } = {}) {
  const paths: string[] = []
  const connector = createShoperConnector({ bulk: o.bulk, onPath: (p) => paths.push(p) })
  const pages: CustomerPage[] = []
  for await (const p of connector.pages(shop.credentials, o.cursor ?? null, shop.http, o.work)) {
    pages.push(p)
    o.each?.(pages.length)
  }
  return { pages, paths }
}

const EXPECTED_PATH: Record<ShoperListParamsMode, string> = { honour: 'keyset', ignore: 'pages', refuse: 'pages' }

describe('shoper connector: the keyset path is used only where the shop proves it', () => {
  for (const listParams of SHOPER_LIST_PARAM_MODES) {
    it(`${listParams}s undocumented parameters: ${EXPECTED_PATH[listParams]} path, every customer once`, async () => {
      const shop = await testShop({ count: 1_400, seed: 3, listParams })
      const { pages, paths } = await read(shop)
      expect(paths).toEqual([EXPECTED_PATH[listParams]])
      expect(idsOf(pages)).toEqual(registered(shop))
      expect(pages.reduce((s, p) => s + p.read, 0)).toBe(1_400)
      // ignore/refuse: the probe is the only undocumented request, and it did not fail the fetch
      if (listParams !== 'honour') expect(shop.mock.state.undocumented).toBe(1)
    })
  }

  it('keyset windows ride bulk calls: fewer requests than the documented path on the same shop', async () => {
    const fast = await testShop({ count: 3_000, seed: 4, listParams: 'honour' })
    const slow = await testShop({ count: 3_000, seed: 4, listParams: 'ignore' })
    await read(fast)
    await read(slow)
    expect(fast.mock.state.bulkOps).toBeGreaterThan(0)
    // the documented path pays a boundary probe per batch and the last page's re-check; the keyset none
    expect(fast.mock.state.drops).toBeLessThanOrEqual(slow.mock.state.drops)
  })

  it('without bulk calls: single `user_id >` reads, one per 50 users', async () => {
    const shop = await testShop({ count: 500, listParams: 'honour', bulk: false })
    const { pages, paths } = await read(shop)
    expect(paths).toEqual(['keyset'])
    expect(idsOf(pages)).toEqual(registered(shop))
    expect(shop.mock.state.bulkCalls).toBe(0)
  })

  it('a customer registering mid-fetch is read once, with its address', async () => {
    const shop = await testShop({ count: 400, listParams: 'honour', bulk: false })
    const { pages } = await read(shop, {
      each: (n) => {
        if (n !== 2) return
        const data = shop.mock.data
        const template = data.users.find((u) => u.registered === '1')!
        data.users.push({ ...template, user_id: '9001', email: 'nowa@example.com' })
        data.addresses.push({ ...data.addresses[0]!, address_book_id: '99001', user_id: '9001', city: 'Gdynia' })
        shop.mock.data.users.splice(shop.mock.data.users.findIndex((u) => u.user_id === '3'), 1)
      },
    })
    const ids = idsOf(pages)
    expect(new Set(ids).size).toBe(ids.length)
    expect(sorted(ids)).toEqual(sorted([...registered(shop), '3']))
    expect(pages.flatMap((p) => p.customers).find((c) => c.sourceId === '9001')!.addresses.map((a) => a.city)).toEqual(['Gdynia'])
  })

  it('ids with a gap wider than a bulk call of windows: jumped over, nobody missed', async () => {
    const shop = await testShop({ count: 300, listParams: 'honour' })
    // users 201–300 become 50,001–50,100 (their addresses follow)
    for (const u of shop.mock.data.users) if (Number(u.user_id) > 200) u.user_id = String(Number(u.user_id) + 49_800)
    for (const a of shop.mock.data.addresses) if (Number(a.user_id) > 200) a.user_id = String(Number(a.user_id) + 49_800)
    const { pages } = await read(shop)
    expect(idsOf(pages)).toEqual(registered(shop))
  })

  it('a keyset cursor resumes without its scratch: nobody twice', async () => {
    const shop = await testShop({ count: 900, listParams: 'honour', bulk: false })
    const work = { dir: makeTempDir('cm-shoper-keyset-') }
    onTestFinished(() => removeTempDir(work.dir))
    const head: CustomerPage[] = []
    const connector = createShoperConnector({ bulk: false })
    for await (const p of connector.pages(shop.credentials, null, shop.http, work)) {
      head.push(p)
      if (head.length === 6) break
    }
    expect(JSON.parse(head.at(-1)!.cursor)).toMatchObject({ mode: 'keyset' })
    removeTempDir(work.dir)
    const tail = await read(shop, { cursor: head.at(-1)!.cursor })
    const ids = [...idsOf(head), ...idsOf(tail.pages)]
    expect(ids).toEqual(registered(shop))
  })
})
