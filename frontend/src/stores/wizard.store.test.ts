import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { configureApi } from '../api/client.ts'
import { useWizardStore } from './wizard.store.ts'
import { API_BASE, PLATFORM_LIST, SHOPS, details, fakeFetch, type FakeFetch } from './flow.fakes.ts'

let http: FakeFetch

beforeEach(() => {
  configureApi(API_BASE)
  setActivePinia(createPinia())
  http = fakeFetch()
  vi.stubGlobal('fetch', http.fn)
})
afterEach(() => {
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

async function connected() {
  http.on('GET /platforms', { body: { items: PLATFORM_LIST } })
  http.once('POST /connections/check', { body: { ok: true, shopName: 'Sklep Ani', customerCount: 512 } })
  const w = useWizardStore()
  await w.loadPlatforms()
  w.choosePlatform('shoper')
  w.setField('domain', 'https://sklep989241.shoparena.pl')
  w.setField('login', 'api')
  w.setField('password', 'tajne')
  await w.checkConnection()
  return w
}

describe('wizard store', () => {
  it('loads the platforms with their credential fields', async () => {
    http.on('GET /platforms', { body: { items: PLATFORM_LIST } })
    const w = useWizardStore()
    await w.loadPlatforms()
    w.choosePlatform('shoper')
    expect(w.platform?.credentialFields.map((f) => f.name)).toEqual(['domain', 'login', 'password'])
    expect(w.missingFields).toEqual(['domain', 'login', 'password'])
  })

  it('allows Przejdź dalej only after a good check, and not after a field changes', async () => {
    const w = await connected()
    expect(http.calls('POST /connections/check')[0]!.body).toEqual({
      platform: 'shoper',
      domain: 'https://sklep989241.shoparena.pl',
      login: 'api',
      password: 'tajne',
    })
    expect(w.check).toEqual({ state: 'ok', shopName: 'Sklep Ani', customerCount: 512 })
    expect(w.canContinue).toBe(true)

    w.setField('login', 'api2')
    expect(w.canContinue).toBe(false)
    expect(w.check.state).toBe('idle')
  })

  it('keeps the reason of a failed check and does not allow going on', async () => {
    http.on('GET /platforms', { body: { items: PLATFORM_LIST } })
    http.once('POST /connections/check', { body: { ok: false, error: { code: 'SOURCE_AUTH_FAILED', message: 'Nieprawidłowy login lub hasło.' } } })
    const w = useWizardStore()
    await w.loadPlatforms()
    w.choosePlatform('shoper')
    w.setField('domain', 'sklep.shoparena.pl')
    w.setField('login', 'x')
    w.setField('password', 'y')
    await w.checkConnection()
    expect(w.check).toMatchObject({ state: 'failed', code: 'SOURCE_AUTH_FAILED' })
    expect(w.canContinue).toBe(false)
  })

  it('drops an answer about credentials that were changed while it was on its way', async () => {
    let release!: () => void
    http.on('GET /platforms', { body: { items: PLATFORM_LIST } })
    http.once('POST /connections/check', () => new Promise((r) => (release = () => r({ body: { ok: true } }))))
    const w = useWizardStore()
    await w.loadPlatforms()
    w.choosePlatform('shoper')
    w.setField('domain', 'a.shoparena.pl')
    w.setField('login', 'x')
    w.setField('password', 'y')
    const pending = w.checkConnection()
    await vi.waitFor(() => expect(release).toBeTypeOf('function'))
    w.setField('password', 'z')
    release()
    await pending
    expect(w.canContinue).toBe(false)
    expect(w.check.state).toBe('idle')
  })

  it('a network failure of the check is an error, not a verdict on the credentials', async () => {
    http.on('GET /platforms', { body: { items: PLATFORM_LIST } })
    http.once('POST /connections/check', { status: 500, body: { error: { code: 'INTERNAL', message: 'x' } } })
    const w = useWizardStore()
    await w.loadPlatforms()
    w.choosePlatform('shoper')
    w.setField('domain', 'a.shoparena.pl')
    await w.checkConnection()
    expect(w.check.state).toBe('error')
  })

  it('queues the import with the checked credentials and the shops, then forgets the credentials', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem')
    const w = await connected()
    http.once('POST /imports', { status: 201, body: details({ id: '7' }) })
    w.shopIds = ['s1', 's3']
    const created = await w.submit()
    expect(created?.id).toBe('7')
    expect(http.calls('POST /imports')[0]!.body).toEqual({
      credentials: { platform: 'shoper', domain: 'https://sklep989241.shoparena.pl', login: 'api', password: 'tajne' },
      shopIds: ['s1', 's3'],
    })
    expect(w.credentials).toEqual({})
    expect(w.platformId).toBeNull()
    expect(w.shopIds).toEqual([])
    // credentials never reach the browser's storage
    expect(setItem).not.toHaveBeenCalled()
  })

  it('does not send an import without a shop', async () => {
    const w = await connected()
    w.shopIds = []
    expect(await w.submit()).toBeNull()
    expect(http.calls('POST /imports')).toHaveLength(0)
  })

  it('keeps the credentials and the coded error when the import is refused', async () => {
    const w = await connected()
    http.once('POST /imports', { status: 409, body: { error: { code: 'IMPORT_ALREADY_RUNNING', message: 'running' } } })
    w.shopIds = ['s1']
    expect(await w.submit()).toBeNull()
    expect(w.submitError).toMatchObject({ status: 409, code: 'IMPORT_ALREADY_RUNNING' })
    expect(w.credentials.password).toBe('tajne')
  })

  it('loads the shops', async () => {
    http.on('GET /shops', { body: { items: SHOPS } })
    const w = useWizardStore()
    await w.loadShops()
    expect(w.shops?.map((s) => s.id)).toEqual(['s1', 's2', 's3'])
  })

  it('another platform starts the form afresh', async () => {
    const w = await connected()
    w.choosePlatform('woocommerce')
    expect(w.credentials).toEqual({})
    expect(w.canContinue).toBe(false)
  })
})
