/** Data-driven: every folder under fixtures/ is one case (customer.json [+ options.json] → expected.json). */
import { describe, expect, it } from 'vitest'
import { CanonicalCustomer } from '@cm/contracts'
import { addressesOf, groupFromTags, mapShopifyCustomer } from './shopify.mapper.ts'
import { shopifyFixtureCases } from './shopify.testing.ts'
import { ShopifyAddressNode, ShopifyCustomerNode } from './shopify.types.ts'

describe('shopify mapper fixtures', () => {
  const cases = shopifyFixtureCases()
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(8))

  it.each(cases)('$name', (c) => {
    expect(c.actual).toEqual(c.expected)
    const mapped = c.actual as { customer?: unknown }
    if ('customer' in mapped) expect(CanonicalCustomer.safeParse(mapped.customer).success).toBe(true)
  })
})

const node = (over: Record<string, unknown> = {}) =>
  ShopifyCustomerNode.parse({ id: 'gid://shopify/Customer/42', firstName: 'Ewa', lastName: 'Nowak', state: 'ENABLED', tags: [], createdAt: '2025-01-01T00:00:00Z', ...over })

describe('shopify mapper details', () => {
  it.each([
    ['SUBSCRIBED', true],
    ['PENDING', false],
    ['NOT_SUBSCRIBED', false],
    ['UNSUBSCRIBED', false],
    ['INVALID', false],
  ])('e-mail marketing %s → granted %s, dated by marketingUpdatedAt', (state, granted) => {
    const r = mapShopifyCustomer(node({ defaultEmailAddress: { emailAddress: 'e@example.com', marketingState: state, marketingOptInLevel: 'SINGLE_OPT_IN', marketingUpdatedAt: '2025-02-03T04:05:06Z' } }))
    expect(r.kind === 'customer' && r.customer.consents).toEqual([{ channel: 'email', granted, date: '2025-02-03T04:05:06Z' }])
  })

  it('takes no consent from a customer without an e-mail address, nor from a REDACTED phone', () => {
    const r = mapShopifyCustomer(node({ defaultEmailAddress: { emailAddress: '', marketingState: 'SUBSCRIBED' }, defaultPhoneNumber: { phoneNumber: '+48500000000', marketingState: 'REDACTED' } }))
    expect(r.kind === 'customer' && r.customer.consents).toEqual([])
  })

  it.each([
    ['ENABLED', true],
    ['DISABLED', false],
    ['INVITED', false],
    ['DECLINED', false],
  ])('state %s is a customer, active %s', (state, active) => {
    const r = mapShopifyCustomer(node({ state }))
    expect(r).toMatchObject({ kind: 'customer', customer: { active } })
  })

  it('takes no group from tags unless asked', () => {
    expect(groupFromTags(['VIP', 'Hurt'], undefined)).toBe('')
    expect(groupFromTags(['VIP', 'Hurt'], false)).toBe('')
    expect(groupFromTags([' ', 'VIP', 'Hurt'], true)).toBe('VIP')
    expect(groupFromTags(['newsletter', 'hurt'], ['Hurt', 'VIP'])).toBe('hurt')
    expect(groupFromTags(['newsletter'], ['Hurt'])).toBe('')
  })

  it('puts the default address first and does not repeat it', () => {
    const a = (id: number, city: string) => ShopifyAddressNode.parse({ id: `gid://shopify/MailingAddress/${id}?model_name=CustomerAddress`, city, countryCodeV2: 'pl' })
    const out = addressesOf(a(2, 'B'), [a(1, 'A'), a(2, 'B'), a(3, 'C')])
    expect(out.map((x) => [x.city, x.isDefaultBilling, x.isDefaultShipping, x.countryCode])).toEqual([
      ['B', true, true, 'PL'],
      ['A', false, false, 'PL'],
      ['C', false, false, 'PL'],
    ])
    expect(addressesOf(null, [])).toEqual([])
  })

  it('refuses a node whose id is no Customer gid', () => {
    expect(ShopifyCustomerNode.safeParse({ id: 'gid://shopify/Order/1' }).success).toBe(false)
    expect(ShopifyCustomerNode.safeParse({ id: 42 }).success).toBe(false)
  })
})
