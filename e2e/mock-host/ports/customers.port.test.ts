import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MikroORM } from '@mikro-orm/core'
import type { CustomersPort, NewPanelCustomer } from '@cm/backend'
import { PanelCustomerShop } from '../db/customer-shop.entity.ts'
import { PanelCustomer } from '../db/customer.entity.ts'
import { PanelDeliveryAddress } from '../db/delivery-address.entity.ts'
import type { PanelDb } from '../orm.ts'
import { verifyPassword } from '../passwords.ts'
import { memoryPanel } from '../test-db.ts'
import { createCustomersPort } from './customers.port.ts'

function customer(n: number, over: Partial<NewPanelCustomer> = {}): NewPanelCustomer {
  return {
    externalRef: `cm:1:${n}`,
    login: `jan${n}`,
    email: `jan${n}@example.pl`,
    type: 'person',
    firstName: 'Jan',
    lastName: 'Kowalski',
    company: '',
    vatNumber: '',
    phone: '+48600700800',
    birthDate: '',
    street: 'ul. Długa 1',
    postcode: '00-001',
    city: 'Warszawa',
    countryCode: 'PL',
    language: 'pl',
    shopIds: ['1'],
    newsletterEmail: false,
    newsletterSms: false,
    deliveryAddresses: [],
    ...over,
  }
}

describe('customers port', () => {
  let orm: MikroORM
  let db: PanelDb
  let port: CustomersPort

  beforeEach(async () => {
    ;({ orm, db } = await memoryPanel())
    port = createCustomersPort(db, { publicUrl: 'http://127.0.0.1:3000' })
  })
  afterEach(() => orm.close())

  it('creates a customer with its shops and delivery addresses', async () => {
    const address = { firstName: 'Jan', lastName: 'Kowalski', company: '', street: 'ul. Krótka 2', postcode: '30-001', city: 'Kraków', countryCode: 'PL', phone: '' }
    const [r] = await port.createMany([customer(1, { shopIds: ['1', '3'], deliveryAddresses: [address] })])
    expect(r).toMatchObject({ ok: true, externalRef: 'cm:1:1' })
    const em = db.fork()
    expect(await em.count(PanelCustomerShop, {})).toBe(2)
    expect(await em.count(PanelDeliveryAddress, {})).toBe(1)
  })

  it('is idempotent on externalRef: a second call answers the same id and creates nothing', async () => {
    const first = await port.createMany([customer(1), customer(2)])
    const again = await port.createMany([customer(2), customer(1), customer(1)])
    const ids = new Map(first.map((r) => [r.externalRef, r.ok ? r.id : null]))
    expect(again.map((r) => (r.ok ? r.id : null))).toEqual([ids.get('cm:1:2'), ids.get('cm:1:1'), ids.get('cm:1:1')])
    expect(await db.fork().count(PanelCustomer, {})).toBe(2)
    expect(await db.fork().count(PanelCustomerShop, {})).toBe(2)
  })

  it('finds by e-mail whatever the letter case', async () => {
    await port.createMany([customer(1, { email: 'Anna.Nowak@Example.PL' })])
    const found = await port.findByEmails(['anna.nowak@example.pl', 'ANNA.NOWAK@EXAMPLE.PL', 'nobody@example.pl'])
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ email: 'Anna.Nowak@Example.PL', login: 'jan1', externalRef: 'cm:1:1' })
    expect(await port.findByLogins(['jan1'])).toHaveLength(1)
    expect(await port.findByExternalRefs(['cm:1:1', 'cm:9:9'])).toHaveLength(1)
  })

  it('refuses a taken login with LOGIN_TAKEN and still creates the rest of the batch', async () => {
    await port.createMany([customer(1, { login: 'jan' })])
    const res = await port.createMany([customer(2, { login: 'jan' }), customer(3)])
    expect(res[0]).toEqual({ externalRef: 'cm:1:2', ok: false, errors: [{ code: 'LOGIN_TAKEN', field: 'login' }] })
    expect(res[1]).toMatchObject({ ok: true, externalRef: 'cm:1:3' })
  })

  it('refuses an e-mail another customer has (any case), also within one batch', async () => {
    await port.createMany([customer(1, { email: 'ewa@example.pl' })])
    const res = await port.createMany([customer(2, { email: 'EWA@example.pl' }), customer(3, { email: 'x@example.pl' }), customer(4, { email: 'X@example.pl' })])
    expect(res.map((r) => (r.ok ? 'ok' : r.errors.map((e) => e.code).join()))).toEqual(['EMAIL_TAKEN', 'ok', 'EMAIL_TAKEN'])
  })

  it('reports unknown shops and over-long fields as data, not exceptions', async () => {
    const res = await port.createMany([customer(1, { shopIds: ['99'] }), customer(2, { city: 'x'.repeat(101) }), customer(3, { shopIds: [] })])
    expect(res[0]).toMatchObject({ ok: false, errors: [{ code: 'SHOP_INVALID' }] })
    expect(res[1]).toMatchObject({ ok: false, errors: [{ code: 'FIELD_TOO_LONG', field: 'city' }] })
    expect(res[2]).toMatchObject({ ok: false, errors: [{ code: 'SHOP_INVALID' }] })
    expect(await db.fork().count(PanelCustomer, {})).toBe(0)
  })

  it('builds the set-password link and stores a scrypt hash', async () => {
    expect(port.setPasswordUrl('2', 'a b+c')).toBe('http://127.0.0.1:3000/konto/ustaw-haslo?shop=2&token=a+b%2Bc')
    const [r] = await port.createMany([customer(1)])
    if (!r?.ok) throw new Error('not created')
    await port.setPassword(r.id, 'Zażółć123!')
    const row = await db.fork().findOneOrFail(PanelCustomer, { id: Number(r.id) })
    expect(row.passwordHash).toMatch(/^scrypt\$/)
    expect(await verifyPassword('Zażółć123!', row.passwordHash!)).toBe(true)
    expect(await verifyPassword('wrong', row.passwordHash!)).toBe(false)
  })
})
