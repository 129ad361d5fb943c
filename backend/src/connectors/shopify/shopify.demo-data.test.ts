/** The demo base is deterministic and carries each documented problem on exactly its share of customers. */
import { describe, expect, it } from 'vitest'
import { isPolishPostcode } from '@cm/contracts/rules'
import { generateShopifyDemoData, SHOPIFY_DEMO_PROBLEM_RATES, shopifyDemoProblemCount, type ShopifyDemoProblem } from './shopify.demo-data.ts'
import type { ShopifyCustomerRecord } from './shopify.types.ts'

const COUNT = 1000
const data = generateShopifyDemoData({ count: COUNT, seed: 42 })

/** the demo's good address phones: 9 digits, maybe +48, spaces or dashes between groups of three */
const PHONE_SHAPE = /^(?:\+48 ?)?\d{3}[ -]?\d{3}[ -]?\d{3}$/
const main = (c: ShopifyCustomerRecord) => c.addresses.find((a) => a.id === c.defaultAddressId)
const emailState = (c: ShopifyCustomerRecord) => c.email?.marketingState

/** each problem recognised from the data alone */
const problems: Record<ShopifyDemoProblem, (c: ShopifyCustomerRecord) => boolean> = {
  noAddress: (c) => c.addresses.length === 0,
  badPostcode: (c) => main(c)?.countryCodeV2 === 'PL' && !isPolishPostcode(main(c)!.zip ?? ''),
  namesMissing: (c) => c.firstName === null && c.lastName === null,
  invalidPhone: (c) => !!main(c)?.phone && !PHONE_SHAPE.test(main(c)!.phone!) && main(c)!.countryCodeV2 === 'PL',
  severalAddresses: (c) => c.addresses.length === 2 || c.addresses.length === 3,
  manyAddresses: (c) => c.addresses.length > 5,
  foreignAddress: (c) => !!main(c) && main(c)!.countryCodeV2 !== 'PL',
  disabled: (c) => c.state === 'DISABLED',
  invited: (c) => c.state === 'INVITED',
  declined: (c) => c.state === 'DECLINED',
  emailSubscribed: (c) => emailState(c) === 'SUBSCRIBED',
  emailUnsubscribed: (c) => emailState(c) === 'UNSUBSCRIBED',
  emailPending: (c) => emailState(c) === 'PENDING',
  emailInvalid: (c) => emailState(c) === 'INVALID',
  smsSubscribed: (c) => c.phone?.marketingState === 'SUBSCRIBED',
  tagged: (c) => c.tags.length > 0,
  noEmail: (c) => c.email === null,
  firm: (c) => !!main(c)?.company,
}

describe('shopify demo data', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateShopifyDemoData({ count: 60, seed: 9 })).toEqual(generateShopifyDemoData({ count: 60, seed: 9 }))
    expect(generateShopifyDemoData({ count: 60, seed: 9 })).not.toEqual(generateShopifyDemoData({ count: 60, seed: 10 }))
  })

  it.each(Object.keys(SHOPIFY_DEMO_PROBLEM_RATES) as ShopifyDemoProblem[])('has exactly its share of %s', (problem) => {
    expect(data.filter(problems[problem])).toHaveLength(shopifyDemoProblemCount(COUNT, problem))
  })

  it('keeps ids ascending, e-mails unique, phones E.164 and the default among the addresses', () => {
    expect(data.every((c, i) => i === 0 || c.id > data[i - 1]!.id)).toBe(true)
    const emails = data.flatMap((c) => (c.email ? [c.email.emailAddress.toLowerCase()] : []))
    expect(new Set(emails).size).toBe(emails.length)
    for (const c of data) {
      if (c.phone) expect(c.phone.phoneNumber).toMatch(/^\+48\d{9}$/)
      expect(c.defaultAddressId === null).toBe(c.addresses.length === 0)
      if (c.addresses.length) expect(main(c)).toBeDefined()
      expect(new Set(c.addresses.map((a) => a.id)).size).toBe(c.addresses.length)
      expect(c.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    }
  })

  it('looks Polish and puts the default address not always first', () => {
    expect(data.some((c) => /[ąćęłńóśźżŁŚŻŹ]/.test(`${c.firstName}${c.lastName}`))).toBe(true)
    expect(data.filter((c) => c.addresses.length > 1 && c.addresses[0]!.id !== c.defaultAddressId).length).toBeGreaterThan(0)
    expect(data.filter((c) => c.state === 'ENABLED').length).toBeGreaterThan(COUNT / 2)
  })
})
