/** The demo base is deterministic and carries each documented problem on exactly its share of accounts. */
import { describe, expect, it } from 'vitest'
import { isPolishPostcode, isValidVatNumber } from '@cm/contracts/rules'
import { generateWooCommerceDemoData, WOO_DEMO_NIP_KEYS, WOO_DEMO_PROBLEM_RATES, wooDemoProblemCount, type WooDemoProblem } from './woocommerce.demo-data.ts'
import { mapWooCustomer, nipOf, WOO_MAILCHIMP_META_KEY } from './woocommerce.mapper.ts'
import { WooCustomer, type WooAddressRecord, type WooCustomerRecord } from './woocommerce.types.ts'

const COUNT = 1000
const data = generateWooCommerceDemoData({ count: COUNT, seed: 42 })

/** the demo's good phones: 9 digits, maybe +48, spaces or dashes between groups of three */
const PHONE_SHAPE = /^(?:\+48 ?)?\d{3}[ -]?\d{3}[ -]?\d{3}$/
const empty = (a: WooAddressRecord) => Object.values(a).every((v) => v === '')
const samePlace = (a: WooAddressRecord, b: WooAddressRecord) => a.address_1 === b.address_1 && a.city === b.city && a.postcode === b.postcode && a.first_name === b.first_name
const meta = (c: WooCustomerRecord, key: string) => c.meta_data.find((m) => m.key === key)?.value

/** each problem recognised from the data alone */
const problems: Record<WooDemoProblem, (c: WooCustomerRecord) => boolean> = {
  staff: (c) => c.role === 'administrator' || c.role === 'shop_manager',
  subscriberRole: (c) => c.role === 'subscriber',
  pluginRole: (c) => c.role === 'wholesale_customer',
  emptyBilling: (c) => c.role !== 'administrator' && c.role !== 'shop_manager' && empty(c.billing),
  separateShipping: (c) => !empty(c.shipping) && !samePlace(c.billing, c.shipping),
  badPostcode: (c) => !empty(c.billing) && !isPolishPostcode(c.billing.postcode),
  namesOnlyInBilling: (c) => c.first_name === '' && c.billing.first_name !== '',
  namesMissing: (c) => c.first_name === '' && !empty(c.billing) && c.billing.first_name === '',
  invalidPhone: (c) => !empty(c.billing) && !PHONE_SHAPE.test(c.billing.phone),
  firmWithNip: (c) => c.billing.company !== '' && nipOf(c.meta_data.map((m) => ({ key: m.key, value: m.value }))) !== '',
  mailchimpSubscribed: (c) => meta(c, WOO_MAILCHIMP_META_KEY) === '1',
}

describe('woocommerce demo data', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateWooCommerceDemoData({ count: 60, seed: 9 })).toEqual(generateWooCommerceDemoData({ count: 60, seed: 9 }))
    expect(generateWooCommerceDemoData({ count: 60, seed: 9 })).not.toEqual(generateWooCommerceDemoData({ count: 60, seed: 10 }))
  })

  it('numbers accounts 1..count, user 1 being the administrator', () => {
    expect(data.map((c) => c.id)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1))
    expect(data[0]!.role).toBe('administrator')
  })

  it.each(Object.keys(WOO_DEMO_PROBLEM_RATES) as WooDemoProblem[])('has exactly its share of %s', (problem) => {
    expect(data.filter(problems[problem])).toHaveLength(wooDemoProblemCount(COUNT, problem))
  })

  it('keeps e-mails and logins unique, as WordPress does', () => {
    expect(new Set(data.map((c) => c.email.toLowerCase())).size).toBe(COUNT)
    expect(new Set(data.map((c) => c.username)).size).toBe(COUNT)
  })

  it('looks Polish and parses as WooCommerce customers', () => {
    expect(data.some((c) => /[ąćęłńóśźżŁŚŻŹ]/.test(c.first_name + c.last_name))).toBe(true)
    expect(data.some((c) => /[ąćęłńóśźżŁŚŻŹ]/.test(c.billing.city))).toBe(true)
    const firms = data.filter(problems.firmWithNip)
    for (const c of firms) expect(isValidVatNumber(nipOf(c.meta_data), 'PL'), nipOf(c.meta_data)).toBe(true)
    expect(new Set(firms.flatMap((c) => c.meta_data.map((m) => m.key)).filter((k) => (WOO_DEMO_NIP_KEYS as readonly string[]).includes(k)))).toEqual(new Set(WOO_DEMO_NIP_KEYS))
    for (const c of data) expect(mapWooCustomer(WooCustomer.parse(c)).kind).toBe(problems.staff(c) ? 'left_out' : 'customer')
    expect(data.filter((c) => meta(c, WOO_MAILCHIMP_META_KEY) === '0').length).toBeGreaterThan(COUNT * 0.03)
  })
})
