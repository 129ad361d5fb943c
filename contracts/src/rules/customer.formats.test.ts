import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { describe, expect, it } from 'vitest'
import { isValidPhone, normalizePhone } from './customer.formats.ts'

const NUMBERS = ['600 700 800', '+48 600-700-800', '600-700-80', '0048600700800', '+49 30 901820', '030 901820', '12', '', '+1 202 555 0143', 'abc', '+48600700800']
const COUNTRIES = ['PL', 'DE', 'US', 'XX']

describe('remembered phone verdicts', () => {
  it('answer exactly what libphonenumber answers, in any order, twice', () => {
    for (let round = 0; round < 2; round++) {
      for (const country of COUNTRIES) {
        const def = country === 'XX' ? 'PL' : country
        for (const n of NUMBERS) {
          const parsed = parsePhoneNumberFromString(n, def as 'PL')
          const e164 = parsed?.isValid() ? parsed.number : null
          expect(normalizePhone(n, country)).toBe(e164)
          expect(isValidPhone(n, country)).toBe(isValidPhoneNumber(n, def as 'PL'))
          if (e164) expect(isValidPhone(e164, country)).toBe(true)
        }
      }
    }
  })

  it('stay right past the bound (the memory is cleared, not grown)', () => {
    for (let i = 0; i < 10_000; i++) {
      const n = `600${String(100000 + i)}`
      expect(normalizePhone(n, 'PL')).toBe(`+48${n}`)
    }
    expect(isValidPhone('600-700-80', 'PL')).toBe(false)
  })
})
