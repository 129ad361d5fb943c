/**
 * A deterministic demo customer base of a Polish WooCommerce shop (seeded PRNG, the shared
 * Polish pools), shaped as GET /wc/v3/customers returns it, with the problems real bases have,
 * each on an exact share of accounts so tests can count them. WordPress keeps e-mails and
 * logins unique, so unlike Shoper there are no duplicate e-mails here.
 */
import { BAD_PHONES, BAD_POSTCODES, CITIES, COMPANIES, demoEmail, FEMALE, flat, MAIL_DOMAINS, MALE, nipFor, prng, STREETS, SURNAMES, utcDateTime } from '../demo/demo-pools.ts'
import { WOO_MAILCHIMP_META_KEY } from './woocommerce.mapper.ts'
import { blankWooCustomer, type WooAddressRecord, type WooCustomerRecord, type WooMetaRecord } from './woocommerce.types.ts'

/**
 * Share of accounts with each problem or trait: exactly floor(count × rate) accounts carry it,
 * each at most one. User 1 is the site's administrator whenever the staff share is at least one.
 */
export const WOO_DEMO_PROBLEM_RATES = {
  /** administrator (user 1) and shop_manager accounts: left out as staff */
  staff: 0.02,
  /** WordPress's default role for sign-ups outside WooCommerce: still a shopper */
  subscriberRole: 0.05,
  /** a plugin role (wholesale_customer): kept as the group */
  pluginRole: 0.02,
  /** registered, never ordered: billing and shipping empty */
  emptyBilling: 0.06,
  /** shipping to another address than billing */
  separateShipping: 0.08,
  /** billing postcode like "3134" or "ABC-12" */
  badPostcode: 0.03,
  /** account names empty, billing names present */
  namesOnlyInBilling: 0.03,
  /** names empty on the account and in billing */
  namesMissing: 0.01,
  /** billing phone like "12345" */
  invalidPhone: 0.02,
  /** a firm: billing company and a valid NIP in plugin meta */
  firmWithNip: 0.1,
  /** Mailchimp for WooCommerce meta "1" */
  mailchimpSubscribed: 0.25,
} as const
export type WooDemoProblem = keyof typeof WOO_DEMO_PROBLEM_RATES

export function wooDemoProblemCount(count: number, problem: WooDemoProblem): number {
  return Math.floor(count * WOO_DEMO_PROBLEM_RATES[problem])
}

/** the NIP meta keys the demo firms use, in turn (all in WOO_NIP_META_KEYS) */
export const WOO_DEMO_NIP_KEYS = ['billing_nip', 'vat_number', 'billing_vat_number', '_billing_nip'] as const
/** accounts without a Mailchimp "1" that carry "0" (random, about this share) */
export const WOO_DEMO_UNSUBSCRIBED_RATE = 0.1

/** "2019-04-02T10:11:12" with the shop in Europe/Warsaw: +2 h in summer, +1 h in winter (approximate DST) */
function wooDates(gmtMs: number): { local: string; gmt: string } {
  const gmt = utcDateTime(gmtMs, 'T')
  // the UTC month, 1-based, from "YYYY-MM-…"
  const month = (gmt.charCodeAt(5) - 48) * 10 + (gmt.charCodeAt(6) - 48)
  const offset = month >= 4 && month <= 10 ? 2 : 1
  return { local: utcDateTime(gmtMs + offset * 3_600_000, 'T'), gmt }
}

function seeded(seed: number) {
  const rnd = prng(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const digits = (n: number) => {
    let s = ''
    for (let k = 0; k < n; k++) s += int(10)
    return s
  }
  return { rnd, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!, digits }
}

const PROBLEMS = Object.keys(WOO_DEMO_PROBLEM_RATES) as WooDemoProblem[]
const MOBILE_PREFIXES = ['5', '6', '7', '8']

/** "ul. Długa 5/2" or "Długa 5/2" */
const street = (prefixed: boolean, name: string, number: string) => flat(prefixed ? `ul. ${name} ${number}` : `${name} ${number}`)

const addMeta = (meta: WooMetaRecord[], id: number, key: string, value: unknown) => meta.push({ id: id * 100 + meta.length, key, value })

/** the shipping address WooCommerce copies from billing: the same fields but the e-mail, phone empty */
function withoutEmail(b: WooAddressRecord & { email?: string }): WooAddressRecord {
  const { first_name, last_name, company, address_1, address_2, city, state, postcode, country } = b
  return { first_name, last_name, company, address_1, address_2, city, state, postcode, country, phone: '' }
}

export function generateWooCommerceDemoData({ count, seed }: { count: number; seed: number }): WooCustomerRecord[] {
  const { rnd, int, pick, digits } = seeded(seed)

  // problems on exact, seeded accounts (drawn without replacement); the first staff slot is user 1
  const free = Int32Array.from({ length: Math.max(0, count - 1) }, (_, k) => k + 1)
  let freeLeft = free.length
  /** per account: index in PROBLEMS + 1, 0 for none (a typed array keeps a million of them small) */
  const problemAt = new Uint8Array(count)
  PROBLEMS.forEach((p, code) => {
    for (let k = 0; k < wooDemoProblemCount(count, p); k++) {
      if (p === 'staff' && k === 0) {
        if (count > 0) problemAt[0] = code + 1
        continue
      }
      // swap-remove: O(1) per draw, so large demo shops stay fast
      const j = int(freeLeft)
      if (j < freeLeft) {
        problemAt[free[j]!] = code + 1
        free[j] = free[freeLeft - 1]!
        freeLeft--
      }
    }
  })

  const start = Date.UTC(2016, 0, 1, 8)
  const span = Date.UTC(2025, 11, 31) - start
  /** a Polish mobile, written one of the four ways shops see them */
  const phone = () => {
    const n = pick(MOBILE_PREFIXES) + digits(8)
    const style = int(4)
    if (style === 0) return n
    if (style === 1) return `+48${n}`
    return flat(style === 2 ? `+48 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`)
  }
  const place = (first: string, last: string): WooAddressRecord => {
    const [city, prefixes] = pick(CITIES)
    return {
      first_name: first,
      last_name: last,
      company: '',
      address_1: street(rnd() < 0.5, pick(STREETS), `${1 + int(150)}${rnd() < 0.4 ? `/${1 + int(40)}` : ''}`),
      address_2: rnd() < 0.05 ? `lok. ${1 + int(20)}` : '',
      city,
      state: '',
      postcode: `${pick(prefixes)}-${digits(3)}`,
      country: 'PL',
      phone: '',
    }
  }

  const out: WooCustomerRecord[] = []
  let firms = 0
  for (let i = 0; i < count; i++) {
    const id = i + 1
    const problem = problemAt[i] ? PROBLEMS[problemAt[i]! - 1] : undefined
    // a surname pair is [male, female]: the first name decides which form
    const female = int(2) === 1
    const first = pick(female ? FEMALE : MALE)
    const last = pick(SURNAMES)[Number(female)]!
    const email = demoEmail(first, last, id, pick(MAIL_DOMAINS))
    const createdMs = start + Math.floor(((i + rnd()) / Math.max(count, 1)) * span)
    const created = wooDates(createdMs)
    const modified = rnd() < 0.15 ? null : wooDates(start + Math.floor(((i + 1) / Math.max(count, 1)) * span) + int(30) * 86_400_000)
    const c = blankWooCustomer(id)
    const meta: WooMetaRecord[] = []
    const role = problem === 'staff' ? (i === 0 ? 'administrator' : 'shop_manager') : problem === 'subscriberRole' ? 'subscriber' : problem === 'pluginRole' ? 'wholesale_customer' : 'customer'
    const accountNamed = problem !== 'namesOnlyInBilling' && problem !== 'namesMissing'
    // fields of the blank record set in place: it keeps their order
    c.date_created = created.local
    c.date_created_gmt = created.gmt
    c.date_modified = modified?.local ?? null
    c.date_modified_gmt = modified?.gmt ?? null
    c.email = email
    c.first_name = accountNamed ? first : ''
    c.last_name = accountNamed ? last : ''
    c.role = role
    c.username = email.slice(0, email.indexOf('@'))
    c.avatar_url = flat(`https://secure.gravatar.com/avatar/${id.toString(16).padStart(32, '0')}?s=96&d=mm&r=g`)

    if (problem !== 'emptyBilling' && problem !== 'staff') {
      const billed = problem === 'namesMissing' ? place('', '') : place(first, last)
      const billing = { ...billed, email, phone: problem === 'invalidPhone' ? pick(BAD_PHONES) : phone() }
      if (problem === 'badPostcode') billing.postcode = pick(BAD_POSTCODES)
      if (problem === 'firmWithNip') {
        billing.company = pick(COMPANIES)
        addMeta(meta, id, WOO_DEMO_NIP_KEYS[firms++ % WOO_DEMO_NIP_KEYS.length]!, nipFor(digits))
      }
      c.billing = billing
      // "ship to a different address" unticked: WooCommerce copies billing (without e-mail; phone mostly empty)
      c.shipping = problem === 'separateShipping' ? { ...place(pick(female ? FEMALE : MALE), last), phone: rnd() < 0.5 ? phone() : '' } : withoutEmail(billing)
      c.is_paying_customer = true
    }
    if (problem === 'mailchimpSubscribed') addMeta(meta, id, WOO_MAILCHIMP_META_KEY, '1')
    else if (rnd() < WOO_DEMO_UNSUBSCRIBED_RATE && problem !== 'staff') addMeta(meta, id, WOO_MAILCHIMP_META_KEY, '0')
    // meta a live shop's customers carry that means nothing here: a last activity after the creation second
    if (rnd() < 0.5) addMeta(meta, id, 'wc_last_active', String(Math.floor(createdMs / 1000) + int(400) * 86_400))
    c.meta_data = meta
    out.push(c)
  }
  return out
}
