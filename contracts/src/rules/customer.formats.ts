/** Format checks of single values, as the panel applies them (IdoSell faults 9, 12, 15, 17, 20, 21). */
import { z } from 'zod'
import countries from 'i18n-iso-countries'
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator'
// the "max" metadata validates number ranges, not just lengths ("600-700-80" must fail)
import { isSupportedCountry, isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { CountryCode } from 'libphonenumber-js/max'

/** zod's e-mail pattern: ASCII local part (Polish letters are refused, as by the panel), a dotted domain. */
const emailSchema = z.email()

export function isValidEmail(email: string): boolean {
  return emailSchema.safeParse(email).success
}

/** ISO 3166-1 alpha-2, upper case (the panel's `country_code`). */
export function isValidCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code)
}

/** A postcode for a country we have no pattern for is accepted when non-empty. */
export function isValidPostcode(postcode: string, countryCode: string): boolean {
  if (postcode.trim() === '') return false
  if (!postcodeValidatorExistsForCountry(countryCode)) return true
  return postcodeValidator(postcode, countryCode)
}

/** Polish postcode as the panel writes it; used to guess PL for addresses without a country. */
export function isPolishPostcode(postcode: string): boolean {
  return /^\d{2}-\d{3}$/.test(postcode.trim())
}

function phoneCountry(countryCode: string): CountryCode {
  return isSupportedCountry(countryCode) ? countryCode : 'PL'
}

/**
 * Verdicts on numbers seen last. An import prepares a customer (normalizePhone) and validates it
 * right after (isValidPhone on the E.164 it got): the second look at a number is a lookup, not a
 * second parse (parsing is most of what checking a customer costs). Bounded, so memory stays flat.
 */
const phoneVerdicts = new Map<string, boolean>()
/** the same for normalizePhone: a customer's own phone is often its billing address's too */
const normalized = new Map<string, string | null>()
const REMEMBERED_PHONES = 4_096

function remember(key: string, valid: boolean): void {
  if (phoneVerdicts.size >= REMEMBERED_PHONES) phoneVerdicts.clear()
  phoneVerdicts.set(key, valid)
}

/** Numbers without a country prefix are read as numbers of the address's country (PL when unknown). */
export function isValidPhone(phone: string, countryCode: string): boolean {
  const country = phoneCountry(countryCode)
  const key = `${country}|${phone}`
  const known = phoneVerdicts.get(key)
  if (known !== undefined) return known
  const valid = isValidPhoneNumber(phone, country)
  remember(key, valid)
  return valid
}

/** E.164 (`+48600700800`) for a valid number, null otherwise (the caller keeps the raw text). */
export function normalizePhone(phone: string, countryCode: string): string | null {
  const country = phoneCountry(countryCode)
  const key = `${country}|${phone}`
  const known = normalized.get(key)
  if (known !== undefined) return known
  const parsed = parsePhoneNumberFromString(phone, country)
  const e164 = parsed?.isValid() ? parsed.number : null
  if (normalized.size >= REMEMBERED_PHONES) normalized.clear()
  normalized.set(key, e164)
  // an E.164 number means the same whatever the default country
  if (e164) remember(`${country}|${e164}`, true)
  return e164
}

/** VAT prefixes of the EU (Greece uses EL, Northern Ireland XI). */
const EU_VAT_PREFIXES = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE',
  'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'XI',
])
const NIP_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7]

/** Polish NIP: 10 digits, the last one the weighted checksum mod 11 (10 is never a valid check digit). */
export function isValidNip(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false
  const sum = NIP_WEIGHTS.reduce((acc, w, i) => acc + w * Number(digits[i]), 0)
  const check = sum % 11
  return check !== 10 && check === Number(digits[9])
}

function cleanVat(vatNumber: string): string {
  return vatNumber.toUpperCase().replace(/[\s.\-/]/g, '')
}

/**
 * Splits a VAT number into the country it is judged by and its body: its own EU prefix when it
 * has one, otherwise the address's country, otherwise PL (the panel's home market).
 */
export function splitVatNumber(vatNumber: string, countryCode: string): { country: string; body: string } {
  const cleaned = cleanVat(vatNumber)
  const prefix = cleaned.slice(0, 2)
  if (EU_VAT_PREFIXES.has(prefix)) return { country: prefix, body: cleaned.slice(2) }
  return { country: isValidCountryCode(countryCode) ? countryCode : 'PL', body: cleaned }
}

/**
 * PL: NIP with checksum, "PL" prefix, spaces and dashes allowed. Other EU countries: a loose
 * shape (2–12 letters/digits with a digit) — exact per-country rules belong to VIES, not here.
 * Elsewhere: 2–20 letters/digits with a digit.
 */
export function isValidVatNumber(vatNumber: string, countryCode: string): boolean {
  const { country, body } = splitVatNumber(vatNumber, countryCode)
  if (country === 'PL') return isValidNip(body)
  if (EU_VAT_PREFIXES.has(country) || country === 'GR') return /^(?=.*\d)[0-9A-Z+*]{2,12}$/.test(body)
  return /^(?=.*\d)[0-9A-Z]{2,20}$/.test(body)
}

/** A real calendar date, YYYY-MM-DD, from 1900-01-01 up to yesterday (by `today`'s UTC date). */
export function isValidBirthDate(s: string, today: Date): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
  return real && y >= 1900 && s < today.toISOString().slice(0, 10)
}
