import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { DEFAULT_TEMPLATE } from '@cm/contracts'
import { configureApi } from '../api/client.ts'
import { createModuleI18n } from '../i18n/index.ts'
import { API_BASE, stubFetch, type FetchStub } from '../stores/buffer.fetch-stub.ts'
import TemplateView from './TemplateView.vue'

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

const shops = { items: [{ id: 's1', name: 'Sklep Główny', language: 'pl', currency: 'PLN' }] }
const template = { shopId: 's1', ...DEFAULT_TEMPLATE, updatedAt: null, placeholders: [], editable: true }

async function mountView() {
  api.on('GET', '/shops', shops)
  api.on('GET', '/templates/s1/customer-imported', template)
  const w = mount(TemplateView, { props: { shopId: 's1' }, global: { plugins: [createPinia(), createModuleI18n('pl')] }, attachTo: document.body })
  mounted.push(w)
  await flushPromises()
  return w
}

describe('TemplateView: Mail po zaimportowaniu klientów przez support', () => {
  it('shows the breadcrumb with the shop and the heading', async () => {
    const w = await mountView()
    expect(w.get('h2').text()).toBe('Mail po zaimportowaniu klientów przez support')
    expect(w.findAll('nav li').map((li) => li.text())).toEqual([
      'Administracja',
      'Konfiguracja wiadomości transakcyjnych',
      'Sklep Główny',
      'Klienci',
      'Zarządzanie kontem',
      'Mail po zaimportowaniu klientów przez support',
    ])
    expect(w.get('nav li:last-child').attributes('aria-current')).toBe('page')
  })

  it('previews with sample data and inserts placeholders at the caret', async () => {
    const w = await mountView()
    expect(w.get('aside').text()).toContain('Twoje konto w sklepie Sklep Główny czeka na Ciebie')
    const subject = w.get<HTMLInputElement>('input[name="subject"]')
    await subject.setValue('Witaj ')
    subject.element.setSelectionRange(6, 6)
    await subject.trigger('keyup')
    await w.get('[data-placeholder="firstName"]').trigger('click')
    expect(subject.element.value).toBe('Witaj {{firstName}}')
    expect(w.get('aside').text()).toContain('Witaj Anna')
  })

  it('the body must contain {{setPasswordLink}}', async () => {
    const w = await mountView()
    await w.get('textarea[name="body"]').setValue('Dzień dobry {{firstName}}')
    expect(w.text()).toContain('Treść musi zawierać pole Link do ustawienia hasła ({{setPasswordLink}})')
    expect(w.get('textarea[name="body"]').attributes('aria-invalid')).toBe('true')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(api.made('PUT', '/templates/s1/customer-imported')).toHaveLength(0)
  })

  it('Zapisz: PUT /templates/:shopId/customer-imported', async () => {
    const w = await mountView()
    await w.get('input[name="subject"]').setValue('Nowe konto w {{shopName}}')
    api.on('PUT', '/templates/s1/customer-imported', { ...template, subject: 'Nowe konto w {{shopName}}', updatedAt: '2025-05-13T10:00:00.000Z' })
    await w.get('[data-action="save"]').trigger('click')
    await flushPromises()
    expect(api.made('PUT', '/templates/s1/customer-imported')[0]!.body).toEqual({ subject: 'Nowe konto w {{shopName}}', body: DEFAULT_TEMPLATE.body })
    expect(w.text()).toContain('Zapisano szablon.')
  })

  it('403 (operator): the fields turn read-only with the reason', async () => {
    const w = await mountView()
    await w.get('input[name="subject"]').setValue('Zmiana')
    api.on('PUT', '/templates/s1/customer-imported', { error: { code: 'FORBIDDEN', message: 'forbidden' } }, { status: 403 })
    await w.get('[data-action="save"]').trigger('click')
    await flushPromises()
    expect(w.text()).toContain('Zmiana tego szablonu wymaga uprawnień administratora.')
    expect(w.get('input[name="subject"]').attributes('readonly')).toBeDefined()
    expect(w.get<HTMLInputElement>('input[name="subject"]').element.value).toBe(DEFAULT_TEMPLATE.subject)
    expect(w.get('textarea[name="body"]').attributes('readonly')).toBeDefined()
    expect(w.get<HTMLButtonElement>('[data-action="save"]').element.disabled).toBe(true)
  })
})
