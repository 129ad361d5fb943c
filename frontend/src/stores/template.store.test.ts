import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { DEFAULT_TEMPLATE } from '@cm/contracts'
import { configureApi } from '../api/client.ts'
import { API_BASE, stubFetch, type FetchStub } from './buffer.fetch-stub.ts'
import { useTemplateStore } from './template.store.ts'

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

const shops = { items: [{ id: 's1', name: 'Sklep Główny', language: 'pl', currency: 'PLN' }, { id: 's2', name: 'Outlet', language: 'pl', currency: 'PLN' }] }
const template = (shopId: string, over = {}) => ({ shopId, ...DEFAULT_TEMPLATE, updatedAt: null, placeholders: [], editable: true, ...over })

async function opened(shopId?: string) {
  api.on('GET', '/shops', shops)
  api.on('GET', `/templates/${shopId ?? 's1'}/customer-imported`, template(shopId ?? 's1'))
  const s = useTemplateStore()
  await s.open(shopId)
  return s
}

describe('template store', () => {
  it('opens the asked shop (or the first one) with its template', async () => {
    const s = await opened('s2')
    expect(s.shop?.name).toBe('Outlet')
    expect(s.subject).toBe(DEFAULT_TEMPLATE.subject)
    expect(s.dirty).toBe(false)
    expect(s.valid).toBe(true)
  })

  it('checks the drafts with UpdateTemplateRequest: subject required, body needs the set-password link', async () => {
    const s = await opened()
    s.subject = '  '
    s.body = 'Witaj {{firstName}}'
    expect(s.issues).toEqual({ subject: 'required', body: 'missingLink' })
    expect(await s.save()).toBe(false)
    expect(api.made('PUT', '/templates/s1/customer-imported')).toHaveLength(0)
  })

  it('Zapisz: PUT subject and body', async () => {
    const s = await opened()
    s.subject = 'Nowe konto'
    api.on('PUT', '/templates/s1/customer-imported', (c) => template('s1', { ...(c.body as object), updatedAt: '2025-05-13T10:00:00.000Z' }))
    expect(await s.save()).toBe(true)
    expect(api.made('PUT', '/templates/s1/customer-imported')[0]!.body).toEqual({ subject: 'Nowe konto', body: DEFAULT_TEMPLATE.body })
    expect(s.dirty).toBe(false)
    expect(s.savedAt).toBe('2025-05-13T10:00:00.000Z')
  })

  it('a 403 on Zapisz (an operator) makes the page read-only', async () => {
    const s = await opened()
    s.subject = 'Nowe konto'
    api.on('PUT', '/templates/s1/customer-imported', { error: { code: 'FORBIDDEN', message: 'forbidden' } }, { status: 403 })
    expect(await s.save()).toBe(false)
    expect(s.readOnly).toBe(true)
    expect(s.subject).toBe(DEFAULT_TEMPLATE.subject)
    expect(s.saveError).toBeNull()
    expect(await s.save()).toBe(false)
    expect(api.made('PUT', '/templates/s1/customer-imported')).toHaveLength(1)
  })

  it('a caller the API marks as not allowed to edit sees it read-only from the start, and Zapisz sends nothing', async () => {
    const s = await opened()
    api.on('GET', '/templates/s2/customer-imported', template('s2', { editable: false }))
    await s.selectShop('s2')
    expect(s.readOnly).toBe(true)
    s.subject = 'Nowe konto'
    expect(await s.save()).toBe(false)
    expect(api.made('PUT', '/templates/s2/customer-imported')).toHaveLength(0)
  })

  it('switching the shop loads its template', async () => {
    const s = await opened()
    api.on('GET', '/templates/s2/customer-imported', template('s2', { subject: 'Outlet: konto' }))
    await s.selectShop('s2')
    expect(s.subject).toBe('Outlet: konto')
  })
})
