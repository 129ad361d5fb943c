import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createApp, h, type App } from 'vue'
import { createI18n } from 'vue-i18n'
import { setActivePinia } from 'pinia'
import { PLATFORMS } from '@cm/contracts'
import { API_BASE, fakeFetch, list, type FakeFetch } from '../stores/flow.fakes.ts'
import { mount } from './mount.ts'
import CustomerMigration from './CustomerMigration.vue'

let http: FakeFetch
let el: HTMLElement
const cleanup: (() => void)[] = []

beforeEach(() => {
  // each test is a fresh page: no pinia left active by the one before
  setActivePinia(undefined)
  http = fakeFetch().on('GET /imports', { body: list([]) })
  vi.stubGlobal('fetch', http.fn)
  el = document.createElement('div')
  document.body.append(el)
})
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
  el.remove()
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
})

/** message keys shown as text: what a lazy screen must never flash */
const RAW_KEY = /\b(app|imports|flow|platform|connection|shops|details|buffer|status)\.[a-zA-Z]+/

function hostApp(setup?: (app: App) => void): App {
  const app = createApp({ render: () => h(CustomerMigration, { apiBase: API_BASE, locale: 'pl' }) })
  app.config.errorHandler = (e) => {
    throw e
  }
  setup?.(app)
  app.mount(el)
  cleanup.push(() => app.unmount())
  return app
}

describe('the exposed entries', () => {
  it('mount(el, props) shows the first screen at once, and a lazy screen with its texts', async () => {
    http.on('GET /platforms', { body: { items: PLATFORMS } })
    cleanup.push(mount(el, { apiBase: API_BASE, locale: 'pl' }))
    expect(el.querySelector('h2')?.textContent).toBe('Migracja klientów z innego sklepu')
    await flushPromises()
    el.querySelector<HTMLButtonElement>('.cm-btn--primary')!.click()
    await flushPromises()
    expect(el.textContent).not.toMatch(RAW_KEY)
    await vi.waitFor(() => expect(el.querySelector('h2')?.textContent).toBe('Wybierz platformę sklepu źródłowego'))
    expect(el.textContent).not.toMatch(RAW_KEY)
    // the screen took the focus as it did before it was lazy
    await vi.waitFor(() => expect(document.activeElement?.textContent).toBe('Wybierz platformę sklepu źródłowego'))
  })

  it('the Vue component renders in a host with neither vue-i18n nor pinia', async () => {
    hostApp()
    await flushPromises()
    expect(el.querySelector('h2')?.textContent).toBe('Migracja klientów z innego sklepu')
    expect(el.textContent).not.toMatch(RAW_KEY)
  })

  it("the Vue component keeps its own texts in a host with its own vue-i18n, and leaves the host's alone", async () => {
    const hostI18n = createI18n({ legacy: false, locale: 'en', messages: { en: { imports: { title: 'HOST TITLE' } } } })
    hostApp((app) => app.use(hostI18n))
    await flushPromises()
    expect(el.querySelector('h2')?.textContent).toBe('Migracja klientów z innego sklepu')
    expect(hostI18n.global.t('imports.title')).toBe('HOST TITLE')
    expect(hostI18n.global.locale.value).toBe('en')
  })
})
