import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { configureApi } from '../api/client.ts'
import { createModuleI18n } from '../i18n/index.ts'
import { API_BASE, buffered, canonical, stubFetch, type FetchStub } from '../stores/buffer.fetch-stub.ts'
import { useBufferStore } from '../stores/buffer.store.ts'
import ImportDialog from './ImportDialog.vue'

let api: FetchStub
const mounted: Array<{ unmount(): void }> = []
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

function mountDialog(customers = [buffered('1'), buffered('2', {}, canonical({ sourceId: '2', email: 'anna@example.pl', firstName: 'Anna' }))]) {
  const pinia = createPinia()
  const w = mount(ImportDialog, {
    props: { customers },
    global: { plugins: [pinia, createModuleI18n('pl')] },
    attachTo: document.body,
  })
  useBufferStore(pinia).importId = '7'
  mounted.push(w)
  return w
}

const imported = (id: string) => ({ results: [{ id, ok: true, state: 'imported', errors: [] }], imported: 1, failed: 0, queued: 0 })
const input = (w: ReturnType<typeof mountDialog>, name: string) => w.get<HTMLInputElement>(`[name="${name}"]`)
const importButton = (w: ReturnType<typeof mountDialog>) => w.get<HTMLButtonElement>('[data-action="import"]')

describe('ImportDialog', () => {
  it('shows the customer with focus in the first field', async () => {
    const w = mountDialog()
    await flushPromises()
    expect(w.text()).toContain('Sprawdź dane przed importem (1 z 2)')
    expect(input(w, 'login').element.value).toBe('jankowalski')
    expect(input(w, 'postcode').element.value).toBe('00-950')
    expect(document.activeElement).toBe(input(w, 'login').element)
    expect(w.text()).toContain('Nie pytaj mnie ponownie o potwierdzenie')
  })

  it('an invalid postcode for PL shows POSTCODE_INVALID next to the field and disables Importuj; fixing it enables it', async () => {
    const w = mountDialog()
    expect(importButton(w).element.disabled).toBe(false)
    await input(w, 'postcode').setValue('12345')
    const field = input(w, 'postcode').element.closest('.cm-cf-field')!
    expect(field.textContent).toContain('Kod pocztowy nie pasuje do kraju PL. Popraw kod (dla Polski: 00-000) lub kraj.')
    expect(input(w, 'postcode').attributes('aria-invalid')).toBe('true')
    const describedBy = input(w, 'postcode').attributes('aria-describedby')!
    expect(document.getElementById(describedBy.split(' ')[0]!)?.textContent).toContain('Kod pocztowy nie pasuje')
    expect(importButton(w).element.disabled).toBe(true)
    await input(w, 'postcode').setValue('12-345')
    expect(field.textContent).not.toContain('Kod pocztowy nie pasuje')
    expect(importButton(w).element.disabled).toBe(false)
  })

  it('Importuj sends only the changed fields, then moves to the next ticked customer', async () => {
    const w = mountDialog()
    await input(w, 'city').setValue('Kraków')
    await input(w, 'phone').setValue('+48 600 700 800')
    api.on('POST', '/imports/7/buffer/import', imported('1'))
    importButton(w).element.focus()
    await importButton(w).trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/7/buffer/import').map((c) => c.body)).toEqual([
      { ids: ['1'], edits: { '1': { phone: '+48 600 700 800', billingAddress: { city: 'Kraków' } } } },
    ])
    expect(w.text()).toContain('(2 z 2)')
    expect(input(w, 'firstName').element.value).toBe('Anna')
    expect(document.activeElement).toBe(input(w, 'login').element)
  })

  it('an unchanged customer is imported with {ids} only', async () => {
    const w = mountDialog([buffered('1')])
    api.on('POST', '/imports/7/buffer/import', imported('1'))
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(api.made('POST', '/imports/7/buffer/import')[0]!.body).toEqual({ ids: ['1'] })
    expect(w.emitted('done')![0]).toEqual([{ handled: ['1'], imported: 1, failed: 0, skipped: 0 }])
  })

  it('Enter in a field imports only a valid customer', async () => {
    const w = mountDialog([buffered('1')])
    await input(w, 'email').setValue('zly-adres')
    await input(w, 'email').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(api.made('POST', '/imports/7/buffer/import')).toHaveLength(0)
    expect(w.text()).toContain('Adres e-mail jest nieprawidłowy')
    await input(w, 'email').setValue('jan@example.pl')
    api.on('POST', '/imports/7/buffer/import', imported('1'))
    await input(w, 'email').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    // the login followed the e-mail (the source has none), so it is not an edit of its own
    expect(api.made('POST', '/imports/7/buffer/import')[0]!.body).toEqual({ ids: ['1'], edits: { '1': { email: 'jan@example.pl' } } })
  })

  it('Pomiń calls skip and moves on; the summary counts it', async () => {
    const w = mountDialog()
    api.on('POST', '/imports/7/buffer/skip', { skipped: 1 })
    await w.get('[data-action="skip"]').trigger('click')
    await flushPromises()
    expect(api.made('POST', '/imports/7/buffer/skip')[0]!.body).toEqual({ ids: ['1'] })
    expect(w.text()).toContain('(2 z 2)')
    api.on('POST', '/imports/7/buffer/skip', { skipped: 1 })
    await w.get('[data-action="skip"]').trigger('click')
    await flushPromises()
    expect(w.emitted('done')![0]).toEqual([{ handled: ['1', '2'], imported: 0, failed: 0, skipped: 2 }])
  })

  it('Nie pytaj mnie ponownie o potwierdzenie: PUT /preferences, then the rest goes at once', async () => {
    const w = mountDialog([buffered('1'), buffered('2'), buffered('3')])
    await w.get('[name="dontAsk"]').setValue(true)
    api.on('PUT', '/preferences', { confirmBeforeImport: false })
    api.on('POST', '/imports/7/buffer/import', imported('1'))
    api.on('POST', '/imports/7/buffer/import', { results: [], imported: 2, failed: 0, queued: 0 })
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(api.made('PUT', '/preferences')[0]!.body).toEqual({ confirmBeforeImport: false })
    expect(api.made('POST', '/imports/7/buffer/import').map((c) => c.body)).toEqual([{ ids: ['1'] }, { ids: ['2', '3'] }])
    expect(w.emitted('done')![0]).toEqual([{ handled: ['1', '2', '3'], imported: 3, failed: 0, skipped: 0 }])
  })

  it('a failed request keeps the customer in the dialog and says what happened', async () => {
    const w = mountDialog([buffered('1')])
    api.on('POST', '/imports/7/buffer/import', { error: { code: 'IMPORT_STATE_CONFLICT', message: 'conflict' } }, { status: 409 })
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[role="alert"]').text()).toBe('Ta operacja nie jest możliwa w obecnym statusie importu.')
    expect(w.emitted('done')).toBeUndefined()
  })

  it('shows the other addresses read-only and a clash from the last attempt next to the e-mail', async () => {
    const c = canonical({ sourceId: '1' })
    c.addresses.push({ ...c.addresses[0]!, street: 'Krótka 5', city: 'Gdańsk', postcode: '80-001', isDefaultBilling: false, isDefaultShipping: false })
    const w = mountDialog([buffered('1', { state: 'failed', errors: [{ code: 'EMAIL_TAKEN', field: 'email', message: 'x' }] }, c)])
    expect(w.text()).toContain('Pozostałe adresy (tylko do odczytu)')
    expect(w.text()).toContain('Krótka 5, 80-001 Gdańsk')
    const emailField = input(w, 'email').element.closest('.cm-cf-field')!
    expect(emailField.textContent).toContain('Poprzednia próba importu: Ten e-mail jest już używany przez innego klienta sklepu.')
    expect(importButton(w).element.disabled).toBe(false)
  })

  it('Anuluj closes and reports what was done', async () => {
    const w = mountDialog()
    await w.findAll('button').find((b) => b.text() === 'Anuluj')!.trigger('click')
    expect(w.emitted('done')![0]).toEqual([{ handled: [], imported: 0, failed: 0, skipped: 0 }])
  })
})
