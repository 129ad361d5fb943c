import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { configureApi } from '../api/client.ts'
import { API_BASE, importDetails, importedRow, list, stubFetch, type FetchStub } from './buffer.fetch-stub.ts'
import { useImportedStore } from './imported.store.ts'
import { POLL_MS } from './settle.poller.ts'

let api: FetchStub
beforeEach(() => {
  setActivePinia(createPinia())
  configureApi(API_BASE)
  api = stubFetch()
})
afterEach(() => {
  api.assertNoUnexpected()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

async function opened() {
  api.on('GET', '/imports/3/imported', list([importedRow('1'), importedRow('2', { notified: true, notifiedAt: '2025-05-13T08:00:00.000Z' })], 2))
  api.on('GET', '/imports/3', importDetails('3', { imported: 2, notified: 1 }))
  const s = useImportedStore()
  await s.open('3')
  return s
}

describe('imported store', () => {
  it('lists Klienci zaimportowani with the import (its shop for the template)', async () => {
    const s = await opened()
    expect(s.items).toHaveLength(2)
    expect(s.summary?.shops[0]?.id).toBe('s1')
    expect(api.made('GET', '/imports/3/imported')[0]!.query).toEqual({ limit: '50' })
  })

  it('filters by notified and searches', async () => {
    const s = await opened()
    api.on('GET', '/imports/3/imported', list([importedRow('1')], 1), { query: { notified: 'false', q: 'anna' } })
    await s.setQuery({ notified: 'false', q: 'anna' })
    expect(s.total).toBe(1)
  })

  it('Wyślij powiadomienie do zaznaczonych: {ids}; already informed ones are reported, not re-sent', async () => {
    const s = await opened()
    s.toggle('1')
    s.toggle('2')
    api.on('POST', '/imports/3/imported/notify', {
      results: [
        { id: '1', sent: true, alreadyNotified: false },
        { id: '2', sent: false, alreadyNotified: true },
      ],
      sent: 1,
      failed: 0,
      queued: 0,
    })
    api.on('GET', '/imports/3/imported', list([importedRow('1', { notified: true })], 2))
    api.on('GET', '/imports/3', importDetails('3', { imported: 2, notified: 2 }))
    const r = await s.notify([...s.selected])
    expect(api.made('POST', '/imports/3/imported/notify')[0]!.body).toEqual({ ids: ['1', '2'] })
    expect(r).toEqual({ sent: 1, failed: 0, alreadyNotified: 1 })
    expect(s.selectedCount).toBe(0)
  })

  it('Wyślij ponownie sends resend:true', async () => {
    const s = await opened()
    api.on('POST', '/imports/3/imported/notify', { results: [{ id: '2', sent: true, alreadyNotified: false }], sent: 1, failed: 0, queued: 0 })
    api.on('GET', '/imports/3/imported', list([], 0))
    api.on('GET', '/imports/3', importDetails('3'))
    await s.notify(['2'], true)
    expect(api.made('POST', '/imports/3/imported/notify')[0]!.body).toEqual({ ids: ['2'], resend: true })
  })

  it('Wyślij do wszystkich niepoinformowanych: {all:true} → W kolejce until nobody is left', async () => {
    const s = await opened()
    vi.useFakeTimers()
    api.on('POST', '/imports/3/imported/notify', { results: [], sent: 0, failed: 0, queued: 1 }, { status: 202 })
    await s.notifyAll()
    expect(api.made('POST', '/imports/3/imported/notify')[0]!.body).toEqual({ all: true })
    expect(s.queued).toBe(1)
    api.on('GET', '/imports/3/imported', list([], 0), { query: { notified: 'false', limit: '1' } })
    api.on('GET', '/imports/3/imported', list([importedRow('1', { notified: true })], 2))
    api.on('GET', '/imports/3', importDetails('3', { imported: 2, notified: 2 }))
    await vi.advanceTimersByTimeAsync(POLL_MS)
    expect(s.queued).toBe(0)
  })

  it('Podgląd wiadomości reads the preview of one customer', async () => {
    const s = await opened()
    api.on('GET', '/imports/3/imported/1/preview', { to: 'klient1@example.pl', subject: 'Konto', text: 'Dzień dobry', shopId: 's1' })
    expect((await s.preview('1')).to).toBe('klient1@example.pl')
  })
})
