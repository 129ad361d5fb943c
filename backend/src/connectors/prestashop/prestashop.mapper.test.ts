/** Data-driven: every folder under fixtures/ is one case (customer + addresses → expected), plus the helpers. */
import { describe, expect, it } from 'vitest'
import { CanonicalCustomer } from '@cm/contracts'
import { buildPrestaShopLookups, deletedAddressCount, prestashopBirthDate, prestashopDateToIso } from './prestashop.mapper.ts'
import { prestashopFixtureCases } from './prestashop.testing.ts'
import { PrestaShopAddress, PrestaShopCustomer, PrestaShopGroup } from './prestashop.types.ts'

describe('prestashop mapper fixtures', () => {
  const cases = prestashopFixtureCases()
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(8))

  it.each(cases)('$name', (c) => {
    expect(c.actual, c.name).toEqual(c.expected)
    const mapped = c.actual as { customer?: unknown }
    // whatever the mapper makes is a valid canonical customer
    if ('customer' in mapped) CanonicalCustomer.parse(mapped.customer)
  })

  it.each(cases)('$name: no secret of the input reaches the output', ({ input, actual }) => {
    const c = (input as { customer: Record<string, unknown> }).customer
    const secrets = [c.passwd, c.secure_key, c.reset_password_token].filter((s): s is string => typeof s === 'string' && s !== '')
    expect(secrets.length).toBeGreaterThanOrEqual(2)
    const out = JSON.stringify(actual)
    for (const s of secrets) expect(out).not.toContain(s)
  })
})

describe('prestashop parsers keep no secret', () => {
  it('strips passwd, secure_key and reset_password_token from a customer', () => {
    const row = prestashopFixtureCases().find((c) => c.name.startsWith('12-'))!.input as { customer: Record<string, unknown> }
    const parsed = PrestaShopCustomer.parse(row.customer)
    for (const k of ['passwd', 'secure_key', 'reset_password_token', 'last_passwd_gen', 'reset_password_validity', 'note']) expect(parsed).not.toHaveProperty(k)
    expect(JSON.stringify(parsed)).not.toContain(String(row.customer.reset_password_token))
  })

  it('reads 8.1 integers, 8.2 strings, nulls and missing fields alike', () => {
    const a = PrestaShopCustomer.parse({ id: 7, newsletter: 1, active: 0, is_guest: false, id_lang: 2 })
    const b = PrestaShopCustomer.parse({ id: '7', newsletter: '1', active: '0', is_guest: '0', id_lang: '2', company: null })
    expect(a).toEqual(b)
    expect(a).toMatchObject({ id: '7', newsletter: true, active: false, id_lang: '2', company: '', email: '' })
    expect(PrestaShopCustomer.safeParse({ firstname: 'Bez id' }).success).toBe(false)
    expect(PrestaShopAddress.parse({ id: 3, id_customer: 0, deleted: 1 })).toMatchObject({ id: '3', id_customer: '', deleted: true })
  })
})

describe('prestashop mapper helpers', () => {
  it('keeps the local time of dates and drops zero dates', () => {
    expect(prestashopDateToIso('2013-12-13 08:19:15')).toBe('2013-12-13T08:19:15')
    expect(prestashopDateToIso('2013-12-13')).toBe('2013-12-13T00:00:00')
    expect(prestashopDateToIso('0000-00-00 00:00:00')).toBe('')
    expect(prestashopDateToIso('')).toBe('')
    expect(prestashopDateToIso('wczoraj')).toBe('')
    expect(prestashopBirthDate('1970-01-15')).toBe('1970-01-15')
    expect(prestashopBirthDate('0000-00-00')).toBe('')
    expect(prestashopBirthDate('15.01.1970')).toBe('')
  })

  it('names groups in Polish when the shop has Polish, else in its first language', () => {
    const groups = [PrestaShopGroup.parse({ id: '3', name: [{ id: '1', value: 'Customer' }, { id: '2', value: 'Klient' }] })]
    const pl = buildPrestaShopLookups([], [{ id: '1', iso_code: 'en' }, { id: '2', iso_code: 'pl' }], groups)
    expect(pl.groups.get('3')).toBe('Klient')
    const en = buildPrestaShopLookups([], [{ id: '2', iso_code: 'de' }, { id: '1', iso_code: 'en' }], groups)
    expect(en.groups.get('3')).toBe('Customer')
    // a one-language shop sends the name as a plain string
    const one = buildPrestaShopLookups([], [{ id: '1', iso_code: 'pl' }], [PrestaShopGroup.parse({ id: 4, name: 'Hurtownicy' })])
    expect(one.groups.get('4')).toBe('Hurtownicy')
  })

  it('counts the deleted addresses of a customer', () => {
    const rows = [{ id: 1, id_customer: 5, deleted: 1 }, { id: 2, id_customer: 5, deleted: 0 }, { id: 3, id_customer: 6, deleted: 1 }].map((a) => PrestaShopAddress.parse(a))
    expect(deletedAddressCount('5', rows)).toBe(1)
  })
})
