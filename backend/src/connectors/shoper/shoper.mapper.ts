/**
 * Shoper user (+ its addresses, subscribers, group and language) → CanonicalCustomer.
 * Pure and faithful to the source: nothing is filled in or repaired here (missing names,
 * bad postcodes…); the import rules decide about those later.
 */
import type { Address, CanonicalCustomer, Consent, SkipReason } from '@cm/contracts'
import countries from 'i18n-iso-countries'
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' }
import pl from 'i18n-iso-countries/langs/pl.json' with { type: 'json' }

// the shop's language names the country (Polska, Niemcy…); English as the second guess
countries.registerLocale(pl)
countries.registerLocale(en)

/** ISO 3166-1 alpha-2 for `country_code`, else the country's name (Polish or English), else "" */
export function countryCodeOf(code: string, name: string): string {
  const c = code.trim().toUpperCase()
  if (c) return c
  const n = name.trim()
  if (!n) return ''
  return countries.getAlpha2Code(n, 'pl') ?? countries.getAlpha2Code(n, 'en') ?? ''
}
import type { ShoperAddress, ShoperLanguage, ShoperSubscriber, ShoperUser, ShoperUserGroup } from './shoper.types.ts'

export interface ShoperLookups {
  /** lang_id → locale, e.g. "1" → "pl_PL" */
  languages: ReadonlyMap<string, string>
  /** group_id → group name */
  groups: ReadonlyMap<string, string>
}

export function buildShoperLookups(languages: readonly ShoperLanguage[], groups: readonly ShoperUserGroup[]): ShoperLookups {
  return {
    languages: new Map(languages.map((l) => [l.lang_id, l.locale])),
    groups: new Map(groups.map((g) => [g.group_id, g.name])),
  }
}

export type ShoperMapResult =
  | { kind: 'customer'; customer: CanonicalCustomer }
  | { kind: 'left_out'; reason: SkipReason }

/** "2026-06-28 21:59:15" → "2026-06-28T21:59:15": local shop time, no zone invented; else "" */
export function shoperDateToIso(value: string | null): string {
  const [, day, time] = value?.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/) ?? []
  if (!day || day.startsWith('0000')) return ''
  return `${day}T${time ?? '00:00:00'}`
}

/** "pl_PL" → "pl", "en-US" → "en", unknown → "" */
export function localeToLanguage(locale: string | undefined): string {
  const lang = locale?.trim().split(/[_-]/)[0]?.toLowerCase() ?? ''
  return /^[a-z]{2}$/.test(lang) ? lang : ''
}

export function mapShoperAddress(a: ShoperAddress, isDefaultBilling: boolean, isDefaultShipping: boolean): Address {
  return {
    firstName: a.firstname.trim(),
    lastName: a.lastname.trim(),
    company: a.company_name.trim(),
    street: `${a.street_1.trim()} ${a.street_2.trim()}`.trim(),
    postcode: a.zip_code.trim(),
    city: a.city.trim(),
    countryCode: countryCodeOf(a.country_code, a.country),
    phone: a.phone.trim(),
    vatNumber: a.tax_identification_number.trim(),
    isDefaultBilling,
    isDefaultShipping,
  }
}

/** Default billing = `default:"1"` (else the first address); default shipping = `shipping_default:"1"` only. */
function mapAddresses(user: ShoperUser, addresses: readonly ShoperAddress[]): Address[] {
  const own = addresses.filter((a) => a.user_id === user.user_id)
  const billing = own.find((a) => a.default) ?? own[0]
  const shipping = own.find((a) => a.shipping_default)
  return own.map((a) => mapShoperAddress(a, a === billing, a === shipping))
}

/**
 * An active subscriber row with the same e-mail (case-insensitive), or `newsletter:"1"` when the
 * shop has no row for that e-mail at all. An inactive row means the person unsubscribed: the
 * user's flag does not outvote it. The date is the row's `dateadd` or nothing: the registration
 * date is not when anyone consented.
 */
function newsletterConsent(user: ShoperUser, subscribers: readonly ShoperSubscriber[]): Consent[] {
  const email = user.email.trim().toLowerCase()
  const rows = email ? subscribers.filter((s) => s.email.trim().toLowerCase() === email) : []
  const active = rows.find((s) => s.active)
  if (!active && (rows.length > 0 || !user.newsletter)) return []
  return [{ channel: 'email', granted: true, date: shoperDateToIso(active?.dateadd ?? null) || null }]
}

/** `group_id`, else the first of `groups[]` the shop names */
function groupOf(user: ShoperUser, lookups: ShoperLookups): string {
  for (const id of [user.group_id, ...user.groups]) {
    const name = id ? lookups.groups.get(id)?.trim() : undefined
    if (name) return name
  }
  return ''
}

export function mapShoperUser(
  user: ShoperUser,
  addresses: readonly ShoperAddress[],
  subscribers: readonly ShoperSubscriber[],
  lookups: ShoperLookups,
): ShoperMapResult {
  if (!user.registered) return { kind: 'left_out', reason: 'guest' }
  const mapped = mapAddresses(user, addresses)
  const billing = mapped.find((a) => a.isDefaultBilling)
  const customer: CanonicalCustomer = {
    sourceId: user.user_id,
    login: user.login.trim(),
    email: user.email.trim(),
    firstName: user.firstname.trim(),
    lastName: user.lastname.trim(),
    company: billing?.company ?? '',
    vatNumber: billing?.vatNumber ?? '',
    phone: billing?.phone ?? '',
    birthDate: '',
    language: user.lang_id ? localeToLanguage(lookups.languages.get(user.lang_id)) : '',
    group: groupOf(user, lookups),
    active: user.active,
    registeredAt: shoperDateToIso(user.date_add),
    addresses: mapped,
    consents: newsletterConsent(user, subscribers),
  }
  return { kind: 'customer', customer }
}
