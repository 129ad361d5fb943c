/** The demo base is deterministic and carries each problem and trait on exactly its share. */
import { describe, expect, it } from 'vitest'
import {
  generateMagentoDemoData,
  MAGENTO_DEMO_PROBLEM_RATES,
  MAGENTO_DEMO_TRAIT_RATES,
  magentoDemoProblemCount,
  magentoDemoTraitCount,
  type MagentoDemoProblem,
  type MagentoDemoTrait,
} from './magento2.demo-data.ts'
import type { MagentoCustomerRecord, MagentoDataset } from './magento2.records.ts'

const COUNT = 1000
const data = generateMagentoDemoData({ count: COUNT, seed: 42 })

const POSTCODE = /^\d{2}-\d{3}$/
const validPhone = (p: string) => /^(\+48)?\d{9}$/.test(p.replace(/[\s-]/g, ''))
const validNip = (raw: string) => {
  const d = raw.replace(/^PL/, '').replace(/-/g, '')
  return /^\d{10}$/.test(d) && [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((s, w, i) => s + w * Number(d[i]), 0) % 11 === Number(d[9])
}
const billing = (c: MagentoCustomerRecord) => c.addresses.find((a) => String(a.id) === c.default_billing)

/** recognise each problem and trait from the data alone */
function problemsOf(ds: MagentoDataset): Record<MagentoDemoProblem, MagentoCustomerRecord[]> {
  const cs = ds.customers
  return {
    badPostcode: cs.filter((c) => billing(c) && !POSTCODE.test(billing(c)!.postcode ?? '')),
    namesMissing: cs.filter((c) => c.firstname === '' && c.lastname === ''),
    invalidPhone: cs.filter((c) => billing(c) && !validPhone(billing(c)!.telephone)),
    noAddress: cs.filter((c) => c.addresses.length === 0),
    separateShipping: cs.filter((c) => c.default_shipping !== c.default_billing),
    firmTaxvat: cs.filter((c) => c.taxvat),
    firmVatId: cs.filter((c) => billing(c)?.vat_id),
  }
}
function traitsOf(ds: MagentoDataset): Record<MagentoDemoTrait, MagentoCustomerRecord[]> {
  const subscribed = new Set(ds.subscribers.filter((s) => s.status === 1).map((s) => s.email))
  return {
    englishStore: ds.customers.filter((c) => c.store_id === 2),
    wholesale: ds.customers.filter((c) => c.group_id === 2),
    subscribed: ds.customers.filter((c) => subscribed.has(c.email)),
  }
}

describe('magento2 demo data', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateMagentoDemoData({ count: 50, seed: 9 })).toEqual(generateMagentoDemoData({ count: 50, seed: 9 }))
    expect(generateMagentoDemoData({ count: 50, seed: 9 })).not.toEqual(generateMagentoDemoData({ count: 50, seed: 10 }))
  })

  it.each(Object.keys(MAGENTO_DEMO_PROBLEM_RATES) as MagentoDemoProblem[])('has exactly its share of %s', (p) => {
    expect(problemsOf(data)[p]).toHaveLength(magentoDemoProblemCount(COUNT, p))
  })

  it.each(Object.keys(MAGENTO_DEMO_TRAIT_RATES) as MagentoDemoTrait[])('has exactly its share of the trait %s', (t) => {
    expect(traitsOf(data)[t]).toHaveLength(magentoDemoTraitCount(COUNT, t))
  })

  it('numbers customers and addresses upwards (with gaps), e-mails unique, defaults pointing at own addresses', () => {
    const ids = data.customers.map((c) => c.id)
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true)
    expect(ids.at(-1)!).toBeGreaterThan(COUNT)
    const addressIds = data.customers.flatMap((c) => c.addresses.map((a) => a.id))
    expect(addressIds.every((id, i) => i === 0 || id > addressIds[i - 1]!)).toBe(true)
    expect(new Set(data.customers.map((c) => c.email)).size).toBe(COUNT)
    for (const c of data.customers) {
      for (const ref of [c.default_billing, c.default_shipping]) if (ref) expect(c.addresses.some((a) => String(a.id) === ref && a.customer_id === c.id)).toBe(true)
      expect(c.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    }
  })

  it('looks like a Polish Magento shop: two store views, groups, letters, valid NIPs, street lines', () => {
    expect(data.storeConfigs.map((s) => [s.id, s.code, s.locale])).toEqual([
      [1, 'default', 'pl_PL'],
      [2, 'en', 'en_US'],
    ])
    expect(data.groups.map((g) => g.code)).toEqual(['NOT LOGGED IN', 'General', 'Wholesale', 'Retailer', 'Klienci VIP'])
    expect(data.customers.some((c) => /[ąćęłńóśźżŁŚŻŹ]/.test(c.firstname + c.lastname))).toBe(true)
    const nips = [...data.customers.flatMap((c) => (c.taxvat ? [c.taxvat] : [])), ...data.customers.flatMap((c) => c.addresses.flatMap((a) => (a.vat_id ? [a.vat_id] : [])))]
    expect(nips).toHaveLength(magentoDemoProblemCount(COUNT, 'firmTaxvat') + magentoDemoProblemCount(COUNT, 'firmVatId'))
    for (const n of nips) expect(validNip(n)).toBe(true)
    const lines = data.customers.flatMap((c) => c.addresses.map((a) => a.street.length))
    expect(new Set(lines)).toEqual(new Set([1, 2]))
    // unsubscribed rows exist too: is_subscribed false with a subscriber row
    expect(data.subscribers.some((s) => s.status === 3)).toBe(true)
  })
})
