import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { configureApi } from '../api/client.ts'
import { useNavStore } from '../stores/nav.store.ts'
import { API_BASE, PLATFORM_LIST, fakeFetch, viewPlugins, type FakeFetch } from '../stores/flow.fakes.ts'
import PlatformView from './PlatformView.vue'

let http: FakeFetch
let w: VueWrapper | null = null

beforeEach(() => {
  configureApi(API_BASE)
  // a backend without a connector for one platform announces it as not available yet
  http = fakeFetch().on('GET /platforms', { body: { items: PLATFORM_LIST.map((p) => (p.id === 'magento2' ? { ...p, available: false } : p)) } })
  vi.stubGlobal('fetch', http.fn)
})
afterEach(() => {
  w?.unmount()
  w = null
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
})

describe('PlatformView', () => {
  it('offers the platforms as radio cards; the ones not ready are disabled with "wkrótce"', async () => {
    w = mount(PlatformView, { global: { plugins: viewPlugins() }, attachTo: document.body })
    await flushPromises()
    expect(w.get('legend').text()).toBe('Wybierz jedną z dostępnych platform, aby przejść do konfiguracji połączenia z jej API')
    const radios = w.findAll<HTMLInputElement>('input[type="radio"]')
    expect(radios).toHaveLength(5)
    const shoper = w.get('[data-platform="shoper"] input').element as HTMLInputElement
    expect(shoper.disabled).toBe(false)
    const magento = w.get('[data-platform="magento2"]')
    expect((magento.get('input').element as HTMLInputElement).disabled).toBe(true)
    expect(magento.text()).toContain('wkrótce')
    expect(document.activeElement).toBe(w.get('h2').element)
  })

  it('goes on to the connection form of the chosen platform', async () => {
    w = mount(PlatformView, { global: { plugins: viewPlugins() }, attachTo: document.body })
    await flushPromises()
    await w.get('[data-platform="shoper"] input').setValue(true)
    await w.get('form').trigger('submit')
    expect(useNavStore().screen).toEqual({ name: 'connection', platform: 'shoper' })
  })
})
