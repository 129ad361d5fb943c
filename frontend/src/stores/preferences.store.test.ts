import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { configureApi } from '../api/client.ts'
import { API_BASE, stubFetch, type FetchStub } from './buffer.fetch-stub.ts'
import { usePreferencesStore } from './preferences.store.ts'

let api: FetchStub
beforeEach(() => {
  setActivePinia(createPinia())
  configureApi(API_BASE)
  api = stubFetch()
})
afterEach(() => {
  api.assertNoUnexpected()
  vi.unstubAllGlobals()
})

describe('preferences store', () => {
  it('reads confirmBeforeImport once, however many ask at the same time', async () => {
    api.on('GET', '/preferences', { confirmBeforeImport: false })
    const prefs = usePreferencesStore()
    await Promise.all([prefs.load(), prefs.load()])
    await prefs.load()
    expect(prefs.confirmBeforeImport).toBe(false)
    expect(api.made('GET', '/preferences')).toHaveLength(1)
  })

  it('Nie pytaj mnie ponownie o potwierdzenie: PUT confirmBeforeImport=false', async () => {
    api.on('PUT', '/preferences', { confirmBeforeImport: false })
    const prefs = usePreferencesStore()
    await prefs.setConfirmBeforeImport(false)
    expect(api.made('PUT', '/preferences')[0]!.body).toEqual({ confirmBeforeImport: false })
    expect(prefs.confirmBeforeImport).toBe(false)
    expect(prefs.loaded).toBe(true)
  })
})
