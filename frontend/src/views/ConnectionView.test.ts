import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { configureApi } from '../api/client.ts'
import { useNavStore } from '../stores/nav.store.ts'
import { useWizardStore } from '../stores/wizard.store.ts'
import { API_BASE, PLATFORM_LIST, fakeFetch, viewPlugins, type FakeFetch } from '../stores/flow.fakes.ts'
import ConnectionView from './ConnectionView.vue'

let http: FakeFetch
let w: VueWrapper | null = null

beforeEach(() => {
  configureApi(API_BASE)
  http = fakeFetch().on('GET /platforms', { body: { items: PLATFORM_LIST } })
  vi.stubGlobal('fetch', http.fn)
})
afterEach(() => {
  w?.unmount()
  w = null
  expect(http.unexpected).toEqual([])
  vi.unstubAllGlobals()
})

async function open(platform = 'shoper', locale: 'pl' | 'en' = 'pl') {
  w = mount(ConnectionView, { props: { platform }, global: { plugins: viewPlugins(locale) }, attachTo: document.body })
  await flushPromises()
  return w
}
const next = (v: VueWrapper) => v.get<HTMLButtonElement>('[data-testid="next"]')
const button = (v: VueWrapper, text: string) => v.findAll('button').find((b) => b.text().trim() === text)!

async function fill(v: VueWrapper) {
  await v.get('input[name="domain"]').setValue('https://sklep989241.shoparena.pl')
  await v.get('input[name="login"]').setValue('api')
  await v.get('input[name="password"]').setValue('tajne')
}

describe('ConnectionView', () => {
  it('renders the platform’s fields with labels, placeholder and help', async () => {
    const v = await open()
    expect(v.get('h2').text()).toBe('Połączenie z API sklepu Shoper')
    const domain = v.get<HTMLInputElement>('input[name="domain"]')
    expect(domain.attributes('placeholder')).toBe('https://sklep989241.shoparena.pl')
    expect(v.get(`label[for="${domain.attributes('id')}"]`).text()).toBe('Domena sklepu')
    const login = v.get('input[name="login"]')
    expect(document.getElementById(login.attributes('aria-describedby')!)?.textContent).toContain('uprawnieniami odczytu i zapisu')
    expect(v.get('input[name="password"]').attributes('type')).toBe('password')
    expect(document.activeElement).toBe(v.get('h2').element)
  })

  it('Przejdź dalej stays disabled until a good check, and again after a field changes', async () => {
    http.once('POST /connections/check', { body: { ok: true, shopName: 'Sklep Ani', customerCount: 1234 } })
    const v = await open()
    expect(next(v).element.disabled).toBe(true)
    await fill(v)
    expect(next(v).element.disabled).toBe(true)

    await button(v, 'Sprawdź połączenie').trigger('click')
    await flushPromises()
    const ok = v.get('[data-testid="check-ok"]')
    expect(ok.text()).toContain('Połączenie poprawne')
    expect(ok.text()).toContain('Sklep: Sklep Ani')
    expect(ok.text()).toContain('1234 klientów w sklepie')
    expect(next(v).element.disabled).toBe(false)

    await v.get('input[name="password"]').setValue('inne')
    expect(next(v).element.disabled).toBe(true)
    expect(v.find('[data-testid="check-ok"]').exists()).toBe(false)
    expect(v.text()).toContain('Sprawdź połączenie ponownie')
  })

  it('Enter in a field runs the check; the button is disabled and shows a spinner meanwhile', async () => {
    let release!: () => void
    http.once('POST /connections/check', () => new Promise((r) => (release = () => r({ body: { ok: true } }))))
    const v = await open()
    await fill(v)
    await v.get('form').trigger('submit')
    await vi.waitFor(() => expect(release).toBeTypeOf('function'))
    const check = v.get<HTMLButtonElement>('[data-testid="check"]')
    expect(check.element.disabled).toBe(true)
    expect(check.find('.cm-spinner').exists()).toBe(true)
    release()
    await flushPromises()
    expect(check.element.disabled).toBe(false)
    expect(http.calls('POST /connections/check')).toHaveLength(1)
  })

  it('shows Połączenie niepoprawne in red with the reason, as an alert', async () => {
    http.once('POST /connections/check', { body: { ok: false, error: { code: 'SOURCE_AUTH_FAILED', message: 'wrong' } } })
    const v = await open()
    await fill(v)
    await button(v, 'Sprawdź połączenie').trigger('click')
    await flushPromises()
    const failed = v.get('[data-testid="check-failed"]')
    expect(failed.attributes('role')).toBe('alert')
    expect(failed.text()).toContain('Połączenie niepoprawne')
    expect(failed.text()).toContain('Nieprawidłowy login lub hasło. Sprawdź dane użytkownika API w sklepie źródłowym.')
    expect(next(v).element.disabled).toBe(true)
  })

  it('asks for empty fields instead of sending the check', async () => {
    const v = await open()
    await v.get('input[name="domain"]').setValue('sklep.shoparena.pl')
    await v.get('form').trigger('submit')
    await flushPromises()
    expect(http.calls('POST /connections/check')).toHaveLength(0)
    expect(v.text()).toContain('Uzupełnij pole „Login”.')
    expect(v.get('input[name="login"]').attributes('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(v.get('input[name="login"]').element)
  })

  it('Przejdź dalej goes to the shops and keeps the credentials for them', async () => {
    http.once('POST /connections/check', { body: { ok: true } })
    const v = await open()
    await fill(v)
    await button(v, 'Sprawdź połączenie').trigger('click')
    await flushPromises()
    await next(v).trigger('click')
    expect(useNavStore().screen).toEqual({ name: 'shops' })
    v.unmount()
    w = null
    expect(useWizardStore().credentials.password).toBe('tajne')
  })

  it('going back forgets the credentials', async () => {
    const v = await open()
    await fill(v)
    await button(v, 'Wróć do wyboru platformy').trigger('click')
    expect(useNavStore().screen).toEqual({ name: 'platform' })
    v.unmount()
    w = null
    expect(useWizardStore().credentials).toEqual({})
  })

  it('WooCommerce: key and secret fields with help on where the keys are made, in Polish and English', async () => {
    const v = await open('woocommerce')
    expect(v.get('h2').text()).toBe('Połączenie z API sklepu WooCommerce')
    expect(v.findAll('input').map((i) => i.attributes('name'))).toEqual(['domain', 'consumerKey', 'consumerSecret'])
    const help = (name: string) => document.getElementById(v.get(`input[name="${name}"]`).attributes('aria-describedby')!)?.textContent ?? ''
    expect(help('consumerKey')).toContain('WooCommerce > Ustawienia > Zaawansowane > REST API')
    expect(help('consumerKey')).toContain('„Odczyt” wystarczy')
    expect(v.get('input[name="consumerSecret"]').attributes('type')).toBe('password')
    w?.unmount()
    const en = await open('woocommerce', 'en')
    expect(document.getElementById(en.get('input[name="consumerKey"]').attributes('aria-describedby')!)?.textContent).toContain('WooCommerce > Settings > Advanced > REST API')
  })

  it('PrestaShop: a key without the customers resource is told so in PrestaShop’s terms', async () => {
    http.once('POST /connections/check', { body: { ok: false, error: { code: 'SOURCE_API_ACCESS_DENIED', message: 'x' } } })
    const v = await open('prestashop')
    expect(v.findAll('input').map((i) => i.attributes('name'))).toEqual(['domain', 'apiKey'])
    await v.get('input[name="domain"]').setValue('https://sklep.example.pl')
    await v.get('input[name="apiKey"]').setValue('ABCDEFGHIJKLMNOPQRSTUVWXYZ123456')
    await button(v, 'Sprawdź połączenie').trigger('click')
    await flushPromises()
    expect(v.get('[data-testid="check-failed"]').text()).toContain('Klucz API nie ma uprawnień do zasobu customers')
  })

  it('Shopify: a choice of the way in; only the chosen way’s fields are shown, required and sent', async () => {
    http.once('POST /connections/check', { body: { ok: true, customerCount: 3 } })
    const v = await open('shopify')
    const modes = v.findAll<HTMLInputElement>('input[type="radio"]')
    expect(modes).toHaveLength(2)
    expect(v.text()).toContain('Sposób połączenia')
    expect(modes[0]!.element.checked).toBe(true)
    expect(v.findAll('input:not([type="radio"])').map((i) => i.attributes('name'))).toEqual(['domain', 'clientId', 'clientSecret'])
    await modes[1]!.setValue(true)
    expect(v.findAll('input:not([type="radio"])').map((i) => i.attributes('name'))).toEqual(['domain', 'accessToken'])
    const token = v.get('input[name="accessToken"]')
    expect(document.getElementById(token.attributes('aria-describedby')!)?.textContent).toContain('shpat_')
    await v.get('input[name="domain"]').setValue('https://sklep.myshopify.com')
    await token.setValue('shpat_abc')
    await button(v, 'Sprawdź połączenie').trigger('click')
    await flushPromises()
    expect(http.calls('POST /connections/check')[0]!.body).toEqual({ platform: 'shopify', domain: 'https://sklep.myshopify.com', accessToken: 'shpat_abc' })
    expect(next(v).element.disabled).toBe(false)
    // another way in makes the result stale
    await modes[0]!.setValue(true)
    expect(next(v).element.disabled).toBe(true)
  })

  it('Magento 2: the four values of an Integration, with help that names the admin token’s 2FA problem', async () => {
    const v = await open('magento2')
    expect(v.findAll('input').map((i) => i.attributes('name'))).toEqual(['domain', 'consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret'])
    expect(document.getElementById(v.get('input[name="domain"]').attributes('aria-describedby')!)?.textContent).toContain('2FA')
    expect(document.getElementById(v.get('input[name="consumerKey"]').attributes('aria-describedby')!)?.textContent).toContain('System > Rozszerzenia > Integracje')
  })
})
