/** Data-driven: every folder under fixtures/ is one case (user, addresses, subscribers → expected). */
import { describe, expect, it } from 'vitest'
import { CanonicalCustomer } from '@cm/contracts'
import { localDateTimeToIso, localeToLanguage } from '../mapping.ts'
import { shoperFixtureCases } from './shoper.testing.ts'

describe('shoper mapper fixtures', () => {
  const cases = shoperFixtureCases()
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(10))

  it.each(cases)('$name', ({ actual, expected }) => {
    expect(actual).toEqual(expected)
    const customer = (actual as { customer?: unknown }).customer
    if (customer) expect(() => CanonicalCustomer.parse(customer)).not.toThrow()
  })
})

describe('shoper mapper helpers', () => {
  it('keeps the local time of dates and drops the zero date', () => {
    expect(localDateTimeToIso('2026-06-28 21:59:15')).toBe('2026-06-28T21:59:15')
    expect(localDateTimeToIso('2026-06-28')).toBe('2026-06-28T00:00:00')
    expect(localDateTimeToIso('0000-00-00 00:00:00')).toBe('')
    expect(localDateTimeToIso(null)).toBe('')
    expect(localDateTimeToIso('wczoraj')).toBe('')
  })

  it('turns locales into ISO 639-1', () => {
    expect(localeToLanguage('pl_PL')).toBe('pl')
    expect(localeToLanguage('en-US')).toBe('en')
    expect(localeToLanguage(undefined)).toBe('')
    expect(localeToLanguage('???')).toBe('')
  })
})
