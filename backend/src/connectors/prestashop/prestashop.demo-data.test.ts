/** The demo base is deterministic, carries each problem on exactly its share, and every record its secrets. */
import { describe, expect, it } from 'vitest'
import {
  generatePrestaShopDemoData,
  PRESTASHOP_DEMO_PROBLEM_RATES,
  prestashopDemoProblemCount,
  prestashopSecretValues,
  type PrestaShopDemoProblem,
} from './prestashop.demo-data.ts'
import type { PrestaShopAddressRecord, PrestaShopCustomerRecord, PrestaShopDataset } from './prestashop.records.ts'

const COUNT = 1000
const data = generatePrestaShopDemoData({ count: COUNT, seed: 42 })

const POSTCODE = /^\d{2}-\d{3}$/
const validPhone = (p: string | null) => /^(\+48)?\d{9}$/.test((p ?? '').replace(/[\s-]/g, ''))
const validNip = (raw: string) => {
  const d = raw.replace(/^PL/, '').replace(/-/g, '')
  if (!/^\d{10}$/.test(d)) return false
  return [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((s, w, i) => s + w * Number(d[i]), 0) % 11 === Number(d[9])
}

/** recognise each problem from the data alone */
function problemsOf(ds: PrestaShopDataset): Record<PrestaShopDemoProblem, PrestaShopCustomerRecord[]> {
  const own = new Map<number, PrestaShopAddressRecord[]>()
  for (const a of ds.addresses) own.set(a.id_customer, [...(own.get(a.id_customer) ?? []), a])
  const live = (c: PrestaShopCustomerRecord) => (own.get(c.id) ?? []).filter((a) => a.deleted === 0)
  const main = (c: PrestaShopCustomerRecord) => live(c)[0]
  const customers = ds.customers.filter((c) => c.is_guest === 0 && c.deleted === 0)
  const emails = new Set<string>()
  const sharing: PrestaShopCustomerRecord[] = []
  for (const c of ds.customers) {
    if (c.is_guest === 1 && emails.has(c.email)) sharing.push(c)
    if (c.is_guest === 0) emails.add(c.email)
  }
  return {
    guest: ds.customers.filter((c) => c.is_guest === 1 && !sharing.includes(c)),
    guestSharingEmail: sharing,
    deleted: ds.customers.filter((c) => c.deleted === 1),
    deletedAddress: customers.filter((c) => (own.get(c.id) ?? []).some((a) => a.deleted === 1)),
    severalAddresses: customers.filter((c) => live(c).length >= 2),
    noAddress: ds.customers.filter((c) => !own.has(c.id)),
    badPostcode: ds.customers.filter((c) => main(c) && !POSTCODE.test(main(c)!.postcode ?? '')),
    namesMissing: ds.customers.filter((c) => c.firstname === '' && c.lastname === ''),
    invalidPhone: ds.customers.filter((c) => main(c) && !validPhone(main(c)!.phone || main(c)!.phone_mobile)),
    newsletterWithoutDate: ds.customers.filter((c) => c.newsletter === 1 && c.newsletter_date_add === '0000-00-00 00:00:00'),
  }
}

describe('prestashop demo data', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generatePrestaShopDemoData({ count: 50, seed: 9 })).toEqual(generatePrestaShopDemoData({ count: 50, seed: 9 }))
    expect(generatePrestaShopDemoData({ count: 50, seed: 9 })).not.toEqual(generatePrestaShopDemoData({ count: 50, seed: 10 }))
  })

  it('numbers customers upwards with the gaps deletions leave', () => {
    const ids = data.customers.map((c) => c.id)
    expect(ids[0]).toBe(1)
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true)
    expect(ids.at(-1)!).toBeGreaterThan(COUNT)
  })

  it.each(Object.keys(PRESTASHOP_DEMO_PROBLEM_RATES) as PrestaShopDemoProblem[])('has exactly its share of %s', (problem) => {
    expect(problemsOf(data)[problem]).toHaveLength(prestashopDemoProblemCount(COUNT, problem))
  })

  it('gives every record the secrets a shop keeps, and lists them all', () => {
    for (const c of data.customers) {
      expect(c.passwd).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/)
      expect(c.secure_key).toMatch(/^[0-9a-f]{32}$/)
      if (c.reset_password_token !== null) expect(c.reset_password_token).toMatch(/^[0-9a-f]{40}$/)
    }
    const secrets = prestashopSecretValues(data)
    expect(secrets.length).toBe(COUNT * 2 + data.customers.filter((c) => c.reset_password_token).length)
    expect(new Set(secrets).size).toBe(secrets.length)
  })

  it('looks Polish: letters, cities, postcodes, phones and valid NIPs', () => {
    expect(data.customers.some((c) => /[ąćęłńóśźżŁŚŻŹ]/.test(c.firstname + c.lastname))).toBe(true)
    expect(data.addresses.some((a) => /[ąćęłńóśźżŁŚŻŹ]/.test(a.city))).toBe(true)
    const firms = data.addresses.filter((a) => a.vat_number)
    expect(firms.length).toBeGreaterThan(COUNT * 0.05)
    for (const a of firms) expect(validNip(a.vat_number!)).toBe(true)
    expect(data.customers.filter((c) => c.id_lang === 2).length).toBeGreaterThan(COUNT * 0.05)
    expect(data.customers.filter((c) => c.newsletter === 1 && /^\d{4}-\d{2}-\d{2} /.test(c.newsletter_date_add ?? '') && !c.newsletter_date_add!.startsWith('0000')).length).toBeGreaterThan(COUNT * 0.2)
    expect(data.languages.map((l) => l.iso_code)).toEqual(['pl', 'en'])
    expect(data.countries.find((c) => c.id === 14)?.iso_code).toBe('PL')
  })
})
