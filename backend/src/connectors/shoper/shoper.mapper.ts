/**
 * Shoper user (+ its addresses, subscribers, group and language) → CanonicalCustomer.
 * Pure and faithful to the source: nothing is filled in or repaired here (missing names,
 * bad postcodes…); the import rules decide about those later.
 */
import type { Address, CanonicalCustomer, Consent, SkipReason } from '@cm/contracts'
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
    countryCode: a.country_code.trim().toUpperCase(),
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

/** newsletter "1", or an active subscriber row with the same e-mail (case-insensitive) */
function newsletterConsent(user: ShoperUser, subscribers: readonly ShoperSubscriber[]): Consent[] {
  const email = user.email.trim().toLowerCase()
  const sub = email ? subscribers.find((s) => s.active && s.email.trim().toLowerCase() === email) : undefined
  if (!user.newsletter && !sub) return []
  const date = shoperDateToIso(sub?.dateadd ?? null) || shoperDateToIso(user.date_add)
  return [{ channel: 'email', granted: true, date: date || null }]
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
    group: (user.group_id ? lookups.groups.get(user.group_id)?.trim() : undefined) ?? '',
    active: user.active,
    registeredAt: shoperDateToIso(user.date_add),
    addresses: mapped,
    consents: newsletterConsent(user, subscribers),
  }
  return { kind: 'customer', customer }
}
