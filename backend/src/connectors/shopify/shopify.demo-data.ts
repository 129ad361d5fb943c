/**
 * A deterministic demo customer base of a Polish Shopify shop (seeded PRNG, the shared Polish
 * pools), stored as the GraphQL Admin API shows it, with the problems real bases have, each on an
 * exact share of customers (at most one each) so that tests can count them. Shopify keeps
 * customer phones in E.164 and e-mails unique; address phones are free text.
 */
import { BAD_PHONES, BAD_POSTCODES, CITIES, COMPANIES, demoEmail, FEMALE, flat, MAIL_DOMAINS, MALE, prng, STREETS, SURNAMES, utcDateTime } from '../demo/demo-pools.ts'
import type { ShopifyCustomerRecord, ShopifyMailingAddressRecord, ShopifyOptInLevel } from './shopify.types.ts'

/** Share of customers with each problem or trait: exactly floor(count × rate) customers carry it, each at most one. */
export const SHOPIFY_DEMO_PROBLEM_RATES = {
  /** no address at all (a newsletter sign-up, a customer made by hand) */
  noAddress: 0.12,
  /** default address postcode like "3134" */
  badPostcode: 0.03,
  /** no first and no last name (only an e-mail) */
  namesMissing: 0.02,
  /** default address phone like "12345" */
  invalidPhone: 0.02,
  /** two or three addresses, the default not always the first */
  severalAddresses: 0.08,
  /** more addresses than a page brings (7): read by the follow-up query */
  manyAddresses: 0.01,
  /** default address abroad (DE, CZ, GB) */
  foreignAddress: 0.05,
  /** state DISABLED: no activated account (e.g. made at checkout) */
  disabled: 0.2,
  /** state INVITED: invitation sent, not accepted */
  invited: 0.02,
  /** state DECLINED: invitation declined */
  declined: 0.01,
  /** e-mail marketing SUBSCRIBED */
  emailSubscribed: 0.15,
  /** e-mail marketing UNSUBSCRIBED */
  emailUnsubscribed: 0.05,
  /** e-mail marketing PENDING (double opt-in not confirmed) */
  emailPending: 0.02,
  /** e-mail marketing INVALID */
  emailInvalid: 0.01,
  /** SMS marketing SUBSCRIBED (with an E.164 phone) */
  smsSubscribed: 0.03,
  /** customer tags (VIP, Hurt, app tags…) */
  tagged: 0.1,
  /** a phone but no e-mail */
  noEmail: 0.01,
  /** a firm on the default address */
  firm: 0.05,
} as const
export type ShopifyDemoProblem = keyof typeof SHOPIFY_DEMO_PROBLEM_RATES

export function shopifyDemoProblemCount(count: number, problem: ShopifyDemoProblem): number {
  return Math.floor(count * SHOPIFY_DEMO_PROBLEM_RATES[problem])
}

/** ids as large as Shopify's, ascending with registration */
export const SHOPIFY_DEMO_FIRST_ID = 7_104_211_000_000
const ADDRESS_BASE = 9_211_004_000_000

export const SHOPIFY_DEMO_TAGS = ['VIP', 'Hurt', 'Stały klient', 'Login with Shop', 'newsletter', 'B2B']
const FOREIGN: Array<Pick<ShopifyMailingAddressRecord, 'city' | 'country' | 'countryCodeV2' | 'zip' | 'province' | 'provinceCode'> & { street: string }> = [
  { city: 'Berlin', country: 'Germany', countryCodeV2: 'DE', zip: '10115', province: null, provinceCode: null, street: 'Invalidenstraße 12' },
  { city: 'Praha', country: 'Czechia', countryCodeV2: 'CZ', zip: '110 00', province: null, provinceCode: null, street: 'Národní 27' },
  { city: 'London', country: 'United Kingdom', countryCodeV2: 'GB', zip: 'SW1A 1AA', province: 'England', provinceCode: 'ENG', street: '10 Downing Street' },
]

/** "2024-03-05T10:11:12Z": Shopify's DateTime, whole seconds */
const iso = (ms: number) => utcDateTime(ms, 'T', 'Z')
const PROBLEMS = Object.keys(SHOPIFY_DEMO_PROBLEM_RATES) as ShopifyDemoProblem[]
const MOBILE_PREFIXES = ['5', '6', '7', '8']

export function generateShopifyDemoData({ count, seed }: { count: number; seed: number }): ShopifyCustomerRecord[] {
  const rnd = prng(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const digits = (n: number) => {
    let s = ''
    for (let k = 0; k < n; k++) s += int(10)
    return s
  }

  // problems on exact, seeded customers (drawn without replacement); typed arrays keep a million of them small
  const free = Int32Array.from({ length: count }, (_, k) => k)
  let freeLeft = free.length
  /** per customer: index in PROBLEMS + 1, 0 for none */
  const problemAt = new Uint8Array(count)
  PROBLEMS.forEach((p, code) => {
    for (let k = 0; k < shopifyDemoProblemCount(count, p); k++) {
      const j = int(freeLeft)
      if (j < freeLeft) {
        problemAt[free[j]!] = code + 1
        free[j] = free[freeLeft - 1]!
        freeLeft--
      }
    }
  })

  let addressId = ADDRESS_BASE
  const mobile = () => pick(MOBILE_PREFIXES) + digits(8)
  /** an address phone, written one of the ways shoppers type them (only the one drawn is built) */
  const addressPhone = () => {
    const n = mobile()
    const style = int(4)
    return style === 0 ? n : style === 1 ? `+48${n}` : flat(style === 2 ? `+48 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`)
  }
  const marketing = <S extends string>(createdMs: number, state: S, level: ShopifyOptInLevel) => ({
    marketingState: state,
    marketingOptInLevel: level,
    marketingUpdatedAt: iso(createdMs + int(300) * 86_400_000),
  })
  const place = (first: string | null, last: string | null): ShopifyMailingAddressRecord => {
    const [city, prefixes] = pick(CITIES)
    return {
      id: ++addressId,
      firstName: first,
      lastName: last,
      company: null,
      address1: flat(`${rnd() < 0.5 ? 'ul. ' : ''}${pick(STREETS)} ${1 + int(150)}${rnd() < 0.4 ? `/${1 + int(40)}` : ''}`),
      address2: rnd() < 0.05 ? `lok. ${1 + int(20)}` : null,
      city,
      province: null,
      provinceCode: null,
      country: 'Poland',
      countryCodeV2: 'PL',
      zip: `${pick(prefixes)}-${digits(3)}`,
      phone: rnd() < 0.7 ? addressPhone() : null,
    }
  }

  const start = Date.UTC(2019, 0, 1, 8)
  const span = Date.UTC(2026, 10, 30) - start
  const out: ShopifyCustomerRecord[] = []
  for (let i = 0; i < count; i++) {
    const problem = problemAt[i] ? PROBLEMS[problemAt[i]! - 1] : undefined
    const female = int(2) === 1
    const first = pick(female ? FEMALE : MALE)
    const last = pick(SURNAMES)[Number(female)]!
    const id = SHOPIFY_DEMO_FIRST_ID + (i + 1) * 1_024 + int(1_000)
    const createdMs = start + Math.floor(((i + rnd()) / Math.max(count, 1)) * span)
    const updatedMs = createdMs + int(400) * 86_400_000
    const named = problem !== 'namesMissing'
    const emailState =
      problem === 'emailSubscribed'
        ? marketing(createdMs, 'SUBSCRIBED', rnd() < 0.6 ? 'SINGLE_OPT_IN' : 'CONFIRMED_OPT_IN')
        : problem === 'emailUnsubscribed'
          ? marketing(createdMs, 'UNSUBSCRIBED', 'SINGLE_OPT_IN')
          : problem === 'emailPending'
            ? marketing(createdMs, 'PENDING', 'CONFIRMED_OPT_IN')
            : problem === 'emailInvalid'
              ? marketing(createdMs, 'INVALID', 'UNKNOWN')
              : { marketingState: 'NOT_SUBSCRIBED' as const, marketingOptInLevel: null, marketingUpdatedAt: null }
    const c: ShopifyCustomerRecord = {
      id,
      firstName: named ? first : null,
      lastName: named ? last : null,
      locale: problem === 'foreignAddress' ? pick(['en', 'de', 'cs']) : rnd() < 0.1 ? 'en' : 'pl',
      note: rnd() < 0.05 ? 'Prosi o fakturę' : null,
      state: problem === 'disabled' ? 'DISABLED' : problem === 'invited' ? 'INVITED' : problem === 'declined' ? 'DECLINED' : 'ENABLED',
      tags: problem === 'tagged' ? [...new Set([pick(SHOPIFY_DEMO_TAGS), ...(rnd() < 0.4 ? [pick(SHOPIFY_DEMO_TAGS)] : [])])].sort() : [],
      createdAt: iso(createdMs),
      updatedAt: iso(updatedMs),
      verifiedEmail: problem !== 'emailInvalid',
      email: problem === 'noEmail' ? null : { emailAddress: demoEmail(first, last, i + 1, pick(MAIL_DOMAINS)), ...emailState },
      phone:
        problem === 'smsSubscribed'
          ? { phoneNumber: `+48${mobile()}`, ...marketing(createdMs, 'SUBSCRIBED', 'SINGLE_OPT_IN') }
          : problem === 'noEmail' || rnd() < 0.3
            ? { phoneNumber: `+48${mobile()}`, marketingState: 'NOT_SUBSCRIBED', marketingOptInLevel: null, marketingUpdatedAt: null }
            : null,
      addresses: [],
      defaultAddressId: null,
    }
    if (problem !== 'noAddress') {
      const main = named ? place(first, last) : place(null, null)
      if (problem === 'badPostcode') main.zip = pick(BAD_POSTCODES)
      if (problem === 'invalidPhone') main.phone = pick(BAD_PHONES)
      if (problem === 'firm') main.company = pick(COMPANIES)
      if (problem === 'foreignAddress') {
        const { street, ...abroad } = pick(FOREIGN)
        Object.assign(main, abroad, { address1: street, address2: null, phone: null })
      }
      const extra = problem === 'severalAddresses' ? 1 + int(2) : problem === 'manyAddresses' ? 6 : 0
      const others = Array.from({ length: extra }, () => place(pick(female ? FEMALE : MALE), last))
      // Shopify lists addresses by id; the default is whichever the customer chose (not always the first)
      const at = problem === 'severalAddresses' ? int(extra + 1) : 0
      c.addresses = [...others.slice(0, at), main, ...others.slice(at)]
      c.addresses.forEach((a, k) => (a.id = addressId - c.addresses.length + 1 + k))
      c.defaultAddressId = main.id
    }
    out.push(c)
  }
  return out
}
