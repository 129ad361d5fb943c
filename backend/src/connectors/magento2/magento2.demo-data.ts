/**
 * A deterministic demo customer base of a Polish Magento 2.4 shop (seeded PRNG, the shared
 * pools of ../demo/demo-pools.ts) with two store views (pl_PL, en_US), Magento's customer
 * groups and newsletter subscribers, shaped as the REST API sends customers. Problems sit on
 * exact shares so tests can count them. Magento keeps e-mails unique per website (one here).
 */
import { BAD_PHONES, BAD_POSTCODES, CITIES, COMPANIES, demoEmail, FEMALE, flat, MAIL_DOMAINS, MALE, nipFor, prng, STREETS, SURNAMES, utcDateTime } from '../demo/demo-pools.ts'
import {
  MAGENTO_DEFAULT_GROUPS,
  storeConfigOf,
  type MagentoAddressRecord,
  type MagentoCustomerRecord,
  type MagentoDataset,
  type MagentoGroupRecord,
  type MagentoStoreConfigRecord,
  type MagentoSubscriberRecord,
} from './magento2.records.ts'

/** Problems: exactly floor(count × rate) customers carry each, at most one problem a customer; the first none. */
export const MAGENTO_DEMO_PROBLEM_RATES = {
  /** default billing postcode like "3134" */
  badPostcode: 0.03,
  /** empty first and last name (data migrated from Magento 1 or written by SQL; the 2.4 forms require them) */
  namesMissing: 0.01,
  /** default billing telephone like "12345" */
  invalidPhone: 0.02,
  /** registered, never ordered: no address at all */
  noAddress: 0.05,
  /** 2–3 addresses, the default shipping one another than the default billing one */
  separateShipping: 0.08,
  /** a firm: company on the billing address, NIP in the customer's taxvat */
  firmTaxvat: 0.05,
  /** a firm: company and NIP (vat_id) on the billing address, no taxvat */
  firmVatId: 0.05,
} as const
export type MagentoDemoProblem = keyof typeof MAGENTO_DEMO_PROBLEM_RATES

/** Traits, independent of the problems: exactly floor(count × rate) customers each. */
export const MAGENTO_DEMO_TRAIT_RATES = {
  /** registered in the English store view (store 2, en_US) */
  englishStore: 0.15,
  /** group Wholesale (2) instead of General (1) */
  wholesale: 0.1,
  /** a newsletter_subscriber row with status 1: is_subscribed true */
  subscribed: 0.3,
} as const
export type MagentoDemoTrait = keyof typeof MAGENTO_DEMO_TRAIT_RATES

export const magentoDemoProblemCount = (count: number, p: MagentoDemoProblem) => Math.floor(count * MAGENTO_DEMO_PROBLEM_RATES[p])
export const magentoDemoTraitCount = (count: number, t: MagentoDemoTrait) => Math.floor(count * MAGENTO_DEMO_TRAIT_RATES[t])

export const MAGENTO_DEMO_GROUPS: MagentoGroupRecord[] = [...MAGENTO_DEFAULT_GROUPS, { id: 4, code: 'Klienci VIP', tax_class_id: 3, tax_class_name: 'Retail Customer' }]

export function magentoDemoStores(baseUrl = 'https://sklep-magento.example.pl'): MagentoStoreConfigRecord[] {
  return [storeConfigOf(1, 'default', 'pl_PL', baseUrl), { ...storeConfigOf(2, 'en', 'en_US', `${baseUrl.replace(/\/$/, '')}/en`), default_display_currency_code: 'EUR' }]
}
const STORE_NAMES: Record<number, string> = { 1: 'Polski', 2: 'English' }

/** "2024-03-05 10:11:12": Magento's UTC timestamp format */
export const magentoDate = (ms: number) => utcDateTime(ms, ' ')

/** a seeded draw of exactly `k` of the indices 1..n-1 (index 0 stays clean); typed arrays keep a million of them small */
function draw(int: (n: number) => number, n: number, k: number): Int32Array {
  const free = Int32Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1)
  let left = free.length
  const out = new Int32Array(Math.min(k, left))
  for (let i = 0; i < k && left > 0; i++) {
    const j = int(left)
    out[i] = free[j]!
    free[j] = free[left - 1]!
    left--
  }
  return out
}

const PROBLEMS = Object.keys(MAGENTO_DEMO_PROBLEM_RATES) as MagentoDemoProblem[]
const TRAITS = Object.keys(MAGENTO_DEMO_TRAIT_RATES) as MagentoDemoTrait[]
const MOBILE_PREFIXES = ['5', '6', '7', '8']

export function generateMagentoDemoData({ count, seed, baseUrl }: { count: number; seed: number; baseUrl?: string }): MagentoDataset {
  const rnd = prng(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const digits = (n: number) => {
    let s = ''
    for (let k = 0; k < n; k++) s += int(10)
    return s
  }
  /** per customer: index in PROBLEMS + 1, 0 for none; taken from the end of the draw */
  const problemAt = new Uint8Array(count)
  const all = draw(int, count, PROBLEMS.reduce((s, p) => s + magentoDemoProblemCount(count, p), 0))
  let undrawn = all.length
  PROBLEMS.forEach((p, code) => {
    for (let k = 0; k < magentoDemoProblemCount(count, p); k++) if (undrawn > 0) problemAt[all[--undrawn]!] = code + 1
  })
  /** per customer: bit `1 << index in TRAITS` for each trait it has */
  const traitBits = new Uint8Array(count)
  TRAITS.forEach((t, bit) => {
    for (const i of draw(int, count, magentoDemoTraitCount(count, t))) traitBits[i]! |= 1 << bit
  })
  const has = (i: number, t: MagentoDemoTrait) => (traitBits[i]! & (1 << TRAITS.indexOf(t))) !== 0

  const phone = (): string => {
    const d = `${pick(MOBILE_PREFIXES)}${digits(8)}`
    // one of the four ways of writing it (only the one drawn is built)
    const style = int(4)
    return style === 0 ? d : style === 1 ? `+48${d}` : flat(style === 2 ? `+48 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`)
  }
  const customers: MagentoCustomerRecord[] = []
  const subscribers: MagentoSubscriberRecord[] = []
  const since = Date.UTC(2017, 0, 1, 8, 0, 0)
  const until = Date.UTC(2025, 11, 31)
  let id = 0
  let addressId = 0
  for (let i = 0; i < count; i++) {
    // ids ascend with the gaps deleted accounts leave
    id += i > 0 && rnd() < 0.03 ? 2 + int(3) : 1
    const problem = problemAt[i] ? PROBLEMS[problemAt[i]! - 1] : undefined
    const female = rnd() < 0.5
    const first = pick(female ? FEMALE : MALE)
    const last = pick(SURNAMES)[female ? 1 : 0]
    const created = since + Math.floor(((i + rnd()) / Math.max(count, 1)) * (until - since))
    const store = has(i, 'englishStore') ? 2 : 1
    const email = demoEmail(first, last, id, pick(MAIL_DOMAINS))
    const firm = problem === 'firmTaxvat' || problem === 'firmVatId'
    const company = firm ? pick(COMPANIES) : ''
    const nip = firm ? nipFor(digits) : ''
    const n = problem === 'noAddress' ? 0 : problem === 'separateShipping' ? 2 + int(2) : rnd() < 0.1 ? 2 : 1
    const addresses: MagentoAddressRecord[] = []
    for (let k = 0; k < n; k++) {
      const [city, prefixes] = pick(CITIES)
      const main = k === 0
      const house = `${1 + int(150)}${rnd() < 0.4 ? `/${1 + int(40)}` : ''}`
      const street = pick(STREETS)
      const abroad = !main && rnd() < 0.1
      addresses.push({
        id: ++addressId,
        customer_id: id,
        region: { region_id: 0 },
        region_id: 0,
        country_id: abroad ? pick(['DE', 'CZ']) : 'PL',
        // street_lines 2: half the customers split street and number
        street: rnd() < 0.5 ? [flat(`ul. ${street} ${house}`)] : [street, house],
        ...(main && company ? { company } : {}),
        telephone: main && problem === 'invalidPhone' ? pick(BAD_PHONES) : phone(),
        postcode: main && problem === 'badPostcode' ? pick(BAD_POSTCODES) : `${pick(prefixes)}-${digits(3)}`,
        city,
        firstname: k === 2 ? pick(female ? MALE : FEMALE) : first,
        lastname: last,
        ...(main && problem === 'firmVatId' ? { vat_id: nip } : {}),
      })
    }
    const billing = addresses[0]
    const shipping = problem === 'separateShipping' ? addresses[1 + int(addresses.length - 1)] : billing
    const names = problem === 'namesMissing' ? { firstname: '', lastname: '' } : { firstname: first, lastname: last }
    customers.push({
      id,
      group_id: has(i, 'wholesale') ? 2 : rnd() < 0.03 ? 4 : 1,
      ...(billing ? { default_billing: String(billing.id) } : {}),
      ...(shipping ? { default_shipping: String(shipping.id) } : {}),
      created_at: magentoDate(created),
      updated_at: magentoDate(created + int(400) * 86_400_000),
      created_in: STORE_NAMES[store]!,
      ...(rnd() < 0.4 ? { dob: `${1950 + int(55)}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}` } : {}),
      email,
      ...names,
      ...(rnd() < 0.7 ? { gender: female ? 2 : 1 } : {}),
      store_id: store,
      ...(problem === 'firmTaxvat' ? { taxvat: nip } : {}),
      website_id: 1,
      addresses,
      disable_auto_group_change: 0,
    })
    if (has(i, 'subscribed')) subscribers.push({ email, status: 1 })
    else if (rnd() < 0.05) subscribers.push({ email, status: 3 })
  }
  return { customers, groups: MAGENTO_DEMO_GROUPS.map((g) => ({ ...g })), storeConfigs: magentoDemoStores(baseUrl), subscribers }
}
