/**
 * A deterministic demo customer base of a Polish PrestaShop shop (seeded PRNG, pools of
 * ../demo/demo-pools.ts): realistic names, cities, postcodes, phones and firms, the problems
 * real bases have, each on an exact share of records, and on every record the secrets the
 * Webservice hands out (bcrypt passwd, secure_key, reset_password_token) so that tests can
 * prove none of them goes further.
 */
import { BAD_PHONES, BAD_POSTCODES, CITIES, COMPANIES, demoEmail, FEMALE, flat, MAIL_DOMAINS, MALE, nipFor, prng, STREETS, SURNAMES, utcDateTime } from '../demo/demo-pools.ts'
import type { PrestaShopAddressRecord, PrestaShopCountryRecord, PrestaShopCustomerRecord, PrestaShopDataset, PrestaShopGroupRecord, PrestaShopLanguageRecord } from './prestashop.records.ts'

/**
 * Share of records with each problem: exactly floor(count × rate) records carry it, each at
 * most one, and the first record none (so a shared e-mail always copies an earlier customer's).
 */
export const PRESTASHOP_DEMO_PROBLEM_RATES = {
  /** is_guest "1": bought without an account */
  guest: 0.06,
  /** a guest with an earlier customer's e-mail (the same person once bought without logging in) */
  guestSharingEmail: 0.02,
  /** deleted "1": removed in the back office but kept for its orders */
  deleted: 0.03,
  /** a deleted address (lower id) before the live one */
  deletedAddress: 0.04,
  /** 2–3 live addresses */
  severalAddresses: 0.08,
  noAddress: 0.04,
  /** default address postcode like "3134" */
  badPostcode: 0.03,
  /** empty names on the customer, present on the address */
  namesMissing: 0.01,
  /** default address phone like "12345" */
  invalidPhone: 0.02,
  /** newsletter "1" with the zero date "0000-00-00 00:00:00" (subscribed before PrestaShop kept dates) */
  newsletterWithoutDate: 0.03,
} as const
export type PrestaShopDemoProblem = keyof typeof PRESTASHOP_DEMO_PROBLEM_RATES

export function prestashopDemoProblemCount(count: number, problem: PrestaShopDemoProblem): number {
  return Math.floor(count * PRESTASHOP_DEMO_PROBLEM_RATES[problem])
}

/** Independent features (random per record, so approximate shares). */
export const PRESTASHOP_DEMO_FEATURE_RATES = {
  /** a firm: company and a valid NIP in vat_number on its first address */
  company: 0.12,
  /** newsletter "1" with its date */
  newsletter: 0.3,
  /** id_lang of English */
  english: 0.1,
  /** phone empty, phone_mobile given */
  mobileOnly: 0.1,
  /** a password reset pending: reset_password_token set */
  resetPending: 0.1,
  /** an id skipped before this record (a customer deleted for good) */
  idGap: 0.03,
} as const

export const PRESTASHOP_DEMO_LANGUAGES: PrestaShopLanguageRecord[] = [
  { id: 1, name: 'Polski (Polish)', iso_code: 'pl', locale: 'pl-PL', language_code: 'pl', active: 1, is_rtl: 0, date_format_lite: 'Y-m-d', date_format_full: 'Y-m-d H:i:s' },
  { id: 2, name: 'English (English)', iso_code: 'en', locale: 'en-US', language_code: 'en-us', active: 1, is_rtl: 0, date_format_lite: 'm/d/Y', date_format_full: 'm/d/Y H:i:s' },
]
const group = (id: number, pl: string, en: string, reduction = '0.00'): PrestaShopGroupRecord => ({
  id, reduction, price_display_method: 0, show_prices: 1, date_add: '2019-03-01 10:00:00', date_upd: '2019-03-01 10:00:00', name: { 1: pl, 2: en },
})
export const PRESTASHOP_DEMO_GROUPS: PrestaShopGroupRecord[] = [
  group(1, 'Odwiedzający', 'Visitor'), group(2, 'Gość', 'Guest'), group(3, 'Klient', 'Customer'), group(4, 'Hurtownicy', 'Wholesalers', '10.00'),
]
const country = (id: number, iso: string, pl: string, en: string, prefix: number): PrestaShopCountryRecord => ({
  id, id_zone: 1, id_currency: 0, call_prefix: prefix, iso_code: iso, active: 1, contains_states: 0, need_identification_number: 0,
  need_zip_code: 1, zip_code_format: iso === 'PL' ? 'NN-NNN' : '', display_tax_label: 1, name: { 1: pl, 2: en },
})
/** PrestaShop's own country ids */
export const PRESTASHOP_DEMO_COUNTRIES: PrestaShopCountryRecord[] = [
  country(1, 'DE', 'Niemcy', 'Germany', 49), country(8, 'FR', 'Francja', 'France', 33), country(14, 'PL', 'Polska', 'Poland', 48),
  country(16, 'CZ', 'Czechy', 'Czechia', 420), country(17, 'GB', 'Wielka Brytania', 'United Kingdom', 44), country(21, 'US', 'Stany Zjednoczone', 'United States', 1),
]

const BCRYPT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
/** the secrets a shop keeps for every customer, shaped as PrestaShop makes them */
export function demoSecrets(rnd: () => number, reset: boolean): Pick<PrestaShopCustomerRecord, 'passwd' | 'secure_key' | 'reset_password_token'> {
  const of = (alphabet: string, n: number) => {
    const codes = new Array<number>(n)
    for (let k = 0; k < n; k++) codes[k] = alphabet.charCodeAt(Math.floor(rnd() * alphabet.length))
    // one flat string (a million of them live as long as the demo shop)
    return String.fromCharCode(...codes)
  }
  return {
    passwd: `$2y$10$${of(BCRYPT, 53)}`,
    secure_key: of('0123456789abcdef', 32),
    reset_password_token: reset ? of('0123456789abcdef', 40) : null,
  }
}

export const psDate = (ms: number) => utcDateTime(ms, ' ')
const PROBLEMS = Object.keys(PRESTASHOP_DEMO_PROBLEM_RATES) as PrestaShopDemoProblem[]
const MOBILE_PREFIXES = ['5', '6', '7', '8']

export function generatePrestaShopDemoData({ count, seed }: { count: number; seed: number }): PrestaShopDataset {
  const rnd = prng(seed)
  const int = (n: number) => (rnd() * n) | 0
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!
  const digits = (n: number) => {
    let s = ''
    for (let k = 0; k < n; k++) s += int(10)
    return s
  }
  // every problem on its exact number of records, spread by a seeded sort (record 0 stays clean);
  // typed arrays and no object per record keep a million of them small
  const keys = Float64Array.from({ length: Math.max(0, count - 1) }, () => rnd())
  const order = Int32Array.from({ length: keys.length }, (_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b)
  /** per record: index in PROBLEMS + 1, 0 for none */
  const problemAt = new Uint8Array(count)
  let drawn = 0
  PROBLEMS.forEach((p, code) => {
    for (let k = 0; k < prestashopDemoProblemCount(count, p); k++, drawn++) if (drawn < order.length) problemAt[order[drawn]! + 1] = code + 1
  })
  const customers: PrestaShopCustomerRecord[] = []
  const addresses: PrestaShopAddressRecord[] = []
  const since = Date.UTC(2016, 0, 1, 8, 0, 0)
  const until = Date.UTC(2025, 11, 31)
  /** a Polish mobile number, written one of the ways customers type it */
  const phone = (): string => {
    const d = `${pick(MOBILE_PREFIXES)}${digits(8)}`
    // one of the four ways of writing it (only the one drawn is built)
    const style = int(4)
    return style === 0 ? d : style === 1 ? `+48${d}` : flat(style === 2 ? `+48 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`)
  }
  /** the e-mail of the latest customer with an account (a guest sharing an e-mail copies it) */
  let memberEmail = ''
  let id = 0
  for (let i = 0; i < count; i++) {
    id += rnd() < PRESTASHOP_DEMO_FEATURE_RATES.idGap && i > 0 ? 2 + int(3) : 1
    const problem = problemAt[i] ? PROBLEMS[problemAt[i]! - 1] : undefined
    const guest = problem === 'guest' || problem === 'guestSharingEmail'
    const female = rnd() < 0.5
    const first = pick(female ? FEMALE : MALE)
    const last = pick(SURNAMES)[female ? 1 : 0]
    // registrations spread over the years, in id order
    const added = since + Math.floor(((i + rnd()) / Math.max(count, 1)) * (until - since))
    let email = demoEmail(first, last, id, pick(MAIL_DOMAINS))
    if (problem === 'guestSharingEmail') email = memberEmail
    const firm = !guest && rnd() < PRESTASHOP_DEMO_FEATURE_RATES.company
    const newsletter = !guest && (problem === 'newsletterWithoutDate' || rnd() < PRESTASHOP_DEMO_FEATURE_RATES.newsletter)
    const company = firm ? pick(COMPANIES) : ''
    customers.push({
      id,
      id_default_group: guest ? 2 : rnd() < 0.1 ? 4 : 3,
      id_lang: rnd() < PRESTASHOP_DEMO_FEATURE_RATES.english ? 2 : 1,
      newsletter_date_add: !newsletter ? (rnd() < 0.5 ? null : '0000-00-00 00:00:00') : problem === 'newsletterWithoutDate' ? '0000-00-00 00:00:00' : psDate(added + int(30) * 86_400_000),
      ip_registration_newsletter: newsletter ? flat(`83.${int(256)}.${int(256)}.${int(256)}`) : null,
      last_passwd_gen: psDate(added),
      ...demoSecrets(rnd, rnd() < PRESTASHOP_DEMO_FEATURE_RATES.resetPending),
      deleted: problem === 'deleted' ? 1 : 0,
      lastname: problem === 'namesMissing' ? '' : last,
      firstname: problem === 'namesMissing' ? '' : first,
      email,
      id_gender: female ? 2 : rnd() < 0.8 ? 1 : 0,
      birthday: rnd() < 0.4 ? `${1950 + int(55)}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}` : rnd() < 0.5 ? null : '0000-00-00',
      newsletter: newsletter ? 1 : 0,
      optin: rnd() < 0.2 ? 1 : 0,
      website: null,
      company: firm && rnd() < 0.5 ? company : rnd() < 0.5 ? null : '',
      siret: null,
      ape: null,
      outstanding_allow_amount: '0.000000',
      show_public_prices: 0,
      id_risk: 0,
      max_payment_days: 0,
      active: rnd() < 0.97 ? 1 : 0,
      note: null,
      is_guest: guest ? 1 : 0,
      id_shop: 1,
      id_shop_group: 1,
      date_add: psDate(added),
      date_upd: psDate(added + int(400) * 86_400_000),
      reset_password_validity: null,
      groups: guest ? [2] : [3],
    } as PrestaShopCustomerRecord)
    const c = customers.at(-1)!
    if (c.is_guest === 0) memberEmail = c.email
    if (c.reset_password_token) c.reset_password_validity = psDate(added + 86_400_000)
    if (problem === 'noAddress') continue
    const n = problem === 'severalAddresses' ? 2 + int(2) : problem === 'deletedAddress' ? 2 : 1
    for (let k = 0; k < n; k++) {
      const [city, prefixes] = pick(CITIES)
      // the deleted address comes first (lower id): the default is the lowest *live* id
      const deleted = problem === 'deleted' || (problem === 'deletedAddress' && k === 0)
      const main = k === (problem === 'deletedAddress' ? 1 : 0)
      const mobileOnly = rnd() < PRESTASHOP_DEMO_FEATURE_RATES.mobileOnly
      const tel = main && problem === 'invalidPhone' ? pick(BAD_PHONES) : phone()
      addresses.push({
        id: addresses.length + 1,
        id_customer: id,
        id_manufacturer: 0,
        id_supplier: 0,
        id_warehouse: 0,
        id_country: rnd() < 0.95 ? 14 : pick([1, 16, 8]),
        id_state: 0,
        alias: k === 0 ? 'Mój adres' : pick(['Dom', 'Praca', 'Rodzice']),
        company: main && firm ? company : rnd() < 0.5 ? null : '',
        lastname: last,
        firstname: k === 2 ? pick(female ? MALE : FEMALE) : first,
        vat_number: main && firm ? nipFor(digits) : rnd() < 0.5 ? null : '',
        address1: flat(`${rnd() < 0.5 ? 'ul. ' : ''}${pick(STREETS)} ${1 + int(150)}${rnd() < 0.4 ? `/${1 + int(40)}` : ''}`),
        address2: rnd() < 0.05 ? `lok. ${1 + int(20)}` : rnd() < 0.5 ? null : '',
        postcode: main && problem === 'badPostcode' ? pick(BAD_POSTCODES) : `${pick(prefixes)}-${digits(3)}`,
        city,
        other: null,
        phone: mobileOnly ? '' : tel,
        phone_mobile: mobileOnly ? tel : rnd() < 0.2 ? phone() : null,
        dni: null,
        deleted: deleted ? 1 : 0,
        date_add: psDate(added),
        date_upd: psDate(added),
      })
    }
  }
  return {
    customers,
    addresses,
    countries: PRESTASHOP_DEMO_COUNTRIES.map((x) => ({ ...x, name: { ...x.name } })),
    languages: PRESTASHOP_DEMO_LANGUAGES.map((x) => ({ ...x })),
    groups: PRESTASHOP_DEMO_GROUPS.map((x) => ({ ...x, name: { ...x.name } })),
  }
}

/** Every secret value the dataset holds (for tests that search everything the connector hands out). */
export function prestashopSecretValues(data: PrestaShopDataset): string[] {
  return data.customers.flatMap((c) => [c.passwd, c.secure_key, c.reset_password_token ?? '']).filter((s) => s !== '')
}
