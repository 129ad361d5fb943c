import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { configureApi } from '../api/client.ts'
import { createModuleI18n } from '../i18n/index.ts'
import { API_BASE, importDetails, importedRow, list, stubFetch, type FetchStub } from '../stores/buffer.fetch-stub.ts'
import { useNavStore } from '../stores/nav.store.ts'
import ImportedView from './ImportedView.vue'

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

const rows = [
  importedRow('1'),
  importedRow('2', { notified: true, notifiedAt: '2025-05-13T08:00:00.000Z' }),
  importedRow('3', { notifyError: 'SMTP 550 mailbox unavailable' }),
]

async function mountView() {
  api.on('GET', '/imports/3/imported', list(rows, 3))
  api.on('GET', '/imports/3', importDetails('3', { imported: 3, notified: 1 }))
  const pinia = createPinia()
  const w = mount(ImportedView, { props: { importId: '3' }, global: { plugins: [pinia, createModuleI18n('pl')] }, attachTo: document.body })
  mounted.push(w)
  await flushPromises()
  return { w, pinia }
}
const text = (w: VueWrapper) => w.text().replace(/\s+/g, ' ')
const check = (w: VueWrapper, i: number) => w.findAll('tbody input[type="checkbox"]')[i]!.setValue(true)

describe('ImportedView: Klienci zaimportowani', () => {
  it('has the heading and, last, Poinformowano klienta o założeniu konta (Tak + date / Nie / Nie wysłano: reason)', async () => {
    const { w } = await mountView()
    expect(w.get('h2').text()).toBe('Klienci zaimportowani')
    const headers = w.findAll('thead th').map((th) => th.text())
    expect(headers.at(-1)).toBe('Poinformowano klienta o założeniu konta')
    expect(headers.slice(1, 6)).toEqual(['Login', 'E-mail', 'Imię', 'Nazwisko', 'Zaimportowano'])
    const lastCells = w.findAll('tbody tr').map((tr) => tr.findAll('td').at(-1)!.text().replace(/\s+/g, ' '))
    expect(lastCells[0]).toBe('Nie')
    expect(lastCells[1]).toMatch(/^Tak · 13\.05\.2025/)
    expect(lastCells[2]).toBe('Nie wysłano: SMTP 550 mailbox unavailable')
  })

  it('names the template and opens it for the import’s shop', async () => {
    const { w, pinia } = await mountView()
    expect(text(w)).toContain(
      'Administracja / Konfiguracja wiadomości transakcyjnych / Sklep Główny / Klienci / Zarządzanie kontem / Mail po zaimportowaniu klientów przez support'.replace(/ \/ /g, ''),
    )
    await w.get('[data-action="open-template"]').trigger('click')
    expect(useNavStore(pinia).screen).toEqual({ name: 'template', shopId: 's1' })
  })

  it('Wyślij powiadomienie do zaznaczonych: POST notify {ids}', async () => {
    const { w } = await mountView()
    await check(w, 0)
    api.on('POST', '/imports/3/imported/notify', { results: [{ id: '1', sent: true, alreadyNotified: false }], sent: 1, failed: 0, queued: 0 })
    api.on('GET', '/imports/3/imported', list(rows, 3))
    api.on('GET', '/imports/3', importDetails('3', { imported: 3, notified: 2 }))
    await w.get('[data-action="notify"]').trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/3/imported/notify')[0]!.body).toEqual({ ids: ['1'] })
    expect(text(w)).toContain('Wysłano 1, nie udało się 0')
  })

  it('Wyślij ponownie needs an explicit confirmation and sends resend:true', async () => {
    const { w } = await mountView()
    await check(w, 1)
    await w.get('[data-action="resend"]').trigger('click')
    expect(text(w)).toContain('Wysłać wiadomość ponownie?')
    expect(api.made('POST', '/imports/3/imported/notify')).toHaveLength(0)
    api.on('POST', '/imports/3/imported/notify', { results: [{ id: '2', sent: true, alreadyNotified: false }], sent: 1, failed: 0, queued: 0 })
    api.on('GET', '/imports/3/imported', list(rows, 3))
    api.on('GET', '/imports/3', importDetails('3', { imported: 3, notified: 1 }))
    await w.get('[data-action="confirm-resend"]').trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/3/imported/notify')[0]!.body).toEqual({ ids: ['2'], resend: true })
  })

  it('Wyślij do wszystkich niepoinformowanych: {all:true} → W kolejce', async () => {
    const { w } = await mountView()
    const button = w.get('[data-action="notify-all"]')
    expect(button.text()).toBe('Wyślij do wszystkich niepoinformowanych (2)')
    api.on('POST', '/imports/3/imported/notify', { results: [], sent: 0, failed: 0, queued: 2 }, { status: 202 })
    await button.trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/3/imported/notify')[0]!.body).toEqual({ all: true })
    expect(text(w)).toContain('W kolejce: 2')
  })

  it('Podgląd wiadomości shows To, Subject and the body, and can send it', async () => {
    const { w } = await mountView()
    api.on('GET', '/imports/3/imported/1/preview', { to: 'klient1@example.pl', subject: 'Twoje konto w sklepie Sklep Główny', text: 'Dzień dobry Anna Nowak,\nustaw hasło', shopId: 's1' })
    await w.findAll('tbody button').find((b) => b.text() === 'Podgląd wiadomości')!.trigger('click')
    await flushPromises()
    const dialog = w.get('dialog')
    expect(dialog.text()).toContain('klient1@example.pl')
    expect(dialog.text()).toContain('Twoje konto w sklepie Sklep Główny')
    expect(dialog.get('pre').text()).toContain('ustaw hasło')
    api.on('POST', '/imports/3/imported/notify', { results: [{ id: '1', sent: true, alreadyNotified: false }], sent: 1, failed: 0, queued: 0 })
    api.on('GET', '/imports/3/imported', list(rows, 3))
    api.on('GET', '/imports/3', importDetails('3', { imported: 3, notified: 2 }))
    await dialog.get('[data-action="send"]').trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/3/imported/notify')[0]!.body).toEqual({ ids: ['1'] })
    expect(w.find('dialog').exists()).toBe(false)
  })
})
