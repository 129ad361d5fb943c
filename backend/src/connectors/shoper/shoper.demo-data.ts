/**
 * A deterministic demo customer base of a Polish Shoper shop (seeded PRNG): realistic
 * names, cities, postcodes, phones and firms, plus the problems real bases have, each on
 * an exact share of users so that tests can count them.
 */
import type {
  ShoperAddressRecord,
  ShoperDataset,
  ShoperLanguageRecord,
  ShoperSubscriberRecord,
  ShoperUserGroupRecord,
  ShoperUserRecord,
} from './shoper.types.ts'
import { BAD_PHONES, BAD_POSTCODES, CITIES, COMPANIES, demoEmail, FEMALE, flat, MAIL_DOMAINS, MALE, nipFor, prng, STREETS, SURNAMES, utcDateTime } from '../demo/demo-pools.ts'

/**
 * Share of users with each problem; exactly floor(count × rate) users carry it, each user at
 * most one, and user 1 none (so a duplicate e-mail always copies an earlier user's).
 */
export const SHOPER_DEMO_PROBLEM_RATES = {
  /** registered "0": bought without an account */
  guest: 0.05,
  /** 2–3 addresses, shipping default separate from billing */
  severalAddresses: 0.08,
  noAddress: 0.04,
  /** billing postcode like "3134" or "ABC-12" */
  badPostcode: 0.03,
  /** empty names on the user, present on the billing address */
  namesOnlyOnAddress: 0.03,
  /** empty names on the user and on the address */
  namesMissingEverywhere: 0.01,
  /** the previous user's e-mail in other letter case */
  duplicateEmail: 0.02,
  /** billing phone like "12345" */
  invalidPhone: 0.02,
  /** an address with a NIP but no company name */
  firmWithoutCompanyName: 0.01,
} as const
export type ShoperDemoProblem = keyof typeof SHOPER_DEMO_PROBLEM_RATES

/** How many of `count` users carry `problem`. */
export function shoperDemoProblemCount(count: number, problem: ShoperDemoProblem): number {
  return Math.floor(count * SHOPER_DEMO_PROBLEM_RATES[problem])
}

/** Independent features (random per user, so approximate shares). */
export const SHOPER_DEMO_FEATURE_RATES = {
  /** a firm with company name and a valid NIP on its billing address */
  company: 0.12,
  /** newsletter "1" and an active subscriber row */
  newsletter: 0.3,
  /** newsletter "0" but an active subscriber row (signed up in the shop's footer) */
  subscriberOnlyRow: 0.05,
  /** newsletter "0" and an inactive subscriber row (unsubscribed) */
  unsubscribed: 0.05,
  /** extra subscriber rows with no user: floor(count × rate); every 10th of them inactive */
  newsletterOnly: 0.1,
  english: 0.1,
} as const

const LANGUAGES: ShoperLanguageRecord[] = [
  { locale: 'pl_PL', currency_id: '1', active: '1', order: '1', lang_id: '1' },
  { locale: 'en_US', currency_id: '2', active: '1', order: '2', lang_id: '2' },
]
const GROUPS: ShoperUserGroupRecord[] = [
  { group_id: '1', name: 'Klienci detaliczni', discount: '0.00', price_level: '1', auto_add: '1' },
  { group_id: '2', name: 'Hurtownicy', discount: '10.00', price_level: '2', auto_add: '0' },
  { group_id: '3', name: 'Stali klienci', discount: '5.00', price_level: '1', auto_add: '0' },
]

const shoperDate = (ms: number) => utcDateTime(ms, ' ')
const PROBLEMS = Object.keys(SHOPER_DEMO_PROBLEM_RATES) as ShoperDemoProblem[]
const MOBILE_PREFIXES = ['5', '6', '7', '8']
const ORIGINS = ['0', '0', '0', '0', '1', '2', '3']

export function generateShoperDemoData({ count, seed }: { count: number; seed: number }): ShoperDataset {
  const rnd = prng(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const digits = (n: number) => {
    let s = ''
    for (let k = 0; k < n; k++) s += int(10)
    return s
  }

  // problems on exact, seeded-shuffled users (user 1 stays clean); typed arrays keep a million of them small
  const pool = Int32Array.from({ length: Math.max(0, count - 1) }, (_, i) => i + 1)
  for (let i = pool.length - 1; i > 0; i--) {
    const j = int(i + 1)
    const x = pool[i]!
    pool[i] = pool[j]!
    pool[j] = x
  }
  /** per user: index in PROBLEMS + 1, 0 for none */
  const problemAt = new Uint8Array(count)
  let next = 0
  PROBLEMS.forEach((p, code) => {
    for (let k = 0; k < shoperDemoProblemCount(count, p); k++) problemAt[pool[next++]!] = code + 1
  })

  const users: ShoperUserRecord[] = []
  const addresses: ShoperAddressRecord[] = []
  const subscribers: ShoperSubscriberRecord[] = []
  const start = Date.UTC(2015, 0, 1, 8, 0, 0)
  const span = Date.UTC(2025, 11, 31) - start
  const postcode = (prefixes: string[]) => `${pick(prefixes)}-${digits(3)}`
  const phone = () => {
    const n = `${pick(MOBILE_PREFIXES)}${digits(8)}`
    // one of the four ways of writing it (only the one drawn is built)
    const style = int(4)
    return style === 0 ? n : style === 1 ? `+48${n}` : flat(style === 2 ? `+48 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`)
  }
  const subscriber = (email: string, active: boolean, dateadd: string, lang: string) =>
    subscribers.push({ subscriber_id: String(subscribers.length + 1), email, active: active ? '1' : '0', dateadd, lang_id: lang, groups: [1] })

  for (let i = 0; i < count; i++) {
    const id = String(i + 1)
    const problem = problemAt[i] ? PROBLEMS[problemAt[i]! - 1] : undefined
    const female = rnd() < 0.5
    const first = pick(female ? FEMALE : MALE)
    const last = pick(SURNAMES)[female ? 1 : 0]
    const added = start + Math.floor(((i + rnd()) / Math.max(count, 1)) * span)
    const lang = rnd() < SHOPER_DEMO_FEATURE_RATES.english ? '2' : '1'
    let email = demoEmail(first, last, id, pick(MAIL_DOMAINS))
    if (problem === 'duplicateEmail') {
      const prev = users[i - 1]!.email
      email = flat(prev.charAt(0).toUpperCase() + prev.slice(1).replace(/@.*/, (d) => d.toUpperCase()))
    }
    const guest = problem === 'guest'
    const firm = !guest && rnd() < SHOPER_DEMO_FEATURE_RATES.company
    const sub = rnd()
    const newsletter = !guest && sub < SHOPER_DEMO_FEATURE_RATES.newsletter
    const userNamesEmpty = problem === 'namesOnlyOnAddress' || problem === 'namesMissingEverywhere'
    users.push({
      user_id: id,
      login: '',
      date_add: shoperDate(added),
      lastvisit: rnd() < 0.3 ? '0000-00-00 00:00:00' : shoperDate(added + int(400) * 86_400_000),
      verify_email: guest ? '0' : '1',
      origin: pick(ORIGINS),
      registered: guest ? '0' : '1',
      groups: [],
      group_id: rnd() < 0.6 ? null : pick(GROUPS).group_id,
      additional_fields: [],
      tags: [],
      firstname: userNamesEmpty ? '' : first,
      lastname: userNamesEmpty ? '' : last,
      email,
      discount: '0.00',
      newsletter: newsletter ? '1' : '0',
      active: rnd() < 0.97 ? '1' : '0',
      lang_id: lang,
      comment: '',
    })

    // guests and the second holder of an e-mail get no subscriber row (Shoper keeps one per e-mail)
    if (!guest && problem !== 'duplicateEmail') {
      const s = SHOPER_DEMO_FEATURE_RATES
      const dateadd = shoperDate(added + int(30) * 86_400_000)
      const subEmail = rnd() < 0.2 ? email.toUpperCase() : email
      if (newsletter || sub < s.newsletter + s.subscriberOnlyRow) subscriber(subEmail, true, dateadd, lang)
      else if (sub < s.newsletter + s.subscriberOnlyRow + s.unsubscribed) subscriber(subEmail, false, dateadd, lang)
    }

    if (problem === 'noAddress') continue
    const n = problem === 'severalAddresses' ? 2 + int(2) : 1
    for (let k = 0; k < n; k++) {
      const [city, prefixes] = pick(CITIES)
      const street1 = flat(`${k === 0 && rnd() < 0.5 ? 'ul. ' : ''}${pick(STREETS)} ${1 + int(150)}${rnd() < 0.4 ? `/${1 + int(40)}` : ''}`)
      const billing = k === 0
      const nip = billing && (firm || problem === 'firmWithoutCompanyName') ? nipFor(digits) : ''
      const aFirst = problem === 'namesMissingEverywhere' ? '' : k === 2 ? pick(female ? MALE : FEMALE) : first
      const aLast = problem === 'namesMissingEverywhere' ? '' : last
      const company = billing && firm && problem !== 'firmWithoutCompanyName' ? pick(COMPANIES) : ''
      const a: ShoperAddressRecord = {
        address_book_id: String(addresses.length + 1),
        user_id: id,
        address_name: flat(`${aFirst} ${aLast}, ${street1}, ${city}`.trim()),
        company_name: company,
        pesel: '',
        firstname: aFirst,
        lastname: aLast,
        street_1: street1,
        street_2: rnd() < 0.05 ? `lok. ${1 + int(20)}` : '',
        city,
        zip_code: billing && problem === 'badPostcode' ? pick(BAD_POSTCODES) : postcode(prefixes),
        state: '',
        country: 'Polska',
        default: billing ? '1' : '0',
        // one address: both defaults; several: the second one is where parcels go
        shipping_default: (n === 1 && billing) || k === 1 ? '1' : '0',
        phone: billing && problem === 'invalidPhone' ? pick(BAD_PHONES) : phone(),
        sortkey: flat(`${aLast} ${aFirst} ${email}`.trim()),
        country_code: 'PL',
        tax_identification_number: nip,
      }
      addresses.push(a)
    }
  }

  // people who only signed up for the newsletter
  const only = Math.floor(count * SHOPER_DEMO_FEATURE_RATES.newsletterOnly)
  for (let k = 0; k < only; k++) {
    subscriber(flat(`newsletter${k + 1}@${pick(MAIL_DOMAINS)}`), (k + 1) % 10 !== 0, shoperDate(start + int(span)), '1')
  }

  return { users, addresses, subscribers, userGroups: GROUPS.map((g) => ({ ...g })), languages: LANGUAGES.map((l) => ({ ...l })) }
}
