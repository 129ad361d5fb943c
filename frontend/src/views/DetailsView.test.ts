import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import type { ImportDetails } from '@cm/contracts'
import { configureApi } from '../api/client.ts'
import { useNavStore } from '../stores/nav.store.ts'
import { API_BASE, FakeEventSource, details, fakeFetch, viewPlugins, type FakeFetch } from '../stores/flow.fakes.ts'
import DetailsView from './DetailsView.vue'

let http: FakeFetch
let w: VueWrapper | null = null

beforeEach(() => {
  configureApi(API_BASE)
  http = fakeFetch()
  vi.stubGlobal('fetch', http.fn)
  FakeEventSource.reset()
  vi.stubGlobal('EventSource', FakeEventSource)
})
afterEach(() => {
  w?.unmount()
  w = null
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

async function open(d: ImportDetails) {
  http.on(`GET /imports/${d.id}`, { body: d })
  w = mount(DetailsView, { props: { importId: d.id }, global: { plugins: viewPlugins() }, attachTo: document.body })
  await flushPromises()
  return w
}

const finished = details({
  id: '5',
  status: 'awaiting_verification',
  progress: { fetched: 475, total: 500 },
  generation: {
    startedAt: '2025-03-14T09:05:01.000Z',
    finishedAt: '2025-03-14T09:12:41.000Z',
    pagesFetched: 10,
    requests: 14,
    rateLimitWaits: 3,
    rateLimitWaitMs: 4500,
    retries: 2,
    customersWritten: 475,
    leftOut: { guest: 25 },
    lastError: { code: 'SOURCE_SERVER_ERROR', message: 'HTTP 502 from the source', at: '2025-03-14T09:08:00.000Z' },
    resumes: 1,
  },
  file: { available: true, size: 1_572_864, customers: 475 },
})

describe('DetailsView', () => {
  it('shows the generation details in Polish', async () => {
    const v = await open(finished)
    expect(v.get('h2').text()).toBe('Szczegóły i status generowania')
    expect(document.activeElement).toBe(v.get('h2').element)
    const gen = v.get('[data-testid="generation"]').text()
    expect(gen).toContain('Pobrane strony10')
    expect(gen).toContain('Zapytania do API14')
    expect(gen).toContain('3 razy, łącznie 4,5 s')
    expect(gen).toContain('Ponowione zapytania2')
    expect(gen).toContain('Wznowienia od punktu przerwania1')
    expect(gen).toContain('Klienci zapisani w pliku475')
    expect(v.get('[data-testid="left-out"]').text()).toBe('Goście (zakupy bez konta): 25')
    expect(gen).toContain('HTTP 502 from the source')
    expect(v.text()).toContain('Oczekuje na weryfikację')
    expect(v.text()).toContain('475 / 500 (95%)')
  })

  it('offers the file for download with its size', async () => {
    const v = await open(finished)
    expect(v.text()).toContain('1,5 MB')
    const a = v.findAll('a').find((x) => x.text() === 'Pobierz plik XML')!
    expect(a.attributes('href')).toBe(`${API_BASE}/imports/5/file`)
  })

  it('lists the verification errors with line, column and a Polish explanation', async () => {
    const v = await open(
      details({
        id: '6',
        status: 'verification_failed',
        verification: {
          ok: false,
          errors: [
            { line: 12, column: 7, code: 'XML_UNKNOWN_ELEMENT', message: 'Unknown element <nick>' },
            { line: 1, column: 1, code: 'XML_COUNT_MISMATCH', message: 'count="3" but 2 customers' },
          ],
        },
      }),
    )
    const ver = v.get('[data-testid="verification"]')
    expect(ver.text()).toContain('Plik został odrzucony')
    expect(ver.text()).toContain('wiersz i kolumnę')
    const cells = ver.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()))
    expect(cells[0]![0]).toBe('12')
    expect(cells[0]![1]).toBe('7')
    expect(cells[0]![2]).toContain('Plik zawiera element, którego nie ma w formacie.')
    expect(cells[0]![2]).toContain('Unknown element <nick>')
    expect(cells[1]![2]).toContain('Liczba klientów w pliku nie zgadza się')
    expect(v.findAll('button').map((b) => b.text())).toContain('Sprawdź i zaimportuj')
  })

  it('says when the file passed verification', async () => {
    const v = await open(details({ id: '7', status: 'buffered', verification: { ok: true, errors: [], customers: 480 } }))
    expect(v.get('[data-testid="verification"]').text()).toContain('Plik jest poprawny. Wczytano 480 klientów do bufora.')
  })

  it('follows a running fetch live and stops when it is done', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const v = await open(details({ id: '8', status: 'awaiting_xml', progress: { fetched: 0, total: 200 } }))
    const es = FakeEventSource.last()
    expect(es.url).toBe(`${API_BASE}/imports/8/events`)
    es.emit('progress', { type: 'progress', importId: '8', progress: { fetched: 50, total: 200 } })
    await flushPromises()
    expect(v.get('[data-testid="progress-text"]').text()).toBe('50 / 200 (25%)')

    // statistics are re-read while it runs
    await vi.advanceTimersByTimeAsync(5_000)
    expect(http.calls('GET /imports/8').length).toBe(2)

    http.on('GET /imports/8', { body: details({ id: '8', status: 'awaiting_verification', progress: { fetched: 200, total: 200 } }) })
    es.emit('status', { type: 'status', importId: '8', status: 'awaiting_verification' })
    await flushPromises()
    expect(es.readyState).toBe(2)
    expect(v.text()).toContain('200 / 200 (100%)')
    const calls = http.calls('GET /imports/8').length
    await vi.advanceTimersByTimeAsync(20_000)
    expect(http.calls('GET /imports/8').length).toBe(calls)
  })

  it('goes back to the list', async () => {
    const v = await open(finished)
    await v.findAll('button').find((b) => b.text() === 'Wróć do listy importów')!.trigger('click')
    expect(useNavStore().screen).toEqual({ name: 'imports' })
  })

  it('an import that does not exist says so', async () => {
    http.on('GET /imports/404', { status: 404, body: { error: { code: 'NOT_FOUND', message: 'x' } } })
    w = mount(DetailsView, { props: { importId: '404' }, global: { plugins: viewPlugins() } })
    await flushPromises()
    expect(w.get('[role="alert"]').text()).toContain('Nie znaleziono.')
  })
})
