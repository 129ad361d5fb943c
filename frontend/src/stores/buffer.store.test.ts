import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { configureApi } from '../api/client.ts'
import { API_BASE, buffered, importDetails, list, stubFetch, type FetchStub } from './buffer.fetch-stub.ts'
import { useBufferStore } from './buffer.store.ts'
import { POLL_MS } from './settle.poller.ts'

let api: FetchStub
beforeEach(() => {
  setActivePinia(createPinia())
  configureApi(API_BASE)
  api = stubFetch()
})
afterEach(() => {
  api.assertNoUnexpected()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => buffered(String(from + i)))

async function opened(total = 120) {
  api.on('GET', '/imports/7/buffer', list(page(1, 50), total, 'c50'), { query: { limit: '50', state: 'pending,failed' } })
  api.on('GET', '/imports/7', importDetails('7', { pending: total }))
  const s = useBufferStore()
  await s.open('7')
  return s
}

describe('buffer store: the list', () => {
  it('opens on what can still be imported (pending and failed), 50 a page, with the counts', async () => {
    const s = await opened()
    expect(s.items).toHaveLength(50)
    expect(s.total).toBe(120)
    expect(s.range).toEqual({ from: 1, to: 50 })
    expect(s.counts?.pending).toBe(120)
    expect(api.made('GET', '/imports/7/buffer')[0]!.query).toEqual({ state: 'pending,failed', limit: '50' })
  })

  it('pages forward with nextCursor and back with the stack of cursors', async () => {
    const s = await opened()
    api.on('GET', '/imports/7/buffer', list(page(51, 50), 120, 'c100'), { query: { cursor: 'c50' } })
    await s.nextPage()
    expect(s.range).toEqual({ from: 51, to: 100 })
    api.on('GET', '/imports/7/buffer', list(page(101, 20), 120, null), { query: { cursor: 'c100' } })
    await s.nextPage()
    expect(s.range).toEqual({ from: 101, to: 120 })
    expect(s.hasNext).toBe(false)
    api.on('GET', '/imports/7/buffer', list(page(51, 50), 120, 'c100'), { query: { cursor: 'c50' } })
    await s.prevPage()
    expect(s.range.from).toBe(51)
    api.on('GET', '/imports/7/buffer', (c) => (c.query.cursor ? { error: { code: 'X', message: 'no cursor expected' } } : list(page(1, 50), 120, 'c50')))
    await s.prevPage()
    expect(s.range.from).toBe(1)
    expect(s.hasPrev).toBe(false)
  })

  it('a search of a large import: the total is a lower bound, and a page the server ended early (no rows yet, a next page) is shown, not stepped back from', async () => {
    const s = await opened()
    api.on('GET', '/imports/7/buffer', { ...list(page(1, 50), 10_000, 'c50'), totalCapped: true }, { query: { q: 'zz' } })
    await s.setQuery({ q: 'zz', stateFilter: 'open', errorCode: '' })
    expect({ total: s.total, capped: s.totalCapped }).toEqual({ total: 10_000, capped: true })
    api.on('GET', '/imports/7/buffer', { ...list([], 10_000, 'c90000'), totalCapped: true }, { query: { cursor: 'c50' } })
    await s.nextPage()
    expect(s.items).toHaveLength(0)
    expect(s.hasNext).toBe(true)
    expect(s.range.from).toBe(0)
    api.on('GET', '/imports/7/buffer', list(page(1, 50), 120, 'c50'))
    await s.setQuery({ q: '', stateFilter: 'open', errorCode: '' })
    expect(s.totalCapped).toBe(false)
  })

  it('a search or filter starts again from the first page and sends q, state and errorCode', async () => {
    const s = await opened()
    api.on('GET', '/imports/7/buffer', list(page(51, 50), 120, 'c100'))
    await s.nextPage()
    api.on('GET', '/imports/7/buffer', list([buffered('3')], 1), { query: { q: 'kowal', state: 'failed', errorCode: 'POSTCODE_INVALID' } })
    await s.setQuery({ q: ' kowal ', stateFilter: 'failed', errorCode: 'POSTCODE_INVALID' })
    const last = api.calls.at(-1)!
    expect(last.query.cursor).toBeUndefined()
    expect(s.total).toBe(1)
  })

  it('keeps the old rows while the next page loads, and drops a slower stale answer', async () => {
    const s = await opened()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    api.on('GET', '/imports/7/buffer', async () => {
      await gate
      return list(page(51, 50), 120, 'c100')
    }, { query: { cursor: 'c50' } })
    const slow = s.nextPage()
    expect(s.loading).toBe(true)
    expect(s.items[0]!.id).toBe('1')
    // the admin searches meanwhile: that answer wins, the slow page is dropped when it comes
    api.on('GET', '/imports/7/buffer', list([buffered('77')], 1), { query: { q: 'nowak' } })
    await s.setQuery({ q: 'nowak' })
    expect(s.items.map((r) => r.id)).toEqual(['77'])
    release()
    await slow
    expect(s.items.map((r) => r.id)).toEqual(['77'])
    expect(s.loading).toBe(false)
  })
})

describe('buffer store: selection and actions', () => {
  it('ticks rows and pages by id; skipped rows cannot be ticked', async () => {
    const s = await opened()
    s.toggle(s.items[0]!)
    s.toggle(buffered('x', { state: 'skipped' }))
    expect([...s.selected]).toEqual(['1'])
    s.selectPage(true)
    expect(s.selectedCount).toBe(50)
    expect(s.pageSelected).toBe(true)
    s.selectPage(false)
    expect(s.selectedCount).toBe(0)
  })

  it('Importuj klientów do bazy sklepu with ticked ids: {ids}, result, handled ids leave the selection', async () => {
    const s = await opened()
    s.toggle(s.items[0]!)
    s.toggle(s.items[1]!)
    api.on('POST', '/imports/7/buffer/import', {
      results: [
        { id: '1', ok: true, state: 'imported', errors: [] },
        { id: '2', ok: false, state: 'failed', errors: [{ code: 'EMAIL_TAKEN', field: 'email', message: 'x' }] },
      ],
      imported: 1,
      failed: 1,
      queued: 0,
    })
    api.on('GET', '/imports/7/buffer', list(page(2, 50), 119, 'c51'))
    api.on('GET', '/imports/7', importDetails('7', { pending: 118, failed: 1, imported: 1 }))
    await s.importSelection()
    expect(api.made('POST', '/imports/7/buffer/import')[0]!.body).toEqual({ ids: ['1', '2'] })
    expect(s.lastResult).toEqual({ imported: 1, failed: 1, skipped: 0 })
    expect(s.selectedCount).toBe(0)
    expect(s.counts?.imported).toBe(1)
  })

  it('zaznacz wszystkie pasujące: {all:true, filter} → W kolejce, then polls until nothing is pending', async () => {
    const s = await opened()
    api.on('GET', '/imports/7/buffer', list(page(1, 50), 120, 'c50'), { query: { q: 'kowal', errorCode: 'PHONE_INVALID' } })
    await s.setQuery({ q: 'kowal', errorCode: 'PHONE_INVALID' })
    s.selectPage(true)
    s.selectAllMatching()
    expect(s.allMatching).toBe(true)
    expect(s.selectedCount).toBe(120)
    vi.useFakeTimers()
    api.on('POST', '/imports/7/buffer/import', { results: [], imported: 0, failed: 0, queued: 120 }, { status: 202 })
    api.on('GET', '/imports/7/buffer', list(page(1, 50), 120, 'c50'))
    await s.importSelection()
    expect(api.made('POST', '/imports/7/buffer/import')[0]!.body).toEqual({
      all: true,
      filter: { state: ['pending', 'failed'], q: 'kowal', errorCode: ['PHONE_INVALID'] },
    })
    expect(s.queued).toBe(120)
    expect(s.allMatching).toBe(false)
    // first poll: still running
    api.on('GET', '/imports/7', importDetails('7', { pending: 60, imported: 60 }))
    api.on('GET', '/imports/7/buffer', list(page(61, 50), 60, 'c110'))
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(s.queued).toBe(120)
    // second poll: done
    api.on('GET', '/imports/7', importDetails('7', { pending: 0, imported: 118, failed: 2 }))
    api.on('GET', '/imports/7/buffer', list([], 2, null))
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(s.queued).toBe(0)
    await vi.advanceTimersByTimeAsync(POLL_MS * 3)
    expect(api.made('GET', '/imports/7')).toHaveLength(3)
  })

  it('"all matching" is not offered where skipped customers are listed', async () => {
    const s = await opened()
    api.on('GET', '/imports/7/buffer', list([buffered('9', { state: 'skipped' })], 1), { query: { state: 'skipped' } })
    await s.setQuery({ stateFilter: 'skipped' })
    expect(s.canSelectAllMatching).toBe(false)
    s.selectAllMatching()
    expect(s.allMatching).toBe(false)
  })

  it('Pomiń for the ticked ids', async () => {
    const s = await opened()
    s.toggle(s.items[4]!)
    api.on('POST', '/imports/7/buffer/skip', { skipped: 1 })
    api.on('GET', '/imports/7/buffer', list(page(1, 50), 119, 'c50'))
    api.on('GET', '/imports/7', importDetails('7', { pending: 119, skipped: 1 }))
    await s.skipSelection()
    expect(api.made('POST', '/imports/7/buffer/skip')[0]!.body).toEqual({ ids: ['5'] })
    expect(s.lastResult).toEqual({ imported: 0, failed: 0, skipped: 1 })
  })

  it('Przywróć puts a skipped customer back: POST restore, then the list and counts are read again', async () => {
    const s = await opened()
    api.on('POST', '/imports/7/buffer/restore', { restored: 1 })
    api.on('GET', '/imports/7/buffer', list(page(1, 50), 121, 'c50'))
    api.on('GET', '/imports/7', importDetails('7', { pending: 121, skipped: 0 }))
    expect(await s.restore(['9'])).toBe(1)
    expect(api.made('POST', '/imports/7/buffer/restore')[0]!.body).toEqual({ ids: ['9'] })
    expect(s.counts?.pending).toBe(121)
  })

  it('importOne sends an edit only when something changed', async () => {
    const s = await opened()
    const ok = { results: [{ id: '1', ok: true, state: 'imported', errors: [] }], imported: 1, failed: 0, queued: 0 }
    api.on('POST', '/imports/7/buffer/import', ok, { times: 2 })
    await s.importOne('1', {})
    await s.importOne('1', { billingAddress: { postcode: '00-001' } })
    const bodies = api.made('POST', '/imports/7/buffer/import').map((c) => c.body)
    expect(bodies).toEqual([{ ids: ['1'] }, { ids: ['1'], edits: { '1': { billingAddress: { postcode: '00-001' } } } }])
  })

  it('more than 500 ticked ids go in requests of at most 500', async () => {
    const s = await opened()
    const ids = Array.from({ length: 1200 }, (_, i) => String(i + 1))
    api.on('POST', '/imports/7/buffer/import', (c) => ({ results: [], imported: (c.body as { ids: string[] }).ids.length, failed: 0, queued: 0 }), { times: 3 })
    const res = await s.importIds(ids)
    expect(api.made('POST', '/imports/7/buffer/import').map((c) => (c.body as { ids: string[] }).ids.length)).toEqual([500, 500, 200])
    expect(res.imported).toBe(1200)
  })

  it('selectedForDialog gives the ticked rows up to 50, otherwise null (a summary confirmation instead)', async () => {
    const s = await opened()
    s.toggle(s.items[0]!)
    expect(s.selectedForDialog()?.map((r) => r.id)).toEqual(['1'])
    s.selectAllMatching()
    expect(s.selectedForDialog()).toBeNull()
  })
})
