import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { configureApi } from '../api/client.ts'
import { createModuleI18n } from '../i18n/index.ts'
import { API_BASE, buffered, canonical, importDetails, list, stubFetch, type FetchStub } from '../stores/buffer.fetch-stub.ts'
import BufferView from './BufferView.vue'

let api: FetchStub
const mounted: VueWrapper[] = []
beforeEach(() => {
  configureApi(API_BASE)
  api = stubFetch()
})
afterEach(() => {
  mounted.splice(0).forEach((w) => w.unmount())
  api.assertNoUnexpected()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const failedRow = buffered(
  '2',
  {
    state: 'failed',
    plannedLogin: 'annanowak',
    errors: [
      { code: 'POSTCODE_INVALID', field: 'billingAddress.postcode', message: 'server text' },
      { code: 'EMAIL_TAKEN', field: 'email', message: 'server text' },
    ],
  },
  canonical({ sourceId: '2', email: 'anna@example.pl', firstName: 'Anna', lastName: 'Nowak' }, { postcode: '123', firstName: 'Anna', lastName: 'Nowak' }),
)

async function mountView(opts: { total?: number; totalCapped?: boolean; confirm?: boolean; rows?: ReturnType<typeof buffered>[] } = {}) {
  const rows = opts.rows ?? [buffered('1'), failedRow]
  const page = list(rows, opts.total ?? rows.length, (opts.total ?? rows.length) > rows.length ? 'c2' : null)
  api.on('GET', '/imports/7/buffer', opts.totalCapped ? { ...page, totalCapped: true } : page, {
    query: { state: 'pending,failed', limit: '50' },
  })
  api.on('GET', '/imports/7', importDetails('7', { pending: 1, failed: 1 }))
  api.on('GET', '/preferences', { confirmBeforeImport: opts.confirm ?? true })
  const w = mount(BufferView, {
    props: { importId: '7' },
    global: { plugins: [createPinia(), createModuleI18n('pl')] },
    attachTo: document.body,
  })
  mounted.push(w)
  await flushPromises()
  return w
}

// the import dialog is a lazy chunk with the phone and postcode data: its first import in a
// test file takes about a second on a busy machine
const DIALOG_LOAD = { timeout: 5_000 }
const text = (w: VueWrapper) => w.text().replace(/\s+/g, ' ')
const importButton = (w: VueWrapper) => w.get<HTMLButtonElement>('[data-action="import"]')

describe('BufferView: Klienci niezaimportowani', () => {
  it('has the heading, the columns and, last, Błędy with the translated messages', async () => {
    const w = await mountView()
    expect(w.get('h2').text()).toBe('Klienci niezaimportowani')
    const headers = w.findAll('thead th').map((th) => th.text())
    expect(headers.slice(1)).toEqual(['Login', 'E-mail', 'Imię', 'Nazwisko', 'Firma', 'Ulica', 'Kod', 'Miasto', 'Kraj', 'Telefon', 'Stan', 'Błędy'])
    expect(w.findAll('thead th').every((th) => th.attributes('scope') === 'col')).toBe(true)
    const cells = w.findAll('tbody tr')[1]!.findAll('td, th')
    const last = cells[cells.length - 1]!
    expect(last.text()).toContain('Kod pocztowy nie pasuje do kraju PL. Popraw kod (dla Polski: 00-000) lub kraj.')
    expect(last.text()).toContain('Ten e-mail jest już używany przez innego klienta sklepu. Zmień e-mail lub pomiń klienta.')
    expect(last.findAll('li')).toHaveLength(2)
    expect(cells[1]!.text()).toBe('annanowak')
  })

  it('shows "Wyniki 1–50 z 12 345" in Polish number format', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => buffered(String(i + 1)))
    const w = await mountView({ rows, total: 12345 })
    expect(text(w)).toContain('Wyniki 1–50 z 12 345')
    expect(w.findAll('button').find((b) => b.text() === 'Następna strona')!.element.disabled).toBe(false)
    expect(w.findAll('button').find((b) => b.text() === 'Poprzednia strona')!.element.disabled).toBe(true)
  })

  it('a total counted only so far reads "co najmniej": in the pager and in zaznacz wszystkie pasujące', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => buffered(String(i + 1)))
    const w = await mountView({ rows, total: 10000, totalCapped: true })
    expect(text(w)).toContain('Wyniki 1–50 z co najmniej 10 000')
    await w.get('[data-action="select-page"]').setValue(true)
    expect(w.get('[data-action="select-all-matching"]').text().replace(/\s+/g, ' ')).toBe('Zaznacz wszystkie pasujące (co najmniej 10 000)')
  })

  it('Importuj klientów do bazy sklepu is disabled with nothing ticked and shows how many are ticked', async () => {
    const w = await mountView()
    expect(importButton(w).text()).toBe('Importuj klientów do bazy sklepu')
    expect(importButton(w).element.disabled).toBe(true)
    await w.findAll('tbody input[type="checkbox"]')[0]!.setValue(true)
    expect(importButton(w).element.disabled).toBe(false)
    expect(importButton(w).text().replace(/\s+/g, ' ')).toBe('Importuj klientów do bazy sklepu (1)')
    expect(text(w)).toContain('Zaznaczono: 1')
  })

  it('zaznacz wszystkie pasujące sends {all:true, filter} and shows W kolejce', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => buffered(String(i + 1)))
    const w = await mountView({ rows, total: 12345, confirm: false })
    await w.get('[data-action="select-page"]').setValue(true)
    const all = w.get('[data-action="select-all-matching"]')
    expect(all.text().replace(/\s+/g, ' ')).toBe('Zaznacz wszystkie pasujące (12 345)')
    await all.trigger('click')
    expect(text(w)).toContain('Zaznaczono wszystkich pasujących klientów: 12 345.')
    api.on('POST', '/imports/7/buffer/import', { results: [], imported: 0, failed: 0, queued: 12345 }, { status: 202 })
    api.on('GET', '/imports/7/buffer', list(rows, 12345, 'c50'))
    await importButton(w).trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/7/buffer/import')[0]!.body).toEqual({ all: true, filter: { state: ['pending', 'failed'] } })
    expect(text(w)).toContain('W kolejce: 12 345')
  })

  it('with the confirmation on, "all matching" gets a summary confirmation first', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => buffered(String(i + 1)))
    const w = await mountView({ rows, total: 300, confirm: true })
    await w.get('[data-action="select-page"]').setValue(true)
    await w.get('[data-action="select-all-matching"]').trigger('click')
    await importButton(w).trigger('click')
    await flushPromises()
    expect(text(w)).toContain('Do bazy sklepu zostaną zaimportowani wszyscy klienci pasujący do wyszukiwania i filtrów: 300.')
    expect(api.made('POST', '/imports/7/buffer/import')).toHaveLength(0)
    api.on('POST', '/imports/7/buffer/import', { results: [], imported: 0, failed: 0, queued: 300 }, { status: 202 })
    api.on('GET', '/imports/7/buffer', list(rows, 300, 'c50'))
    await w.get('[data-action="confirm"]').trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/7/buffer/import')[0]!.body).toEqual({ all: true, filter: { state: ['pending', 'failed'] } })
  })

  it('"Pytaj o potwierdzenie przed importem" turns the dialog back on after "Nie pytaj mnie ponownie"', async () => {
    const w = await mountView({ confirm: false })
    const toggle = w.get<HTMLInputElement>('.cm-confirm-toggle input')
    expect(toggle.element.checked).toBe(false)
    api.on('PUT', '/preferences', { confirmBeforeImport: true })
    await toggle.setValue(true)
    await flushPromises()
    expect(api.made('PUT', '/preferences')[0]!.body).toEqual({ confirmBeforeImport: true })
    await w.findAll('tbody input[type="checkbox"]')[0]!.setValue(true)
    await importButton(w).trigger('click')
    await vi.waitFor(() => expect(w.find('[name="dontAsk"]').exists()).toBe(true), DIALOG_LOAD)
  })

  it('the dialog, then "Nie pytaj mnie ponownie o potwierdzenie": PUT /preferences and the next import goes without the dialog', async () => {
    const w = await mountView()
    await w.findAll('tbody input[type="checkbox"]')[0]!.setValue(true)
    await importButton(w).trigger('click')
    await vi.waitFor(() => expect(w.find('[name="dontAsk"]').exists()).toBe(true), DIALOG_LOAD)
    expect(text(w)).toContain('Sprawdź dane przed importem (1 z 1)')
    await w.get('[name="dontAsk"]').setValue(true)
    api.on('PUT', '/preferences', { confirmBeforeImport: false })
    api.on('POST', '/imports/7/buffer/import', { results: [{ id: '1', ok: true, state: 'imported', errors: [] }], imported: 1, failed: 0, queued: 0 })
    api.on('GET', '/imports/7/buffer', list([failedRow], 1))
    api.on('GET', '/imports/7', importDetails('7', { failed: 1, imported: 1 }))
    await w.get('[data-action="import"][form]').trigger('click')
    await flushPromises()
    expect(api.made('PUT', '/preferences')[0]!.body).toEqual({ confirmBeforeImport: false })
    expect(w.find('dialog').exists()).toBe(false)
    expect(text(w)).toContain('Zaimportowano 1, nie udało się 0')

    // the next import: straight away
    await w.findAll('tbody input[type="checkbox"]')[0]!.setValue(true)
    api.on('POST', '/imports/7/buffer/import', {
      results: [{ id: '2', ok: false, state: 'failed', errors: failedRow.errors }],
      imported: 0,
      failed: 1,
      queued: 0,
    })
    api.on('GET', '/imports/7/buffer', list([failedRow], 1))
    api.on('GET', '/imports/7', importDetails('7', { failed: 1, imported: 1 }))
    await importButton(w).trigger('click')
    await flushPromises()
    expect(w.find('dialog').exists()).toBe(false)
    expect(api.made('POST', '/imports/7/buffer/import').map((c) => c.body)).toEqual([{ ids: ['1'] }, { ids: ['2'] }])
    expect(text(w)).toContain('Zaimportowano 0, nie udało się 1')
    expect(text(w)).toContain('kolumna Błędy mówi, co poprawić')
  })

  it('Pomiń skips the ticked customers', async () => {
    const w = await mountView()
    await w.findAll('tbody input[type="checkbox"]')[1]!.setValue(true)
    api.on('POST', '/imports/7/buffer/skip', { skipped: 1 })
    api.on('GET', '/imports/7/buffer', list([buffered('1')], 1))
    api.on('GET', '/imports/7', importDetails('7', { pending: 1, skipped: 1 }))
    await w.get('[data-action="skip"]').trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/7/buffer/skip')[0]!.body).toEqual({ ids: ['2'] })
    expect(text(w)).toContain('Pominięto 1')
  })

  it('search (Enter) and the error filter query the list again', async () => {
    const w = await mountView()
    api.on('GET', '/imports/7/buffer', list([failedRow], 1), { query: { q: 'anna' } })
    await w.get('input[name="q"]').setValue('anna')
    await w.get('form[role="search"]').trigger('submit')
    await flushPromises()
    api.on('GET', '/imports/7/buffer', list([failedRow], 1), { query: { q: 'anna', errorCode: 'POSTCODE_INVALID' } })
    const select = w.get('select[name="errorCode"]')
    expect(select.findAll('option').map((o) => o.text())).toContain('Kod pocztowy nie pasuje do kraju')
    await select.setValue('POSTCODE_INVALID')
    await flushPromises()
    expect(api.calls.at(-1)!.query).toMatchObject({ q: 'anna', errorCode: 'POSTCODE_INVALID', state: 'pending,failed' })
  })

  it('empty: Wszyscy klienci z pliku zostali zaimportowani lub pominięci', async () => {
    api.on('GET', '/imports/7/buffer', list([], 0))
    api.on('GET', '/imports/7', importDetails('7', { imported: 5, skipped: 1 }))
    api.on('GET', '/preferences', { confirmBeforeImport: true })
    const w = mount(BufferView, { props: { importId: '7' }, global: { plugins: [createPinia(), createModuleI18n('pl')] } })
    mounted.push(w)
    await flushPromises()
    expect(text(w)).toContain('Wszyscy klienci z pliku zostali zaimportowani lub pominięci')
  })

  it('speaks English when the host asks for it', async () => {
    api.on('GET', '/imports/7/buffer', list([failedRow], 1))
    api.on('GET', '/imports/7', importDetails('7', { failed: 1 }))
    api.on('GET', '/preferences', { confirmBeforeImport: true })
    const w = mount(BufferView, { props: { importId: '7' }, global: { plugins: [createPinia(), createModuleI18n('en')] } })
    mounted.push(w)
    await flushPromises()
    expect(w.get('h2').text()).toBe('Customers not imported')
    expect(w.findAll('thead th').at(-1)!.text()).toBe('Errors')
    expect(text(w)).toContain('The postcode does not fit the country PL.')
    expect(text(w)).toContain('Results 1–1 of 1')
  })
})
