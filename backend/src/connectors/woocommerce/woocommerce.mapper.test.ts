/** Data-driven: every folder under fixtures/ is one case (customer.json → expected.json). */
import { describe, expect, it } from 'vitest'
import { CanonicalCustomer } from '@cm/contracts'
import { mapWooCustomer, nipOf, WOO_NIP_META_KEYS } from './woocommerce.mapper.ts'
import { woocommerceFixtureCases } from './woocommerce.testing.ts'
import { blankWooCustomer, WooCustomer } from './woocommerce.types.ts'

describe('woocommerce mapper fixtures', () => {
  const cases = woocommerceFixtureCases()
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(9))

  it.each(cases)('$name', (c) => {
    expect(c.actual).toEqual(c.expected)
    // a customer must also be one the XML file accepts
    const mapped = c.actual as { customer?: unknown }
    if ('customer' in mapped) expect(CanonicalCustomer.safeParse(mapped.customer).success).toBe(true)
  })
})

describe('woocommerce mapper details', () => {
  const meta = (key: string, value: unknown) => [{ key, value }]

  it.each(WOO_NIP_META_KEYS)('reads a NIP under %s', (key) => {
    expect(nipOf(meta(key, ' 5260250274 '))).toBe('5260250274')
  })

  it('prefers the most specific NIP key and skips empty values', () => {
    expect(nipOf([...meta('vat_number', 'PL1111111111'), ...meta('billing_nip', ''), ...meta('_billing_nip', '2222222222')])).toBe('2222222222')
    expect(nipOf(meta('billing_nip', 5260250274))).toBe('5260250274')
    expect(nipOf(meta('billing_nip', ['x']))).toBe('')
  })

  it.each([
    ['1', [{ channel: 'email', granted: true, date: null }]],
    [true, [{ channel: 'email', granted: true, date: null }]],
    ['0', [{ channel: 'email', granted: false, date: null }]],
    ['', []],
    [null, []],
  ])('reads Mailchimp %j as %j', (value, consents) => {
    const c = WooCustomer.parse({ ...blankWooCustomer(7), meta_data: [{ id: 1, key: 'mailchimp_woocommerce_is_subscribed', value }] })
    const r = mapWooCustomer(c)
    expect(r.kind === 'customer' && r.customer.consents).toEqual(consents)
  })

  it('keeps any non-core role as the group and leaves staff out', () => {
    const roleOf = (role: string) => mapWooCustomer(WooCustomer.parse({ ...blankWooCustomer(7), role }))
    expect(roleOf('customer')).toMatchObject({ kind: 'customer', customer: { group: '' } })
    expect(roleOf('subscriber')).toMatchObject({ kind: 'customer', customer: { group: '' } })
    expect(roleOf('editor')).toMatchObject({ kind: 'customer', customer: { group: 'editor' } })
    expect(roleOf('administrator')).toEqual({ kind: 'left_out', reason: 'staff' })
    expect(roleOf('shop_manager')).toEqual({ kind: 'left_out', reason: 'staff' })
  })

  it('refuses a record without an id', () => {
    expect(WooCustomer.safeParse({ ...blankWooCustomer(7), id: 'abc' }).success).toBe(false)
    expect(WooCustomer.safeParse({ ...blankWooCustomer(7), id: 0 }).success).toBe(false)
  })
})
