import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { contractChecks } from '../contract/checks.ts'
import { configureApi } from '../api/client.ts'
import { useImportsStore } from './imports.store.ts'
import { API_BASE, FakeEventSource, details, fakeFetch, list, summary, type FakeFetch } from './flow.fakes.ts'

let http: FakeFetch

beforeEach(() => {
  configureApi(API_BASE)
  setActivePinia(createPinia())
  http = fakeFetch()
  vi.stubGlobal('fetch', http.fn)
  FakeEventSource.reset()
  vi.stubGlobal('EventSource', FakeEventSource)
})
afterEach(() => {
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
})

describe('imports store: the list', () => {
  it('loads the first page and pages on with the keyset cursor', async () => {
    http.once('GET /imports', { body: list([summary({ id: '3' }), summary({ id: '2' })], 'c2', 3) })
    const s = useImportsStore()
    await s.load()
    expect(s.items.map((x) => x.id)).toEqual(['3', '2'])
    expect(s.nextCursor).toBe('c2')
    expect(http.calls('GET /imports')[0]!.query.get('cursor')).toBeNull()

    http.once('GET /imports', { body: list([summary({ id: '1' })], null, 3) })
    await s.loadMore()
    expect(http.calls('GET /imports')[1]!.query.get('cursor')).toBe('c2')
    expect(s.items.map((x) => x.id)).toEqual(['3', '2', '1'])
    expect(s.nextCursor).toBeNull()
  })

  it('refreshes in place, re-reading as many rows as are shown', async () => {
    http.once('GET /imports', { body: list([summary({ id: '2' }), summary({ id: '1', status: 'awaiting_xml' })], null) })
    const s = useImportsStore()
    await s.load()
    const rows = s.items
    http.once('GET /imports', { body: list([summary({ id: '2' }), summary({ id: '1', status: 'awaiting_verification' })], null) })
    const pending = s.refresh()
    // nothing is emptied while the answer is on its way
    expect(s.items).toBe(rows)
    expect(s.loading).toBe(false)
    await pending
    expect(s.items.map((x) => x.status)).toEqual(['awaiting_xml', 'awaiting_verification'])
    expect(s.lastChange).toMatchObject({ importId: '1', status: 'awaiting_verification' })
    expect(Number(http.calls('GET /imports')[1]!.query.get('limit'))).toBeGreaterThanOrEqual(2)
  })

  it('keeps the rows and records the error when a refresh fails', async () => {
    http.once('GET /imports', { body: list([summary({ id: '1' })]) })
    const s = useImportsStore()
    await s.load()
    http.once('GET /imports', { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'x' } } })
    await s.refresh()
    expect(s.items).toHaveLength(1)
    expect(s.error).toMatchObject({ code: 'UNAUTHENTICATED' })
  })
})

describe('imports store: actions', () => {
  async function withRow(status: Parameters<typeof summary>[0]['status']) {
    http.once('GET /imports', { body: list([summary({ id: '5', status })]) })
    const s = useImportsStore()
    await s.load()
    return s
  }

  it('Sprawdź i zaimportuj posts verify and shows verifying', async () => {
    const s = await withRow('awaiting_verification')
    http.once('POST /imports/5/verify', { status: 202, body: details({ id: '5', status: 'verifying' }) })
    await s.verify('5')
    expect(s.items[0]!.status).toBe('verifying')
    expect(s.busy['5']).toBeUndefined()
  })

  it('ignores a second click while the first request is on its way', async () => {
    const s = await withRow('awaiting_verification')
    let release!: () => void
    http.once('POST /imports/5/verify', () => new Promise((r) => (release = () => r({ status: 202, body: details({ id: '5', status: 'verifying' }) }))))
    const first = s.verify('5')
    await vi.waitFor(() => expect(release).toBeTypeOf('function'))
    expect(s.busy['5']).toBe('verify')
    expect(await s.verify('5')).toBeUndefined()
    release()
    await first
    expect(http.calls('POST /imports/5/verify')).toHaveLength(1)
  })

  it('usuń źródło deletes the source', async () => {
    const s = await withRow('awaiting_xml')
    http.once('DELETE /imports/5/source', { body: details({ id: '5', status: 'source_deleted', hasCredentials: false }) })
    await s.deleteSource('5')
    expect(s.items[0]!.status).toBe('source_deleted')
    expect(s.details['5']?.hasCredentials).toBe(false)
  })

  it('Wznów pobieranie resumes a failed fetch', async () => {
    const s = await withRow('fetch_failed')
    http.once('POST /imports/5/resume', { status: 202, body: details({ id: '5', status: 'awaiting_xml' }) })
    await s.resume('5')
    expect(s.items[0]!.status).toBe('awaiting_xml')
  })

  it('an action refused by the server throws its coded error', async () => {
    const s = await withRow('verifying')
    http.once('DELETE /imports/5/source', { status: 409, body: { error: { code: 'IMPORT_STATE_CONFLICT', message: 'x' } } })
    await expect(s.deleteSource('5')).rejects.toMatchObject({ status: 409, code: 'IMPORT_STATE_CONFLICT' })
    expect(s.busy['5']).toBeUndefined()
  })

  it('uploads our XML file as multipart with repeated shopIds, and puts the new import on top', async () => {
    http.once('GET /imports', { body: list([summary({ id: '1' })]) })
    const s = useImportsStore()
    await s.load()
    http.once('POST /imports/upload', { status: 201, body: details({ id: '9', status: 'awaiting_verification', origin: 'upload', platform: null, domain: 'klienci.xml' }) })
    const file = new File(['<customers/>'], 'klienci.xml', { type: 'application/xml' })
    await s.upload(file, ['s1', 's2'])
    const sent = http.calls('POST /imports/upload')[0]!.body as FormData
    expect(sent).toBeInstanceOf(FormData)
    expect((sent.get('file') as File).name).toBe('klienci.xml')
    expect(sent.getAll('shopIds')).toEqual(['s1', 's2'])
    expect(s.items.map((x) => x.id)).toEqual(['9', '1'])
    expect(s.highlightId).toBe('9')
    expect(s.total).toBe(2)
  })

  it('builds the download address of the file from the typed client', () => {
    const s = useImportsStore()
    expect(s.fileUrl('5')).toBe(`${API_BASE}/imports/5/file`)
  })
})

describe('imports store: live updates', () => {
  it('applies the events in the order they came', async () => {
    http.once('GET /imports', { body: list([summary({ id: '4', status: 'awaiting_xml' })]) })
    const s = useImportsStore()
    await s.load()
    s.subscribe('4')
    const es = FakeEventSource.last()
    for (const fetched of [10, 20, 30]) es.emit('progress', { type: 'progress', importId: '4', progress: { fetched, total: 500 } })
    await vi.waitFor(() => expect(s.items[0]!.progress.fetched).toBe(30))
    es.emit('progress', { type: 'progress', importId: '4', progress: { fetched: 40, total: 500 } })
    es.emit('progress', { type: 'progress', importId: '4', progress: { fetched: 35, total: 500 } })
    await flushPromises()
    expect(s.items[0]!.progress.fetched).toBe(35)
  })

  it('follows an import over SSE: progress, counts and status reach the row', async () => {
    http.once('GET /imports', { body: list([summary({ id: '4', status: 'awaiting_xml' })]) })
    const s = useImportsStore()
    await s.load()
    const stop = s.subscribe('4')
    const es = FakeEventSource.last()
    expect(es.url).toBe(`${API_BASE}/imports/4/events`)

    // events are checked with the contract's schema, a chunk the first stream downloads
    await contractChecks()
    es.emit('progress', { type: 'progress', importId: '4', progress: { fetched: 150, total: 500 } })
    await flushPromises()
    expect(s.items[0]!.progress).toEqual({ fetched: 150, total: 500 })
    es.emit('counts', { type: 'counts', importId: '4', counts: { pending: 1, failed: 0, skipped: 0, imported: 0, notified: 0 } })
    await flushPromises()
    expect(s.items[0]!.counts.pending).toBe(1)
    // junk is ignored
    es.emit('progress', { type: 'progress', importId: '4' })
    await flushPromises()
    expect(s.items[0]!.progress.fetched).toBe(150)
    stop()
    expect(es.readyState).toBe(2)
  })

  it('closes the stream on a final status and reads the details the job left', async () => {
    http.once('GET /imports', { body: list([summary({ id: '4', status: 'awaiting_xml' })]) })
    http.once('GET /imports/4', { body: details({ id: '4', status: 'awaiting_verification', progress: { fetched: 500, total: 500 } }) })
    const s = useImportsStore()
    await s.load()
    s.subscribe('4')
    const es = FakeEventSource.last()
    es.emit('status', { type: 'status', importId: '4', status: 'awaiting_verification' })
    await vi.waitFor(() => expect(es.readyState).toBe(2))
    expect(s.isSubscribed('4')).toBe(false)
    expect(s.lastChange).toMatchObject({ importId: '4', status: 'awaiting_verification' })
    await vi.waitFor(() => expect(s.details['4']?.progress.fetched).toBe(500))
  })

  it('shares one stream between two followers and closes it after the last leaves', async () => {
    const s = useImportsStore()
    const a = s.subscribe('4')
    const b = s.subscribe('4')
    expect(FakeEventSource.instances).toHaveLength(1)
    a()
    a() // twice is harmless
    expect(FakeEventSource.last().readyState).not.toBe(2)
    b()
    expect(FakeEventSource.last().readyState).toBe(2)
  })

  it('a stream the server refused for good is dropped and the import re-read', async () => {
    http.once('GET /imports/4', { body: details({ id: '4', status: 'fetch_failed' }) })
    const s = useImportsStore()
    s.subscribe('4')
    FakeEventSource.last().fail(true)
    expect(s.isSubscribed('4')).toBe(false)
    await vi.waitFor(() => expect(s.details['4']?.status).toBe('fetch_failed'))
  })

  it('closeAll closes every stream', () => {
    const s = useImportsStore()
    s.subscribe('1')
    s.subscribe('2')
    s.closeAll()
    expect(FakeEventSource.open()).toHaveLength(0)
  })
})
