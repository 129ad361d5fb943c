/** Platforms, shops, the template (admin only to change) and the admin's preference, through app.request(). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TEMPLATE, type Template } from '@cm/contracts'
import { startTestModule } from '../testing/test-module.ts'

let t: Awaited<ReturnType<typeof startTestModule>>
beforeAll(async () => (t = await startTestModule()))
afterAll(async () => t.close())

describe('who may call', () => {
  it('nobody signed in gets 401 with the error envelope', async () => {
    const r = await t.json<{ error: { code: string; message: string } }>(null, '/platforms')
    expect(r.status).toBe(401)
    expect(r.body.error.code).toBe('UNAUTHENTICATED')
    expect(r.body.error.message).toMatch(/Zaloguj/)
  })
  it('a user without the import permission gets 403', async () => {
    expect((await t.json('viewer', '/imports')).status).toBe(403)
  })
  it('English callers get English messages', async () => {
    const r = await t.json<{ error: { message: string } }>(null, '/platforms', { headers: { 'accept-language': 'en-GB' } })
    expect(r.body.error.message).toMatch(/sign in/)
  })
})

describe('step 2 and 4: platforms and shops', () => {
  it('lists all five platforms as available with their credential fields', async () => {
    const r = await t.json<{ items: Array<{ id: string; available: boolean; credentialFields: Array<{ name: string; help?: { pl: string; en: string } }> }> }>('operator', '/platforms')
    const fields = (id: string) => r.body.items.find((p) => p.id === id)!.credentialFields.map((f) => f.name)
    expect(fields('shoper')).toEqual(['domain', 'login', 'password'])
    expect(fields('woocommerce')).toEqual(['domain', 'consumerKey', 'consumerSecret'])
    expect(fields('prestashop')).toEqual(['domain', 'apiKey'])
    expect(fields('shopify')).toEqual(['domain', 'clientId', 'clientSecret', 'accessToken'])
    expect(fields('magento2')).toEqual(['domain', 'consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret'])
    expect(r.body.items.filter((p) => p.available).map((p) => p.id)).toEqual(['shoper', 'woocommerce', 'prestashop', 'shopify', 'magento2'])
    // where the keys are made: every key field says so, in both languages
    for (const id of ['woocommerce', 'prestashop']) {
      for (const f of r.body.items.find((p) => p.id === id)!.credentialFields.filter((x) => x.name !== 'domain')) {
        expect(f.help?.pl.length ?? 0, `${id}.${f.name}`).toBeGreaterThan(30)
        expect(f.help?.en.length ?? 0, `${id}.${f.name}`).toBeGreaterThan(30)
      }
    }
  })
  it('lists the panel shops', async () => {
    const r = await t.json<{ items: Array<{ id: string; name: string }> }>('operator', '/shops')
    expect(r.body.items.map((s) => s.name)).toEqual(['Sklep główny', 'Outlet'])
  })
  it('refuses an import to a shop the panel does not have (422) and a malformed one (400)', async () => {
    const body = { credentials: { platform: 'shoper', domain: 'https://sklep1.shoparena.pl', login: 'a', password: 'b' }, shopIds: ['99'] }
    expect((await t.json('operator', '/imports', { method: 'POST', body: JSON.stringify(body) })).status).toBe(422)
    const bad = await t.json<{ error: { code: string } }>('operator', '/imports', { method: 'POST', body: '{"credentials":' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
  })
})

describe('the template Mail po zaimportowaniu klientów przez support', () => {
  it('starts from the default, with the set-password link', async () => {
    const r = await t.json<Template>('operator', '/templates/1/customer-imported')
    expect(r.body).toMatchObject({ shopId: '1', subject: DEFAULT_TEMPLATE.subject, updatedAt: null, editable: false })
    expect((await t.json<Template>('admin', '/templates/1/customer-imported')).body).toMatchObject({ editable: true })
    expect(r.body.body).toContain('{{setPasswordLink}}')
  })
  it('the operator cannot change it; the admin can; a body without the link is refused', async () => {
    const change = { subject: 'Witamy w {{shopName}}', body: 'Ustaw hasło: {{setPasswordLink}}' }
    expect((await t.json('operator', '/templates/1/customer-imported', { method: 'PUT', body: JSON.stringify(change) })).status).toBe(403)
    const noLink = await t.json('admin', '/templates/1/customer-imported', { method: 'PUT', body: JSON.stringify({ ...change, body: 'bez linku' }) })
    expect(noLink.status).toBe(400)
    const ok = await t.json<Template>('admin', '/templates/1/customer-imported', { method: 'PUT', body: JSON.stringify(change) })
    expect(ok.status).toBe(200)
    expect((await t.json<Template>('operator', '/templates/1/customer-imported')).body.subject).toBe('Witamy w {{shopName}}')
    expect((await t.json<Template>('operator', '/templates/2/customer-imported')).body.subject).toBe(DEFAULT_TEMPLATE.subject)
  })
})

describe('Nie pytaj mnie ponownie o potwierdzenie', () => {
  it('is remembered per admin', async () => {
    expect((await t.json('operator', '/preferences')).body).toEqual({ confirmBeforeImport: true })
    await t.json('operator', '/preferences', { method: 'PUT', body: JSON.stringify({ confirmBeforeImport: false }) })
    expect((await t.json('operator', '/preferences')).body).toEqual({ confirmBeforeImport: false })
    expect((await t.json('admin', '/preferences')).body).toEqual({ confirmBeforeImport: true })
  })
})
