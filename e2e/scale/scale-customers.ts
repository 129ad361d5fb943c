/**
 * The customers of the lists-at-scale spec: any number of varied buffer rows, each one a pure
 * function of its position (no state, so a million are made in one streaming pass). Names,
 * cities and firms come from the demo shops' pools; about 8% failed an import with the errors
 * the product's own rules give their bad values (plus the database-decided EMAIL_TAKEN and
 * LOGIN_TAKEN), about 2% were skipped, the rest wait.
 */
import type { CanonicalCustomer, CustomerError, CustomerErrorCode } from '@cm/contracts'
import { customerErrorMessage } from '@cm/contracts'
import { prepareForPanel, validateCustomer } from '@cm/contracts/rules'
import { BAD_PHONES, BAD_POSTCODES, CITIES, COMPANIES, FEMALE, MAIL_DOMAINS, MALE, STREETS, SURNAMES, asciiOf, nipFor, prng } from '../../backend/src/connectors/demo/demo-pools.ts'
import { plannedLogin } from '../../backend/src/pipeline/buffer/buffer.rows.ts'

export type ScaleState = 'pending' | 'failed' | 'skipped'

export interface ScaleRow {
  customer: CanonicalCustomer
  state: ScaleState
  errors: CustomerError[] | null
}

/** per mille of the rows: failed, then skipped (half of them failed first) */
export const FAILED_PER_MILLE = 80
export const SKIPPED_PER_MILLE = 20

/** a bad value a real base holds, and the code it earns at import */
const DEFECTS = [
  'EMAIL_INVALID',
  'PHONE_INVALID',
  'POSTCODE_INVALID',
  'STREET_MISSING',
  'CITY_MISSING',
  'COUNTRY_INVALID',
  'VAT_INVALID',
  'BIRTHDATE_INVALID',
  'LASTNAME_MISSING',
  'EMAIL_TAKEN',
  'LOGIN_TAKEN',
  'PHONE_AND_POSTCODE',
] as const
type Defect = (typeof DEFECTS)[number]

const MOBILE_PREFIXES = ['50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88']
const GROUPS = ['', '', '', 'Stały klient', 'Hurt', 'VIP']
const LANGUAGES = ['pl', 'pl', 'pl', 'pl', 'pl', 'pl', 'pl', 'pl', 'en', 'de']
const START_MS = Date.UTC(2012, 0, 1)
const SPAN_MS = Date.UTC(2025, 0, 1) - START_MS

const pick = <T>(xs: readonly T[], r: number): T => xs[Math.floor(r * xs.length)]!
const digits = (rand: () => number) => (n: number) => {
  let s = ''
  for (let k = 0; k < n; k++) s += Math.floor(rand() * 10)
  return s
}

function phone(rand: () => number): string {
  const d = digits(rand)
  // mobile prefixes only: every number is valid, so a pending customer has nothing to fix
  const n = `${pick(MOBILE_PREFIXES, rand())}${d(7)}`
  return rand() < 0.5 ? `+48 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : n
}

function dateOfBirth(rand: () => number): string {
  const y = 1950 + Math.floor(rand() * 55)
  const m = 1 + Math.floor(rand() * 12)
  const d = 1 + Math.floor(rand() * 28)
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** A customer drawn from `rand`, with this source id (also in its e-mail and, when it has one, its login). */
function customerAt(sourceId: string, rand: () => number): CanonicalCustomer {
  const female = rand() < 0.52
  const first = pick(female ? FEMALE : MALE, rand())
  const [male, fem] = pick(SURNAMES, rand())
  const last = female ? fem : male
  const [city, prefixes] = pick(CITIES, rand())
  const postcode = `${pick(prefixes, rand())}-${digits(rand)(3)}`
  const firm = rand() < 0.12
  const company = firm ? pick(COMPANIES, rand()) : ''
  const vatNumber = firm ? nipFor(digits(rand)) : ''
  const local = pick([`${asciiOf(first)}.${asciiOf(last)}${sourceId}`, `${asciiOf(first)[0]}${asciiOf(last)}${sourceId}`, `${asciiOf(last)}.${sourceId}`], rand())
  const street = `${pick(STREETS, rand())} ${1 + Math.floor(rand() * 120)}${rand() < 0.3 ? `/${1 + Math.floor(rand() * 40)}` : ''}`
  const tel = rand() < 0.85 ? phone(rand) : ''
  const address = { firstName: first, lastName: last, company, street, postcode, city, countryCode: 'PL', phone: tel, vatNumber, isDefaultBilling: true, isDefaultShipping: true }
  const addresses = [address]
  if (rand() < 0.15) {
    // a second place to deliver to
    const [city2, prefixes2] = pick(CITIES, rand())
    addresses.push({ ...address, company: '', vatNumber: '', street: `${pick(STREETS, rand())} ${1 + Math.floor(rand() * 90)}`, city: city2, postcode: `${pick(prefixes2, rand())}-${digits(rand)(3)}`, isDefaultBilling: false })
    address.isDefaultShipping = false
  }
  const registered = new Date(START_MS + Math.floor(rand() * SPAN_MS)).toISOString()
  return {
    sourceId,
    login: rand() < 0.3 ? `${asciiOf(first)}${asciiOf(last)}${sourceId}` : '',
    email: `${local}@${pick(MAIL_DOMAINS, rand())}`,
    firstName: first,
    lastName: last,
    company,
    vatNumber,
    phone: tel,
    birthDate: rand() < 0.2 ? dateOfBirth(rand) : '',
    language: pick(LANGUAGES, rand()),
    group: pick(GROUPS, rand()),
    active: rand() < 0.97,
    registeredAt: registered,
    addresses,
    consents: [{ channel: 'email', granted: rand() < 0.4, date: rand() < 0.5 ? registered : null }],
  }
}

/** Spoils the customer the way this defect says (in place); returns which bad value it chose. */
function spoil(c: CanonicalCustomer, defect: Defect, rand: () => number): number {
  const billing = c.addresses[0]!
  const variant = rand()
  let chosen = 0
  const pick = <T>(xs: readonly T[]) => xs[(chosen = Math.floor(variant * xs.length))]!
  switch (defect) {
    case 'EMAIL_INVALID':
      c.email = pick([c.email.replace('@', '@@'), c.email.replace('@', ' at '), c.email.replace('@', ''), `${c.firstName} ${c.lastName}@${c.email.split('@')[1]}`])
      break
    case 'PHONE_INVALID':
      c.phone = billing.phone = pick(BAD_PHONES)
      break
    case 'POSTCODE_INVALID':
      billing.postcode = pick(BAD_POSTCODES)
      break
    case 'PHONE_AND_POSTCODE':
      c.phone = billing.phone = pick(BAD_PHONES)
      billing.postcode = pick(BAD_POSTCODES)
      break
    case 'STREET_MISSING':
      billing.street = ''
      break
    case 'CITY_MISSING':
      billing.city = ''
      break
    case 'COUNTRY_INVALID':
      billing.countryCode = pick(['XX', 'Polska', 'pl-PL'])
      break
    case 'VAT_INVALID':
      c.company = billing.company = c.company || COMPANIES[0]!
      c.vatNumber = billing.vatNumber = pick(['123-456-78-90', '1234567890', 'PL12345'])
      break
    case 'BIRTHDATE_INVALID':
      c.birthDate = pick(['1899-02-30', '2035-01-01', '31.12.1980'])
      break
    case 'LASTNAME_MISSING':
      c.lastName = billing.lastName = ''
      c.company = billing.company = ''
      c.vatNumber = billing.vatNumber = ''
      break
    case 'EMAIL_TAKEN':
    case 'LOGIN_TAKEN':
      // the data is fine; the panel already has the e-mail or the login
      if (defect === 'LOGIN_TAKEN' && !c.login) c.login = `${asciiOf(c.firstName)}${asciiOf(c.lastName)}`
      break
  }
  return chosen
}

/** The errors the import gives this customer: the product's own rules, then the database's clash. */
function checkCustomer(c: CanonicalCustomer, defect: Defect, importId: number, shopIds: string[]): CustomerError[] {
  const panel = prepareForPanel(c, { shopIds, login: plannedLogin(c), externalRef: `cm:${importId}:${c.sourceId}` })
  const errors = validateCustomer(panel, { knownShopIds: new Set(shopIds), locale: 'pl' })
  const clash: CustomerErrorCode | null = defect === 'EMAIL_TAKEN' ? 'EMAIL_TAKEN' : defect === 'LOGIN_TAKEN' ? 'LOGIN_TAKEN' : null
  if (clash) errors.push({ code: clash, field: clash === 'EMAIL_TAKEN' ? 'email' : 'login', message: customerErrorMessage(clash, 'pl') })
  return errors
}

/**
 * The row drawn for this position of an import of these shops: the same position always gives
 * the same row. Its source id is position + 1 unless given (the seed gives a placeholder that
 * SQL replaces, to copy one drawn row to many ids).
 */
export function scaleRow(i: number, importId: number, shopIds: string[], sourceId = String(i + 1)): ScaleRow {
  const rand = prng(0x5ca1e + i * 7919)
  const customer = customerAt(sourceId, rand)
  const roll = Math.floor(rand() * 1000)
  const failed = roll < FAILED_PER_MILLE
  const skipped = !failed && roll < FAILED_PER_MILLE + SKIPPED_PER_MILLE
  if (!failed && !(skipped && roll % 2 === 0)) return { customer, state: skipped ? 'skipped' : 'pending', errors: null }
  const defect = DEFECTS[Math.floor(rand() * DEFECTS.length)]!
  const variant = spoil(customer, defect, rand)
  return { customer, state: skipped ? 'skipped' : 'failed', errors: errorsOf(customer, defect, variant, importId, shopIds) }
}

/**
 * The rules are run once per kind of defect (which bad value, firm or person, own login or not):
 * the rest of a pool customer is valid, so its errors are those of the first one of its kind, and
 * a million rows do not pay the phone library a hundred thousand times.
 */
const errorsByKind = new Map<string, CustomerError[]>()
function errorsOf(c: CanonicalCustomer, defect: Defect, variant: number, importId: number, shopIds: string[]): CustomerError[] {
  const kind = `${defect}:${variant}:${c.company ? 'firm' : 'person'}:${c.login ? 'login' : ''}`
  let errors = errorsByKind.get(kind)
  if (!errors) {
    errors = checkCustomer(c, defect, importId, shopIds)
    // every defect above breaks a rule; should a pool value ever pass them all, the clash still holds
    if (errors.length === 0) errors.push({ code: 'EMAIL_TAKEN', field: 'email', message: customerErrorMessage('EMAIL_TAKEN', 'pl') })
    errorsByKind.set(kind, errors)
  }
  return errors
}

/** the `error_codes` column as the import writes it: " CODE1 CODE2 " */
export const errorCodesOf = (errors: CustomerError[] | null): string => (errors?.length ? ` ${errors.map((e) => e.code).join(' ')} ` : '')
