import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { configureApi } from '../api/client.ts'
import { useNavStore } from '../stores/nav.store.ts'
import { useWizardStore } from '../stores/wizard.store.ts'
import { useImportsStore } from '../stores/imports.store.ts'
import { API_BASE, PLATFORM_LIST, SHOPS, details, fakeFetch, viewPlugins, type FakeFetch } from '../stores/flow.fakes.ts'
import ShopsView from './ShopsView.vue'

let http: FakeFetch
let w: VueWrapper | null = null

beforeEach(() => {
  configureApi(API_BASE)
  http = fakeFetch()
    .on('GET /platforms', { body: { items: PLATFORM_LIST } })
    .on('GET /shops', { body: { items: SHOPS } })
  vi.stubGlobal('fetch', http.fn)
})
afterEach(() => {
  w?.unmount()
  w = null
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
})

/** the wizard as it is after a good connection check */
async function open() {
  const plugins = viewPlugins()
  http.once('POST /connections/check', { body: { ok: true } })
  const wiz = useWizardStore()
  await wiz.loadPlatforms()
  wiz.choosePlatform('shoper')
  wiz.setField('domain', 'https://sklep1.shoparena.pl')
  wiz.setField('login', 'api')
  wiz.setField('password', 'tajne')
  await wiz.checkConnection()
  useNavStore().go({ name: 'shops' })
  w = mount(ShopsView, { global: { plugins }, attachTo: document.body })
  await flushPromises()
  return w
}
const boxes = (v: VueWrapper) => v.findAll<HTMLInputElement>('input[type="checkbox"]')
const submit = (v: VueWrapper) => v.get<HTMLButtonElement>('[data-testid="submit"]')

describe('ShopsView', () => {
  it('lists the shops with Zaznacz wszystkie as a tri-state box', async () => {
    const v = await open()
    const [all, ...shops] = boxes(v)
    expect(all!.element.closest('label')!.textContent).toContain('Zaznacz wszystkie')
    expect(shops).toHaveLength(3)
    await shops[1]!.setValue(true)
    expect(all!.element.indeterminate).toBe(true)
    expect(all!.element.checked).toBe(false)
    await all!.setValue(true)
    expect(shops.every((b) => b.element.checked)).toBe(true)
    expect(all!.element.indeterminate).toBe(false)
    expect(useWizardStore().shopIds.sort()).toEqual(['s1', 's2', 's3'])
    await all!.setValue(false)
    expect(useWizardStore().shopIds).toEqual([])
  })

  it('requires at least one shop and says why', async () => {
    const v = await open()
    await v.get('form').trigger('submit')
    await flushPromises()
    expect(http.calls('POST /imports')).toHaveLength(0)
    expect(v.get('[role="alert"]').text()).toContain('Zaznacz co najmniej jeden sklep')
  })

  it('Zapisz i zleć import queues the import and returns to the list with the new row highlighted', async () => {
    http.once('POST /imports', { status: 201, body: details({ id: '12', domain: 'https://sklep1.shoparena.pl' }) })
    const v = await open()
    expect(submit(v).text()).toBe('Zapisz i zleć import')
    await boxes(v)[2]!.setValue(true)
    await v.get('form').trigger('submit')
    await flushPromises()
    expect(http.calls('POST /imports')[0]!.body).toMatchObject({ shopIds: ['s2'], credentials: { platform: 'shoper', login: 'api' } })
    expect(useNavStore().screen).toEqual({ name: 'imports' })
    expect(useImportsStore().highlightId).toBe('12')
    expect(useWizardStore().credentials).toEqual({})
  })

  it.each([
    [409, 'IMPORT_ALREADY_RUNNING', 'Import z tego sklepu już trwa.'],
    [422, 'SOURCE_ADDRESS_NOT_ALLOWED', 'Adres sklepu wskazuje na sieć prywatną'],
  ])('shows a refused import (%i %s) in words', async (status, code, text) => {
    http.once('POST /imports', { status, body: { error: { code, message: 'x' } } })
    const v = await open()
    await boxes(v)[1]!.setValue(true)
    await v.get('form').trigger('submit')
    await flushPromises()
    expect(v.get('[role="alert"]').text()).toContain(text)
    expect(useNavStore().screen).toEqual({ name: 'shops' })
  })

  it('an unknown shop reloads the shop list', async () => {
    http.once('POST /imports', { status: 422, body: { error: { code: 'SHOP_UNKNOWN', message: 'x' } } })
    const v = await open()
    await boxes(v)[1]!.setValue(true)
    await v.get('form').trigger('submit')
    await flushPromises()
    expect(v.text()).toContain('Wybrany sklep nie istnieje w panelu.')
    expect(http.calls('GET /shops')).toHaveLength(2)
  })
})
