/** The demo base is deterministic and carries each documented problem on exactly its share of users. */
import { describe, expect, it } from 'vitest'
import { generateShoperDemoData, SHOPER_DEMO_PROBLEM_RATES, shoperDemoProblemCount, type ShoperDemoProblem } from './shoper.demo-data.ts'
import type { ShoperAddressRecord, ShoperDataset, ShoperUserRecord } from './shoper.types.ts'

const COUNT = 1000
const data = generateShoperDemoData({ count: COUNT, seed: 42 })

const POSTCODE = /^\d{2}-\d{3}$/
const validPhone = (p: string) => /^(\+48)?\d{9}$/.test(p.replace(/[\s-]/g, ''))
const validNip = (raw: string) => {
  const d = raw.replace(/^PL/, '').replace(/-/g, '')
  if (!/^\d{10}$/.test(d)) return false
  const sum = [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((s, w, i) => s + w * Number(d[i]), 0)
  return sum % 11 === Number(d[9])
}

/** recognise each problem from the data alone */
function problemsOf(ds: ShoperDataset): Record<ShoperDemoProblem, ShoperUserRecord[]> {
  const byUser = new Map<string, ShoperAddressRecord[]>()
  for (const a of ds.addresses) byUser.set(a.user_id, [...(byUser.get(a.user_id) ?? []), a])
  const seen = new Set<string>()
  const billing = (u: ShoperUserRecord) => byUser.get(u.user_id)?.find((a) => a.default === '1')
  const noName = (u: ShoperUserRecord) => u.firstname === '' && u.lastname === ''
  const dup = ds.users.filter((u) => {
    const e = u.email.toLowerCase()
    const was = seen.has(e)
    seen.add(e)
    return was
  })
  return {
    guest: ds.users.filter((u) => u.registered === '0'),
    severalAddresses: ds.users.filter((u) => (byUser.get(u.user_id) ?? []).length >= 2),
    noAddress: ds.users.filter((u) => !byUser.has(u.user_id)),
    badPostcode: ds.users.filter((u) => { const b = billing(u); return b !== undefined && !POSTCODE.test(b.zip_code) }),
    namesOnlyOnAddress: ds.users.filter((u) => noName(u) && billing(u)?.firstname),
    namesMissingEverywhere: ds.users.filter((u) => noName(u) && billing(u)?.firstname === ''),
    duplicateEmail: dup,
    invalidPhone: ds.users.filter((u) => { const b = billing(u); return b !== undefined && !validPhone(b.phone) }),
    firmWithoutCompanyName: ds.users.filter((u) => { const b = billing(u); return b !== undefined && b.tax_identification_number !== '' && b.company_name === '' }),
  }
}

describe('shoper demo data', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateShoperDemoData({ count: 50, seed: 9 })).toEqual(generateShoperDemoData({ count: 50, seed: 9 }))
    expect(generateShoperDemoData({ count: 50, seed: 9 })).not.toEqual(generateShoperDemoData({ count: 50, seed: 10 }))
  })

  it('numbers users 1..count', () => {
    expect(data.users.map((u) => Number(u.user_id))).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1))
  })

  it.each(Object.keys(SHOPER_DEMO_PROBLEM_RATES) as ShoperDemoProblem[])('has exactly its share of %s', (problem) => {
    expect(problemsOf(data)[problem]).toHaveLength(shoperDemoProblemCount(COUNT, problem))
  })

  it('separates the shipping default from billing when a user has several addresses', () => {
    for (const u of problemsOf(data).severalAddresses) {
      const own = data.addresses.filter((a) => a.user_id === u.user_id)
      expect(own.filter((a) => a.default === '1')).toHaveLength(1)
      expect(own.filter((a) => a.shipping_default === '1')).toHaveLength(1)
      expect(own.find((a) => a.default === '1')).not.toBe(own.find((a) => a.shipping_default === '1'))
    }
  })

  it('looks Polish: letters, cities, postcodes, phones and valid NIPs', () => {
    expect(data.users.some((u) => /[ąćęłńóśźżŁŚŻŹ]/.test(u.firstname + u.lastname))).toBe(true)
    expect(data.addresses.some((a) => /[ąćęłńóśźżŁŚŻŹ]/.test(a.city))).toBe(true)
    expect(data.addresses.filter((a) => POSTCODE.test(a.zip_code)).length).toBe(data.addresses.length - shoperDemoProblemCount(COUNT, 'badPostcode'))
    const firms = data.addresses.filter((a) => a.tax_identification_number !== '')
    expect(firms.length).toBeGreaterThan(COUNT * 0.05)
    for (const a of firms) expect(validNip(a.tax_identification_number)).toBe(true)
    expect(data.languages.map((l) => l.locale)).toEqual(['pl_PL', 'en_US'])
    expect(data.userGroups).toHaveLength(3)
  })

  it('has subscribers matching users and newsletter-only ones', () => {
    const emails = new Set(data.users.map((u) => u.email.toLowerCase()))
    const matching = data.subscribers.filter((s) => emails.has(s.email.toLowerCase()))
    expect(matching.length).toBeGreaterThan(COUNT * 0.2)
    expect(data.subscribers.length - matching.length).toBe(Math.floor(COUNT * 0.1))
  })
})
