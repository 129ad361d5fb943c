/**
 * A deterministic demo customer base of a Polish WooCommerce shop (seeded PRNG, the shared
 * Polish pools), shaped as GET /wc/v3/customers returns it, with the problems real bases have,
 * each on an exact share of accounts so tests can count them. WordPress keeps e-mails and
 * logins unique, so unlike Shoper there are no duplicate e-mails here.
 */
import { asciiOf, BAD_PHONES, BAD_POSTCODES, CITIES, COMPANIES, FEMALE, MAIL_DOMAINS, MALE, nipFor, prng, STREETS, SURNAMES } from '../demo/demo-pools.ts'
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
  const month = new Date(gmtMs).getUTCMonth()
  const offset = month >= 3 && month <= 9 ? 2 : 1
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19)
  return { local: iso(gmtMs + offset * 3_600_000), gmt: iso(gmtMs) }
}

function seeded(seed: number) {
  const rnd = prng(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  return { rnd, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!, digits: (n: number) => Array.from({ length: n }, () => String(int(10))).join('') }
}

export function generateWooCommerceDemoData({ count, seed }: { count: number; seed: number }): WooCustomerRecord[] {
  const { rnd, int, pick, digits } = seeded(seed)

  // problems on exact, seeded accounts (drawn without replacement); the first staff slot is user 1
  const free = Array.from({ length: Math.max(0, count - 1) }, (_, k) => k + 1)
  const problemOf = new Map<number, WooDemoProblem>()
  for (const p of Object.keys(WOO_DEMO_PROBLEM_RATES) as WooDemoProblem[]) {
    for (let k = 0; k < wooDemoProblemCount(count, p); k++) {
      if (p === 'staff' && k === 0) {
        problemOf.set(0, p)
        continue
      }
      // swap-remove: O(1) per draw, so large demo shops stay fast
      const j = int(free.length)
      problemOf.set(free[j]!, p)
      free[j] = free[free.length - 1]!
      free.pop()
    }
  }

  const start = Date.UTC(2016, 0, 1, 8)
  const span = Date.UTC(2025, 11, 31) - start
  /** a Polish mobile, written one of the four ways shops see them */
  const phone = () => {
    const n = pick(['5', '6', '7', '8']) + digits(8)
    const style = int(4)
    if (style === 0) return n
    if (style === 1) return `+48${n}`
    return style === 2 ? `+48 ${n.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3')}` : n.replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3')
  }
  const place = (first: string, last: string): WooAddressRecord => {
    const [city, prefixes] = pick(CITIES)
    return {
      first_name: first,
      last_name: last,
      company: '',
      address_1: [rnd() < 0.5 ? 'ul.' : '', pick(STREETS), `${1 + int(150)}${rnd() < 0.4 ? `/${1 + int(40)}` : ''}`].filter(Boolean).join(' '),
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
    const problem = problemOf.get(i)
    // a surname pair is [male, female]: the first name decides which form
    const female = int(2) === 1
    const [first, last] = [pick(female ? FEMALE : MALE), pick(SURNAMES)[Number(female)]!]
    const email = `${asciiOf(first)}.${asciiOf(last)}${id}@${pick(MAIL_DOMAINS)}`
    const created = wooDates(start + Math.floor(((i + rnd()) / Math.max(count, 1)) * span))
    const modified = rnd() < 0.15 ? null : wooDates(start + Math.floor(((i + 1) / Math.max(count, 1)) * span) + int(30) * 86_400_000)
    const c = blankWooCustomer(id)
    const meta: WooMetaRecord[] = []
    const addMeta = (key: string, value: unknown) => meta.push({ id: id * 100 + meta.length, key, value })
    const role = problem === 'staff' ? (i === 0 ? 'administrator' : 'shop_manager') : problem === 'subscriberRole' ? 'subscriber' : problem === 'pluginRole' ? 'wholesale_customer' : 'customer'
    const accountNamed = problem !== 'namesOnlyInBilling' && problem !== 'namesMissing'
    Object.assign(c, {
      date_created: created.local,
      date_created_gmt: created.gmt,
      date_modified: modified?.local ?? null,
      date_modified_gmt: modified?.gmt ?? null,
      email,
      first_name: accountNamed ? first : '',
      last_name: accountNamed ? last : '',
      role,
      username: email.split('@')[0]!,
      avatar_url: `https://secure.gravatar.com/avatar/${id.toString(16).padStart(32, '0')}?s=96&d=mm&r=g`,
    })

    if (problem !== 'emptyBilling' && problem !== 'staff') {
      const billed = problem === 'namesMissing' ? place('', '') : place(first, last)
      const billing = { ...billed, email, phone: problem === 'invalidPhone' ? pick(BAD_PHONES) : phone() }
      if (problem === 'badPostcode') billing.postcode = pick(BAD_POSTCODES)
      if (problem === 'firmWithNip') {
        billing.company = pick(COMPANIES)
        addMeta(WOO_DEMO_NIP_KEYS[firms++ % WOO_DEMO_NIP_KEYS.length]!, nipFor(digits))
      }
      c.billing = billing
      // "ship to a different address" unticked: WooCommerce copies billing (without e-mail; phone mostly empty)
      const { email: _e, ...copy } = billing
      c.shipping = problem === 'separateShipping' ? { ...place(pick(female ? FEMALE : MALE), last), phone: rnd() < 0.5 ? phone() : '' } : { ...copy, phone: '' }
      c.is_paying_customer = true
    }
    if (problem === 'mailchimpSubscribed') addMeta(WOO_MAILCHIMP_META_KEY, '1')
    else if (rnd() < WOO_DEMO_UNSUBSCRIBED_RATE && problem !== 'staff') addMeta(WOO_MAILCHIMP_META_KEY, '0')
    // meta a live shop's customers carry that means nothing here
    if (rnd() < 0.5) addMeta('wc_last_active', String(Math.floor(Date.parse(`${created.gmt}Z`) / 1000) + int(400) * 86_400))
    c.meta_data = meta
    out.push(c)
  }
  return out
}
