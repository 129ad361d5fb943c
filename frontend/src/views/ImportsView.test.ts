import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import type { ImportSummary } from '@cm/contracts'
import { configureApi } from '../api/client.ts'
import { useNavStore } from '../stores/nav.store.ts'
import { useImportsStore } from '../stores/imports.store.ts'
import { useWizardStore } from '../stores/wizard.store.ts'
import { API_BASE, FakeEventSource, SHOPS, details, fakeFetch, list, summary, viewPlugins, type FakeFetch } from '../stores/flow.fakes.ts'
import ImportsView from './ImportsView.vue'

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
  vi.useRealTimers()
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
})

async function open(rows: ImportSummary[], nextCursor: string | null = null, total = rows.length) {
  http.once('GET /imports', { body: list(rows, nextCursor, total) })
  w = mount(ImportsView, { global: { plugins: viewPlugins() }, attachTo: document.body })
  await flushPromises()
  return w
}
const row = (v: VueWrapper, id: string) => v.get(`tr[data-import-id="${id}"]`)
const names = (r: Pick<DOMWrapper<Element>, 'findAll'>, sel: string) => r.findAll(sel).map((x) => x.text().trim())

describe('ImportsView', () => {
  it('shows the heading, the start button and the empty state', async () => {
    const v = await open([])
    expect(v.get('h2').text()).toBe('Migracja klientów z innego sklepu')
    expect(document.activeElement).toBe(v.get('h2').element)
    expect(v.text()).toContain('Nie masz jeszcze żadnej migracji')
    await v.findAll('button').find((b) => b.text() === 'Nowa migracja')!.trigger('click')
    expect(useNavStore().screen).toEqual({ name: 'platform' })
  })

  it('shows the loading state while the list is on its way', async () => {
    let release!: () => void
    http.once('GET /imports', () => new Promise((r) => (release = () => r({ body: list([]) }))))
    w = mount(ImportsView, { global: { plugins: viewPlugins() } })
    await vi.waitFor(() => expect(release).toBeTypeOf('function'))
    expect(w.text()).toContain('Wczytywanie listy importów…')
    release()
    await flushPromises()
    expect(w.text()).not.toContain('Wczytywanie listy importów…')
  })

  it('renders each row’s source, shops, Polish date and status label', async () => {
    const v = await open([
      summary({ id: '2', status: 'awaiting_verification', shops: [{ id: 's1', name: 'Sklep główny' }, { id: 's2', name: 'Sklep DE' }] }),
      summary({ id: '1', status: 'verification_failed', platform: null, origin: 'upload', domain: 'klienci.xml' }),
    ])
    expect(v.findAll('thead th').map((x) => x.text())).toEqual(['Źródło', 'Sklepy', 'Utworzono', 'Status', 'Akcje'])
    const r2 = row(v, '2')
    expect(r2.text()).toContain('Shoper')
    expect(r2.text()).toContain('https://sklep2.shoparena.pl')
    expect(r2.text()).toContain('Sklep główny, Sklep DE')
    const expected = new Intl.DateTimeFormat('pl-PL', { dateStyle: 'short', timeStyle: 'short' }).format(new Date('2025-03-14T09:05:00.000Z'))
    expect(r2.text()).toContain(expected)
    expect(r2.text()).toContain('Oczekuje na weryfikację')
    const r1 = row(v, '1')
    expect(r1.text()).toContain('Plik XML')
    expect(r1.text()).toContain('Błąd weryfikacji pliku')
  })

  it('offers the actions that fit each status', async () => {
    const v = await open([
      summary({ id: '1', status: 'awaiting_xml', progress: { fetched: 100, total: 400 } }),
      summary({ id: '2', status: 'awaiting_verification' }),
      summary({ id: '3', status: 'verification_failed' }),
      summary({ id: '4', status: 'verifying' }),
      summary({ id: '5', status: 'buffered', counts: { pending: 10, failed: 2, skipped: 0, imported: 5, notified: 0 } }),
      summary({ id: '6', status: 'completed' }),
      summary({ id: '7', status: 'fetch_failed' }),
      summary({ id: '8', status: 'source_deleted' }),
    ])
    const links = (id: string) => names(row(v, id), 'a')
    const buttons = (id: string) => names(row(v, id), 'button')
    expect(links('1')).toEqual(['szczegóły i status generowania', 'usuń źródło'])
    expect(buttons('1')).toEqual([])
    expect(buttons('2')).toEqual(['Sprawdź i zaimportuj'])
    expect(links('2')).toEqual(['szczegóły i status generowania', 'usuń źródło'])
    expect(buttons('3')).toEqual(['Sprawdź i zaimportuj'])
    // the verifier holds the file: usuń źródło waits until it is done
    expect(links('4')).toEqual(['szczegóły i status generowania'])
    expect(links('5')).toEqual(['Klienci niezaimportowani', 'Klienci zaimportowani', 'szczegóły i status generowania', 'usuń źródło'])
    expect(row(v, '5').text()).toContain('Oczekujący: 10')
    expect(row(v, '5').text()).toContain('Z błędami: 2')
    expect(row(v, '5').text()).toContain('Zaimportowani: 5')
    expect(links('6')).toContain('Klienci niezaimportowani')
    expect(buttons('7')).toEqual(['Wznów pobieranie'])
    expect(links('8')).toEqual(['szczegóły i status generowania'])

    await row(v, '5').findAll('a')[0]!.trigger('click')
    expect(useNavStore().screen).toEqual({ name: 'buffer', importId: '5' })
    await row(v, '5').findAll('a')[1]!.trigger('click')
    expect(useNavStore().screen).toEqual({ name: 'imported', importId: '5' })
    await row(v, '2').findAll('a')[0]!.trigger('click')
    expect(useNavStore().screen).toEqual({ name: 'details', importId: '2' })
  })

  it('the progress bar of a running import follows the server-sent events', async () => {
    const v = await open([summary({ id: '1', status: 'awaiting_xml', progress: { fetched: 0, total: null } }), summary({ id: '2', status: 'completed' })])
    // one stream, for the running import only
    expect(FakeEventSource.open().map((e) => e.url)).toEqual([`${API_BASE}/imports/1/events`])
    const es = FakeEventSource.last()
    expect(row(v, '1').get('[data-testid="progress-text"]').text()).toContain('Pobrano 0')

    es.emit('progress', { type: 'progress', importId: '1', progress: { fetched: 1250, total: 5000 } })
    await flushPromises()
    const bar = row(v, '1').get('[role="progressbar"]')
    expect(row(v, '1').get('[data-testid="progress-text"]').text()).toBe('1250 / 5000 (25%)')
    expect(bar.attributes('aria-valuenow')).toBe('1250')
    expect(bar.attributes('aria-valuemax')).toBe('5000')

    http.once('GET /imports/1', { body: details({ id: '1', status: 'awaiting_verification', progress: { fetched: 5000, total: 5000 } }) })
    es.emit('status', { type: 'status', importId: '1', status: 'awaiting_verification' })
    await flushPromises()
    expect(row(v, '1').text()).toContain('Oczekuje na weryfikację')
    expect(es.readyState).toBe(2)
    expect(v.get('[data-testid="live-region"]').text()).toContain('Oczekuje na weryfikację')
    expect(names(row(v, '1'), 'button')).toEqual(['Sprawdź i zaimportuj'])
  })

  it('closes its streams when the screen is left', async () => {
    const v = await open([summary({ id: '1', status: 'awaiting_xml' }), summary({ id: '2', status: 'verifying' })])
    expect(FakeEventSource.open()).toHaveLength(2)
    v.unmount()
    w = null
    expect(FakeEventSource.open()).toHaveLength(0)
  })

  it('opens a few streams at most and re-reads the list for the other running imports', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const running = ['6', '5', '4', '3', '2', '1'].map((id) => summary({ id, status: 'awaiting_xml' }))
    const v = await open(running)
    expect(FakeEventSource.open()).toHaveLength(4)
    http.once('GET /imports', { body: list(running.map((r) => (r.id === '6' ? { ...r, status: 'awaiting_verification' as const } : r))) })
    await vi.advanceTimersByTimeAsync(5_000)
    await flushPromises()
    expect(http.calls('GET /imports')).toHaveLength(2)
    expect(row(v, '6').text()).toContain('Oczekuje na weryfikację')
    // the freed stream goes to the next running import
    expect(FakeEventSource.open().map((e) => e.url.split('/').at(-2)).sort()).toEqual(['2', '3', '4', '5'])
    v.unmount()
    w = null
    expect(FakeEventSource.open()).toHaveLength(0)
  })

  it('Sprawdź i zaimportuj verifies and the row follows the verification live', async () => {
    const v = await open([summary({ id: '2', status: 'awaiting_verification' })])
    http.once('POST /imports/2/verify', { status: 202, body: details({ id: '2', status: 'verifying' }) })
    await row(v, '2').get('button').trigger('click')
    await flushPromises()
    expect(row(v, '2').text()).toContain('Weryfikacja pliku')
    expect(FakeEventSource.open().map((e) => e.url)).toEqual([`${API_BASE}/imports/2/events`])
    http.once('GET /imports/2', { body: details({ id: '2', status: 'buffered', counts: { pending: 480, failed: 0, skipped: 0, imported: 0, notified: 0 } }) })
    FakeEventSource.last().emit('status', { type: 'status', importId: '2', status: 'buffered' })
    await flushPromises()
    expect(names(row(v, '2'), 'a')).toContain('Klienci niezaimportowani')
    expect(row(v, '2').text()).toContain('Oczekujący: 480')
  })

  it('usuń źródło asks first, then deletes the source', async () => {
    const v = await open([summary({ id: '3', status: 'awaiting_xml' })])
    const del = row(v, '3').findAll('a').find((a) => a.text() === 'usuń źródło')!
    await del.trigger('click')
    const dialog = v.get('dialog')
    expect(dialog.text()).toContain('zostanie zatrzymane na stałe')
    expect(dialog.text()).toContain('usunie plik XML')
    // Anuluj: nothing is sent
    await dialog.findAll('button').find((b) => b.text() === 'Anuluj')!.trigger('click')
    expect(v.find('dialog').exists()).toBe(false)
    expect(http.calls('DELETE /imports/3/source')).toHaveLength(0)

    await del.trigger('click')
    http.once('DELETE /imports/3/source', { body: details({ id: '3', status: 'source_deleted' }) })
    await v.get('dialog').findAll('button').find((b) => b.text() === 'Usuń źródło')!.trigger('click')
    await flushPromises()
    expect(http.calls('DELETE /imports/3/source')).toHaveLength(1)
    expect(row(v, '3').text()).toContain('Źródło usunięte')
    expect(v.find('dialog').exists()).toBe(false)
    expect(FakeEventSource.open()).toHaveLength(0)
  })

  it('a refused action is explained', async () => {
    const v = await open([summary({ id: '7', status: 'fetch_failed' })])
    http.once('POST /imports/7/resume', { status: 409, body: { error: { code: 'IMPORT_STATE_CONFLICT', message: 'x' } } })
    await row(v, '7').get('button').trigger('click')
    await flushPromises()
    expect(v.get('[role="alert"]').text()).toContain('Ta operacja nie jest możliwa w obecnym statusie importu.')
  })

  it('Pokaż więcej loads the next page and keeps the rows shown', async () => {
    const v = await open([summary({ id: '9', status: 'completed' })], 'next9', 2)
    expect(v.text()).toContain('Wyświetlono 1 z 2')
    http.once('GET /imports', { body: list([summary({ id: '8', status: 'completed' })], null, 2) })
    await v.findAll('button').find((b) => b.text() === 'Pokaż więcej')!.trigger('click')
    await flushPromises()
    expect(http.calls('GET /imports')[1]!.query.get('cursor')).toBe('next9')
    expect(v.findAll('tbody tr').map((r) => r.attributes('data-import-id'))).toEqual(['9', '8'])
    expect(v.findAll('button').some((b) => b.text() === 'Pokaż więcej')).toBe(false)
  })

  it('a list that cannot load says what to do and retries', async () => {
    http.once('GET /imports', { status: 503, body: { error: { code: 'INTERNAL', message: 'x' } } })
    w = mount(ImportsView, { global: { plugins: viewPlugins() } })
    await flushPromises()
    expect(w.get('[role="alert"]').text()).toContain('Spróbuj ponownie za chwilę')
    http.once('GET /imports', { body: list([]) })
    await w.get('[role="alert"] button').trigger('click')
    await flushPromises()
    expect(w.text()).toContain('Nie masz jeszcze żadnej migracji')
  })

  it('a newly created import is on top, highlighted and focused; the wizard is forgotten', async () => {
    const plugins = viewPlugins()
    useImportsStore().added(details({ id: '12' }))
    useWizardStore().setField('password', 'tajne')
    http.once('GET /imports', { body: list([summary({ id: '12' }), summary({ id: '11', status: 'completed' })]) })
    w = mount(ImportsView, { global: { plugins }, attachTo: document.body })
    await flushPromises()
    expect(row(w, '12').classes()).toContain('cm-row--new')
    expect(document.activeElement).toBe(row(w, '12').element)
    expect(w.get('[data-testid="live-region"]').text()).toContain('Zlecono import z Shoper · https://sklep12.shoparena.pl')
    expect(useWizardStore().credentials).toEqual({})
  })

  it('uploads our own XML file from the list', async () => {
    http.on('GET /shops', { body: { items: SHOPS } })
    const v = await open([])
    await v.findAll('button').find((b) => b.text() === 'Wgraj własny plik XML')!.trigger('click')
    // the dialog is a lazy chunk: it opens once downloaded
    await vi.waitFor(() => expect(v.find('dialog').exists()).toBe(true))
    await flushPromises()
    const dialog = v.get('dialog')
    // no file, no shop: nothing is sent and both are explained
    await dialog.findAll('button').find((b) => b.text() === 'Wgraj plik')!.trigger('click')
    expect(dialog.text()).toContain('Wybierz plik XML do wgrania.')
    expect(dialog.text()).toContain('Zaznacz co najmniej jeden sklep')

    const input = dialog.get<HTMLInputElement>('input[type="file"]')
    const file = new File(['<customers/>'], 'klienci.xml', { type: 'application/xml' })
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await dialog.findAll<HTMLInputElement>('input[type="checkbox"]')[1]!.setValue(true)
    http.once('POST /imports/upload', { status: 201, body: details({ id: '20', status: 'awaiting_verification', origin: 'upload', platform: null, domain: 'klienci.xml' }) })
    await dialog.findAll('button').find((b) => b.text() === 'Wgraj plik')!.trigger('click')
    await flushPromises()
    expect((http.calls('POST /imports/upload')[0]!.body as FormData).getAll('shopIds')).toEqual(['s1'])
    expect(v.find('dialog').exists()).toBe(false)
    expect(row(v, '20').text()).toContain('Oczekuje na weryfikację')
    expect(names(row(v, '20'), 'button')).toEqual(['Sprawdź i zaimportuj'])
  })
})
